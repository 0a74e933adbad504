//! Planning a clone when it is asked for: which objects it copies (folders with everything
//! inside, assets with every version, collections with their assets, comments if asked), in
//! what order, under which new ids and names. The plan is stored in `clone_objects` so the
//! job, and any retry of it, writes exactly the same rows.

use super::graph::{Cycle, Graph, Kind};
use crate::error::DomainResult;
use crate::schema::{asset_versions, assets, clone_objects, collection_items, collections, comments, folders};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::clone::CloneInclude;
use model::{ApiError, ErrorCode, ProjectId};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What the person chose, ids already parsed.
#[derive(Debug, Default)]
pub struct Selection {
    /// Folders, each with everything inside.
    pub folders: Vec<Uuid>,
    /// Assets.
    pub assets: Vec<Uuid>,
    /// Collections.
    pub collections: Vec<Uuid>,
}

/// Most objects one clone may make.
pub const MAX_OBJECTS: usize = 50_000;

/// Works out the objects to copy from `source` into `target` (under `target_folder`) and
/// stores the plan for clone `clone`. Refuses selections that are not in the project, copies
/// of a folder into itself, cycles and versions still being processed.
pub async fn plan(
    conn: &mut AsyncPgConnection,
    clone: Uuid,
    source: ProjectId,
    target: ProjectId,
    target_folder: Option<Uuid>,
    chosen: &Selection,
    include: CloneInclude,
) -> DomainResult<()> {
    let tree: Vec<(Uuid, Option<Uuid>, String)> = folders::table
        .filter(folders::project_id.eq(source.0))
        .filter(folders::trashed_at.is_null())
        .select((folders::id, folders::parent_id, folders::name))
        .load(conn)
        .await?;
    let parent: HashMap<Uuid, Option<Uuid>> = tree.iter().map(|(id, p, _)| (*id, *p)).collect();
    for f in &chosen.folders {
        if !parent.contains_key(f) {
            return Err(ApiError::invalid(format!("folder {f} is not in this project")).into());
        }
    }
    // Every chosen folder and everything under it.
    let mut graph = Graph::default();
    let mut copied: HashSet<Uuid> = HashSet::new();
    for (id, _, _) in &tree {
        let mut at = Some(*id);
        let mut hops = 0;
        while let Some(f) = at {
            if chosen.folders.contains(&f) {
                copied.insert(*id);
                break;
            }
            hops += 1;
            if hops > tree.len() {
                break;
            }
            at = parent.get(&f).copied().flatten();
        }
    }
    if let Some(t) = target_folder {
        if source == target && copied.contains(&t) {
            return Err(ApiError::new(
                ErrorCode::CloneCycle,
                "a folder cannot be copied into itself or a folder inside it",
            )
            .into());
        }
    }
    for (id, _, _) in &tree {
        if copied.contains(id) {
            graph.add(Kind::Folder, *id);
        }
    }
    // Edges after every node: a child may come before its parent in `tree`.
    for (id, p, _) in &tree {
        if let (true, Some(p)) = (copied.contains(id), p) {
            graph.depends((Kind::Folder, *p), (Kind::Folder, *id));
        }
    }

    // Assets: inside copied folders, chosen by hand, or held by a chosen manual collection.
    let cols: Vec<(Uuid, String)> = collections::table
        .filter(collections::project_id.eq(source.0))
        .filter(collections::id.eq_any(&chosen.collections))
        .select((collections::id, collections::kind))
        .load(conn)
        .await?;
    if cols.len() != dedup(&chosen.collections).len() {
        return Err(ApiError::invalid("a chosen collection is not in this project").into());
    }
    let held: Vec<(Uuid, Uuid)> = collection_items::table
        .filter(collection_items::collection_id.eq_any(&chosen.collections))
        .select((collection_items::collection_id, collection_items::asset_id))
        .load(conn)
        .await?;
    let folder_list: Vec<Uuid> = copied.iter().copied().collect();
    let mut wanted: Vec<Uuid> = chosen.assets.clone();
    wanted.extend(held.iter().map(|(_, a)| *a));
    let found: Vec<(Uuid, Option<Uuid>, String)> = assets::table
        .filter(assets::project_id.eq(source.0))
        .filter(assets::trashed_at.is_null())
        .filter(assets::id.eq_any(&wanted).or(assets::folder_id.eq_any(&folder_list)))
        .select((assets::id, assets::folder_id, assets::name))
        .load(conn)
        .await?;
    let found_ids: HashSet<Uuid> = found.iter().map(|(id, _, _)| *id).collect();
    if let Some(missing) = chosen.assets.iter().find(|a| !found_ids.contains(a)) {
        return Err(ApiError::invalid(format!("asset {missing} is not in this project")).into());
    }
    for (id, folder, _) in &found {
        graph.add(Kind::Asset, *id);
        if let Some(f) = folder {
            graph.depends((Kind::Folder, *f), (Kind::Asset, *id));
        }
    }
    let asset_ids: Vec<Uuid> = found_ids.iter().copied().collect();
    let versions: Vec<(Uuid, Uuid, String)> = asset_versions::table
        .filter(asset_versions::asset_id.eq_any(&asset_ids))
        .order((asset_versions::asset_id, asset_versions::number))
        .select((asset_versions::id, asset_versions::asset_id, asset_versions::state))
        .load(conn)
        .await?;
    if let Some((_, asset, _)) = versions.iter().find(|(_, _, s)| s == "uploading" || s == "processing") {
        let name = found
            .iter()
            .find(|(id, _, _)| id == asset)
            .map_or("an asset", |(_, _, n)| n.as_str());
        return Err(ApiError::new(
            ErrorCode::NotReady,
            format!("{name} is still uploading or processing; copy it when it is ready"),
        )
        .into());
    }
    for (id, asset, _) in &versions {
        graph.add(Kind::Version, *id);
        graph.depends((Kind::Asset, *asset), (Kind::Version, *id));
    }
    if include.comments {
        let notes: Vec<(Uuid, Uuid, Option<Uuid>)> = comments::table
            .filter(comments::asset_id.eq_any(&asset_ids))
            .order(comments::created_at)
            .select((comments::id, comments::asset_id, comments::parent_id))
            .load(conn)
            .await?;
        for (id, _, _) in &notes {
            graph.add(Kind::Comment, *id);
        }
        for (id, asset, reply_to) in &notes {
            graph.depends((Kind::Asset, *asset), (Kind::Comment, *id));
            if let Some(p) = reply_to {
                graph.depends((Kind::Comment, *p), (Kind::Comment, *id));
            }
        }
    }
    for (id, _) in &cols {
        graph.add(Kind::Collection, *id);
    }
    for (col, asset) in &held {
        graph.depends((Kind::Asset, *asset), (Kind::Collection, *col));
    }
    if graph.is_empty() {
        return Err(ApiError::invalid("choose at least one folder, asset or collection to copy").into());
    }
    if graph.len() > MAX_OBJECTS {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "one copy makes at most {MAX_OBJECTS} objects; this one would make {}",
                graph.len()
            ),
        )
        .into());
    }
    let order = graph.order().map_err(|Cycle(stuck)| {
        ApiError::new(
            ErrorCode::CloneCycle,
            format!(
                "{} objects depend on each other in a circle and cannot be copied",
                stuck.len()
            ),
        )
    })?;

    // Top-level copied folders land beside folders of the target; a name taken there gets
    // " copy", " copy 2", ….
    let mut taken: HashSet<String> = folders::table
        .filter(folders::project_id.eq(target.0))
        .filter(folders::trashed_at.is_null())
        .select((folders::parent_id, folders::name))
        .load::<(Option<Uuid>, String)>(conn)
        .await?
        .into_iter()
        .filter(|(p, _)| *p == target_folder)
        .map(|(_, n)| n.to_lowercase())
        .collect();
    let mut renamed: HashMap<Uuid, String> = HashMap::new();
    for (id, p, name) in &tree {
        let top = copied.contains(id) && !p.is_some_and(|p| copied.contains(&p));
        if top {
            let fresh = free_name(name, &taken);
            taken.insert(fresh.to_lowercase());
            renamed.insert(*id, fresh);
        }
    }

    let rows: Vec<_> = order
        .iter()
        .enumerate()
        .map(|(rank, (kind, id))| {
            (
                clone_objects::clone_id.eq(clone),
                clone_objects::kind.eq(kind.as_str()),
                clone_objects::source_id.eq(*id),
                clone_objects::target_id.eq(Uuid::new_v4()),
                clone_objects::rank.eq(rank as i32),
                clone_objects::name.eq(renamed.get(id).cloned()),
            )
        })
        .collect();
    for chunk in rows.chunks(5_000) {
        diesel::insert_into(clone_objects::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    // A clone of a clone is one deeper than its source.
    diesel::sql_query(
        "UPDATE clone_objects o SET depth = 1 + COALESCE(
             (SELECT max(p.depth) FROM clone_objects p WHERE p.target_id = o.source_id), 0)
         WHERE o.clone_id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(clone)
    .execute(conn)
    .await?;
    Ok(())
}

fn dedup(ids: &[Uuid]) -> HashSet<Uuid> {
    ids.iter().copied().collect()
}

/// `name`, or `name copy`, `name copy 2`, … — the first not in `taken` (lowercased).
fn free_name(name: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(&name.to_lowercase()) {
        return name.to_owned();
    }
    let base: String = name.chars().take(240).collect();
    (1..)
        .map(|n| {
            if n == 1 {
                format!("{base} copy")
            } else {
                format!("{base} copy {n}")
            }
        })
        .find(|c| !taken.contains(&c.to_lowercase()))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_folder_name_gets_copy_then_a_number() {
        let mut taken = HashSet::new();
        assert_eq!(free_name("Day 1", &taken), "Day 1");
        taken.insert("day 1".to_owned());
        assert_eq!(free_name("Day 1", &taken), "Day 1 copy");
        taken.insert("day 1 copy".to_owned());
        assert_eq!(free_name("DAY 1", &taken), "DAY 1 copy 2");
    }
}
