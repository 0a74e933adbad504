//! `/notifications`: mentions and replies, newest first, each linking to its asset.

use crate::api::review::{notifications, ReadNotifications};
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;

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
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! { <p class="muted" data-test-id="no-notifications">"Nothing yet. You will see mentions and replies here."</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notifications panel" data-test-id="notifications">
                            {items.into_iter().map(|n| {
                                let who = n.actor.as_ref().map_or("Someone".to_owned(), |a| a.name.clone());
                                let what = if n.kind == "mention" { "mentioned you on" } else { "replied on" };
                                let href = n.asset_id.map_or("/projects".to_owned(), |a| format!("/assets/{a}"));
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
    }
}
