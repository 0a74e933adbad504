//! The clone job: copies every version's stored files with the store's own copy, then writes
//! all rows of the plan in one transaction, in its topological order. Every write lands on
//! the ids fixed by the plan and skips rows already there, so running it again (a retry, or
//! a second run after a crash) makes no duplicates.

use super::{finish, CloneRow};
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::jobs::{Job, JobContext, Permanent};
use crate::schema::{clone_objects, clones, collections};
use crate::storage::ObjectKey;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures::StreamExt;
use model::live::kind;
use model::ProjectId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Carry out clone `clone_id`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunClone {
    /// The clone.
    pub clone_id: Uuid,
}

impl Job for RunClone {
    const KIND: &'static str = "run_clone";
    const MAX_ATTEMPTS: i32 = 3;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.clone_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let row: Option<CloneRow> = diesel::update(clones::table.find(self.clone_id))
            .set((
                clones::state.eq("running"),
                clones::progress.eq(0),
                clones::error.eq(None::<String>),
            ))
            .returning(CloneRow::as_returning())
            .get_result(&mut conn)
            .await
            .optional()?;
        let Some(row) = row else { return Ok(()) };
        let result = carry_out(&ctx, &state, &mut conn, &row).await;
        if let Err(e) = &result {
            let last = e.downcast_ref::<Permanent>().is_some() || ctx.attempt >= Self::MAX_ATTEMPTS;
            if last {
                finish(&mut conn, &row, Err(e.to_string())).await?;
            }
        }
        result
    }
}

async fn carry_out(
    ctx: &JobContext,
    state: &crate::AppState,
    conn: &mut AsyncPgConnection,
    row: &CloneRow,
) -> anyhow::Result<()> {
    // (source asset, target asset, version number) of every version copied.
    let versions: Vec<(Uuid, Uuid, i32)> = diesel::sql_query(
        "SELECT v.asset_id AS source, a.target_id AS target, v.number
           FROM clone_objects o
           JOIN asset_versions v ON v.id = o.source_id
           JOIN clone_objects a ON a.clone_id = o.clone_id AND a.kind = 'asset' AND a.source_id = v.asset_id
          WHERE o.clone_id = $1 AND o.kind = 'version'
          ORDER BY o.rank",
    )
    .bind::<SqlUuid, _>(row.id)
    .load::<VersionPair>(conn)
    .await?
    .into_iter()
    .map(|v| (v.source, v.target, v.number))
    .collect();
    let mut pairs = Vec::new();
    for (source, target, number) in &versions {
        let from = ObjectKey::VersionFolder {
            asset: *source,
            version: *number,
        };
        let to = ObjectKey::VersionFolder {
            asset: *target,
            version: *number,
        };
        for name in state.storage.names_under(&from).await? {
            pairs.push((from.clone(), to.clone(), name));
        }
    }
    let total = pairs.len().max(1);
    let mut copies = futures::stream::iter(pairs.into_iter().map(|(from, to, name)| {
        let storage = state.storage.clone();
        async move { storage.copy_under(&from, &to, &name).await }
    }))
    .buffer_unordered(8);
    let (mut done, mut shown) = (0usize, 0u8);
    while let Some(copied) = copies.next().await {
        copied?;
        done += 1;
        let p = (done * 90 / total) as u8;
        if p >= shown.saturating_add(5) {
            shown = p;
            let _ = ctx.progress(p, "copying files").await;
            diesel::update(clones::table.find(row.id))
                .set(clones::progress.eq(i16::from(p)))
                .execute(conn)
                .await?;
        }
    }
    let _ = ctx.progress(92, "writing").await;
    let folders = folder_map(conn, row.id).await?;
    conn.transaction::<_, DomainError, _>(async |conn| {
        write_rows(conn, row, &folders).await?;
        finish(conn, row, Ok(())).await?;
        let project = ProjectId(row.target_project_id);
        let by = row.created_by.map(model::UserId);
        let payload = serde_json::json!({ "clone": row.id });
        events::publish(conn, NewEvent::about(project, None, by, kind::CLONE_FINISHED, payload)?).await?;
        Ok(())
    })
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct VersionPair {
    #[diesel(sql_type = SqlUuid)]
    source: Uuid,
    #[diesel(sql_type = SqlUuid)]
    target: Uuid,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    number: i32,
}

async fn folder_map(conn: &mut AsyncPgConnection, clone: Uuid) -> DomainResult<HashMap<String, String>> {
    let pairs: Vec<(Uuid, Uuid)> = clone_objects::table
        .filter(clone_objects::clone_id.eq(clone))
        .filter(clone_objects::kind.eq("folder"))
        .select((clone_objects::source_id, clone_objects::target_id))
        .load(conn)
        .await?;
    Ok(pairs.into_iter().map(|(s, t)| (s.to_string(), t.to_string())).collect())
}

/// A smart collection's filter with every copied folder's id replaced by its copy's.
fn rewrite_ids(value: &mut serde_json::Value, map: &HashMap<String, String>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(new) = map.get(s.as_str()) {
                *s = new.clone();
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| rewrite_ids(v, map)),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(|v| rewrite_ids(v, map)),
        _ => {}
    }
}

/// A collection to copy: its copy's id, then the source's id, name, kind, filter, sort, maker.
type CollectionCopy = (
    Uuid,
    Uuid,
    String,
    String,
    Option<serde_json::Value>,
    serde_json::Value,
    Option<Uuid>,
);

// Each statement copies one kind of row in plan order, pointing references at the copies
// (`clone_objects` joined again for the parent, the asset, the folder) and skipping ids
// that exist already.
const FOLDERS: &str = "
INSERT INTO folders (id, project_id, parent_id, name, created_by, created_at, updated_at)
SELECT o.target_id, c.target_project_id, COALESCE(p.target_id, c.target_folder_id),
       COALESCE(o.name, f.name), f.created_by, f.created_at, now()
  FROM clone_objects o
  JOIN clones c ON c.id = o.clone_id
  JOIN folders f ON f.id = o.source_id
  LEFT JOIN clone_objects p ON p.clone_id = o.clone_id AND p.kind = 'folder' AND p.source_id = f.parent_id
 WHERE o.clone_id = $1 AND o.kind = 'folder'
 ORDER BY o.rank
ON CONFLICT (id) DO NOTHING";

const FIELDS: &str = "
INSERT INTO custom_fields (id, project_id, key, label, kind, options, position)
SELECT gen_random_uuid(), c.target_project_id, f.key, f.label, f.kind, f.options, f.position
  FROM clones c JOIN custom_fields f ON f.project_id = c.source_project_id
 WHERE c.id = $1 AND c.target_project_id <> c.source_project_id
ON CONFLICT (project_id, key) DO NOTHING";

const ASSETS: &str = "
INSERT INTO assets (id, project_id, folder_id, name, media_type, current_version, created_by,
                    created_at, updated_at, rating, picked, label, review_status, description,
                    tags, platforms, assignee_id, due_date, info, custom)
SELECT o.target_id, c.target_project_id, COALESCE(fo.target_id, c.target_folder_id), a.name,
       a.media_type, a.current_version, a.created_by, a.created_at, now(),
       CASE WHEN $2 THEN a.rating ELSE 0 END, $2 AND a.picked, CASE WHEN $2 THEN a.label END,
       CASE WHEN $3 THEN a.review_status ELSE 'needs_review' END,
       CASE WHEN $3 THEN a.description ELSE '' END,
       CASE WHEN $3 THEN a.tags ELSE '{}' END, CASE WHEN $3 THEN a.platforms ELSE '{}' END,
       CASE WHEN $3 THEN a.assignee_id END, CASE WHEN $3 THEN a.due_date END,
       CASE WHEN $3 THEN a.info ELSE '{}' END,
       CASE WHEN $3 THEN COALESCE((
           SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(a.custom) e
            WHERE EXISTS (SELECT 1 FROM custom_fields s JOIN custom_fields t
                            ON t.key = s.key AND t.kind = s.kind AND t.project_id = c.target_project_id
                           WHERE s.project_id = c.source_project_id AND s.key = e.key)), '{}')
            ELSE '{}' END
  FROM clone_objects o
  JOIN clones c ON c.id = o.clone_id
  JOIN assets a ON a.id = o.source_id
  LEFT JOIN clone_objects fo ON fo.clone_id = o.clone_id AND fo.kind = 'folder' AND fo.source_id = a.folder_id
 WHERE o.clone_id = $1 AND o.kind = 'asset'
 ORDER BY o.rank
ON CONFLICT (id) DO NOTHING";

const VERSIONS: &str = "
INSERT INTO asset_versions (id, asset_id, number, state, original_name, size, sha256, format, mime,
                            error, metadata, derivatives, placeholder, progress, phase, uploaded_by,
                            created_at, processed_at, rating, review_status)
SELECT o.target_id, a.target_id, v.number, v.state, v.original_name, v.size, v.sha256, v.format,
       v.mime, v.error, v.metadata, v.derivatives, v.placeholder, v.progress, v.phase, v.uploaded_by,
       v.created_at, v.processed_at, CASE WHEN $2 THEN v.rating ELSE 0 END,
       CASE WHEN $3 THEN v.review_status ELSE 'needs_review' END
  FROM clone_objects o
  JOIN asset_versions v ON v.id = o.source_id
  JOIN clone_objects a ON a.clone_id = o.clone_id AND a.kind = 'asset' AND a.source_id = v.asset_id
 WHERE o.clone_id = $1 AND o.kind = 'version'
 ORDER BY o.rank
ON CONFLICT (id) DO NOTHING";

const COMMENTS: &str = "
INSERT INTO comments (id, asset_id, version, parent_id, author_id, body, frame_in, frame_out,
                      x, y, w, h, annotation, private, resolved_at, resolved_by, edited_at,
                      created_at, guest_id, guest_name)
SELECT o.target_id, a.target_id, k.version, p.target_id, k.author_id, k.body, k.frame_in,
       k.frame_out, k.x, k.y, k.w, k.h, CASE WHEN $2 THEN k.annotation END, k.private,
       k.resolved_at, k.resolved_by, k.edited_at, k.created_at,
       CASE WHEN c.target_project_id = c.source_project_id THEN k.guest_id END, k.guest_name
  FROM clone_objects o
  JOIN clones c ON c.id = o.clone_id
  JOIN comments k ON k.id = o.source_id
  JOIN clone_objects a ON a.clone_id = o.clone_id AND a.kind = 'asset' AND a.source_id = k.asset_id
  LEFT JOIN clone_objects p ON p.clone_id = o.clone_id AND p.kind = 'comment' AND p.source_id = k.parent_id
 WHERE o.clone_id = $1 AND o.kind = 'comment'
 ORDER BY o.rank
ON CONFLICT (id) DO NOTHING";

const REACTIONS: &str = "
INSERT INTO comment_reactions (comment_id, user_id, emoji, created_at)
SELECT o.target_id, r.user_id, r.emoji, r.created_at
  FROM clone_objects o JOIN comment_reactions r ON r.comment_id = o.source_id
 WHERE o.clone_id = $1 AND o.kind = 'comment'
ON CONFLICT DO NOTHING";

const ITEMS: &str = "
INSERT INTO collection_items (collection_id, asset_id, position, added_at)
SELECT o.target_id, a.target_id, i.position, i.added_at
  FROM clone_objects o
  JOIN collection_items i ON i.collection_id = o.source_id
  JOIN clone_objects a ON a.clone_id = o.clone_id AND a.kind = 'asset' AND a.source_id = i.asset_id
 WHERE o.clone_id = $1 AND o.kind = 'collection'
ON CONFLICT DO NOTHING";

async fn write_rows(
    conn: &mut AsyncPgConnection,
    row: &CloneRow,
    folders: &HashMap<String, String>,
) -> DomainResult<()> {
    let include = row.include();
    let with = |sql: &'static str| diesel::sql_query(sql).bind::<SqlUuid, _>(row.id);
    with(FOLDERS).execute(conn).await?;
    if include.metadata {
        with(FIELDS).execute(conn).await?;
    }
    with(ASSETS)
        .bind::<Bool, _>(include.ratings)
        .bind::<Bool, _>(include.metadata)
        .execute(conn)
        .await?;
    with(VERSIONS)
        .bind::<Bool, _>(include.ratings)
        .bind::<Bool, _>(include.metadata)
        .execute(conn)
        .await?;
    if include.comments {
        with(COMMENTS).bind::<Bool, _>(include.drawings).execute(conn).await?;
        with(REACTIONS).execute(conn).await?;
    }
    // Collections one by one: a smart one's filter may name copied folders.
    let cols: Vec<CollectionCopy> = clone_objects::table
        .inner_join(collections::table.on(collections::id.eq(clone_objects::source_id)))
        .filter(clone_objects::clone_id.eq(row.id))
        .filter(clone_objects::kind.eq("collection"))
        .order(clone_objects::rank)
        .select((
            clone_objects::target_id,
            collections::id,
            collections::name,
            collections::kind,
            collections::filter,
            collections::sort,
            collections::created_by,
        ))
        .load(conn)
        .await?;
    for (target, _, name, kind, mut filter, sort, created_by) in cols {
        if let Some(f) = filter.as_mut() {
            rewrite_ids(f, folders);
        }
        diesel::insert_into(collections::table)
            .values((
                collections::id.eq(target),
                collections::project_id.eq(row.target_project_id),
                collections::name.eq(name),
                collections::kind.eq(kind),
                collections::filter.eq(filter),
                collections::sort.eq(sort),
                collections::created_by.eq(created_by),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    with(ITEMS).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_ids_are_rewritten_anywhere_in_a_filter() {
        let map = HashMap::from([("a".to_owned(), "b".to_owned())]);
        let mut f =
            serde_json::json!({"all": [{"field": "folder", "op": "is", "value": "a"}, {"value": ["a", "c"]}], "x": 1});
        rewrite_ids(&mut f, &map);
        assert_eq!(
            f,
            serde_json::json!({"all": [{"field": "folder", "op": "is", "value": "b"}, {"value": ["b", "c"]}], "x": 1})
        );
    }
}
