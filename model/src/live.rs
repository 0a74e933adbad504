//! The live protocol: what travels over `/api/v1/ws` (JSON text frames, one message each,
//! tagged by `"type"`), and the event kinds (the same names the webhooks use).
//!
//! A client subscribes to a project (optionally focused on one asset) with the id of the
//! last event it has seen; the server replays what it missed, then streams new events.
//! Presence, cursors, playheads and review sessions are ephemeral: they are never replayed.

use crate::{AssetId, ProjectId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Largest message a client may send, in bytes.
pub const MAX_CLIENT_MESSAGE: usize = 16 * 1024;
/// Most subscriptions one socket may hold.
pub const MAX_SUBSCRIPTIONS: usize = 16;
/// Most events replayed on subscribe; a longer gap is answered with `refetch`.
pub const MAX_REPLAY: i64 = 500;

/// Event kinds, as `kind` strings.
pub mod kind {
    /// A comment or reply was written (`payload.comment`, `payload.mentions`).
    pub const COMMENT_CREATED: &str = "comment.created";
    /// A comment's text or drawing changed (`payload.comment`).
    pub const COMMENT_UPDATED: &str = "comment.updated";
    /// A comment and its replies were deleted (`payload.comment_id`).
    pub const COMMENT_DELETED: &str = "comment.deleted";
    /// A thread was resolved or reopened (`payload.comment`, see its `resolved`).
    pub const COMMENT_RESOLVED: &str = "comment.resolved";
    /// Someone reacted or took a reaction back (`payload.comment`).
    pub const REACTION_CHANGED: &str = "reaction.changed";
    /// Rating or pick/reject changed (`payload.review`).
    pub const RATING_CHANGED: &str = "rating.changed";
    /// Colour label changed (`payload.review`).
    pub const LABEL_CHANGED: &str = "label.changed";
    /// Review status changed (`payload.review`).
    pub const STATUS_CHANGED: &str = "status.changed";
    /// An approval was given or withdrawn (`payload.review`).
    pub const APPROVAL_CHANGED: &str = "approval.changed";
    /// A new asset started uploading (`payload.asset`, a library summary).
    pub const ASSET_CREATED: &str = "asset.created";
    /// A new version of an asset started uploading (`payload.version`).
    pub const VERSION_CREATED: &str = "version.created";
    /// Processing progressed (`payload.version`, `payload.progress` 0–100, `payload.phase`).
    pub const ASSET_PROGRESS: &str = "asset.progress";
    /// A version finished processing (`payload.version`).
    pub const ASSET_READY: &str = "asset.ready";
    /// A version could not be processed (`payload.version`, `payload.error`).
    pub const ASSET_FAILED: &str = "asset.failed";
    /// An asset's editable metadata or folder changed (`payload.fields`, `payload.folder_id`).
    pub const ASSET_UPDATED: &str = "asset.updated";
    /// An export rendition finished (`payload.export`).
    pub const EXPORT_FINISHED: &str = "export.finished";
    /// An export's progress or state changed (`export`, `state`, `progress`; team-only).
    pub const EXPORT_PROGRESS: &str = "export.progress";
    /// A deep clone into the project finished: its folders, assets and collections are there.
    pub const CLONE_FINISHED: &str = "clone.finished";
    /// An asset went to the trash.
    pub const ASSET_DELETED: &str = "asset.deleted";
    /// An asset came back from the trash.
    pub const ASSET_RESTORED: &str = "asset.restored";
    /// A collection was created, changed, deleted, or its items changed (`payload.collection_id`).
    pub const COLLECTION_CHANGED: &str = "collection.changed";
    /// The project's custom fields were defined, changed or removed.
    pub const FIELDS_CHANGED: &str = "fields.changed";
    /// Someone joined the project (`payload.user_id`, `payload.role`).
    pub const MEMBER_ADDED: &str = "member.added";
    /// A member's role changed (`payload.user_id`, `payload.role`).
    pub const MEMBER_UPDATED: &str = "member.updated";
    /// A member left or was removed (`payload.user_id`).
    pub const MEMBER_REMOVED: &str = "member.removed";

    /// Every kind, for documentation and tests.
    pub const ALL: [&str; 25] = [
        COMMENT_CREATED,
        COMMENT_UPDATED,
        COMMENT_DELETED,
        COMMENT_RESOLVED,
        REACTION_CHANGED,
        RATING_CHANGED,
        LABEL_CHANGED,
        STATUS_CHANGED,
        APPROVAL_CHANGED,
        ASSET_CREATED,
        VERSION_CREATED,
        ASSET_PROGRESS,
        ASSET_READY,
        ASSET_FAILED,
        ASSET_UPDATED,
        ASSET_DELETED,
        ASSET_RESTORED,
        EXPORT_FINISHED,
        CLONE_FINISHED,
        EXPORT_PROGRESS,
        COLLECTION_CHANGED,
        FIELDS_CHANGED,
        MEMBER_ADDED,
        MEMBER_UPDATED,
        MEMBER_REMOVED,
    ];
}

/// One event from the outbox, as sent to clients.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Monotonic id: events of a project arrive in this order; resume from the last one seen.
    pub id: i64,
    /// What happened ([`kind`]).
    pub kind: String,
    /// The project.
    pub project_id: ProjectId,
    /// The asset, when the event is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<AssetId>,
    /// Who did it (absent for the system, e.g. processing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<UserId>,
    /// Team-only (a private comment): never sent to share-link guests.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    /// Kind-specific data (see [`kind`]).
    pub payload: serde_json::Value,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// Whether someone is looking or has stepped away.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// Using the page.
    #[default]
    Active,
    /// No input for 5 minutes (or the tab is hidden).
    Idle,
}

/// One person in a project's presence list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PresenceUser {
    /// Who.
    pub user_id: UserId,
    /// Display name.
    pub name: String,
    /// The asset they have open, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<AssetId>,
    /// Active unless every one of their connections is idle.
    pub state: PresenceState,
}

/// What a presenter shares in a review session ("watch together").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    /// The asset open on the presenter's screen.
    pub asset_id: Option<AssetId>,
    /// Frame on screen (videos).
    #[serde(default)]
    pub frame: i64,
    /// Playing or paused.
    #[serde(default)]
    pub playing: bool,
    /// Playback speed (1 = normal).
    #[serde(default = "one")]
    pub speed: f64,
    /// Looping between in and out.
    #[serde(default)]
    pub looping: bool,
    /// In point.
    #[serde(default)]
    pub in_point: Option<i64>,
    /// Out point.
    #[serde(default)]
    pub out_point: Option<i64>,
    /// Photo zoom (1 = fit).
    #[serde(default = "one")]
    pub zoom: f64,
    /// Photo pan, as a fraction of the picture.
    #[serde(default)]
    pub pan_x: f64,
    /// Photo pan, as a fraction of the picture.
    #[serde(default)]
    pub pan_y: f64,
}

fn one() -> f64 {
    1.0
}

/// A project's running review session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Who drives.
    pub presenter_id: UserId,
    /// The presenter's name.
    pub presenter_name: String,
    /// Where the presenter is.
    pub state: SessionState,
    /// Incremented on every change, so a late message never overwrites a newer one.
    pub seq: i64,
}

/// What a participant asks of a review session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionAction {
    /// Start a session (the caller presents); or take over one whose presenter left.
    Start,
    /// End it (the presenter).
    End,
    /// Give control to `to` (the presenter).
    Handover,
}

/// Messages a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Join a project's room (and, with `asset_id`, say which asset is open); replay what came
    /// after `last_event_id`.
    Subscribe {
        /// The project.
        project_id: ProjectId,
        /// The asset open, if any: events are then limited to it (and to project-wide ones).
        #[serde(default)]
        asset_id: Option<AssetId>,
        /// The last event seen; omitted, only new events are sent.
        #[serde(default)]
        last_event_id: Option<i64>,
    },
    /// Leave a project's room.
    Unsubscribe {
        /// The project.
        project_id: ProjectId,
    },
    /// Active or idle.
    Presence {
        /// The project.
        project_id: ProjectId,
        /// Active or idle.
        state: PresenceState,
    },
    /// The pointer over the picture (0..1 of it); `null`s hide it. Coalesced by the server.
    Cursor {
        /// The project.
        project_id: ProjectId,
        /// The asset.
        asset_id: AssetId,
        /// Horizontal position, or none to hide.
        x: Option<f64>,
        /// Vertical position, or none to hide.
        y: Option<f64>,
    },
    /// The frame on screen. Coalesced by the server.
    Playhead {
        /// The project.
        project_id: ProjectId,
        /// The asset.
        asset_id: AssetId,
        /// Frame.
        frame: i64,
        /// Playing or paused.
        playing: bool,
    },
    /// Start, end or hand over a review session.
    Session {
        /// The project.
        project_id: ProjectId,
        /// What to do.
        action: SessionAction,
        /// For `handover`: the new presenter.
        #[serde(default)]
        to: Option<UserId>,
    },
    /// The presenter's new state (only the presenter may send it).
    SessionState {
        /// The project.
        project_id: ProjectId,
        /// Where the presenter is now.
        state: SessionState,
    },
}

impl ClientMessage {
    /// Whether this message counts against the write rate limit (cursor and playhead updates
    /// are coalesced instead).
    pub fn is_write(&self) -> bool {
        !matches!(
            self,
            ClientMessage::Cursor { .. } | ClientMessage::Playhead { .. } | ClientMessage::SessionState { .. }
        )
    }
}

/// Messages the server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// A subscription is live; replayed events (if any) follow, then new ones.
    Subscribed {
        /// The project.
        project_id: ProjectId,
        /// The asset, if focused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asset_id: Option<AssetId>,
        /// The newest event id at subscription time.
        last_event_id: i64,
    },
    /// An event from the outbox.
    Event(Event),
    /// The subscription ended (membership removed) or the gap was too long: reload what is
    /// shown, then subscribe again with the new `last_event_id` of the data.
    Refetch {
        /// The project.
        project_id: ProjectId,
        /// Why.
        reason: String,
    },
    /// The subscription ended: the caller may no longer see the project.
    Unsubscribed {
        /// The project.
        project_id: ProjectId,
        /// Why.
        reason: String,
    },
    /// Who is in the project now (sent whenever it changes).
    Presence {
        /// The project.
        project_id: ProjectId,
        /// Everyone here, one entry per person and asset.
        users: Vec<PresenceUser>,
    },
    /// Another person's pointer.
    Cursor {
        /// The project.
        project_id: ProjectId,
        /// The asset.
        asset_id: AssetId,
        /// Whose.
        user_id: UserId,
        /// Their name.
        name: String,
        /// Position, or none when hidden.
        x: Option<f64>,
        /// Position, or none when hidden.
        y: Option<f64>,
    },
    /// Another person's playhead.
    Playhead {
        /// The project.
        project_id: ProjectId,
        /// The asset.
        asset_id: AssetId,
        /// Whose.
        user_id: UserId,
        /// Their name.
        name: String,
        /// Frame.
        frame: i64,
        /// Playing or paused.
        playing: bool,
    },
    /// The project's review session (none when there is no session).
    Session {
        /// The project.
        project_id: ProjectId,
        /// The session.
        session: Option<Session>,
    },
    /// A message was refused (the socket stays open).
    Error {
        /// Stable code (`invalid_message`, `rate_limited`, `forbidden`, `not_found`, …).
        code: String,
        /// What went wrong, for people.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn client_messages_use_the_documented_shape() -> TestResult {
        let p = "00000000-0000-0000-0000-000000000001";
        let m: ClientMessage =
            serde_json::from_value(json!({"type": "subscribe", "project_id": p, "last_event_id": 7}))?;
        assert_eq!(
            m,
            ClientMessage::Subscribe {
                project_id: p.parse()?,
                asset_id: None,
                last_event_id: Some(7)
            }
        );
        assert!(m.is_write());
        let m: ClientMessage = serde_json::from_value(
            json!({"type": "playhead", "project_id": p, "asset_id": p, "frame": 3, "playing": false}),
        )?;
        assert!(!m.is_write());
        assert!(serde_json::from_value::<ClientMessage>(json!({"type": "subscribe"})).is_err());
        assert!(serde_json::from_value::<ClientMessage>(json!({"type": "shout", "project_id": p})).is_err());
        Ok(())
    }

    #[test]
    fn server_events_flatten_into_the_message() -> TestResult {
        let e = Event {
            id: 9,
            kind: kind::COMMENT_CREATED.into(),
            project_id: ProjectId(uuid::Uuid::nil()),
            asset_id: None,
            actor_id: None,
            private: false,
            payload: json!({"x": 1}),
            created_at: DateTime::<Utc>::from_timestamp(0, 0).ok_or("epoch")?,
        };
        let v = serde_json::to_value(ServerMessage::Event(e))?;
        assert_eq!(v["type"], "event");
        assert_eq!(v["id"], 9);
        assert_eq!(v["kind"], "comment.created");
        assert_eq!(v["payload"]["x"], 1);
        assert!(v.get("private").is_none());
        Ok(())
    }
}
