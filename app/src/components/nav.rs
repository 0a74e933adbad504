//! The top bar.

use super::session::SessionContext;
use leptos::prelude::*;

/// Brand, navigation and the account menu.
#[component]
pub fn TopBar(session: SessionContext) -> impl IntoView {
    let user = session.user;
    let logout = session.logout;
    // Fetched in the browser only: a badge is not worth holding the server render for.
    let live = crate::live::Live::get();
    let unread = LocalResource::new(move || {
        // Refetched when a live event mentions or answers this person.
        live.inbox.track();
        crate::api::review::unread_notifications()
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Dailies"</a>
            <super::live::LiveStatus/>
            <nav class="topnav">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <a href="/projects">"Projects"</a>
                                <a href="/notifications" data-test-id="notifications-link" title="Mentions and replies">
                                    "Inbox"
                                    {move || unread.get().and_then(Result::ok).filter(|n| *n > 0).map(|n| view! {
                                        <span class="count" data-test-id="unread-count">{n}</span>
                                    })}
                                </a>
                                <a href="/account" data-test-id="account-link">{u.name.clone()}</a>
                                <ActionForm action=logout attr:class="inline">
                                    <button type="submit" class="link" data-test-id="logout">"Log out"</button>
                                </ActionForm>
                            }
                            .into_any(),
                            _ => view! {
                                <a href="/login">"Log in"</a>
                                <a href="/signup" class="button small">"Sign up"</a>
                            }
                            .into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
    }
}
