//! `/admin/outbox`: every e-mail Dailies wrote — sent, queued, failed, or held because no SMTP
//! server is configured — with its text, so nothing is lost.

use crate::api::admin::outbox_mail;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::dto::OutboxMailDto;

/// The outbox page (instance admins only).
#[component]
pub fn AdminOutbox() -> impl IntoView {
    let query = use_query_map();
    let to = move || query.read().get("to").unwrap_or_default();
    let mail = Resource::new(to, |to| outbox_mail(Some(to)));
    view! {
        <Title text="Outbox · Dailies"/>
        <div class="page-head">
            <div>
                <p class="crumbs"><a href="/account">"Account"</a> " / " <a href="/admin/jobs">"Jobs"</a></p>
                <h1>"Outbox"</h1>
                <p class="muted">"E-mail is sent through SMTP when DAILIES_SMTP_URL is set; until then it is held here."</p>
            </div>
        </div>
        <form method="get" action="/admin/outbox" class="row-form">
            <input type="search" name="to" placeholder="Recipient's e-mail" aria-label="Recipient" prop:value=to data-test-id="outbox-to"/>
            <button type="submit">"Filter"</button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match mail.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="panel empty" data-test-id="outbox-empty"><p>"No e-mail yet."</p></div>
                    }.into_any(),
                    Ok(list) => view! {
                        <div class="outbox" data-test-id="outbox">
                            {list.into_iter().map(|m| view! { <Mail mail=m/> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Mail(mail: OutboxMailDto) -> impl IntoView {
    view! {
        <details class="panel mail" data-test-id="outbox-mail" data-to=mail.to_email.clone() data-kind=mail.kind.clone() data-state=mail.state.clone()>
            <summary>
                <span class=format!("badge small mail-{}", mail.state)>{mail.state.clone()}</span>
                " " <strong data-test-id="outbox-subject">{mail.subject.clone()}</strong>
                <span class="muted small">{format!(" → {} · {}", mail.to_email, mail.created_at.format("%Y-%m-%d %H:%M"))}</span>
            </summary>
            {mail.error.map(|e| view! { <p class="error-text small">{e}</p> })}
            <pre class="mail-body" data-test-id="outbox-body">{mail.body}</pre>
        </details>
    }
}
