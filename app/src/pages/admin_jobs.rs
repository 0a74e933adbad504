//! `/admin/jobs`: background jobs by state, with progress, errors, retry and cancel.

use crate::api::admin::{list_jobs, CancelJob, RetryJob};
use crate::components::errors::{ActionError, ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::dto::JobDto;

const TABS: [(&str, &str); 6] = [
    ("", "All"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("failed", "Failed"),
    ("succeeded", "Succeeded"),
    ("cancelled", "Cancelled"),
];

/// The jobs page (instance admins only).
#[component]
pub fn AdminJobs() -> impl IntoView {
    let query = use_query_map();
    let state = move || query.read().get("state").unwrap_or_default();
    let retry = ServerAction::<RetryJob>::new();
    let cancel = ServerAction::<CancelJob>::new();
    let jobs = Resource::new(
        move || (state(), retry.version().get(), cancel.version().get()),
        |(s, ..)| list_jobs(Some(s)),
    );
    view! {
        <Title text="Jobs · Dailies"/>
        <div class="page-head">
            <div>
                <p class="crumbs"><a href="/account">"Account"</a></p>
                <h1>"Background jobs"</h1>
            </div>
        </div>
        <nav class="tabs" aria-label="Job state">
            {TABS.into_iter().map(|(value, label)| view! {
                <a href=if value.is_empty() { "/admin/jobs".to_owned() } else { format!("/admin/jobs?state={value}") }
                   class:active=move || state() == value data-test-id=format!("tab-{}", if value.is_empty() { "all" } else { value })>
                    {label}
                </a>
            }).collect_view()}
        </nav>
        <ActionError value=retry.value()/>
        <ActionError value=cancel.value()/>
        <Transition fallback=|| view! { <p class="muted">"Loading jobs…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="panel empty" data-test-id="no-jobs"><p>"No jobs here."</p></div>
                    }.into_any(),
                    Ok(list) => view! { <JobTable list retry cancel/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobTable(list: Vec<JobDto>, retry: ServerAction<RetryJob>, cancel: ServerAction<CancelJob>) -> impl IntoView {
    view! {
        <section class="panel">
            <table class="jobs" data-test-id="jobs-table">
                <thead><tr><th>"#"</th><th>"Kind"</th><th>"State"</th><th>"Progress"</th><th>"Attempts"</th><th>"Created"</th><th></th></tr></thead>
                <tbody>
                    {list.into_iter().map(|job| {
                        let (id, id2) = (job.id.to_string(), job.id.to_string());
                        let can_retry = job.state == "failed" || job.state == "cancelled";
                        let can_cancel = job.state == "queued" || job.state == "running";
                        view! {
                            <tr data-test-id="job-row" data-state=job.state.clone()>
                                <td>{job.id}</td>
                                <td><code>{job.kind.clone()}</code></td>
                                <td>
                                    <span class=format!("badge state-{}", job.state)>{job.state.clone()}</span>
                                    {job.last_error.clone().map(|e| view! { <p class="job-error" data-test-id="job-error">{e}</p> })}
                                </td>
                                <td>
                                    <progress max="100" value=job.progress.to_string()></progress>
                                    <span class="muted">" " {job.phase.clone()}</span>
                                </td>
                                <td>{format!("{}/{}", job.attempts, job.max_attempts)}</td>
                                <td>{job.created_at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                <td>
                                    {can_retry.then(|| view! {
                                        <ActionForm action=retry attr:class="inline">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="small" data-test-id="retry-job">"Retry"</button>
                                        </ActionForm>
                                    })}
                                    {can_cancel.then(|| view! {
                                        <ActionForm action=cancel attr:class="inline">
                                            <input type="hidden" name="id" value=id2/>
                                            <button type="submit" class="small danger" data-test-id="cancel-job">"Cancel"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
