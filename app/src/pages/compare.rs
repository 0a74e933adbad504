//! `/compare?assets=a,b[,c,d]` or `/compare?asset=…&versions=1,2`: the comparison view.

use crate::api::compare::load_compare;
use crate::components::compare::Compare;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The comparison page.
#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    let key = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("assets").unwrap_or_default(),
            q.get("asset").unwrap_or_default(),
            q.get("versions").unwrap_or_default(),
        )
    });
    let sides = Resource::new(move || key.get(), |(a, one, v)| load_compare(a, one, v));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match sides.await {
                    Ok(sides) => {
                        let first = &sides[0].asset;
                        let back = format!("/projects/{}", first.project_id);
                        let title = if sides.iter().all(|s| s.asset.id == first.id) {
                            format!("{} — versions", first.name)
                        } else {
                            format!("Comparing {} items", sides.len())
                        };
                        view! {
                            <leptos_meta::Title text=format!("{title} · Dailies")/>
                            <p class="crumbs"><a href=back data-test-id="back-to-project">"Back to the project"</a> " / " <span>{title}</span></p>
                            <Compare sides/>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
