//! Review server functions: the review page, comments, reactions, rating, label, status,
//! approvals and notifications. JSON in (comments carry drawings), thin over `domain`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::review::{
    ColorLabel, CommentDto, CommentPatch, NewComment, NotificationDto, RatingRequest, ReviewDto, ReviewPage,
    ReviewStatus,
};

/// Everything the review screen shows.
#[server]
pub async fn load_review_page(id: String, version: Option<i32>) -> Result<ReviewPage, AppError> {
    use crate::ssr::{caller, conn, state};
    let caller = caller().await?;
    let state = state()?;
    Ok(domain::review::page(
        &mut *conn().await?,
        &state.storage,
        caller.id(),
        model::ids::parse_id(&id)?,
        version,
    )
    .await?)
}

/// The asset's comments (after a change elsewhere).
#[server]
pub async fn list_comments(asset: String) -> Result<Vec<CommentDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?).await?)
}

/// The asset's rating, label, status and approvals (after a change elsewhere).
#[server]
pub async fn get_review(asset: String) -> Result<ReviewDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::review::get(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?).await?)
}

/// Posts a comment or reply.
#[server(input = Json)]
pub async fn post_comment(asset: String, comment: NewComment) -> Result<CommentDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::create(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, comment).await?)
}

/// Edits a comment.
#[server(input = Json)]
pub async fn edit_comment(id: String, patch: CommentPatch) -> Result<CommentDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::update(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, patch).await?)
}

/// Deletes a comment and its replies.
#[server(input = Json)]
pub async fn delete_comment(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::delete(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// Resolves or reopens a comment.
#[server(input = Json)]
pub async fn resolve_comment(id: String, resolved: bool) -> Result<CommentDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::resolve(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, resolved).await?)
}

/// Toggles a reaction.
#[server(input = Json)]
pub async fn react_comment(id: String, emoji: String) -> Result<CommentDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::comments::react(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?, &emoji).await?)
}

/// Sets the rating (−1 … 5) and/or the pick flag.
#[server(input = Json)]
pub async fn set_rating(asset: String, request: RatingRequest) -> Result<ReviewDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::review::set_rating(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, request).await?)
}

/// Sets or clears the colour label.
#[server(input = Json)]
pub async fn set_label(asset: String, label: Option<ColorLabel>) -> Result<ReviewDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::review::set_label(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, label).await?)
}

/// Sets the review status.
#[server(input = Json)]
pub async fn set_status(asset: String, status: ReviewStatus, version: Option<i32>) -> Result<ReviewDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let request = model::review::StatusRequest { status, version };
    Ok(domain::review::set_status(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, request).await?)
}

/// Approves (or withdraws approval of) the current version.
#[server(input = Json)]
pub async fn approve(asset: String, approved: bool) -> Result<ReviewDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let request = model::review::ApprovalRequest {
        approved,
        version: None,
    };
    Ok(domain::review::approve(&mut *conn().await?, caller.id(), model::ids::parse_id(&asset)?, request).await?)
}

/// The caller's notifications.
#[server]
pub async fn notifications() -> Result<Vec<NotificationDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::notifications::list(&mut *conn().await?, caller.id()).await?)
}

/// Marks every notification read.
#[server]
pub async fn read_notifications() -> Result<usize, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::notifications::mark_all_read(&mut *conn().await?, caller.id()).await?)
}

/// How many unread notifications the caller has (0 when signed out).
#[server]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::ssr::{conn, maybe_caller};
    let Some(caller) = maybe_caller().await? else {
        return Ok(0);
    };
    Ok(domain::notifications::unread(&mut *conn().await?, caller.id()).await?)
}

/// How each kind of notification reaches the caller.
#[server]
pub async fn notification_settings() -> Result<Vec<model::notification::NotificationSetting>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::notifications::settings::all(&mut *conn().await?, caller.id()).await?)
}

/// Saves the notification settings form: one field per kind, named by the kind, whose value
/// is a delivery (`off`, `in_app`, `email`, `digest`).
#[server]
pub async fn save_notification_settings(
    choices: std::collections::HashMap<String, String>,
) -> Result<Vec<model::notification::NotificationSetting>, AppError> {
    use crate::ssr::{caller, conn};
    use model::notification::{Delivery, NotificationKind, NotificationSetting};
    let caller = caller().await?;
    let mut parsed = Vec::new();
    for (kind, delivery) in &choices {
        let (Some(kind), Some(delivery)) = (NotificationKind::parse(kind), Delivery::parse(delivery)) else {
            return Err(AppError(model::ApiError::invalid(format!(
                "unknown notification setting {kind}={delivery}"
            ))));
        };
        parsed.push(NotificationSetting { kind, delivery });
    }
    Ok(domain::notifications::settings::set(&mut *conn().await?, caller.id(), &parsed).await?)
}
