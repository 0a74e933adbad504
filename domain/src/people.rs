//! People as the review screens show them: name and `@handle`.

use crate::error::DomainResult;
use crate::schema::{project_members, users};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::markup::handle_of;
use model::review::Person;
use model::{ProjectId, UserId};
use uuid::Uuid;

fn person((id, name, email): (Uuid, String, String)) -> Person {
    Person {
        id: UserId(id),
        name,
        handle: handle_of(&email).to_owned(),
    }
}

/// The project's members, by name (the @mention autocomplete).
pub async fn project_people(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<Person>> {
    let rows: Vec<(Uuid, String, String)> = users::table
        .inner_join(project_members::table.on(project_members::user_id.eq(users::id)))
        .filter(project_members::project_id.eq(project.0))
        .order(users::name.asc())
        .select((users::id, users::name, users::email))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(person).collect())
}

/// Users by id (authors who have since left the project).
pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> DomainResult<Vec<Person>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name, users::email))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(person).collect())
}
