//! Collections: manual (ordered members) and smart (a saved filter compiled on every read,
//! so it is never stale). Viewers may read them; editors and owners change them.

use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::filter_sql;
use crate::library::{self, Selection};
use crate::schema::{assets, collection_items, collections};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::asset::AssetPage;
use model::collection::{CollectionDto, CollectionItems, CollectionKind, CollectionPatch, CreateCollectionRequest};
use model::filter::{Filter, Sort, SortField};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::{ApiError, CollectionId, ErrorCode, ProjectId, UserId};
use uuid::Uuid;

/// A row of `collections`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = collections)]
pub struct Collection {
    /// Id.
    pub id: Uuid,
    /// Project.
    pub project_id: Uuid,
    /// Name.
    pub name: String,
    /// `manual` or `smart`.
    pub kind: String,
    /// Saved filter.
    pub filter: Option<serde_json::Value>,
    /// Saved order.
    pub sort: serde_json::Value,
    /// Created.
    pub created_at: DateTime<Utc>,
}

impl Collection {
    fn kind(&self) -> CollectionKind {
        CollectionKind::parse(&self.kind).unwrap_or(CollectionKind::Manual)
    }

    fn filter(&self) -> DomainResult<Option<Filter>> {
        self.filter
            .as_ref()
            .map(|j| Filter::parse(j).map_err(|e| DomainError::Internal(format!("stored filter: {e}"))))
            .transpose()
    }

    fn sort(&self) -> Sort {
        serde_json::from_value(self.sort.clone()).unwrap_or_default()
    }
}

fn name(raw: &str) -> DomainResult<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid("a collection name needs 1 to 200 characters").into());
    }
    Ok(name.to_owned())
}

/// Parses and compiles a filter sent by a client for `project`; returns its normalised JSON.
async fn checked(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    raw: &serde_json::Value,
) -> DomainResult<serde_json::Value> {
    let filter = Filter::parse(raw).map_err(ApiError::from)?;
    filter_sql::compile(&filter, &crate::custom_fields::defs(conn, project).await?)?;
    json(&filter)
}

fn json<T: serde::Serialize>(v: &T) -> DomainResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| DomainError::Internal(e.to_string()))
}

async fn find(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CollectionId,
    action: Action,
) -> DomainResult<Collection> {
    let found = collections::table
        .find(id.0)
        .select(Collection::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such collection"))?;
    authorize(conn, user, ProjectId(found.project_id), action, Ownership::NotMine).await?;
    Ok(found)
}

/// Collection `id` of `project` (no role check: the caller has done it), or `not_found`.
pub(crate) async fn in_project(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    id: CollectionId,
) -> DomainResult<Collection> {
    collections::table
        .find(id.0)
        .filter(collections::project_id.eq(project.0))
        .select(Collection::as_select())
        .first(conn)
        .await
        .optional()?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such collection in this project").into())
}

/// How many live assets a collection holds now.
async fn count(conn: &mut AsyncPgConnection, c: &Collection) -> DomainResult<i64> {
    let s = selection(conn, c, 0, 1).await?;
    library::count(conn, ProjectId(c.project_id), &s).await
}

/// What `c` holds, as a library selection of `limit` assets from `offset`.
pub(crate) async fn selection(
    conn: &mut AsyncPgConnection,
    c: &Collection,
    offset: i64,
    limit: i64,
) -> DomainResult<Selection> {
    let mut sort = c.sort();
    let mut s = Selection {
        offset,
        limit,
        ..Selection::default()
    };
    match c.kind() {
        CollectionKind::Manual => s.manual = Some(c.id),
        CollectionKind::Smart => {
            if sort.field == SortField::Position {
                sort.field = SortField::CreatedAt;
            }
            if let Some(f) = c.filter()? {
                let defs = crate::custom_fields::defs(conn, ProjectId(c.project_id)).await?;
                s.condition = Some(filter_sql::compile(&f, &defs)?);
            }
        }
    }
    s.sort = sort;
    Ok(s)
}

async fn dto(conn: &mut AsyncPgConnection, c: &Collection) -> DomainResult<CollectionDto> {
    Ok(CollectionDto {
        id: CollectionId(c.id),
        project_id: ProjectId(c.project_id),
        name: c.name.clone(),
        kind: c.kind(),
        filter: c.filter()?,
        sort: c.sort(),
        asset_count: count(conn, c).await?,
        created_at: c.created_at,
    })
}

/// Records `action` on collection `id` in the audit log and announces the change.
async fn changed(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    user: UserId,
    id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> DomainResult<()> {
    audit::record(conn, ProjectId(project), user, action, id, detail).await?;
    let event = NewEvent::about(
        ProjectId(project),
        None,
        Some(user),
        kind::COLLECTION_CHANGED,
        serde_json::json!({ "collection_id": id }),
    )?;
    events::publish(conn, event).await.map(|_| ())
}

/// A project's collections, by name, with live counts.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<CollectionDto>> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    let rows: Vec<Collection> = collections::table
        .filter(collections::project_id.eq(project.0))
        .order((
            diesel::dsl::sql::<diesel::sql_types::Text>("lower(collections.name)"),
            collections::id,
        ))
        .select(Collection::as_select())
        .load(conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in &rows {
        out.push(dto(conn, c).await?);
    }
    Ok(out)
}

/// One collection.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, id: CollectionId) -> DomainResult<CollectionDto> {
    let c = find(conn, user, id, Action::View).await?;
    dto(conn, &c).await
}

/// Creates a collection (editors and owners).
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    req: CreateCollectionRequest,
) -> DomainResult<CollectionDto> {
    authorize(conn, user, project, Action::Upload, Ownership::NotMine).await?;
    let name = name(&req.name)?;
    let filter = match (req.kind, req.filter) {
        (CollectionKind::Smart, Some(raw)) => Some(checked(conn, project, &raw).await?),
        (CollectionKind::Smart, None) => {
            return Err(ApiError::new(ErrorCode::InvalidFilter, "a smart collection needs a filter").into());
        }
        (CollectionKind::Manual, Some(_)) => {
            return Err(ApiError::invalid("a manual collection has no filter; use kind \"smart\"").into());
        }
        (CollectionKind::Manual, None) => None,
    };
    let sort = req.sort.unwrap_or(Sort {
        field: if req.kind == CollectionKind::Manual {
            SortField::Position
        } else {
            SortField::CreatedAt
        },
        dir: if req.kind == CollectionKind::Manual {
            model::filter::Direction::Asc
        } else {
            model::filter::Direction::Desc
        },
        group_by: None,
    });
    let id = Uuid::new_v4();
    let sort = json(&sort)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::insert_into(collections::table)
            .values((
                collections::id.eq(id),
                collections::project_id.eq(project.0),
                collections::name.eq(&name),
                collections::kind.eq(req.kind.as_str()),
                collections::filter.eq(&filter),
                collections::sort.eq(&sort),
                collections::created_by.eq(user.0),
            ))
            .execute(conn)
            .await?;
        changed(
            conn,
            project.0,
            user,
            id,
            "collection.create",
            serde_json::json!({ "name": name }),
        )
        .await
    })
    .await?;
    get(conn, user, CollectionId(id)).await
}

/// Renames a collection or changes its filter or order.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CollectionId,
    patch: CollectionPatch,
) -> DomainResult<CollectionDto> {
    let c = find(conn, user, id, Action::Upload).await?;
    let new_name = patch.name.as_deref().map(name).transpose()?;
    let new_filter = match patch.filter {
        Some(_) if c.kind() == CollectionKind::Manual => {
            return Err(ApiError::invalid("a manual collection has no filter").into());
        }
        Some(raw) => Some(checked(conn, ProjectId(c.project_id), &raw).await?),
        None => None,
    };
    let new_sort = patch.sort.as_ref().map(json).transpose()?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::update(collections::table.find(c.id))
            .set((
                collections::name.eq(new_name.as_deref().unwrap_or(&c.name)),
                collections::filter.eq(new_filter.as_ref().or(c.filter.as_ref())),
                collections::sort.eq(new_sort.as_ref().unwrap_or(&c.sort)),
                collections::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        changed(
            conn,
            c.project_id,
            user,
            c.id,
            "collection.update",
            serde_json::json!({}),
        )
        .await
    })
    .await?;
    get(conn, user, id).await
}

/// Deletes a collection (never its assets).
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: CollectionId) -> DomainResult<()> {
    let c = find(conn, user, id, Action::Upload).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::delete(collections::table.find(c.id)).execute(conn).await?;
        changed(
            conn,
            c.project_id,
            user,
            c.id,
            "collection.delete",
            serde_json::json!({ "name": c.name }),
        )
        .await
    })
    .await
}

/// A page of a collection's assets.
pub async fn assets(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CollectionId,
    offset: i64,
    limit: i64,
    detail: bool,
) -> DomainResult<AssetPage> {
    let c = find(conn, user, id, Action::View).await?;
    let mut selection = selection(conn, &c, offset.max(0), limit.clamp(1, 500)).await?;
    selection.detail = detail;
    library::page(conn, ProjectId(c.project_id), selection).await
}

async fn manual(conn: &mut AsyncPgConnection, user: UserId, id: CollectionId) -> DomainResult<Collection> {
    let c = find(conn, user, id, Action::Upload).await?;
    if c.kind() != CollectionKind::Manual {
        return Err(ApiError::invalid("a smart collection's members come from its filter").into());
    }
    Ok(c)
}

/// Adds assets to a manual collection (or moves them, when already in), at the end or before
/// `before`, keeping the order they were sent in.
pub async fn add_items(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CollectionId,
    req: CollectionItems,
) -> DomainResult<CollectionDto> {
    let c = manual(conn, user, id).await?;
    let ids = crate::bulk::distinct_ids(&req.asset_ids)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        let found: i64 = assets::table
            .filter(assets::id.eq_any(&ids))
            .filter(assets::project_id.eq(c.project_id))
            .filter(assets::trashed_at.is_null())
            .count()
            .get_result(conn)
            .await?;
        if found != ids.len() as i64 {
            return Err(ApiError::new(ErrorCode::NotFound, "some assets are not in this project").into());
        }
        // Lock the collection so concurrent reorders cannot interleave.
        collections::table
            .find(c.id)
            .select(collections::id)
            .for_update()
            .first::<Uuid>(conn)
            .await?;
        let mut order: Vec<Uuid> = collection_items::table
            .filter(collection_items::collection_id.eq(c.id))
            .order((collection_items::position.asc(), collection_items::added_at.asc()))
            .select(collection_items::asset_id)
            .load(conn)
            .await?;
        order.retain(|a| !ids.contains(a));
        let at = req
            .before
            .and_then(|b| order.iter().position(|a| *a == b.0))
            .unwrap_or(order.len());
        order.splice(at..at, ids.iter().copied());
        diesel::delete(collection_items::table.filter(collection_items::collection_id.eq(c.id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = order
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    collection_items::collection_id.eq(c.id),
                    collection_items::asset_id.eq(*a),
                    collection_items::position.eq(i as i32),
                )
            })
            .collect();
        for chunk in rows.chunks(5000) {
            diesel::insert_into(collection_items::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        changed(
            conn,
            c.project_id,
            user,
            c.id,
            "collection.add",
            serde_json::json!({ "asset_ids": ids }),
        )
        .await
    })
    .await?;
    get(conn, user, id).await
}

/// Takes assets out of a manual collection.
pub async fn remove_items(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CollectionId,
    req: CollectionItems,
) -> DomainResult<CollectionDto> {
    let c = manual(conn, user, id).await?;
    let ids = crate::bulk::distinct_ids(&req.asset_ids)?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        diesel::delete(
            collection_items::table
                .filter(collection_items::collection_id.eq(c.id))
                .filter(collection_items::asset_id.eq_any(&ids)),
        )
        .execute(conn)
        .await?;
        changed(
            conn,
            c.project_id,
            user,
            c.id,
            "collection.remove",
            serde_json::json!({ "asset_ids": ids }),
        )
        .await
    })
    .await?;
    get(conn, user, id).await
}
