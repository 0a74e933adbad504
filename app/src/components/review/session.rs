//! Review sessions ("watch together"): one presenter drives play, pause, seek, speed, loop,
//! zoom and pan and which asset is open; followers mirror it to the frame, may detach and
//! follow again; the presenter can hand control to someone here.

use super::Review;
use crate::live::Live;
use leptos::prelude::*;
use model::live::{ClientMessage, PresenceUser, Session, SessionAction, SessionState};
use model::UserId;

/// While playing, the presenter's position goes out this often (pauses and seeks at once).
const PLAYING_EVERY_MS: f64 = 1000.0;

/// The project's session (tracked).
pub fn session(review: Review) -> Option<Session> {
    Live::get().session.with(|m| m.get(&review.project).cloned().flatten())
}

/// Whether this person presents (tracked).
pub fn presenting(review: Review) -> bool {
    session(review).is_some_and(|s| s.presenter_id == review.me)
}

/// The session this screen follows: someone else presents and following is on (tracked).
pub fn followed(review: Review) -> Option<Session> {
    let s = session(review)?;
    (s.presenter_id != review.me && review.following.get()).then_some(s)
}

/// Sends the presenter's state; while playing, at most once a second.
pub fn publish(review: Review, state: SessionState) {
    thread_local! {
        static LAST: std::cell::RefCell<(f64, Option<SessionState>)> = const { std::cell::RefCell::new((0.0, None)) };
    }
    let now = js_sys::Date::now();
    let due = LAST.with(|l| {
        let (at, prev) = &*l.borrow();
        match prev {
            Some(p) if p == &state => false,
            // Same play state, only the frame moved by playing: throttle.
            Some(p) if state.playing && p.playing && p.asset_id == state.asset_id => now - at >= PLAYING_EVERY_MS,
            _ => true,
        }
    });
    if !due {
        return;
    }
    if Live::get().send(&ClientMessage::SessionState {
        project_id: review.project,
        state: state.clone(),
    }) {
        LAST.with(|l| *l.borrow_mut() = (now, Some(state)));
    }
}

/// Opens the presenter's asset when it is not this one; true when it navigated.
pub fn follow_asset(review: Review, state: &SessionState) -> bool {
    let here = review.asset.with_value(|a| a.id);
    match state.asset_id {
        Some(a) if a != here => {
            let _ = window().location().set_href(&format!("/assets/{a}"));
            true
        }
        _ => false,
    }
}

fn act(review: Review, action: SessionAction, to: Option<UserId>) {
    Live::get().send(&ClientMessage::Session {
        project_id: review.project,
        action,
        to,
    });
}

/// The session controls above the comments.
#[component]
pub fn SessionBar() -> impl IntoView {
    let review = Review::get();
    let live = Live::get();
    let others = move || -> Vec<PresenceUser> {
        let mut l: Vec<PresenceUser> = live.presence.with(|m| {
            m.get(&review.project)
                .map(|l| l.iter().filter(|p| p.user_id != review.me).cloned().collect())
                .unwrap_or_default()
        });
        l.dedup_by_key(|p| p.user_id);
        l
    };
    let role = move || match session(review) {
        None => "none",
        Some(s) if s.presenter_id == review.me => "presenter",
        Some(_) => "follower",
    };
    view! {
        <div class="session-bar" data-test-id="session-bar" data-role=role data-following=move || review.following.get().to_string()>
            {move || match session(review) {
                None => view! {
                    <button type="button" class="small" data-test-id="session-start"
                        title="Everyone here follows your playback, zoom and the asset you open"
                        on:click=move |_| act(review, SessionAction::Start, None)>"Start a review session"</button>
                }.into_any(),
                Some(s) if s.presenter_id == review.me => view! {
                    <span class="small">"You are presenting"</span>
                    <select class="small" data-test-id="session-handover" aria-label="Hand over to"
                        on:change=move |ev| {
                            if let Ok(to) = event_target_value(&ev).parse() {
                                act(review, SessionAction::Handover, Some(to));
                            }
                        }>
                        <option value="" selected=true>"Hand over to…"</option>
                        {move || others().into_iter().map(|p| view! {
                            <option value=p.user_id.to_string()>{p.name}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="small" data-test-id="session-end"
                        on:click=move |_| act(review, SessionAction::End, None)>"End"</button>
                }.into_any(),
                Some(s) => view! {
                    <span class="small" data-test-id="session-presenter">{format!("{} is presenting", s.presenter_name)}</span>
                    {move || if review.following.get() {
                        view! { <button type="button" class="small" data-test-id="session-detach"
                            on:click=move |_| review.following.set(false)>"Detach"</button> }.into_any()
                    } else {
                        view! { <button type="button" class="small primary" data-test-id="session-follow"
                            on:click=move |_| review.following.set(true)>"Follow"</button> }.into_any()
                    }}
                    <button type="button" class="small ghost" title="Take over if the presenter has left"
                        data-test-id="session-take" on:click=move |_| act(review, SessionAction::Start, None)>"Take over"</button>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}
