//! Browser sessions, stored in PostgreSQL; the cookie holds a random secret whose hash is the key.

use super::secret;
use crate::error::DomainResult;
use crate::schema::sessions;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::time::Duration;
use uuid::Uuid;

/// The name of the session cookie.
pub const COOKIE: &str = "dailies_session";

/// Client details recorded with a session or a failed log-in.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    /// The client's IP address as seen by the server.
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

/// A newly created session: the secret goes into the cookie.
pub struct NewSession {
    /// Session id.
    pub id: Uuid,
    /// The cookie value.
    pub secret: String,
    /// When it lapses unless used.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewSession {
    // The secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("id", &self.id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn ttl(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(30))
}

/// Starts a session for `user_id`.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    lifetime: Duration,
    client: &ClientInfo,
) -> DomainResult<NewSession> {
    let secret = secret::random_token(32);
    let id = Uuid::new_v4();
    let expires_at = Utc::now() + ttl(lifetime);
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user_id),
            sessions::token_hash.eq(secret::hash(&secret)),
            sessions::expires_at.eq(expires_at),
            sessions::ip.eq(client.ip.as_deref()),
            sessions::user_agent.eq(client.user_agent.as_deref().map(|ua| truncate(ua, 400))),
        ))
        .execute(conn)
        .await?;
    Ok(NewSession { id, secret, expires_at })
}

/// Finds the live session for a cookie secret, sliding its expiry forward when it is
/// more than a minute stale. Returns the session id and user id.
pub async fn lookup(
    conn: &mut AsyncPgConnection,
    cookie_secret: &str,
    lifetime: Duration,
) -> DomainResult<Option<(Uuid, Uuid)>> {
    let now = Utc::now();
    let found: Option<(Uuid, Uuid, DateTime<Utc>)> = sessions::table
        .filter(sessions::token_hash.eq(secret::hash(cookie_secret)))
        .filter(sessions::expires_at.gt(now))
        .select((sessions::id, sessions::user_id, sessions::last_seen_at))
        .first(conn)
        .await
        .optional()?;
    let Some((id, user_id, last_seen)) = found else {
        return Ok(None);
    };
    if now - last_seen > chrono::Duration::minutes(1) {
        diesel::update(sessions::table.find(id))
            .set((
                sessions::last_seen_at.eq(now),
                sessions::expires_at.eq(now + ttl(lifetime)),
            ))
            .execute(conn)
            .await?;
    }
    Ok(Some((id, user_id)))
}

/// Ends one session.
pub async fn delete(conn: &mut AsyncPgConnection, session_id: Uuid) -> DomainResult<()> {
    diesel::delete(sessions::table.find(session_id)).execute(conn).await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(conn: &mut AsyncPgConnection) -> DomainResult<usize> {
    Ok(
        diesel::delete(sessions::table.filter(sessions::expires_at.le(Utc::now())))
            .execute(conn)
            .await?,
    )
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
