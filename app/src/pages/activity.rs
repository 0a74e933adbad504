//! `/projects/:id/activity`: what happened in a project — uploads, comments, ratings, links,
//! members — by whom (guests of review links included), filtered by person, kind and date.

use crate::api::audit::project_activity;
use crate::api::members::list_members;
use crate::api::projects::get_project;
use crate::components::audit::{query_from_url, query_string, AuditFilters, AuditList, PAGE};
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The activity page (every member).
#[component]
pub fn ActivityPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let q = query_from_url();
    let project = Resource::new(id, get_project);
    let members = Resource::new(id, list_members);
    let entries = Resource::new(move || (id(), q.get()), |(id, q)| project_activity(id, q));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading activity…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, members.await, entries.await) {
                    (Ok(p), Ok(m), Ok(list)) => {
                        let pid = p.id.to_string();
                        let people = m.into_iter().map(|m| (m.user_id.to_string(), m.name)).collect();
                        let next = (list.len() as i64 == PAGE).then(|| {
                            let mut more = q.get_untracked();
                            more.before = list.last().map(|e| e.id);
                            format!("/projects/{pid}/activity?{}", query_string(&more))
                        });
                        view! {
                            <Title text=format!("Activity · {} · Dailies", p.name)/>
                            <div class="page-head">
                                <div>
                                    <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{p.name.clone()}</a></p>
                                    <h1>"Activity"</h1>
                                </div>
                            </div>
                            <AuditFilters action=format!("/projects/{pid}/activity") q=q.get_untracked() people/>
                            <AuditList entries=list admin=false/>
                            {next.map(|href| view! { <a class="button small" href=href data-test-id="audit-older">"Older"</a> })}
                        }.into_any()
                    }
                    (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
