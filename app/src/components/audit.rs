//! The audit trail as a list: who did what, when (and, for admins, from where), with the
//! filter form both trail pages share. Query-string driven, so it works without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use model::audit::{describe, AuditEntryDto, AuditQuery, KINDS};

/// The page size of the trail pages.
pub const PAGE: i64 = 100;

/// The filters in the page's query string.
pub fn query_from_url() -> Memo<AuditQuery> {
    let q = use_query_map();
    Memo::new(move |_| {
        let q = q.read();
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        AuditQuery {
            actor: text("actor").and_then(|v| v.parse().ok()),
            kind: text("kind"),
            from: text("from").and_then(|v| v.parse().ok()),
            to: text("to").and_then(|v| v.parse().ok()),
            severity: text("severity"),
            before: text("before").and_then(|v| v.parse().ok()),
            limit: Some(PAGE),
        }
    })
}

/// The same filters as a query string (for the next page and the CSV link).
pub fn query_string(q: &AuditQuery) -> String {
    let mut parts = Vec::new();
    let mut push = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={}", encode(&v)));
        }
    };
    push("actor", q.actor.map(|a| a.to_string()));
    push("kind", q.kind.clone());
    push("from", q.from.map(|d| d.to_string()));
    push("to", q.to.map(|d| d.to_string()));
    push("severity", q.severity.clone());
    push("before", q.before.map(|b| b.to_string()));
    parts.join("&")
}

// Query values here are ids, dates and short words: escaping what a URL cannot carry is enough.
fn encode(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' | '~' => c.to_string(),
            c => {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}

/// The filter form: person (when `people` are given), kind, dates, severity.
#[component]
pub fn AuditFilters(action: String, q: AuditQuery, people: Vec<(String, String)>) -> impl IntoView {
    let kind = q.kind.clone().unwrap_or_default();
    let severity = q.severity.clone().unwrap_or_default();
    let actor = q.actor.map(|a| a.to_string()).unwrap_or_default();
    view! {
        <form method="get" action=action class="row-form audit-filters" data-test-id="audit-filters">
            {(!people.is_empty()).then(|| view! {
                <select name="actor" aria-label="Person" data-test-id="audit-actor">
                    <option value="">"Everyone"</option>
                    {people.into_iter().map(|(id, name)| {
                        let selected = id == actor;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            })}
            <select name="kind" aria-label="Kind" data-test-id="audit-kind">
                <option value="">"All kinds"</option>
                {KINDS.into_iter().map(|(k, label)| view! { <option value=k selected=k == kind>{label}</option> }).collect_view()}
            </select>
            <label class="inline-label">"From" <input type="date" name="from" value=q.from.map(|d| d.to_string()) data-test-id="audit-from"/></label>
            <label class="inline-label">"To" <input type="date" name="to" value=q.to.map(|d| d.to_string()) data-test-id="audit-to"/></label>
            <select name="severity" aria-label="Severity" data-test-id="audit-severity">
                <option value="">"Any severity"</option>
                {["info", "notice", "warning"].into_iter().map(|s| view! { <option value=s selected=s == severity>{s}</option> }).collect_view()}
            </select>
            <button type="submit" data-test-id="audit-apply">"Filter"</button>
        </form>
    }
}

/// A short phrase from an entry's details: a name, an e-mail, a role change.
fn summary(e: &AuditEntryDto) -> String {
    let d = &e.detail;
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    match (s("before"), s("after")) {
        (Some(b), Some(a)) if e.action == "member.role" => return format!("{b} → {a}"),
        _ => {}
    }
    [
        s("name"),
        s("email"),
        s("role"),
        s("status"),
        d.get("rating").map(|r| format!("{r} ★")),
    ]
    .into_iter()
    .flatten()
    .next()
    .unwrap_or_default()
}

/// The entries, newest first; with `admin`, also the project and where the request came from.
#[component]
pub fn AuditList(entries: Vec<AuditEntryDto>, admin: bool) -> impl IntoView {
    if entries.is_empty() {
        return view! { <div class="panel empty" data-test-id="audit-empty"><p>"Nothing here."</p></div> }.into_any();
    }
    view! {
        <ol class="audit" data-test-id="audit-list">
            {entries.into_iter().map(|e| {
                let who = e.actor_name.clone().unwrap_or_else(|| "Someone".into());
                let what = summary(&e);
                let actor_attr = who.clone();
                view! {
                    <li class=format!("audit-entry severity-{}", e.severity) data-test-id="audit-entry" data-action=e.action.clone()
                        data-actor=actor_attr data-guest=e.guest.to_string()>
                        <time class="muted small" datetime=e.at.to_rfc3339()>{e.at.format("%Y-%m-%d %H:%M").to_string()}</time>
                        <span class="audit-what">
                            <strong>{who}</strong>
                            {e.guest.then(|| view! { " " <span class="badge small">"guest"</span> })}
                            " " {describe(&e.action).to_owned()}
                            {(!what.is_empty()).then(|| view! { " · " <span class="muted">{what}</span> })}
                        </span>
                        {admin.then(|| view! {
                            <span class="muted small audit-where">
                                {e.project_name.clone().unwrap_or_default()}
                                {e.ip.clone().map(|ip| format!(" · {ip}"))}
                            </span>
                        })}
                        {(e.severity != "info").then(|| view! { <span class=format!("badge small sev-{}", e.severity)>{e.severity.clone()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
