//! The event outbox: every change that others should see writes an `events` row in the same
//! transaction as the change and notifies [`CHANNEL`] (delivered at commit). Each server
//! process listens once and fans events out to its sockets (`crate::live`); clients resume
//! from the last id they saw.

use crate::error::{DomainError, DomainResult};
use crate::schema::{events, instance_settings};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::live::Event;
use model::{AssetId, ProjectId, UserId};
use serde::Serialize;
use uuid::Uuid;

/// The channel every process `LISTEN`s on; the payload is the new event's id.
pub const CHANNEL: &str = "dailies_events";
/// How long events are kept for clients to catch up.
pub const RETENTION: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

// Held (per transaction) while an id is taken and until commit, so ids commit in order.
const ORDER_LOCK: i64 = 0x6461_696c_6965_7301;

/// A change to announce.
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// The project.
    pub project: ProjectId,
    /// The asset it is about, if any.
    pub asset: Option<AssetId>,
    /// Who did it (none for processing).
    pub actor: Option<UserId>,
    /// One of `model::live::kind`.
    pub kind: &'static str,
    /// Team-only.
    pub private: bool,
    /// Kind-specific data.
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event about `asset` by `actor` with `payload` serialised to JSON.
    pub fn about(
        project: ProjectId,
        asset: Option<AssetId>,
        actor: Option<UserId>,
        kind: &'static str,
        payload: impl Serialize,
    ) -> DomainResult<NewEvent> {
        Ok(NewEvent {
            project,
            asset,
            actor,
            kind,
            private: false,
            payload: serde_json::to_value(payload).map_err(|e| DomainError::Internal(e.to_string()))?,
        })
    }

    /// Marks the event team-only.
    pub fn private(mut self, private: bool) -> NewEvent {
        self.private = private;
        self
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = events)]
struct Row {
    id: i64,
    project_id: Uuid,
    asset_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    kind: String,
    private: bool,
    payload: serde_json::Value,
    created_at: DateTime<Utc>,
}

impl From<Row> for Event {
    fn from(r: Row) -> Event {
        Event {
            id: r.id,
            kind: r.kind,
            project_id: ProjectId(r.project_id),
            asset_id: r.asset_id.map(AssetId),
            actor_id: r.actor_id.map(UserId),
            private: r.private,
            payload: r.payload,
            created_at: r.created_at,
        }
    }
}

/// Writes `event`, notifies listeners (at commit) and queues its webhook deliveries. Call it last in the change's
/// transaction: the ordering lock is held until commit.
pub async fn publish(conn: &mut AsyncPgConnection, event: NewEvent) -> DomainResult<i64> {
    // A savepoint inside the caller's transaction, or a transaction of its own: either way the
    // lock lasts until the outermost commit.
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(ORDER_LOCK)
            .execute(conn)
            .await?;
        let id: i64 = diesel::insert_into(events::table)
            .values((
                events::project_id.eq(event.project.0),
                events::asset_id.eq(event.asset.map(|a| a.0)),
                events::actor_id.eq(event.actor.map(|u| u.0)),
                events::kind.eq(event.kind),
                events::private.eq(event.private),
                events::payload.eq(&event.payload),
            ))
            .returning(events::id)
            .get_result(conn)
            .await?;
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(id.to_string())
            .execute(conn)
            .await?;
        crate::webhooks::fan_out(conn, &event, id).await?;
        Ok(id)
    })
    .await
}

/// Events of every project after `after`, oldest first (for a process's fan-out).
pub async fn after(conn: &mut AsyncPgConnection, after: i64, limit: i64) -> DomainResult<Vec<Event>> {
    let rows: Vec<Row> = events::table
        .filter(events::id.gt(after))
        .order(events::id.asc())
        .limit(limit)
        .select(Row::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// A project's events after `after` (only those about `asset` and project-wide ones, when an
/// asset is given), oldest first, at most `limit`.
pub async fn since(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    asset: Option<AssetId>,
    after: i64,
    limit: i64,
) -> DomainResult<Vec<Event>> {
    let mut q = events::table
        .filter(events::project_id.eq(project.0))
        .filter(events::id.gt(after))
        .into_boxed();
    if let Some(a) = asset {
        q = q.filter(events::asset_id.eq(a.0).or(events::asset_id.is_null()));
    }
    let rows: Vec<Row> = q
        .order(events::id.asc())
        .limit(limit)
        .select(Row::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The newest event id (0 when there is none). Pages read it before their data, so a client
/// resuming from it misses nothing written after the page was loaded.
pub async fn latest_id(conn: &mut AsyncPgConnection) -> DomainResult<i64> {
    let id: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(conn).await?;
    Ok(id.unwrap_or(0))
}

/// Whether events after `after` may have been purged (then a client must refetch).
pub async fn gap_purged(conn: &mut AsyncPgConnection, after: i64) -> DomainResult<bool> {
    let through: i64 = instance_settings::table
        .select(instance_settings::events_purged_through)
        .first(conn)
        .await?;
    Ok(after < through)
}

/// Deletes events older than [`RETENTION`] and moves the purge horizon; returns how many.
pub async fn purge(conn: &mut AsyncPgConnection) -> DomainResult<usize> {
    let cutoff = Utc::now() - chrono::Duration::from_std(RETENTION).unwrap_or_default();
    conn.transaction::<_, DomainError, _>(async |conn| {
        let ids: Vec<i64> = diesel::delete(events::table.filter(events::created_at.lt(cutoff)))
            .returning(events::id)
            .get_results(conn)
            .await?;
        if let Some(max) = ids.iter().max() {
            diesel::update(instance_settings::table)
                .set(
                    instance_settings::events_purged_through.eq(diesel::dsl::sql::<BigInt>(&format!(
                        "greatest(events_purged_through, {max})"
                    ))),
                )
                .execute(conn)
                .await?;
        }
        Ok(ids.len())
    })
    .await
}
