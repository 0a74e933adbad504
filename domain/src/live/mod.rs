//! Live collaboration inside one process: the [`Hub`] fans events and signals out to the
//! sockets of this process, room by room (a room per project).
//!
//! Across processes everything travels through PostgreSQL: outbox events are announced on
//! `events::CHANNEL` (the hub then reads every event after the last one it saw, so a lost
//! notification or a reconnect loses nothing), and ephemeral [`Signal`]s (presence changed,
//! cursors, playheads, session state) on [`SIGNALS`] as small JSON payloads. A process
//! delivers its own signals the same way, when they come back through `LISTEN`.

pub mod presence;
pub mod sessions;

use crate::db::DbPool;
use crate::error::DomainResult;
use crate::events;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use model::live::{Event, PresenceUser, Session};
use model::{AssetId, ProjectId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
use uuid::Uuid;

/// The channel ephemeral signals travel on.
pub const SIGNALS: &str = "dailies_live";
/// Messages a room buffers for a slow socket before it lags (and catches up from the table).
const ROOM_CAPACITY: usize = 1024;
/// Events read per query when catching up.
const BATCH: i64 = 500;

/// An ephemeral message between processes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Signal {
    /// Someone joined, left or went idle in the project: reload its presence.
    Presence {
        /// The project.
        project: ProjectId,
    },
    /// A pointer moved.
    Cursor {
        /// The project.
        project: ProjectId,
        /// The asset.
        asset: AssetId,
        /// Whose.
        user: UserId,
        /// Their name.
        name: String,
        /// Position (none: hidden).
        x: Option<f64>,
        /// Position (none: hidden).
        y: Option<f64>,
        /// The sending socket (not echoed back to it).
        socket: Uuid,
    },
    /// A playhead moved.
    Playhead {
        /// The project.
        project: ProjectId,
        /// The asset.
        asset: AssetId,
        /// Whose.
        user: UserId,
        /// Their name.
        name: String,
        /// Frame.
        frame: i64,
        /// Playing.
        playing: bool,
        /// The sending socket.
        socket: Uuid,
    },
    /// The review session changed (or ended: `None`).
    Session {
        /// The project.
        project: ProjectId,
        /// Its new state.
        session: Option<Session>,
    },
}

impl Signal {
    fn project(&self) -> ProjectId {
        match self {
            Signal::Presence { project }
            | Signal::Cursor { project, .. }
            | Signal::Playhead { project, .. }
            | Signal::Session { project, .. } => *project,
        }
    }
}

/// An outbox event with its wire form (`{"type":"event",…}`), encoded once for every socket.
#[derive(Debug)]
pub struct SharedEvent {
    /// The event.
    pub event: Event,
    /// `ServerMessage::Event(event)` as JSON.
    pub json: String,
}

/// What a room delivers to its sockets.
#[derive(Clone, Debug)]
pub enum Fanout {
    /// An outbox event.
    Event(Arc<SharedEvent>),
    /// The project's presence list.
    Presence(Arc<Vec<PresenceUser>>),
    /// A cursor, playhead or session signal.
    Signal(Arc<Signal>),
}

struct Inner {
    db: DbPool,
    rooms: Mutex<HashMap<ProjectId, broadcast::Sender<Fanout>>>,
    sockets: Mutex<HashSet<Uuid>>,
    last_seen: tokio::sync::Mutex<Option<i64>>,
    fetch: Notify,
    dirty: Mutex<HashSet<ProjectId>>,
    presence_changed: Notify,
}

/// This process's fan-out. Cheap to clone.
#[derive(Clone)]
pub struct Hub(Arc<Inner>);

impl Hub {
    /// A hub over `db`. It starts delivering from the newest event at its first catch-up
    /// (call [`Hub::start_from_now`] before accepting sockets to fix that point early).
    pub fn new(db: DbPool) -> Hub {
        Hub(Arc::new(Inner {
            db,
            rooms: Mutex::new(HashMap::new()),
            sockets: Mutex::new(HashSet::new()),
            last_seen: tokio::sync::Mutex::new(None),
            fetch: Notify::new(),
            dirty: Mutex::new(HashSet::new()),
            presence_changed: Notify::new(),
        }))
    }

    /// Delivers only events written from now on.
    pub async fn start_from_now(&self) -> DomainResult<()> {
        let mut last = self.0.last_seen.lock().await;
        if last.is_none() {
            let mut conn = crate::db::conn(&self.0.db).await?;
            *last = Some(events::latest_id(&mut conn).await?);
        }
        Ok(())
    }

    /// The database pool.
    pub fn db(&self) -> &DbPool {
        &self.0.db
    }

    /// Joins `project`'s room.
    pub fn join(&self, project: ProjectId) -> broadcast::Receiver<Fanout> {
        let mut rooms = self.0.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        rooms
            .entry(project)
            .or_insert_with(|| broadcast::channel(ROOM_CAPACITY).0)
            .subscribe()
    }

    /// Registers an open socket (its presence rows are kept fresh).
    pub fn socket_opened(&self, socket: Uuid) {
        self.0
            .sockets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(socket);
    }

    /// Forgets a closed socket.
    pub fn socket_closed(&self, socket: Uuid) {
        self.0
            .sockets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&socket);
    }

    /// Open sockets of this process.
    pub fn socket_count(&self) -> usize {
        self.0.sockets.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    fn deliver(&self, project: ProjectId, item: Fanout) {
        let mut rooms = self.0.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(room) = rooms.get(&project) {
            if room.send(item).is_err() {
                // Nobody listens any more.
                rooms.remove(&project);
            }
        }
    }

    fn has_room(&self, project: ProjectId) -> bool {
        self.0
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&project)
            .is_some_and(|r| r.receiver_count() > 0)
    }

    /// Sends `signal` to every process (this one included, through `LISTEN`).
    pub async fn signal(&self, signal: &Signal) -> DomainResult<()> {
        let payload = serde_json::to_string(signal).map_err(|e| crate::DomainError::Internal(e.to_string()))?;
        let mut conn = crate::db::conn(&self.0.db).await?;
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(SIGNALS)
            .bind::<Text, _>(payload)
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    fn on_signal(&self, payload: &str) {
        let signal: Signal = match serde_json::from_str(payload) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "ignoring a malformed live signal");
                return;
            }
        };
        let project = signal.project();
        if !self.has_room(project) {
            return;
        }
        match signal {
            Signal::Presence { .. } => self.presence_dirty(project),
            s => self.deliver(project, Fanout::Signal(Arc::new(s))),
        }
    }

    /// Reloads `project`'s presence list shortly and sends it to the room (coalesced).
    pub fn presence_dirty(&self, project: ProjectId) {
        self.0
            .dirty
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(project);
        self.0.presence_changed.notify_one();
    }

    /// Delivers every event after the last one delivered, in order.
    async fn catch_up(&self) -> DomainResult<()> {
        let mut guard = self.0.last_seen.lock().await;
        let mut conn = crate::db::conn(&self.0.db).await?;
        let last = match *guard {
            Some(l) => guard.insert(l),
            None => guard.insert(events::latest_id(&mut conn).await?),
        };
        loop {
            let batch = events::after(&mut conn, *last, BATCH).await?;
            let n = batch.len();
            for e in batch {
                *last = e.id;
                let project = e.project_id;
                if matches!(
                    e.kind.as_str(),
                    model::live::kind::MEMBER_REMOVED | model::live::kind::MEMBER_UPDATED
                ) {
                    self.presence_dirty(project);
                }
                let json = serde_json::to_string(&model::live::ServerMessage::Event(e.clone()))
                    .map_err(|e| crate::DomainError::Internal(e.to_string()))?;
                self.deliver(project, Fanout::Event(Arc::new(SharedEvent { event: e, json })));
            }
            if (n as i64) < BATCH {
                return Ok(());
            }
        }
    }

    /// Runs the hub's background work (fan-out, presence reloads, keeping presence rows
    /// fresh) until `stop` resolves. Notifications come from [`crate::listen`].
    pub async fn run(&self, stop: impl std::future::Future<Output = ()>) {
        let fan_out = async {
            loop {
                self.0.fetch.notified().await;
                if let Err(e) = self.catch_up().await {
                    tracing::warn!(error = %e, "could not read new events; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    self.0.fetch.notify_one();
                }
            }
        };
        let presence = async {
            loop {
                self.0.presence_changed.notified().await;
                // Joins and leaves come in bursts (a page load, a reconnect): coalesce them.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let dirty: Vec<ProjectId> = self
                    .0
                    .dirty
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .drain()
                    .collect();
                for project in dirty {
                    if !self.has_room(project) {
                        continue;
                    }
                    let list = match crate::db::conn(&self.0.db).await {
                        Ok(mut conn) => presence::list(&mut conn, project).await,
                        Err(e) => Err(e),
                    };
                    match list {
                        Ok(list) => self.deliver(project, Fanout::Presence(Arc::new(list))),
                        Err(e) => tracing::warn!(error = %e, "could not reload presence"),
                    }
                }
            }
        };
        let refresh = async {
            let mut tick = tokio::time::interval(presence::REFRESH);
            loop {
                tick.tick().await;
                if let Err(e) = self.refresh().await {
                    tracing::warn!(error = %e, "could not refresh presence");
                }
            }
        };
        tokio::select! {
            () = stop => {}
            () = fan_out => {}
            () = presence => {}
            () = refresh => {}
        }
    }

    async fn refresh(&self) -> DomainResult<()> {
        let sockets: Vec<Uuid> = self
            .0
            .sockets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .copied()
            .collect();
        let mut conn = crate::db::conn(&self.0.db).await?;
        presence::refresh(&mut conn, &sockets).await?;
        // Rows of processes that died: whoever notices tells everyone.
        for project in presence::purge_stale(&mut conn).await? {
            self.signal(&Signal::Presence { project }).await?;
        }
        Ok(())
    }
}

impl crate::listen::Listener for Hub {
    fn channels(&self) -> &'static [&'static str] {
        &[events::CHANNEL, SIGNALS]
    }

    fn connected(&self) {
        // Whatever was written while nobody listened is read now.
        self.0.fetch.notify_one();
        let rooms: Vec<ProjectId> = self
            .0
            .rooms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .copied()
            .collect();
        for project in rooms {
            self.presence_dirty(project);
        }
    }

    fn notified(&self, channel: &str, payload: &str) {
        if channel == events::CHANNEL {
            self.0.fetch.notify_one();
        } else {
            self.on_signal(payload);
        }
    }
}
