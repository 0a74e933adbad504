//! Share links: members make, list, change and revoke them; guests open them
//! ([`guest`]). A link covers some assets, a folder (living: what is added later appears) or a
//! collection, and carries the guest's permissions.

pub mod guest;
pub mod review;
pub mod verdicts;
pub mod watermark;

use crate::audit;
use crate::auth::{password, secret};
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::{assets, share_guests, share_links, users};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::ids::parse_id;
use model::permission::{Action, Ownership};
use model::share::{CreateShareRequest, ShareDownload, ShareDto, SharePatch, ShareScope, ShareState};
use model::{ApiError, AssetId, CollectionId, ErrorCode, FolderId, ProjectId, ShareId, UserId};
use uuid::Uuid;

/// The most assets one link can name (folders and collections have no limit).
const MAX_ASSETS: usize = 1000;

/// A row of `share_links`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = share_links)]
pub struct Link {
    /// Id.
    pub id: Uuid,
    /// Project.
    pub project_id: Uuid,
    /// The secret in the URL.
    pub token: String,
    /// Name.
    pub name: String,
    /// `assets`, `folder` or `collection`.
    pub scope: String,
    /// For `assets`.
    pub asset_ids: Vec<Uuid>,
    /// For `folder`.
    pub folder_id: Option<Uuid>,
    /// For `collection`.
    pub collection_id: Option<Uuid>,
    /// argon2id PHC string.
    pub password_hash: Option<String>,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// `none`, `proxy` or `original`.
    pub download: String,
    /// Guests may comment.
    pub comments: bool,
    /// Guests see others' comments.
    pub show_comments: bool,
    /// Guests may approve.
    pub approvals: bool,
    /// Creator.
    pub created_by: Option<Uuid>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Times opened.
    pub views: i64,
    /// Last opened.
    pub last_access_at: Option<DateTime<Utc>>,
    /// Watermark text.
    pub watermark: Option<String>,
}

impl Link {
    /// Active, expired or revoked, now.
    pub fn state(&self) -> ShareState {
        if self.revoked_at.is_some() {
            ShareState::Revoked
        } else if self.expires_at.is_some_and(|e| e <= Utc::now()) {
            ShareState::Expired
        } else {
            ShareState::Active
        }
    }

    /// What guests may download.
    pub fn download(&self) -> ShareDownload {
        ShareDownload::parse(&self.download).unwrap_or_default()
    }

    /// What it covers.
    pub fn scope(&self) -> ShareScope {
        match (self.scope.as_str(), self.folder_id, self.collection_id) {
            ("folder", Some(f), _) => ShareScope::Folder { folder_id: FolderId(f) },
            ("collection", _, Some(c)) => ShareScope::Collection {
                collection_id: CollectionId(c),
            },
            _ => ShareScope::Assets {
                asset_ids: self.asset_ids.iter().copied().map(AssetId).collect(),
            },
        }
    }

    fn dto(&self, created_by: Option<String>) -> ShareDto {
        ShareDto {
            id: ShareId(self.id),
            project_id: ProjectId(self.project_id),
            token: self.token.clone(),
            url: format!("/s/{}", self.token),
            name: self.name.clone(),
            scope: self.scope(),
            has_password: self.password_hash.is_some(),
            expires_at: self.expires_at,
            download: self.download(),
            comments: self.comments,
            show_comments: self.show_comments,
            approvals: self.approvals,
            created_by,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
            state: self.state(),
            views: self.views,
            last_access_at: self.last_access_at,
            watermark: self.watermark.clone(),
        }
    }
}

fn checked_name(raw: &str) -> DomainResult<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("a link name needs 1 to 200 characters").into());
    }
    Ok(name.to_owned())
}

async fn checked_password(raw: &str) -> DomainResult<String> {
    let n = raw.chars().count();
    if !(8..=200).contains(&n) {
        return Err(ApiError::invalid("a link password needs 8 to 200 characters").into());
    }
    password::hash(raw).await
}

fn checked_expiry(at: DateTime<Utc>) -> DomainResult<DateTime<Utc>> {
    if at <= Utc::now() {
        return Err(ApiError::invalid("the expiry must be in the future").into());
    }
    Ok(at)
}

/// The scope a request names, checked against `project`, and a default name for it.
async fn scope_of(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    req: &CreateShareRequest,
) -> DomainResult<(ShareScope, String)> {
    match (&req.asset_ids, &req.folder_id, &req.collection_id) {
        (Some(raw), None, None) => {
            let mut ids: Vec<Uuid> = Vec::with_capacity(raw.len());
            for r in raw {
                let id = parse_id::<AssetId>(r)?.0;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            if ids.is_empty() || ids.len() > MAX_ASSETS {
                return Err(ApiError::invalid(format!("share 1 to {MAX_ASSETS} assets")).into());
            }
            let found: i64 = assets::table
                .filter(assets::id.eq_any(&ids))
                .filter(assets::project_id.eq(project.0))
                .filter(assets::trashed_at.is_null())
                .count()
                .get_result(conn)
                .await?;
            if found != ids.len() as i64 {
                return Err(ApiError::new(ErrorCode::NotFound, "some of these assets are not in this project").into());
            }
            let name = if ids.len() == 1 {
                assets::table
                    .find(ids[0])
                    .select(assets::name)
                    .first::<String>(conn)
                    .await?
            } else {
                format!("{} assets", ids.len())
            };
            Ok((
                ShareScope::Assets {
                    asset_ids: ids.into_iter().map(AssetId).collect(),
                },
                name,
            ))
        }
        (None, Some(raw), None) => {
            let folder = crate::folders::live_in(conn, project, parse_id(raw)?).await?;
            Ok((
                ShareScope::Folder {
                    folder_id: FolderId(folder.id),
                },
                folder.name,
            ))
        }
        (None, None, Some(raw)) => {
            let c = crate::collections::in_project(conn, project, parse_id(raw)?).await?;
            Ok((
                ShareScope::Collection {
                    collection_id: CollectionId(c.id),
                },
                c.name,
            ))
        }
        _ => Err(ApiError::invalid("name exactly one of asset_ids, folder_id or collection_id").into()),
    }
}

/// Makes a link (owners and editors).
pub async fn create(conn: &mut AsyncPgConnection, user: UserId, req: &CreateShareRequest) -> DomainResult<ShareDto> {
    let project: ProjectId = parse_id(&req.project_id)?;
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let (scope, default_name) = scope_of(conn, project, req).await?;
    let name = checked_name(req.name.as_deref().unwrap_or(&default_name))?;
    let password_hash = match req.password.as_deref() {
        Some(p) => Some(checked_password(p).await?),
        None => None,
    };
    let expires_at = req.expires_at.map(checked_expiry).transpose()?;
    let watermark_text = req.watermark.as_deref().map(watermark::checked_text).transpose()?;
    let (kind, asset_ids, folder_id, collection_id) = match &scope {
        ShareScope::Assets { asset_ids } => ("assets", asset_ids.iter().map(|a| a.0).collect(), None, None),
        ShareScope::Folder { folder_id } => ("folder", Vec::new(), Some(folder_id.0), None),
        ShareScope::Collection { collection_id } => ("collection", Vec::new(), None, Some(collection_id.0)),
    };
    let id = Uuid::new_v4();
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::insert_into(share_links::table)
            .values((
                share_links::id.eq(id),
                share_links::project_id.eq(project.0),
                share_links::token.eq(secret::random_token(16)),
                share_links::name.eq(&name),
                share_links::scope.eq(kind),
                share_links::asset_ids.eq(&asset_ids),
                share_links::folder_id.eq(folder_id),
                share_links::collection_id.eq(collection_id),
                share_links::password_hash.eq(&password_hash),
                share_links::expires_at.eq(expires_at),
                share_links::download.eq(req.download.as_str()),
                share_links::comments.eq(req.comments),
                share_links::show_comments.eq(req.show_comments),
                share_links::approvals.eq(req.approvals),
                share_links::watermark.eq(&watermark_text),
                share_links::created_by.eq(user.0),
            ))
            .execute(conn)
            .await?;
        if watermark_text.is_some() {
            watermark::warm(conn, id).await?;
        }
        let detail = serde_json::json!({
            "name": name, "scope": kind, "password": password_hash.is_some(),
            "expires_at": expires_at, "download": req.download.as_str(), "comments": req.comments,
            "show_comments": req.show_comments, "approvals": req.approvals, "watermark": watermark_text,
        });
        audit::record(conn, project, user, "share.create", id, detail).await
    })
    .await?;
    get(conn, user, ShareId(id)).await
}

async fn find(conn: &mut AsyncPgConnection, user: UserId, id: ShareId) -> DomainResult<Link> {
    let link = share_links::table
        .find(id.0)
        .select(Link::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such share link"))?;
    authorize(
        conn,
        user,
        ProjectId(link.project_id),
        Action::Upload,
        Ownership::NotMine,
    )
    .await?;
    Ok(link)
}

async fn creator_name(conn: &mut AsyncPgConnection, id: Option<Uuid>) -> DomainResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(users::table.find(id).select(users::name).first(conn).await.optional()?)
}

/// One link (owners and editors of its project).
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: ShareId) -> DomainResult<ShareDto> {
    let link = find(conn, user, id).await?;
    let by = creator_name(conn, link.created_by).await?;
    Ok(link.dto(by))
}

/// A project's links, newest first, with their views and last access.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<ShareDto>> {
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let rows: Vec<(Link, Option<String>)> = share_links::table
        .left_join(users::table.on(users::id.nullable().eq(share_links::created_by)))
        .filter(share_links::project_id.eq(project.0))
        .order((share_links::created_at.desc(), share_links::id))
        .select((Link::as_select(), users::name.nullable()))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|(l, by)| l.dto(by)).collect())
}

/// Changes a link's name, password, expiry or permissions. A revoked link stays revoked.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: ShareId,
    patch: &SharePatch,
) -> DomainResult<ShareDto> {
    let link = find(conn, user, id).await?;
    if link.revoked_at.is_some() {
        return Err(ApiError::new(ErrorCode::Gone, "this link was revoked; make a new one").into());
    }
    let name = patch.name.as_deref().map(checked_name).transpose()?;
    let password_hash = match &patch.password {
        Some(Some(p)) => Some(Some(checked_password(p).await?)),
        Some(None) => Some(None),
        None => None,
    };
    let expires_at = match patch.expires_at {
        Some(Some(at)) => Some(Some(checked_expiry(at)?)),
        other => other,
    };
    let watermark_text = match &patch.watermark {
        Some(Some(t)) => Some(Some(watermark::checked_text(t)?)),
        Some(None) => Some(None),
        None => None,
    };
    conn.transaction::<_, DomainError, _>(async |conn| {
        let target = share_links::table.find(link.id);
        if let Some(n) = &name {
            diesel::update(target)
                .set(share_links::name.eq(n))
                .execute(conn)
                .await?;
        }
        if let Some(h) = &password_hash {
            diesel::update(target)
                .set(share_links::password_hash.eq(h))
                .execute(conn)
                .await?;
            // A new password locks out those who unlocked with the old one.
            diesel::delete(share_guests::table.filter(share_guests::share_id.eq(link.id)))
                .execute(conn)
                .await?;
        }
        if let Some(e) = expires_at {
            diesel::update(target)
                .set(share_links::expires_at.eq(e))
                .execute(conn)
                .await?;
        }
        if let Some(d) = patch.download {
            diesel::update(target)
                .set(share_links::download.eq(d.as_str()))
                .execute(conn)
                .await?;
        }
        if let Some(b) = patch.comments {
            diesel::update(target)
                .set(share_links::comments.eq(b))
                .execute(conn)
                .await?;
        }
        if let Some(b) = patch.show_comments {
            diesel::update(target)
                .set(share_links::show_comments.eq(b))
                .execute(conn)
                .await?;
        }
        if let Some(b) = patch.approvals {
            diesel::update(target)
                .set(share_links::approvals.eq(b))
                .execute(conn)
                .await?;
        }
        if let Some(w) = &watermark_text {
            diesel::update(target)
                .set(share_links::watermark.eq(w))
                .execute(conn)
                .await?;
            if *w != link.watermark {
                watermark::drop_stale(conn, &link, false).await?;
                if w.is_some() {
                    watermark::warm(conn, link.id).await?;
                }
            }
        }
        let detail = serde_json::json!({
            "name": name, "password_changed": password_hash.is_some(), "expires_at": expires_at,
            "download": patch.download.map(ShareDownload::as_str), "comments": patch.comments,
            "show_comments": patch.show_comments, "approvals": patch.approvals, "watermark": watermark_text,
        });
        audit::record(conn, ProjectId(link.project_id), user, "share.update", link.id, detail).await
    })
    .await?;
    get(conn, user, id).await
}

/// Revokes a link: it and every media URL obtained through it stop working at once. The row
/// stays, for the list and the audit trail.
pub async fn revoke(conn: &mut AsyncPgConnection, user: UserId, id: ShareId) -> DomainResult<()> {
    let link = find(conn, user, id).await?;
    if link.revoked_at.is_some() {
        return Ok(());
    }
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(share_links::table.find(link.id))
            .set(share_links::revoked_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        diesel::delete(share_guests::table.filter(share_guests::share_id.eq(link.id)))
            .execute(conn)
            .await?;
        watermark::drop_stale(conn, &link, true).await?;
        let detail = serde_json::json!({ "name": link.name });
        audit::record(conn, ProjectId(link.project_id), user, "share.revoke", link.id, detail).await
    })
    .await
}
