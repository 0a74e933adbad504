//! Custom fields: a project's own metadata fields. Anyone who can see the project reads them;
//! owners and editors define, change and remove them. Values live in `assets.custom`.

use crate::audit;
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::schema::{assets, collections, custom_fields};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::custom_field::{
    check_label, check_options, key_from_label, CreateCustomField, CustomFieldDto, CustomKind, UpdateCustomField,
    MAX_FIELDS,
};
use model::live::kind;
use model::permission::{Action, Ownership};
use model::{ApiError, CustomFieldId, ErrorCode, ProjectId, UserId};
use uuid::Uuid;

/// A row of `custom_fields`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = custom_fields)]
struct Row {
    id: Uuid,
    project_id: Uuid,
    key: String,
    label: String,
    kind: String,
    options: Vec<String>,
    position: i32,
}

impl Row {
    fn dto(self) -> CustomFieldDto {
        CustomFieldDto {
            id: CustomFieldId(self.id),
            project_id: ProjectId(self.project_id),
            kind: CustomKind::parse(&self.kind).unwrap_or(CustomKind::Text),
            key: self.key,
            label: self.label,
            options: self.options,
            position: self.position,
        }
    }
}

/// The project's fields in form order, without a role check (for compiling filters and
/// checking values of a project the caller was already authorised for).
pub async fn defs(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<CustomFieldDto>> {
    let rows: Vec<Row> = custom_fields::table
        .filter(custom_fields::project_id.eq(project.0))
        .order((custom_fields::position, custom_fields::created_at))
        .select(Row::as_select())
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(Row::dto).collect())
}

/// `GET /projects/{id}/fields`.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId, project: ProjectId) -> DomainResult<Vec<CustomFieldDto>> {
    authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    defs(conn, project).await
}

async fn announce(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    user: UserId,
    id: Uuid,
    action: &str,
    detail: serde_json::Value,
) -> DomainResult<()> {
    audit::record(conn, project, user, action, id, detail).await?;
    let event = NewEvent::about(
        project,
        None,
        Some(user),
        kind::FIELDS_CHANGED,
        serde_json::json!({ "field_id": id }),
    )?;
    events::publish(conn, event).await.map(|_| ())
}

/// `POST /projects/{id}/fields`: defines a field (owners and editors).
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    req: CreateCustomField,
) -> DomainResult<CustomFieldDto> {
    authorize(conn, user, project, Action::EditProject, Ownership::NotMine).await?;
    let label = check_label(&req.label).map_err(ApiError::invalid)?;
    let key = match req.key.as_deref().map(str::trim) {
        Some(k) if !k.is_empty() => {
            if !model::filter::valid_key(k) {
                return Err(ApiError::invalid(
                    "a field key is 1 to 40 lowercase letters, digits or _, starting with a letter",
                )
                .into());
            }
            k.to_owned()
        }
        _ => key_from_label(&label),
    };
    let options = if req.kind.has_options() {
        check_options(&req.options).map_err(ApiError::invalid)?
    } else if req.options.is_empty() {
        Vec::new()
    } else {
        return Err(ApiError::invalid(format!("a {} field has no options", req.kind.label())).into());
    };
    conn.transaction::<_, DomainError, _>(async |conn| {
        let existing = defs(conn, project).await?;
        if existing.len() >= MAX_FIELDS {
            return Err(ApiError::invalid(format!("a project has at most {MAX_FIELDS} custom fields")).into());
        }
        if existing.iter().any(|d| d.key == key) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("this project already has a field `{key}`; choose another key or label"),
            )
            .into());
        }
        let id = Uuid::new_v4();
        let position = existing.iter().map(|d| d.position + 1).max().unwrap_or(0);
        diesel::insert_into(custom_fields::table)
            .values((
                custom_fields::id.eq(id),
                custom_fields::project_id.eq(project.0),
                custom_fields::key.eq(&key),
                custom_fields::label.eq(&label),
                custom_fields::kind.eq(req.kind.as_str()),
                custom_fields::options.eq(&options),
                custom_fields::position.eq(position),
            ))
            .execute(conn)
            .await?;
        announce(
            conn,
            project,
            user,
            id,
            "field.create",
            serde_json::json!({ "key": key, "kind": req.kind.as_str() }),
        )
        .await?;
        one(conn, id).await
    })
    .await
}

async fn one(conn: &mut AsyncPgConnection, id: Uuid) -> DomainResult<CustomFieldDto> {
    let row: Option<Row> = custom_fields::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .await
        .optional()?;
    row.map(Row::dto)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such field").into())
}

/// `PATCH /fields/{id}`: label, options (values that lose their option are cleared) or place.
pub async fn update(
    conn: &mut AsyncPgConnection,
    user: UserId,
    id: CustomFieldId,
    req: UpdateCustomField,
) -> DomainResult<CustomFieldDto> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let field = one(conn, id.0).await?;
        authorize(conn, user, field.project_id, Action::EditProject, Ownership::NotMine).await?;
        if let Some(label) = &req.label {
            let label = check_label(label).map_err(ApiError::invalid)?;
            diesel::update(custom_fields::table.find(id.0))
                .set(custom_fields::label.eq(label))
                .execute(conn)
                .await?;
        }
        if let Some(options) = &req.options {
            if !field.kind.has_options() {
                return Err(ApiError::invalid(format!("a {} field has no options", field.kind.label())).into());
            }
            let options = check_options(options).map_err(ApiError::invalid)?;
            diesel::update(custom_fields::table.find(id.0))
                .set(custom_fields::options.eq(&options))
                .execute(conn)
                .await?;
            prune_options(conn, &field, &options).await?;
        }
        if let Some(p) = req.position {
            diesel::update(custom_fields::table.find(id.0))
                .set(custom_fields::position.eq(p))
                .execute(conn)
                .await?;
        }
        announce(
            conn,
            field.project_id,
            user,
            id.0,
            "field.update",
            serde_json::to_value(&req).unwrap_or_default(),
        )
        .await?;
        one(conn, id.0).await
    })
    .await
}

// Values whose option was removed are cleared, so a stored value is always a valid one.
async fn prune_options(conn: &mut AsyncPgConnection, field: &CustomFieldDto, options: &[String]) -> DomainResult<()> {
    let key = field.key.as_str();
    let sql = match field.kind {
        CustomKind::SingleSelect => {
            "UPDATE assets SET custom = custom - $1 WHERE project_id = $2 AND custom ? $1 AND NOT (custom ->> $1 = ANY($3))"
        }
        _ => {
            "UPDATE assets SET custom = CASE WHEN kept = '[]'::jsonb THEN custom - $1 ELSE jsonb_set(custom, ARRAY[$1], kept) END \
             FROM (SELECT a.id, coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements_text(a.custom -> $1) e WHERE e = ANY($3)), '[]'::jsonb) AS kept \
                   FROM assets a WHERE a.project_id = $2 AND a.custom ? $1) k \
             WHERE assets.id = k.id AND kept IS DISTINCT FROM assets.custom -> $1"
        }
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Text, _>(key)
        .bind::<diesel::sql_types::Uuid, _>(field.project_id.0)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(options)
        .execute(conn)
        .await?;
    Ok(())
}

/// `DELETE /fields/{id}`: removes the field and its values; refused while a smart collection's
/// filter uses it.
pub async fn delete(conn: &mut AsyncPgConnection, user: UserId, id: CustomFieldId) -> DomainResult<()> {
    conn.transaction::<_, DomainError, _>(async |conn| {
        let field = one(conn, id.0).await?;
        authorize(conn, user, field.project_id, Action::EditProject, Ownership::NotMine).await?;
        // `_` is a LIKE wildcard; keys are [a-z0-9_], so escaping it is enough.
        let needle = format!("%\"custom.{}\"%", field.key.replace('_', "\\_"));
        let users: Vec<String> = collections::table
            .filter(collections::project_id.eq(field.project_id.0))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("collections.filter::text LIKE ")
                    .bind::<diesel::sql_types::Text, _>(needle),
            )
            .select(collections::name)
            .load(conn)
            .await?;
        if !users.is_empty() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "the smart collection{} {} filter{} by this field; change or delete {} first",
                    if users.len() > 1 { "s" } else { "" },
                    users.join(", "),
                    if users.len() > 1 { "" } else { "s" },
                    if users.len() > 1 { "them" } else { "it" },
                ),
            )
            .into());
        }
        diesel::update(assets::table.filter(assets::project_id.eq(field.project_id.0)))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("assets.custom ? ")
                    .bind::<diesel::sql_types::Text, _>(field.key.clone()),
            )
            .set(
                assets::custom.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>("assets.custom - ")
                    .bind::<diesel::sql_types::Text, _>(field.key.clone())),
            )
            .execute(conn)
            .await?;
        diesel::delete(custom_fields::table.find(id.0)).execute(conn).await?;
        announce(
            conn,
            field.project_id,
            user,
            id.0,
            "field.delete",
            serde_json::json!({ "key": field.key }),
        )
        .await
    })
    .await
}
