//! Custom-field server functions. Thin over `domain::custom_fields`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::custom_field::CustomFieldDto;

/// A project's custom fields, in form order.
#[server]
pub async fn list_fields(project: String) -> Result<Vec<CustomFieldDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::custom_fields::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Defines a custom field; `options` are the choices of a select field.
#[server(input = Json)]
pub async fn create_field(
    project: String,
    label: String,
    kind: model::custom_field::CustomKind,
    options: Vec<String>,
) -> Result<CustomFieldDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let req = model::custom_field::CreateCustomField {
        label,
        kind,
        key: None,
        options,
    };
    Ok(domain::custom_fields::create(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?, req).await?)
}

/// Removes a custom field and its values.
#[server(input = Json)]
pub async fn delete_field(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::custom_fields::delete(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// The project's members as people (for person fields and the assignee).
#[server]
pub async fn list_people(project: String) -> Result<Vec<model::review::Person>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let mut conn = conn().await?;
    let project = domain::projects::get(&mut conn, caller.id(), model::ids::parse_id(&project)?).await?;
    Ok(domain::people::project_people(&mut conn, project.id).await?)
}
