//! Live UI: the connection indicator, presence avatars and toasts.

use crate::live::{LinkStatus, Live};
use leptos::prelude::*;
use model::live::{PresenceState, PresenceUser};
use model::{AssetId, ProjectId, UserId};
use std::time::Duration;

/// The dot in the top bar: live, reconnecting, or refreshing on a timer.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let live = Live::get();
    let status = live.status;
    let title = move || match status.get() {
        LinkStatus::Idle => "",
        LinkStatus::Connecting => "Connecting…",
        LinkStatus::Live => "Live: changes appear as they happen",
        LinkStatus::Reconnecting => "Connection lost; reconnecting…",
        LinkStatus::Offline => "Live updates are blocked on this network; refreshing every few seconds",
    };
    view! {
        <span class="live-status" data-test-id="live-status" data-state=move || status.get().as_str()
            title=title aria-label=title role="status"
            class:hidden=move || status.get() == LinkStatus::Idle>
            <span class="dot"></span>
            <span class="label">{move || match status.get() {
                LinkStatus::Live => "Live",
                LinkStatus::Offline => "Offline",
                LinkStatus::Idle => "",
                LinkStatus::Connecting => "Connecting",
                LinkStatus::Reconnecting => "Reconnecting",
            }}</span>
        </span>
    }
}

/// Up to two initials for an avatar (first and last word).
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace().filter_map(|w| w.chars().next());
    let first = words.next();
    let last = words.next_back();
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

/// A stable colour per person.
pub fn hue(user: UserId) -> u16 {
    let b = user.0.as_bytes();
    (u16::from(b[0]) << 8 | u16::from(b[15])) % 360
}

/// The people in `project` (on `asset`, when given), as a row of avatars; idle ones dimmed.
#[component]
pub fn Presence(
    project: ProjectId,
    #[prop(optional)] asset: Option<AssetId>,
    #[prop(optional)] me: Option<UserId>,
) -> impl IntoView {
    let live = Live::get();
    let people = move || {
        let mut list: Vec<PresenceUser> = live.presence.with(|m| {
            m.get(&project)
                .map(|l| {
                    l.iter()
                        .filter(|p| asset.is_none() || p.asset_id == asset)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        });
        // One avatar per person: active wins over idle.
        list.sort_by_key(|p| (p.user_id, p.state != PresenceState::Active));
        list.dedup_by_key(|p| p.user_id);
        list.sort_by_key(|p| (Some(p.user_id) != me, p.name.to_lowercase()));
        list
    };
    view! {
        <div class="presence" data-test-id="presence" aria-label="Here now">
            <For each=people key=|p| (p.user_id, p.state) let:p>
                {
                    let idle = p.state == PresenceState::Idle;
                    let title = format!("{}{}", p.name, if idle { " (idle)" } else { "" });
                    view! {
                        <span class="avatar" class:idle=idle data-test-id="presence-user" data-user-id=p.user_id.to_string()
                            data-state=if idle { "idle" } else { "active" }
                            title=title.clone() aria-label=title style=format!("--hue:{}", hue(p.user_id))>
                            {initials(&p.name)}
                        </span>
                    }
                }
            </For>
        </div>
    }
}

/// A short message in the corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    id: u64,
    text: String,
    href: Option<String>,
}

/// The toast stack (provided by the app).
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    /// Creates and provides the context.
    pub fn provide() -> Toasts {
        let t = Toasts {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(t);
        t
    }

    /// The app's toasts.
    pub fn get() -> Toasts {
        expect_context::<Toasts>()
    }

    /// Shows `text` for six seconds (a link when `href` is given).
    pub fn show(&self, text: impl Into<String>, href: Option<String>) {
        let id = self
            .next
            .try_update_value(|n| {
                *n += 1;
                *n
            })
            .unwrap_or(0);
        let text = text.into();
        self.list.update(|l| {
            l.push(Toast { id, text, href });
            // Keep the corner readable.
            while l.len() > 4 {
                l.remove(0);
            }
        });
        let list = self.list;
        set_timeout(
            move || list.update(|l| l.retain(|t| t.id != id)),
            Duration::from_secs(6),
        );
    }
}

/// Where toasts appear.
#[component]
pub fn ToastStack() -> impl IntoView {
    let toasts = Toasts::get();
    view! {
        <div class="toasts" aria-live="polite" data-test-id="toasts">
            <For each=move || toasts.list.get() key=|t| t.id let:t>
                {
                    let id = t.id;
                    let dismiss = move |_| toasts.list.update(|l| l.retain(|x| x.id != id));
                    match t.href {
                        Some(href) => view! {
                            <a class="toast" data-test-id="toast" href=href on:click=dismiss>{t.text}</a>
                        }.into_any(),
                        None => view! {
                            <div class="toast" data-test-id="toast" on:click=dismiss>{t.text}</div>
                        }.into_any(),
                    }
                }
            </For>
        </div>
    }
}

/// On the project page: a running review session, with a link to join it.
#[component]
pub fn SessionInvite(project: ProjectId) -> impl IntoView {
    let live = Live::get();
    let session = move || live.session.with(|m| m.get(&project).cloned().flatten());
    view! {
        {move || session().map(|s| {
            let href = s.state.asset_id.map_or_else(String::new, |a| format!("/assets/{a}"));
            view! {
                <p class="note session-invite" data-test-id="session-invite">
                    {format!("{} is presenting a review session. ", s.presenter_name)}
                    {(!href.is_empty()).then(|| view! { <a href=href data-test-id="session-join">"Join"</a> })}
                </p>
            }
        })}
    }
}
