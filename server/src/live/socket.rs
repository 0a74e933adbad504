//! One WebSocket connection: its subscriptions (a room per project), replay from the last
//! event id, membership re-checks, the write rate limit, coalesced cursors/playheads/session
//! state, heartbeats and the idle timeout. The protocol is `model::live`.

use super::limit::RateLimit;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use domain::auth::Caller;
use domain::live::{presence, sessions, Fanout, Hub, SharedEvent, Signal};
use domain::{events, AppState, DomainError};
use futures::{SinkExt, StreamExt};
use model::live::{
    kind, ClientMessage, Event, ServerMessage, SessionAction, SessionState, MAX_REPLAY, MAX_SUBSCRIPTIONS,
};
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ErrorCode, ProjectId, UserId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamMap;
use uuid::Uuid;

/// How often the server pings.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Waits until `at` (only polled when there is a deadline).
async fn sleep_until(at: Option<tokio::time::Instant>) {
    if let Some(at) = at {
        tokio::time::sleep_until(at).await;
    }
}

/// Cursor, playhead and session-state updates are sent at most this often per socket.
const COALESCE: Duration = Duration::from_millis(80);

/// Per-socket settings.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Write messages allowed per minute.
    pub writes_per_minute: u32,
    /// Close after this long without hearing from the client (pongs count).
    pub idle_timeout: Duration,
}

struct Subscription {
    asset: Option<AssetId>,
    /// The newest event id delivered (or replayed) to this subscription.
    last_sent: i64,
}

/// What a socket has pending to send on the next coalescing tick.
#[derive(Default)]
struct Pending {
    cursor: Option<(ProjectId, AssetId, Option<f64>, Option<f64>)>,
    playhead: Option<(ProjectId, AssetId, i64, bool)>,
    session: Option<(ProjectId, SessionState)>,
}

/// A message on its way to the client.
enum Out {
    Message(ServerMessage),
    /// An event already encoded by the hub (the same bytes for every socket).
    Encoded(Arc<SharedEvent>),
}

struct Socket {
    id: Uuid,
    user: UserId,
    name: String,
    state: AppState,
    subs: HashMap<ProjectId, Subscription>,
    rooms: StreamMap<ProjectId, BroadcastStream<Fanout>>,
    out: Vec<Out>,
    pending: Pending,
    /// When the pending updates go out (armed by the first one; idle sockets never wake).
    flush_at: Option<tokio::time::Instant>,
    limit: RateLimit,
}

/// Runs the connection until the client leaves, times out or the server stops.
pub async fn run(socket: WebSocket, state: AppState, caller: Caller, limits: Limits) {
    let hub = state.hub.clone();
    let mut me = Socket {
        id: Uuid::new_v4(),
        user: caller.id(),
        name: caller.user.name.clone(),
        state,
        subs: HashMap::new(),
        rooms: StreamMap::new(),
        out: Vec::new(),
        pending: Pending::default(),
        flush_at: None,
        limit: RateLimit::per_minute(limits.writes_per_minute),
    };
    hub.socket_opened(me.id);
    tracing::debug!(socket.id = %me.id, user.id = %me.user, "live socket opened");
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut heard = Instant::now();
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(msg)) = incoming else { break };
                heard = Instant::now();
                match msg {
                    Message::Text(text) => me.on_text(&text).await,
                    Message::Binary(_) => me.error(ErrorCode::InvalidMessage, "send JSON text frames"),
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            Some((project, item)) = me.rooms.next() => me.on_room(project, item).await,
            () = sleep_until(me.flush_at), if me.flush_at.is_some() => me.flush_pending().await,
            _ = ping.tick() => {
                if heard.elapsed() > limits.idle_timeout {
                    tracing::debug!(socket.id = %me.id, "live socket idle; closing");
                    break;
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
        if me.out.is_empty() {
            continue;
        }
        // Queue everything this turn produced, then flush once.
        let mut failed = false;
        for m in me.out.drain(..) {
            let text = match m {
                Out::Message(m) => serde_json::to_string(&m),
                Out::Encoded(e) => Ok(e.json.clone()),
            };
            match text {
                Ok(text) => {
                    if sink.feed(Message::Text(Utf8Bytes::from(text))).await.is_err() {
                        failed = true;
                        break;
                    }
                }
                Err(e) => tracing::error!(error = %e, "could not encode a live message"),
            }
        }
        if failed || sink.flush().await.is_err() {
            break;
        }
    }
    me.close(&hub).await;
    let _ = sink.close().await;
}

impl Socket {
    fn send(&mut self, m: ServerMessage) {
        self.out.push(Out::Message(m));
    }

    fn error(&mut self, code: ErrorCode, message: impl Into<String>) {
        self.send(ServerMessage::Error {
            code: code.as_str().to_owned(),
            message: message.into(),
        });
    }

    fn api_error(&mut self, e: DomainError) {
        let e = e.to_api();
        self.error(e.code, e.message);
    }

    async fn on_text(&mut self, text: &str) {
        if text.len() > model::live::MAX_CLIENT_MESSAGE {
            return self.error(ErrorCode::TooLarge, "messages hold at most 16 KiB");
        }
        let msg: ClientMessage = match serde_json::from_str(text) {
            Ok(m) => m,
            Err(e) => {
                return self.error(
                    ErrorCode::InvalidMessage,
                    format!("not a message Dailies understands: {e}"),
                )
            }
        };
        if msg.is_write() && !self.limit.allow(Instant::now()) {
            return self.error(
                ErrorCode::RateLimited,
                "too many messages; wait a moment (cursor and playhead updates are not limited)",
            );
        }
        if let Err(e) = self.handle(msg).await {
            self.api_error(e);
        }
    }

    fn subscribed(&self, project: ProjectId) -> Result<&Subscription, DomainError> {
        self.subs
            .get(&project)
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, "subscribe to the project first").into())
    }

    async fn handle(&mut self, msg: ClientMessage) -> Result<(), DomainError> {
        match msg {
            ClientMessage::Subscribe {
                project_id,
                asset_id,
                last_event_id,
            } => self.subscribe(project_id, asset_id, last_event_id).await,
            ClientMessage::Unsubscribe { project_id } => {
                if self.subs.remove(&project_id).is_some() {
                    self.rooms.remove(&project_id);
                    self.left(project_id).await;
                }
                Ok(())
            }
            ClientMessage::Presence { project_id, state } => {
                self.subscribed(project_id)?;
                let mut conn = domain::db::conn(&self.state.db).await?;
                presence::set_state(&mut conn, self.id, project_id, state).await?;
                self.state.hub.signal(&Signal::Presence { project: project_id }).await
            }
            ClientMessage::Cursor {
                project_id,
                asset_id,
                x,
                y,
            } => {
                let unit = |v: Option<f64>| v.is_none_or(|v| v.is_finite() && (0.0..=1.0).contains(&v));
                if !unit(x) || !unit(y) || x.is_some() != y.is_some() {
                    return Err(ApiError::invalid("x and y are both 0..1, or both null").into());
                }
                self.on_asset(project_id, asset_id)?;
                self.pending.cursor = Some((project_id, asset_id, x, y));
                self.arm_flush();
                Ok(())
            }
            ClientMessage::Playhead {
                project_id,
                asset_id,
                frame,
                playing,
            } => {
                if frame < 0 {
                    return Err(ApiError::invalid("frames start at 0").into());
                }
                self.on_asset(project_id, asset_id)?;
                self.pending.playhead = Some((project_id, asset_id, frame, playing));
                self.arm_flush();
                Ok(())
            }
            ClientMessage::Session { project_id, action, to } => {
                self.subscribed(project_id)?;
                // A state still waiting to be flushed belongs to the session as it was.
                self.pending.session = None;
                let mut conn = domain::db::conn(&self.state.db).await?;
                let session = match action {
                    SessionAction::Start => {
                        Some(sessions::start(&mut conn, self.user, project_id, SessionState::default()).await?)
                    }
                    SessionAction::Handover => {
                        let to = to.ok_or_else(|| ApiError::invalid("say who to hand over to (to)"))?;
                        Some(sessions::handover(&mut conn, self.user, project_id, to).await?)
                    }
                    SessionAction::End => {
                        sessions::end(&mut conn, self.user, project_id).await?;
                        None
                    }
                };
                drop(conn);
                self.state
                    .hub
                    .signal(&Signal::Session {
                        project: project_id,
                        session,
                    })
                    .await
            }
            ClientMessage::SessionState { project_id, state } => {
                self.subscribed(project_id)?;
                if !(state.speed.is_finite()
                    && state.zoom.is_finite()
                    && state.pan_x.is_finite()
                    && state.pan_y.is_finite())
                    || state.frame < 0
                {
                    return Err(ApiError::invalid("the session state has impossible values").into());
                }
                self.pending.session = Some((project_id, state));
                self.arm_flush();
                Ok(())
            }
        }
    }

    /// The asset must be the one this socket's subscription to the project is focused on.
    fn on_asset(&self, project: ProjectId, asset: AssetId) -> Result<(), DomainError> {
        match self.subscribed(project)?.asset {
            Some(a) if a == asset => Ok(()),
            _ => Err(ApiError::invalid("subscribe with this asset_id first").into()),
        }
    }

    async fn subscribe(
        &mut self,
        project: ProjectId,
        asset: Option<AssetId>,
        last_event_id: Option<i64>,
    ) -> Result<(), DomainError> {
        if !self.subs.contains_key(&project) && self.subs.len() >= MAX_SUBSCRIPTIONS {
            return Err(
                ApiError::invalid(format!("one socket holds at most {MAX_SUBSCRIPTIONS} subscriptions")).into(),
            );
        }
        let mut conn = domain::db::conn(&self.state.db).await?;
        domain::authz::authorize(&mut conn, self.user, project, Action::View, Ownership::NotMine).await?;
        if let Some(a) = asset {
            let found = domain::assets::find(&mut conn, a).await?;
            if found.project_id != project.0 {
                return Err(ApiError::not_found().into());
            }
        }
        // Join the room first: anything committed from now on arrives through it, and the
        // replay below covers what came before (duplicates are skipped by id).
        self.rooms
            .insert(project, BroadcastStream::new(self.state.hub.join(project)));
        presence::join(&mut conn, self.id, project, self.user, asset).await?;
        let head = events::latest_id(&mut conn).await?;
        let mut sub = Subscription { asset, last_sent: head };
        let mut replay: Vec<Event> = Vec::new();
        let mut refetch = None;
        if let Some(last) = last_event_id.filter(|l| *l < head) {
            if events::gap_purged(&mut conn, last).await? {
                refetch = Some("events since then were cleared; reload");
            } else {
                replay = events::since(&mut conn, project, asset, last, MAX_REPLAY + 1).await?;
                if replay.len() as i64 > MAX_REPLAY {
                    replay.clear();
                    refetch = Some("too much changed while you were away; reload");
                }
                sub.last_sent = last.max(replay.last().map_or(last, |e| e.id));
            }
        }
        let session = sessions::get(&mut conn, project).await?;
        drop(conn);
        self.subs.insert(project, sub);
        self.send(ServerMessage::Subscribed {
            project_id: project,
            asset_id: asset,
            last_event_id: head,
        });
        if let Some(reason) = refetch {
            self.send(ServerMessage::Refetch {
                project_id: project,
                reason: reason.into(),
            });
        }
        for e in replay {
            self.send(ServerMessage::Event(e));
        }
        self.send(ServerMessage::Session {
            project_id: project,
            session,
        });
        self.state.hub.presence_dirty(project);
        self.state.hub.signal(&Signal::Presence { project }).await
    }

    async fn on_room(&mut self, project: ProjectId, item: Result<Fanout, BroadcastStreamRecvError>) {
        let Some(sub) = self.subs.get(&project) else {
            return;
        };
        let asset = sub.asset;
        match item {
            Err(BroadcastStreamRecvError::Lagged(n)) => {
                tracing::debug!(socket.id = %self.id, missed = n, "live socket lagged; reading from the outbox");
                let last = sub.last_sent;
                let caught = match domain::db::conn(&self.state.db).await {
                    Ok(mut conn) => events::since(&mut conn, project, asset, last, MAX_REPLAY + 1).await,
                    Err(e) => Err(e),
                };
                match caught {
                    Ok(list) if (list.len() as i64) <= MAX_REPLAY => {
                        for e in list {
                            self.on_event(project, &e, None).await;
                        }
                    }
                    _ => self.send(ServerMessage::Refetch {
                        project_id: project,
                        reason: "too much changed too quickly; reload".into(),
                    }),
                }
            }
            Ok(Fanout::Event(shared)) => self.on_event(project, &shared.event, Some(&shared)).await,
            Ok(Fanout::Presence(users)) => self.send(ServerMessage::Presence {
                project_id: project,
                users: users.as_ref().clone(),
            }),
            Ok(Fanout::Signal(s)) => match s.as_ref() {
                Signal::Cursor {
                    asset: a,
                    user,
                    name,
                    x,
                    y,
                    socket,
                    ..
                } if *socket != self.id && asset == Some(*a) => self.send(ServerMessage::Cursor {
                    project_id: project,
                    asset_id: *a,
                    user_id: *user,
                    name: name.clone(),
                    x: *x,
                    y: *y,
                }),
                Signal::Playhead {
                    asset: a,
                    user,
                    name,
                    frame,
                    playing,
                    socket,
                    ..
                } if *socket != self.id && asset == Some(*a) => self.send(ServerMessage::Playhead {
                    project_id: project,
                    asset_id: *a,
                    user_id: *user,
                    name: name.clone(),
                    frame: *frame,
                    playing: *playing,
                }),
                Signal::Session { session, .. } => self.send(ServerMessage::Session {
                    project_id: project,
                    session: session.clone(),
                }),
                _ => {}
            },
        }
    }

    /// Delivers `e` (with its shared encoding when it came through the room).
    async fn on_event(&mut self, project: ProjectId, e: &Event, shared: Option<&Arc<SharedEvent>>) {
        let Some(sub) = self.subs.get_mut(&project) else {
            return;
        };
        if e.id <= sub.last_sent {
            return;
        }
        sub.last_sent = e.id;
        let focused_elsewhere = matches!((sub.asset, e.asset_id), (Some(a), Some(b)) if a != b);
        let about_me = e.payload.get("user_id").and_then(|v| v.as_str()) == Some(&self.user.to_string());
        if about_me && (e.kind == kind::MEMBER_REMOVED || e.kind == kind::MEMBER_UPDATED) {
            let still = match domain::db::conn(&self.state.db).await {
                Ok(mut conn) => {
                    domain::authz::authorize(&mut conn, self.user, project, Action::View, Ownership::NotMine)
                        .await
                        .is_ok()
                }
                Err(_) => false,
            };
            if !still {
                self.subs.remove(&project);
                self.rooms.remove(&project);
                self.send(ServerMessage::Unsubscribed {
                    project_id: project,
                    reason: "you are no longer a member of this project".into(),
                });
                self.left(project).await;
                return;
            }
        }
        if !focused_elsewhere {
            match shared {
                Some(s) => self.out.push(Out::Encoded(s.clone())),
                None => self.send(ServerMessage::Event(e.clone())),
            }
        }
    }

    fn arm_flush(&mut self) {
        self.flush_at
            .get_or_insert_with(|| tokio::time::Instant::now() + COALESCE);
    }

    async fn flush_pending(&mut self) {
        self.flush_at = None;
        let pending = std::mem::take(&mut self.pending);
        let hub = self.state.hub.clone();
        if let Some((project, asset, x, y)) = pending.cursor {
            let s = Signal::Cursor {
                project,
                asset,
                user: self.user,
                name: self.name.clone(),
                x,
                y,
                socket: self.id,
            };
            if let Err(e) = hub.signal(&s).await {
                self.api_error(e);
            }
        }
        if let Some((project, asset, frame, playing)) = pending.playhead {
            let s = Signal::Playhead {
                project,
                asset,
                user: self.user,
                name: self.name.clone(),
                frame,
                playing,
                socket: self.id,
            };
            if let Err(e) = hub.signal(&s).await {
                self.api_error(e);
            }
        }
        if let Some((project, state)) = pending.session {
            let updated = match domain::db::conn(&self.state.db).await {
                Ok(mut conn) => sessions::update(&mut conn, self.user, project, &state).await,
                Err(e) => Err(e),
            };
            match updated {
                Ok(session) => {
                    let s = Signal::Session {
                        project,
                        session: Some(session),
                    };
                    if let Err(e) = hub.signal(&s).await {
                        self.api_error(e);
                    }
                }
                Err(e) => self.api_error(e),
            }
        }
    }

    /// This socket left `project`: drop its presence row and tell everyone.
    async fn left(&mut self, project: ProjectId) {
        let done = match domain::db::conn(&self.state.db).await {
            Ok(mut conn) => presence::leave(&mut conn, self.id, project).await,
            Err(e) => Err(e),
        };
        if let Err(e) = done {
            tracing::warn!(error = %e, "could not record a departure");
        }
        let _ = self.state.hub.signal(&Signal::Presence { project }).await;
    }

    async fn close(&mut self, hub: &Hub) {
        hub.socket_closed(self.id);
        let left = match domain::db::conn(&self.state.db).await {
            Ok(mut conn) => presence::leave_all(&mut conn, self.id).await,
            Err(e) => Err(e),
        };
        match left {
            Ok(projects) => {
                for project in projects {
                    let _ = hub.signal(&Signal::Presence { project }).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not clear a closed socket's presence"),
        }
        tracing::debug!(socket.id = %self.id, "live socket closed");
    }
}
