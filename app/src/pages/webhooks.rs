//! `/projects/:id/webhooks`: the project's webhooks (owners): add one for some events (its
//! signing secret shown once), see each one's latest deliveries, remove it.

use crate::api::projects::get_project;
use crate::api::webhooks::{list_webhooks, webhook_deliveries, AddWebhook, RemoveWebhook};
use crate::components::errors::{ActionError, ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::webhook::{WebhookDto, EVENTS};

/// The webhooks page.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let add = ServerAction::<AddWebhook>::new();
    let remove = ServerAction::<RemoveWebhook>::new();
    let project = Resource::new(id, get_project);
    let hooks = Resource::new(
        move || (id(), add.version().get(), remove.version().get()),
        |(id, _, _)| list_webhooks(id),
    );
    let secret = move || add.value().get().and_then(Result::ok).map(|c| c.secret);
    let chosen = RwSignal::new(Vec::<&'static str>::new());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading webhooks…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, hooks.await) {
                    (Ok(p), Ok(list)) => {
                        let pid = p.id.to_string();
                        view! {
                            <Title text=format!("Webhooks · {} · Dailies", p.name)/>
                            <div class="page-head">
                                <div>
                                    <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{p.name.clone()}</a></p>
                                    <h1>"Webhooks"</h1>
                                </div>
                            </div>
                            <section class="panel">
                                <h2>"Add a webhook"</h2>
                                <ActionForm action=add attr:class="settings-form">
                                    <input type="hidden" name="project" value=pid.clone()/>
                                    <label>"Endpoint URL"
                                        <input type="url" name="url" required placeholder="https://example.com/dailies" data-test-id="webhook-url"/></label>
                                    <input type="hidden" name="events" prop:value=move || chosen.get().join(",")/>
                                    <fieldset class="events">
                                        <legend>"Events (none ticked: all)"</legend>
                                        {EVENTS.into_iter().map(|e| view! {
                                            <label class="check small"><input type="checkbox" data-test-id=format!("webhook-event-{e}")
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    chosen.update(|c| { c.retain(|x| *x != e); if on { c.push(e); } });
                                                }/>" "{e}</label>
                                        }).collect_view()}
                                    </fieldset>
                                    <button type="submit" class="primary" data-test-id="webhook-add">"Add webhook"</button>
                                </ActionForm>
                                <ActionError value=add.value()/>
                                {move || secret().map(|s| view! {
                                    <div class="panel secret" role="status">
                                        <p>"Signing secret — copy it now, it is not shown again. Each delivery carries "
                                            <code>"Dailies-Signature: v1=<hex>"</code>", the HMAC-SHA256 of "<code>"<Dailies-Timestamp>.<body>"</code>" under it."</p>
                                        <code data-test-id="webhook-secret">{s}</code>
                                    </div>
                                })}
                            </section>
                            <ActionError value=remove.value()/>
                            {if list.is_empty() {
                                view! { <p class="muted" data-test-id="no-webhooks">"No webhooks yet."</p> }.into_any()
                            } else {
                                list.into_iter().map(|h| view! { <Hook hook=h remove/> }).collect_view().into_any()
                            }}
                        }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One webhook with its latest deliveries.
#[component]
fn Hook(hook: WebhookDto, remove: ServerAction<RemoveWebhook>) -> impl IntoView {
    let id = hook.id.to_string();
    let log = Resource::new(move || (), {
        let id = id.clone();
        move |_| webhook_deliveries(id.clone())
    });
    view! {
        <section class="panel" data-test-id="webhook" data-url=hook.url.clone()>
            <div class="row">
                <h2><code>{hook.url.clone()}</code></h2>
                <ActionForm action=remove attr:class="inline">
                    <input type="hidden" name="id" value=id.clone()/>
                    <button type="submit" class="small danger" data-test-id="webhook-remove">"Remove"</button>
                </ActionForm>
            </div>
            <p class="muted small">{hook.events.join(", ")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted small">"Nothing delivered yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="members small" data-test-id="deliveries">
                                <thead><tr><th>"#"</th><th>"Event"</th><th>"State"</th><th>"Attempts"</th><th>"Answer"</th><th>"When"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|d| view! {
                                        <tr data-test-id="delivery" data-state=d.state.clone()>
                                            <td>{d.id}</td>
                                            <td>{d.event.clone()}</td>
                                            <td>{d.state.clone()}</td>
                                            <td>{d.attempts}</td>
                                            <td>{d.error.clone().or_else(|| d.response_status.map(|s| s.to_string())).unwrap_or_default()}</td>
                                            <td>{d.created_at.format("%Y-%m-%d %H:%M:%S").to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
