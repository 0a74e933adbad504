//! What a guest does with a link: open it, unlock it (password and/or name), see what it
//! covers. Guests never see project internals: only what [`SharedAsset`] carries.

use super::Link;
use crate::audit;
use crate::auth::sessions::ClientInfo;
use crate::auth::{password, secret};
use crate::error::{DomainError, DomainResult};
use crate::library::{self, Selection};
use crate::schema::{share_attempts, share_guests, share_links};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::share::{ShareInfo, ShareScope, ShareState, SharedAsset, SharedAssets, UnlockRequest};
use model::{ApiError, ErrorCode, ProjectId};
use uuid::Uuid;

/// Wrong passwords allowed from one address on one link in [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_IP: i64 = 5;
/// Wrong passwords allowed on one link, from anywhere, in [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_LINK: i64 = 50;
/// The window the failures are counted in.
pub const WINDOW_MINUTES: i64 = 15;
/// The most assets a guest's listing returns at once.
const PAGE: i64 = 500;

/// The cookie holding a guest's secret for link `share`.
pub fn cookie_name(share: Uuid) -> String {
    format!("dailies_guest_{}", share.simple())
}

/// A guest who has unlocked a link.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = share_guests)]
pub struct Guest {
    /// Id.
    pub id: Uuid,
    /// The name on their comments.
    pub name: String,
    /// Their e-mail, if given.
    pub email: Option<String>,
}

/// An opened link and, when this browser has unlocked it, its guest.
pub struct Access {
    /// The link.
    pub link: Link,
    /// The guest, after unlocking.
    pub guest: Option<Guest>,
}

impl Access {
    /// What the guest is told about the link.
    pub fn info(&self) -> ShareInfo {
        ShareInfo {
            name: self.link.name.clone(),
            has_password: self.link.password_hash.is_some(),
            unlocked: self.guest.is_some(),
            guest_name: self.guest.as_ref().map(|g| g.name.clone()),
            expires_at: self.link.expires_at,
            download: self.link.download(),
            comments: self.link.comments,
            approvals: self.link.approvals,
        }
    }

    /// Refuses a password-protected link to a browser that has not unlocked it.
    pub fn require_unlocked(&self) -> DomainResult<()> {
        if self.link.password_hash.is_some() && self.guest.is_none() {
            return Err(ApiError::new(ErrorCode::Unauthenticated, "this link needs its password").into());
        }
        Ok(())
    }
}

/// The link behind `token` if it can be opened now: `not_found` for no such link, `gone`
/// with the reason for a revoked or expired one.
pub async fn link(conn: &mut AsyncPgConnection, token: &str) -> DomainResult<Link> {
    let link = share_links::table
        .filter(share_links::token.eq(token))
        .select(Link::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "there is no such review link"))?;
    match link.state() {
        ShareState::Active => Ok(link),
        ShareState::Revoked => Err(ApiError::new(ErrorCode::Gone, "this review link was revoked").into()),
        ShareState::Expired => Err(ApiError::new(
            ErrorCode::Gone,
            format!(
                "this review link expired on {}",
                link.expires_at
                    .map(|e| e.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default()
            ),
        )
        .into()),
    }
}

/// Opens the link behind `token` with the guest secret this browser holds for it, if any
/// (`guest_secret` is given the link's id and reads the cookie [`cookie_name`] names).
pub async fn open(
    conn: &mut AsyncPgConnection,
    token: &str,
    guest_secret: impl FnOnce(Uuid) -> Option<String>,
) -> DomainResult<Access> {
    let link = link(conn, token).await?;
    let guest = match guest_secret(link.id).as_deref() {
        Some(s) => diesel::update(
            share_guests::table
                .filter(share_guests::share_id.eq(link.id))
                .filter(share_guests::secret_hash.eq(secret::hash(s))),
        )
        .set(share_guests::last_seen_at.eq(Utc::now()))
        .returning(Guest::as_returning())
        .get_result(conn)
        .await
        .optional()?,
        None => None,
    };
    Ok(Access { link, guest })
}

fn checked_name(raw: &str) -> DomainResult<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("your name needs 1 to 100 characters").into());
    }
    Ok(name.to_owned())
}

fn checked_email(raw: Option<&str>) -> DomainResult<Option<String>> {
    let Some(e) = raw.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    let ok = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !e.chars().any(char::is_whitespace));
    if !ok {
        return Err(ApiError::invalid("that e-mail address does not look right").into());
    }
    Ok(Some(e.to_lowercase()))
}

/// Wrong passwords counted for the link and for `ip` in the window; refused before any
/// hashing when over either limit.
async fn throttle(conn: &mut AsyncPgConnection, share: Uuid, ip: &str) -> DomainResult<()> {
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    let recent = share_attempts::table
        .filter(share_attempts::share_id.eq(share))
        .filter(share_attempts::at.gt(since));
    let on_link: i64 = recent.count().get_result(conn).await?;
    let from_ip: i64 = recent
        .filter(share_attempts::ip.eq(ip))
        .count()
        .get_result(conn)
        .await?;
    if from_ip >= MAX_FAILURES_PER_IP || on_link >= MAX_FAILURES_PER_LINK {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            format!("too many wrong passwords; try again in {WINDOW_MINUTES} minutes"),
        )
        .into());
    }
    Ok(())
}

/// A new guest session: the secret goes into the guest's cookie.
pub struct Unlocked {
    /// The link, opened by the new guest.
    pub access: Access,
    /// The cookie's value (the cookie is named after `access.link.id`).
    pub secret: String,
}

/// Unlocks the link behind `token` for a reviewer: checks the password (throttled per link
/// and per address) and starts a guest session under their name. Audited either way.
pub async fn unlock(
    conn: &mut AsyncPgConnection,
    token: &str,
    req: &UnlockRequest,
    client: &ClientInfo,
) -> DomainResult<Unlocked> {
    let link = link(conn, token).await?;
    let name = checked_name(&req.name)?;
    let email = checked_email(req.email.as_deref())?;
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let project = ProjectId(link.project_id);
    if let Some(hash) = &link.password_hash {
        throttle(conn, link.id, &ip).await?;
        let given = req.password.as_deref().unwrap_or("");
        if given.is_empty() || !password::verify(given, hash).await? {
            conn.transaction::<_, DomainError, _>(async |conn| {
                diesel::insert_into(share_attempts::table)
                    .values((share_attempts::share_id.eq(link.id), share_attempts::ip.eq(&ip)))
                    .execute(conn)
                    .await?;
                let detail = serde_json::json!({ "ip": ip, "user_agent": client.user_agent, "severity": "warning" });
                audit::record_guest(conn, project, link.id, &name, "share.unlock_failed", link.id, detail).await
            })
            .await?;
            return Err(ApiError::new(ErrorCode::InvalidCredentials, "that is not this link's password").into());
        }
    }
    let secret = secret::random_token(32);
    let guest = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let guest = diesel::insert_into(share_guests::table)
                .values((
                    share_guests::id.eq(Uuid::new_v4()),
                    share_guests::share_id.eq(link.id),
                    share_guests::secret_hash.eq(secret::hash(&secret)),
                    share_guests::name.eq(&name),
                    share_guests::email.eq(&email),
                    share_guests::ip.eq(&client.ip),
                    share_guests::user_agent.eq(&client.user_agent),
                ))
                .returning(Guest::as_returning())
                .get_result(conn)
                .await?;
            let detail = serde_json::json!({ "email": email, "ip": ip, "user_agent": client.user_agent });
            audit::record_guest(conn, project, link.id, &name, "share.access", link.id, detail).await?;
            Ok(guest)
        })
        .await?;
    Ok(Unlocked {
        access: Access {
            link,
            guest: Some(guest),
        },
        secret,
    })
}

/// What the link covers, as a library selection.
async fn selection(conn: &mut AsyncPgConnection, link: &Link) -> DomainResult<Selection> {
    let page = Selection {
        limit: PAGE,
        ..Selection::default()
    };
    Ok(match link.scope() {
        ShareScope::Assets { asset_ids } => Selection {
            ids: Some(asset_ids.iter().map(|a| a.0).collect()),
            ..page
        },
        ShareScope::Folder { folder_id } => Selection {
            folder: Some(Some(folder_id.0)),
            ..page
        },
        ShareScope::Collection { collection_id } => {
            let c = crate::collections::in_project(conn, ProjectId(link.project_id), collection_id).await?;
            crate::collections::selection(conn, &c, 0, PAGE).await?
        }
    })
}

/// The assets the link covers now (a folder's or collection's as they are today), counted as
/// a view of the link.
pub async fn assets(conn: &mut AsyncPgConnection, access: &Access) -> DomainResult<SharedAssets> {
    access.require_unlocked()?;
    let link = &access.link;
    diesel::update(share_links::table.find(link.id))
        .set((
            share_links::views.eq(share_links::views + 1),
            share_links::last_access_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    let selection = selection(conn, link).await?;
    let page = library::page(conn, ProjectId(link.project_id), selection).await?;
    let mut items: Vec<SharedAsset> = page
        .items
        .into_iter()
        .map(|a| SharedAsset {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            status: a.status,
            current_version: a.current_version,
            width: a.width,
            height: a.height,
            duration_seconds: a.duration_seconds,
            placeholder: a.placeholder,
        })
        .collect();
    if let ShareScope::Assets { asset_ids } = link.scope() {
        // In the order they were shared.
        items.sort_by_key(|i| asset_ids.iter().position(|a| *a == i.id));
    }
    Ok(SharedAssets {
        share: access.info(),
        items,
        total: page.total,
    })
}

/// The ids of the assets the link covers now (the first page of them), not counted as a view.
pub async fn covered_ids(conn: &mut AsyncPgConnection, link: &Link) -> DomainResult<Vec<Uuid>> {
    let selection = selection(conn, link).await?;
    let page = library::page(conn, ProjectId(link.project_id), selection).await?;
    Ok(page.items.into_iter().map(|a| a.id.0).collect())
}

/// Whether `asset` is one the link covers now (for its media and comment routes).
pub async fn covers(conn: &mut AsyncPgConnection, link: &Link, asset: Uuid) -> DomainResult<bool> {
    let mut s = selection(conn, link).await?;
    s.ids = Some(match s.ids.take() {
        Some(ids) if !ids.contains(&asset) => return Ok(false),
        _ => vec![asset],
    });
    Ok(library::count(conn, ProjectId(link.project_id), &s).await? == 1)
}

/// An asset the link covers, with its current version (guests see only that one): `not_found`
/// for any other asset, `unauthenticated` before a password-protected link is unlocked.
pub async fn asset(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: model::AssetId,
) -> DomainResult<(crate::assets::Asset, crate::assets::Version)> {
    access.require_unlocked()?;
    if !covers(conn, &access.link, id.0).await? {
        return Err(ApiError::new(ErrorCode::NotFound, "this link does not show that asset").into());
    }
    let asset = crate::assets::find(conn, id).await?;
    let version = crate::assets::version(conn, &asset, None).await?;
    Ok((asset, version))
}
