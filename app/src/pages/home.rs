//! `/`: sends people to their projects, or to log in.

use crate::components::session::SessionContext;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Redirects to `/projects` when signed in, else to `/login`.
#[component]
pub fn Home() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(_)) => view! { <Redirect path="/projects"/> }.into_any(),
                    _ => view! { <Redirect path="/login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
