//! `/admin/audit`: the whole instance's audit trail (admins), with where each request came
//! from, filtered by kind, date and severity, and exported as CSV.

use crate::api::audit::instance_audit;
use crate::components::audit::{query_from_url, query_string, AuditFilters, AuditList, PAGE};
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

/// The audit page (instance admins only).
#[component]
pub fn AdminAudit() -> impl IntoView {
    let q = query_from_url();
    let entries = Resource::new(move || q.get(), instance_audit);
    let csv = move || {
        let mut all = q.get();
        all.before = None;
        format!("/api/v1/admin/audit.csv?{}", query_string(&all))
    };
    view! {
        <Title text="Audit log · Dailies"/>
        <div class="page-head">
            <div>
                <p class="crumbs"><a href="/account">"Account"</a></p>
                <h1>"Audit log"</h1>
            </div>
            <a class="button" href=csv data-test-id="audit-csv" rel="external">"Download CSV"</a>
        </div>
        <AuditFilters action="/admin/audit".to_owned() q=q.get_untracked() people=Vec::new()/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) => {
                        let next = (list.len() as i64 == PAGE).then(|| {
                            let mut more = q.get_untracked();
                            more.before = list.last().map(|e| e.id);
                            format!("/admin/audit?{}", query_string(&more))
                        });
                        view! {
                            <AuditList entries=list admin=true/>
                            {next.map(|href| view! { <a class="button small" href=href data-test-id="audit-older">"Older"</a> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
