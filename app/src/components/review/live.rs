//! The review screen, live: other people's comments, drawings, ratings, labels, statuses and
//! approvals arrive as they happen; their pointers and playheads are shown; new comments and
//! mentions raise a toast. When the socket is down the screen refreshes on a timer instead.

use super::Review;
use crate::components::live::Toasts;
use crate::live::{Live, Subscription};
use leptos::prelude::*;
use model::live::{kind, ClientMessage, Event, ServerMessage};
use model::review::{CommentDto, ReviewDto};
use model::{CommentId, UserId};
use std::time::Duration;

/// Someone else's pointer (x, y: 0..1 of the picture) or playhead (x: frame).
#[derive(Clone, Debug, PartialEq)]
pub struct Remote {
    /// Whose.
    pub user: UserId,
    /// Their name.
    pub name: String,
    /// Pointer x, or the frame.
    pub x: f64,
    /// Pointer y.
    pub y: f64,
    /// For playheads: playing.
    pub playing: bool,
}

const SHARE_CURSOR_KEY: &str = "dailies.shareCursor";

/// How often the screen refreshes while live updates are unavailable.
const POLL: Duration = Duration::from_secs(4);

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Puts a comment from an event in place, with `mine` worked out for this viewer.
fn take(review: Review, mut c: CommentDto) {
    for r in &mut c.reactions {
        r.mine = r.users.contains(&review.me);
    }
    review.upsert(c);
}

fn apply(review: Review, live: Live, e: &Event) {
    let me = review.me;
    let here = review.asset.with_value(|a| a.id);
    if e.asset_id != Some(here) {
        return;
    }
    let comment = || serde_json::from_value::<CommentDto>(e.payload["comment"].clone()).ok();
    match e.kind.as_str() {
        kind::COMMENT_CREATED => {
            let Some(c) = comment() else { return };
            let by_other = c.author.id != me;
            let notified: Vec<UserId> = serde_json::from_value(e.payload["notified"].clone()).unwrap_or_default();
            let (author, excerpt) = (c.author.name.clone(), c.body.chars().take(80).collect::<String>());
            let mentioned = review.people.with_value(|people| {
                people.iter().find(|p| p.id == me).is_some_and(|p| {
                    model::markup::mentions(&c.body)
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(&p.handle))
                })
            });
            take(review, c);
            if by_other {
                let toasts = Toasts::get();
                if mentioned {
                    toasts.show(format!("{author} mentioned you: {excerpt}"), None);
                } else {
                    toasts.show(format!("{author} commented: {excerpt}"), None);
                }
                // Whatever the reason (mention, reply, a comment on your upload), the inbox has it.
                if notified.contains(&me) {
                    live.inbox.notify();
                }
            }
        }
        kind::COMMENT_UPDATED | kind::COMMENT_RESOLVED | kind::REACTION_CHANGED => {
            if let Some(c) = comment() {
                take(review, c);
            }
        }
        kind::COMMENT_DELETED => {
            let Ok(id) = serde_json::from_value::<CommentId>(e.payload["comment_id"].clone()) else {
                return;
            };
            review
                .comments
                .update(|l| l.retain(|c| c.id != id && c.parent_id != Some(id)));
        }
        kind::RATING_CHANGED | kind::LABEL_CHANGED | kind::STATUS_CHANGED | kind::APPROVAL_CHANGED => {
            // Stars and status are per version: only the version on screen's change shows.
            if let Ok(r) = serde_json::from_value::<ReviewDto>(e.payload["review"].clone()) {
                let shown = review.asset.with_value(|a| a.current_version);
                if r.version == shown || r.version == 0 {
                    review.review.set(r);
                } else {
                    review.review.update(|mine| {
                        mine.label = r.label;
                        mine.picked = r.picked;
                        mine.approvals = r.approvals.clone();
                        mine.open_comments = r.open_comments;
                    });
                }
            }
        }
        kind::VERSION_CREATED => {
            let v = e.payload["version"].as_i64().unwrap_or(0);
            review.note.set(Some(format!("Version {v} is uploading…")));
        }
        kind::ASSET_PROGRESS => {
            let v = e.payload["version"].as_i64().unwrap_or(0);
            let current = i64::from(review.asset.with_value(|a| a.current_version));
            if v > current
                || review
                    .asset
                    .with_value(|a| a.status != model::asset::VersionState::Ready)
            {
                let p = e.payload["progress"].as_i64().unwrap_or(0);
                let phase = e.payload["phase"].as_str().unwrap_or("").to_owned();
                review
                    .note
                    .set(Some(format!("Version {v} is processing: {p} % ({phase})")));
            }
        }
        kind::ASSET_READY => {
            let v = e.payload["version"].as_i64().unwrap_or(0);
            review
                .note
                .set(Some(format!("Version {v} is ready — reload to see it")));
        }
        kind::ASSET_FAILED => {
            let v = e.payload["version"].as_i64().unwrap_or(0);
            let why = e.payload["error"].as_str().unwrap_or("");
            review
                .note
                .set(Some(format!("Version {v} could not be processed: {why}")));
        }
        _ => {}
    }
}

/// Reloads comments and review state (after a long gap, or while polling).
fn refetch(review: Review) {
    let asset = review.asset.with_value(|a| a.id.to_string());
    leptos::task::spawn_local(async move {
        if let Ok(list) = crate::api::review::list_comments(asset.clone()).await {
            review.comments.set(list);
        }
        if let Ok(r) = crate::api::review::get_review(asset).await {
            review.review.set(r);
        }
    });
}

/// A share-link guest's screen has no live connection: it reads the link's comments on a
/// timer (browser only; call from an effect).
pub fn poll_guest_comments(review: Review) {
    let Some(token) = review.guest.with_value(|g| g.as_ref().map(|g| g.token.clone())) else {
        return;
    };
    let asset = review.asset.with_value(|a| a.id.to_string());
    let poll = set_interval_with_handle(
        move || {
            let (token, asset) = (token.clone(), asset.clone());
            leptos::task::spawn_local(async move {
                if let Ok(list) = crate::api::shares::list_shared_comments(token, asset).await {
                    if review.comments.with_untracked(|c| *c != list) {
                        review.comments.set(list);
                    }
                }
            });
        },
        POLL,
    );
    on_cleanup(move || {
        if let Ok(p) = poll {
            p.clear();
        }
    });
}

fn remote_upsert(list: RwSignal<Vec<Remote>>, r: Remote, hide: bool) {
    list.update(|l| {
        l.retain(|x| x.user != r.user);
        if !hide {
            l.push(r);
        }
    });
}

/// Connects the review screen (browser only; call from an effect).
pub fn connect(review: Review) {
    let live = Live::get();
    if let Some(v) = storage().and_then(|s| s.get_item(SHARE_CURSOR_KEY).ok().flatten()) {
        review.share_cursor.set(v != "off");
    }
    let asset = review.asset.with_value(|a| a.id);
    let sub: Subscription = live.subscribe(
        review.project,
        Some(asset),
        Some(review.last_event_id),
        move |msg| match msg {
            ServerMessage::Event(e) => apply(review, live, e),
            ServerMessage::Refetch { .. } => refetch(review),
            ServerMessage::Unsubscribed { reason, .. } => review.fail(reason.clone()),
            ServerMessage::Cursor {
                asset_id,
                user_id,
                name,
                x,
                y,
                ..
            } if *asset_id == asset => remote_upsert(
                review.cursors,
                Remote {
                    user: *user_id,
                    name: name.clone(),
                    x: x.unwrap_or(0.0),
                    y: y.unwrap_or(0.0),
                    playing: false,
                },
                x.is_none(),
            ),
            ServerMessage::Playhead {
                asset_id,
                user_id,
                name,
                frame,
                playing,
                ..
            } if *asset_id == asset => remote_upsert(
                review.playheads,
                Remote {
                    user: *user_id,
                    name: name.clone(),
                    x: *frame as f64,
                    y: 0.0,
                    playing: *playing,
                },
                false,
            ),
            ServerMessage::Presence { users, .. } => {
                // Pointers and playheads of people who left go with them.
                let here: Vec<UserId> = users
                    .iter()
                    .filter(|u| u.asset_id == Some(asset))
                    .map(|u| u.user_id)
                    .collect();
                review.cursors.update(|l| l.retain(|r| here.contains(&r.user)));
                review.playheads.update(|l| l.retain(|r| here.contains(&r.user)));
            }
            _ => {}
        },
    );
    let sub = StoredValue::new_local(Some(sub));
    // Without a socket, refresh on a timer (and once when it comes back).
    let was_live = StoredValue::new(true);
    let poll = set_interval_with_handle(
        move || {
            let is_live = live.is_live();
            if !is_live || !was_live.get_value() {
                refetch(review);
            }
            was_live.set_value(is_live);
        },
        POLL,
    );
    // Share the playhead (videos), at most five times a second.
    let last_sent = StoredValue::new(0.0f64);
    Effect::new(move |_| {
        let frame = review.frame.get();
        let playing = review.playing.get();
        if review.rate().is_none() {
            return;
        }
        let now = js_sys::Date::now();
        if playing && now - last_sent.get_value() < 200.0 {
            return;
        }
        last_sent.set_value(now);
        live.send(&ClientMessage::Playhead {
            project_id: review.project,
            asset_id: asset,
            frame,
            playing,
        });
    });
    on_cleanup(move || {
        sub.update_value(|s| drop(s.take()));
        if let Ok(p) = poll {
            p.clear();
        }
    });
}

/// Sends this viewer's pointer position (0..1 of the picture, or none when it leaves), at
/// most twenty times a second, when they share it. A position that arrives too soon is sent
/// when its turn comes, so the last one always goes out.
pub fn send_cursor(review: Review, at: Option<(f64, f64)>) {
    use std::cell::Cell;
    const EVERY_MS: f64 = 50.0;
    thread_local! {
        static LAST_SENT: Cell<f64> = const { Cell::new(0.0) };
        static LATEST: Cell<Option<Option<(f64, f64)>>> = const { Cell::new(None) };
    }
    if !review.share_cursor.get_untracked() {
        return;
    }
    let wait = EVERY_MS - (js_sys::Date::now() - LAST_SENT.with(Cell::get));
    if at.is_some() && wait > 0.0 {
        // Only the newest position matters; the first one held back schedules the send.
        if LATEST.with(|l| l.replace(Some(at))).is_none() {
            set_timeout(
                move || {
                    if let Some(latest) = LATEST.with(Cell::take) {
                        send_cursor(review, latest);
                    }
                },
                std::time::Duration::from_millis(wait.ceil() as u64),
            );
        }
        return;
    }
    LATEST.with(|l| l.set(None));
    LAST_SENT.with(|l| l.set(js_sys::Date::now()));
    let clamp = |v: f64| v.clamp(0.0, 1.0);
    Live::get().send(&ClientMessage::Cursor {
        project_id: review.project,
        asset_id: review.asset.with_value(|a| a.id),
        x: at.map(|p| clamp(p.0)),
        y: at.map(|p| clamp(p.1)),
    });
}

/// Shares the pointer as it moves over `ev`'s current target (the picture box).
pub fn pointer_moved(review: Review, ev: &web_sys::PointerEvent) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
        let at = super::dom::normalised(&el, f64::from(ev.client_x()), f64::from(ev.client_y()));
        send_cursor(review, Some(at));
    }
}

/// Remembers (and applies) whether this person shares their pointer.
pub fn set_share_cursor(review: Review, on: bool) {
    review.share_cursor.set(on);
    if let Some(s) = storage() {
        let _ = s.set_item(SHARE_CURSOR_KEY, if on { "on" } else { "off" });
    }
    if !on {
        Live::get().send(&ClientMessage::Cursor {
            project_id: review.project,
            asset_id: review.asset.with_value(|a| a.id),
            x: None,
            y: None,
        });
    }
}

/// Other people's pointers over the picture (inside the picture box).
#[component]
pub fn Cursors() -> impl IntoView {
    let review = Review::get();
    view! {
        <For each=move || review.cursors.get() key=|c| (c.user, (c.x * 1e4) as i64, (c.y * 1e4) as i64) let:c>
            <span class="remote-cursor" data-test-id="remote-cursor" data-user-id=c.user.to_string()
                style=format!("left:{:.3}%;top:{:.3}%;--hue:{}", c.x * 100.0, c.y * 100.0, crate::components::live::hue(c.user))>
                <span class="name">{c.name.clone()}</span>
            </span>
        </For>
    }
}
