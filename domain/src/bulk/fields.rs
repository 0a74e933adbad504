//! Metadata edits of one or many assets: set fields, add and remove tags.

use super::*;

async fn is_member(conn: &mut AsyncPgConnection, project: Uuid, user: Uuid) -> DomainResult<bool> {
    let n: i64 = project_members::table
        .filter(project_members::project_id.eq(project))
        .filter(project_members::user_id.eq(user))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

/// The checked changes of a metadata request.
fn changes(set: &serde_json::Map<String, serde_json::Value>) -> DomainResult<Vec<FieldChange>> {
    set.iter()
        .map(|(k, v)| check(k, v).map_err(|m| ApiError::invalid(m).into()))
        .collect()
}

async fn apply(
    conn: &mut AsyncPgConnection,
    asset: &Asset,
    changes: &[FieldChange],
    tags_add: &[String],
    tags_remove: &[String],
) -> DomainResult<serde_json::Value> {
    let mut fields = asset.fields();
    let defs = if changes.iter().any(|c| matches!(c, FieldChange::Custom(..))) {
        crate::custom_fields::defs(conn, ProjectId(asset.project_id)).await?
    } else {
        Vec::new()
    };
    for c in changes {
        match c {
            FieldChange::Description(d) => fields.description = d.clone(),
            FieldChange::Tags(t) => fields.tags = t.clone(),
            FieldChange::Platforms(p) => fields.platforms = p.clone(),
            FieldChange::Assignee(a) => {
                if let Some(a) = a {
                    if !is_member(conn, asset.project_id, a.0).await? {
                        return Err(ApiError::invalid("the assignee must be a member of the project").into());
                    }
                }
                fields.assignee = *a;
            }
            FieldChange::Custom(key, raw) => {
                let def = defs
                    .iter()
                    .find(|d| &d.key == key)
                    .ok_or_else(|| ApiError::invalid(format!("this project has no custom field `{key}`")))?;
                match def.check_value(raw).map_err(ApiError::invalid)? {
                    Some(v) => {
                        if def.kind == model::custom_field::CustomKind::Person {
                            let id = v.as_str().and_then(|s| s.parse::<Uuid>().ok()).unwrap_or_default();
                            if !is_member(conn, asset.project_id, id).await? {
                                return Err(ApiError::invalid(format!(
                                    "`{}` must be a member of the project",
                                    def.label
                                ))
                                .into());
                            }
                        }
                        fields.custom.insert(key.clone(), v);
                    }
                    None => {
                        fields.custom.remove(key);
                    }
                }
            }
            FieldChange::DueDate(d) => fields.due_date = *d,
            FieldChange::Info(k, None) => {
                fields.info.remove(k);
            }
            FieldChange::Info(k, Some(v)) => {
                fields.info.insert(k.clone(), v.clone());
            }
        }
    }
    for t in tags_add {
        if !fields.tags.contains(t) {
            fields.tags.push(t.clone());
        }
    }
    fields.tags.retain(|t| !tags_remove.contains(t));
    if fields.tags.len() > model::fields::MAX_TAGS {
        return Err(ApiError::invalid(format!("at most {} tags", model::fields::MAX_TAGS)).into());
    }
    let info = serde_json::to_value(&fields.info).map_err(|e| DomainError::Internal(e.to_string()))?;
    let custom = serde_json::to_value(&fields.custom).map_err(|e| DomainError::Internal(e.to_string()))?;
    diesel::update(assets_table::table.find(asset.id))
        .set((
            assets_table::description.eq(&fields.description),
            assets_table::tags.eq(&fields.tags),
            assets_table::platforms.eq(&fields.platforms),
            assets_table::assignee_id.eq(fields.assignee.map(|a| a.0)),
            assets_table::due_date.eq(fields.due_date),
            assets_table::info.eq(info),
            assets_table::custom.eq(custom),
        ))
        .execute(conn)
        .await?;
    Ok(json!({ "fields": fields }))
}

/// `PUT /assets/bulk/metadata`: set fields on every asset, add and remove tags.
pub async fn metadata(conn: &mut AsyncPgConnection, user: UserId, req: BulkMetadata) -> DomainResult<BulkResult> {
    let changes = changes(&req.set)?;
    let add = normalise_tags(&req.tags_add).map_err(ApiError::invalid)?;
    let remove = normalise_tags(&req.tags_remove).map_err(ApiError::invalid)?;
    if changes.is_empty() && add.is_empty() && remove.is_empty() {
        return Err(ApiError::invalid("nothing to change: send `set`, `tags_add` or `tags_remove`").into());
    }
    each!(
        conn,
        user,
        &req.asset_ids,
        Action::Upload,
        Scope::Live,
        "asset.metadata",
        kind::ASSET_UPDATED,
        |conn, asset| { apply(conn, asset, &changes, &add, &remove).await }
    )
}

/// `PATCH /assets/{id}/metadata`: one asset's fields; returns the asset.
pub async fn update_fields(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: AssetId,
    set: serde_json::Map<String, serde_json::Value>,
) -> DomainResult<AssetDto> {
    metadata(
        conn,
        user,
        BulkMetadata {
            asset_ids: vec![id],
            set,
            ..BulkMetadata::default()
        },
    )
    .await?;
    assets::get(conn, user, id).await
}
