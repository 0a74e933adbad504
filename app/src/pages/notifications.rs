//! `/notifications`: the inbox (mentions, replies, comments and guests' comments on my
//! uploads, status changes, approvals, new versions, invitations), newest first, each linking
//! to its asset; the invitations open for my address, to accept here; and how each kind
//! reaches me.

use crate::api::review::{notification_settings, notifications, ReadNotifications, SaveNotificationSettings};
use crate::components::errors::{ActionError, ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use model::notification::{Delivery, NotificationKind, NotificationSetting};

/// The notifications page.
#[component]
pub fn Notifications() -> impl IntoView {
    let read = ServerAction::<ReadNotifications>::new();
    let list = Resource::new(move || read.version().get(), |_| notifications());
    view! {
        <Title text="Notifications · Dailies"/>
        <div class="page-head">
            <h1>"Notifications"</h1>
            <ActionForm action=read>
                <button type="submit" class="secondary small" data-test-id="mark-read">"Mark all read"</button>
            </ActionForm>
        </div>
        <MyInvitations/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted" data-test-id="no-notifications">"Nothing yet. Mentions, replies, comments on your uploads and more will show up here."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notifications panel" data-test-id="notifications">
                            {items.into_iter().map(|n| {
                                let who = n.actor.as_ref().map_or("A reviewer".to_owned(), |a| a.name.clone());
                                let what = NotificationKind::parse(&n.kind).map_or("acted on", NotificationKind::phrase);
                                let href = match (n.asset_id, n.kind.as_str()) {
                                    (Some(a), _) => format!("/assets/{a}"),
                                    (None, "invitation") => "/notifications#invitations".to_owned(),
                                    (None, _) => "/projects".to_owned(),
                                };
                                view! {
                                    <li class:unread=!n.read data-test-id="notification" data-kind=n.kind.clone()>
                                        <a href=href>
                                            <strong>{who}</strong>" "{what}" "<strong>{n.asset_name.clone().unwrap_or_default()}</strong>
                                        </a>
                                        <p class="muted small">{n.excerpt.clone()}" · "{n.created_at.format("%b %-d %H:%M").to_string()}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
        <Settings/>
    }
}

/// The open invitations to my address, each with an Accept button that opens the project.
#[component]
fn MyInvitations() -> impl IntoView {
    use crate::api::invitations::{my_invitations, AcceptMyInvitation};
    let accept = ServerAction::<AcceptMyInvitation>::new();
    let list = Resource::new(move || accept.version().get(), |_| my_invitations());
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(project)) = accept.value().get() {
            navigate(&format!("/projects/{project}"), Default::default());
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => ().into_any(),
                    Ok(items) => view! {
                        <section class="panel" id="invitations" data-test-id="my-invitations">
                            <h2>"Invitations waiting for you"</h2>
                            <ul class="plain">
                                {items.into_iter().map(|i| view! {
                                    <li data-test-id="my-invitation">
                                        <strong>{i.project_name.clone()}</strong>" — as "{i.role.as_str()}
                                        {i.invited_by.clone().map(|b| format!(", from {b}"))}
                                        <span class="muted small">" · until "{i.expires_at.format("%b %-d").to_string()}</span>
                                        <ActionForm action=accept attr:class="inline">
                                            <input type="hidden" name="id" value=i.id.to_string()/>
                                            <button type="submit" class="primary small" data-test-id="accept-my-invitation">"Accept"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <ActionError value=accept.value()/>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// How each kind of notification reaches me: one form, a choice per kind.
#[component]
fn Settings() -> impl IntoView {
    let save = ServerAction::<SaveNotificationSettings>::new();
    let current = Resource::new(move || save.version().get(), |_| notification_settings());
    view! {
        <section class="panel" data-test-id="notification-settings">
            <h2>"How notifications reach you"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(list) => view! {
                            <ActionForm action=save attr:class="settings-form">
                                {list.into_iter().map(|s| view! { <SettingRow setting=s/> }).collect_view()}
                                <button type="submit" class="primary" data-test-id="save-notification-settings">"Save"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
            <ActionError value=save.value()/>
            {move || save.value().get().and_then(Result::ok).map(|_| view! { <p class="note small" role="status" data-test-id="settings-saved">"Saved."</p> })}
            <p class="hint">"E-mail needs the server's SMTP settings; without them e-mail waits in the admin's outbox. Digests go out hourly."</p>
        </section>
    }
}

#[component]
fn SettingRow(setting: NotificationSetting) -> impl IntoView {
    let kind = setting.kind.as_str();
    view! {
        <label class="setting-row">
            <span>{setting.kind.label()}</span>
            <select name=format!("choices[{kind}]") data-test-id=format!("delivery-{kind}")>
                {Delivery::ALL.into_iter().map(|d| view! {
                    <option value=d.as_str() selected=d == setting.delivery>{d.label()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
