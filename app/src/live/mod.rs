//! The browser's live connection: one WebSocket per page to `/api/v1/ws`, shared by every
//! component through the [`Live`] context.
//!
//! Components subscribe to a project (optionally focused on an asset) with the newest event
//! id their data reflects and a listener; the connection replays what they missed, reconnects
//! within three seconds (resubscribing from the last event each saw), reports its state for
//! the indicator, and marks itself `Offline` when sockets seem blocked, so components fall
//! back to refreshing on a timer. On the server (SSR) nothing connects.

mod connection;
mod idle;

use leptos::prelude::*;
use model::live::{ClientMessage, PresenceUser, ServerMessage, Session};
use model::{AssetId, ProjectId};
use std::collections::HashMap;
use std::rc::Rc;

/// The state of the connection, for the indicator and the fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    /// Not needed (nothing subscribed) or not started yet.
    Idle,
    /// Opening the socket.
    Connecting,
    /// Open: changes arrive as they happen.
    Live,
    /// Lost; trying again.
    Reconnecting,
    /// Sockets seem blocked: pages refresh on a timer while it keeps trying.
    Offline,
}

impl LinkStatus {
    /// For `data-state` and styling.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Idle => "idle",
            LinkStatus::Connecting => "connecting",
            LinkStatus::Live => "live",
            LinkStatus::Reconnecting => "reconnecting",
            LinkStatus::Offline => "offline",
        }
    }
}

/// A listener: gets every server message about its project.
pub type Listener = Rc<dyn Fn(&ServerMessage)>;

struct Sub {
    asset: Option<AssetId>,
    last_event_id: Option<i64>,
    listeners: Vec<(u64, Listener)>,
}

#[derive(Default)]
struct State {
    socket: Option<web_sys::WebSocket>,
    open: bool,
    subs: HashMap<ProjectId, Sub>,
    next_listener: u64,
    attempts: u32,
    ever_opened: bool,
    idle: bool,
}

/// The live context (see the module docs). Copy, cheap.
#[derive(Clone, Copy)]
pub struct Live {
    /// Connection state.
    pub status: RwSignal<LinkStatus>,
    /// Who is where, per project.
    pub presence: RwSignal<HashMap<ProjectId, Vec<PresenceUser>>>,
    /// The running review session, per project.
    pub session: RwSignal<HashMap<ProjectId, Option<Session>>>,
    /// Fired when someone mentions or answers the signed-in user (the inbox badge refreshes).
    pub inbox: Trigger,
}

thread_local! {
    // The socket and listeners exist only in the browser (one thread); the server never
    // touches them, so the context itself stays `Send` for server rendering.
    static STATE: std::cell::RefCell<State> = std::cell::RefCell::new(State::default());
}

/// Runs `f` on the page's connection state (never while another `f` runs: listeners are
/// called after it returns).
fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Removes its listener (and the subscription, with the last one) when dropped.
pub struct Subscription {
    live: Live,
    project: ProjectId,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.live.unlisten(self.project, self.id);
    }
}

impl Live {
    /// Creates the context for the app (every page shares it).
    pub fn provide() -> Live {
        let live = Live {
            status: RwSignal::new(LinkStatus::Idle),
            presence: RwSignal::new(HashMap::new()),
            session: RwSignal::new(HashMap::new()),
            inbox: Trigger::new(),
        };
        provide_context(live);
        live
    }

    /// The app's live context.
    pub fn get() -> Live {
        expect_context::<Live>()
    }

    /// Subscribes to `project` (focused on `asset`), resuming after `last_event_id` (the
    /// newest event the caller's data includes). Call from the browser (an effect or handler);
    /// keep the returned handle for as long as the listener should hear.
    pub fn subscribe(
        &self,
        project: ProjectId,
        asset: Option<AssetId>,
        last_event_id: Option<i64>,
        listener: impl Fn(&ServerMessage) + 'static,
    ) -> Subscription {
        let id = with_state(|s| {
            s.next_listener += 1;
            let id = s.next_listener;
            let sub = s.subs.entry(project).or_insert(Sub {
                asset,
                last_event_id,
                listeners: Vec::new(),
            });
            sub.asset = asset;
            // Resume from the older point: events the subscription delivered to an earlier
            // listener after this caller's data was read are replayed for it (listeners
            // apply events idempotently).
            if let Some(l) = last_event_id {
                sub.last_event_id = Some(sub.last_event_id.map_or(l, |x| x.min(l)));
            }
            sub.listeners.push((id, Rc::new(listener)));
            id
        });
        let open = with_state(|s| s.open);
        if open {
            self.send_subscribe(project);
        } else {
            connection::ensure(*self);
        }
        Subscription {
            live: *self,
            project,
            id,
        }
    }

    fn unlisten(&self, project: ProjectId, id: u64) {
        let empty = with_state(|s| {
            s.subs.get_mut(&project).is_some_and(|sub| {
                sub.listeners.retain(|(i, _)| *i != id);
                sub.listeners.is_empty()
            })
        });
        if !empty {
            return;
        }
        // Moving from one asset to another of the same project drops the old screen's
        // listener just before (or after) the new one subscribes: leave only if nobody took
        // the subscription over meanwhile, so the room, presence and session are not torn
        // down and rebuilt between two screens.
        let live = *self;
        set_timeout(
            move || {
                let gone = with_state(|s| {
                    let empty = s.subs.get(&project).is_some_and(|sub| sub.listeners.is_empty());
                    if empty {
                        s.subs.remove(&project);
                    }
                    empty
                });
                if gone {
                    live.send(&ClientMessage::Unsubscribe { project_id: project });
                }
            },
            std::time::Duration::from_millis(1500),
        );
    }

    /// Sends `msg` if the socket is open (live messages are not queued: a reconnect
    /// resubscribes, and cursors or playheads are stale by then anyway).
    pub fn send(&self, msg: &ClientMessage) -> bool {
        let Ok(text) = serde_json::to_string(msg) else {
            return false;
        };
        with_state(|s| match (&s.socket, s.open) {
            (Some(ws), true) => ws.send_with_str(&text).is_ok(),
            _ => false,
        })
    }

    /// Whether changes arrive live (otherwise pages refresh on a timer).
    pub fn is_live(&self) -> bool {
        self.status.get_untracked() == LinkStatus::Live
    }

    fn send_subscribe(&self, project: ProjectId) {
        let msg = with_state(|s| {
            s.subs.get(&project).map(|sub| ClientMessage::Subscribe {
                project_id: project,
                asset_id: sub.asset,
                last_event_id: sub.last_event_id,
            })
        });
        if let Some(m) = msg {
            self.send(&m);
        }
    }

    /// Dispatches one message from the server to the project's listeners.
    fn dispatch(&self, msg: ServerMessage) {
        let project = match &msg {
            ServerMessage::Subscribed {
                project_id,
                last_event_id,
                ..
            } => {
                // Keep a known id: the replay that follows advances it event by event, so a
                // drop in the middle of the replay resumes where it stopped.
                let head = *last_event_id;
                with_state(|s| {
                    if let Some(sub) = s.subs.get_mut(project_id) {
                        sub.last_event_id.get_or_insert(head);
                    }
                });
                *project_id
            }
            ServerMessage::Event(e) => {
                with_state(|s| {
                    if let Some(sub) = s.subs.get_mut(&e.project_id) {
                        sub.last_event_id = Some(sub.last_event_id.map_or(e.id, |l| l.max(e.id)));
                    }
                });
                e.project_id
            }
            ServerMessage::Refetch { project_id, .. } | ServerMessage::Unsubscribed { project_id, .. } => *project_id,
            ServerMessage::Presence { project_id, users } => {
                let (p, users) = (*project_id, users.clone());
                self.presence.update(|m| {
                    m.insert(p, users);
                });
                p
            }
            ServerMessage::Session { project_id, session } => {
                let (p, session) = (*project_id, session.clone());
                self.session.update(|m| {
                    m.insert(p, session);
                });
                p
            }
            ServerMessage::Cursor { project_id, .. } | ServerMessage::Playhead { project_id, .. } => *project_id,
            ServerMessage::Error { code, message } => {
                leptos::logging::warn!("live: {code}: {message}");
                return;
            }
        };
        let listeners: Vec<Listener> = with_state(|s| {
            s.subs
                .get(&project)
                .map(|sub| sub.listeners.iter().map(|(_, l)| l.clone()).collect())
                .unwrap_or_default()
        });
        for l in listeners {
            l(&msg);
        }
    }
}
