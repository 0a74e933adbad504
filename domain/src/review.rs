//! An asset's review state: star rating (−1 = rejected), colour label, review status and
//! per-reviewer approvals of versions. Every change writes an audit row in its transaction.

use crate::assets;
use crate::audit;
use crate::error::{DomainError, DomainResult};
use crate::people;
use crate::schema::{approvals, assets as assets_table, comments};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::permission::Action;
use model::review::{ApprovalDto, ApprovalRequest, ColorLabel, ReviewDto, ReviewStatus, REJECTED};
use model::{ApiError, AssetId, ProjectId, UserId};
use uuid::Uuid;

/// The review state of an asset the caller may see.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, asset: AssetId) -> DomainResult<ReviewDto> {
    let asset = assets::authorized(conn, user, asset, Action::View).await?;
    state(conn, asset.id).await
}

async fn state(conn: &mut AsyncPgConnection, asset: Uuid) -> DomainResult<ReviewDto> {
    let (rating, label, status): (i16, Option<String>, String) = assets_table::table
        .find(asset)
        .select((assets_table::rating, assets_table::label, assets_table::review_status))
        .first(conn)
        .await?;
    let rows: Vec<(Uuid, i32, DateTime<Utc>)> = approvals::table
        .filter(approvals::asset_id.eq(asset))
        .order(approvals::created_at.desc())
        .select((approvals::user_id, approvals::version, approvals::created_at))
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    let people = people::by_ids(conn, &ids).await?;
    let open_comments = comments::table
        .filter(comments::asset_id.eq(asset))
        .filter(comments::parent_id.is_null())
        .filter(comments::resolved_at.is_null())
        .count()
        .get_result(conn)
        .await?;
    Ok(ReviewDto {
        rating,
        label: label.as_deref().and_then(ColorLabel::parse),
        status: ReviewStatus::parse(&status).unwrap_or_default(),
        approvals: rows
            .into_iter()
            .filter_map(|(u, version, created_at)| {
                let user = people.iter().find(|p| p.id.0 == u)?.clone();
                Some(ApprovalDto {
                    user,
                    version,
                    created_at,
                })
            })
            .collect(),
        open_comments,
    })
}

/// Checks the caller may rate the asset, then runs `write` (which returns the audit detail) and
/// the audit row in one transaction, and returns the new state.
macro_rules! change {
    ($conn:expr, $user:expr, $asset:expr, $action:expr, |$c:ident, $a:ident| $write:block) => {{
        let $a = assets::authorized($conn, $user, $asset, Action::Rate).await?;
        let audited = &$a;
        $conn
            .transaction::<_, DomainError, _>(async |$c| {
                let $a = audited;
                let detail: serde_json::Value = $write;
                diesel::update(assets_table::table.find($a.id))
                    .set(assets_table::updated_at.eq(Utc::now()))
                    .execute($c)
                    .await?;
                audit::record($c, ProjectId($a.project_id), $user, $action, $a.id, detail).await
            })
            .await?;
        state($conn, audited.id).await
    }};
}

/// Sets the star rating: 0 clears, 1–5 stars, −1 rejects.
pub async fn set_rating(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    rating: i16,
) -> DomainResult<ReviewDto> {
    if !(REJECTED..=5).contains(&rating) {
        return Err(ApiError::invalid("rating must be -1 (reject), 0 (none) or 1 to 5 stars").into());
    }
    change!(conn, user, asset, "asset.rating", |conn, asset| {
        let before: i16 = assets_table::table
            .find(asset.id)
            .select(assets_table::rating)
            .for_update()
            .first(conn)
            .await?;
        diesel::update(assets_table::table.find(asset.id))
            .set(assets_table::rating.eq(rating))
            .execute(conn)
            .await?;
        serde_json::json!({ "before": before, "after": rating })
    })
}

/// Sets or clears the colour label.
pub async fn set_label(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    label: Option<ColorLabel>,
) -> DomainResult<ReviewDto> {
    change!(conn, user, asset, "asset.label", |conn, asset| {
        let before: Option<String> = assets_table::table
            .find(asset.id)
            .select(assets_table::label)
            .for_update()
            .first(conn)
            .await?;
        let after = label.map(ColorLabel::as_str);
        diesel::update(assets_table::table.find(asset.id))
            .set(assets_table::label.eq(after))
            .execute(conn)
            .await?;
        serde_json::json!({ "before": before, "after": after })
    })
}

/// Sets the review status.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    status: ReviewStatus,
) -> DomainResult<ReviewDto> {
    change!(conn, user, asset, "asset.status", |conn, asset| {
        let before = write_status(conn, asset.id, status).await?;
        serde_json::json!({ "before": before, "after": status.as_str() })
    })
}

async fn write_status(conn: &mut AsyncPgConnection, asset: Uuid, status: ReviewStatus) -> DomainResult<String> {
    let before: String = assets_table::table
        .find(asset)
        .select(assets_table::review_status)
        .for_update()
        .first(conn)
        .await?;
    diesel::update(assets_table::table.find(asset))
        .set(assets_table::review_status.eq(status.as_str()))
        .execute(conn)
        .await?;
    Ok(before)
}

/// Records (or withdraws) the caller's approval of a version. Approving the current version
/// sets the status to `approved`; withdrawing the last approval of it moves it back to
/// `in_progress`.
pub async fn approve(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    request: ApprovalRequest,
) -> DomainResult<ReviewDto> {
    let action = if request.approved {
        "asset.approve"
    } else {
        "asset.unapprove"
    };
    change!(conn, user, asset, action, |conn, asset| {
        let version = assets::version(conn, asset, request.version).await?;
        let current = version.number == asset.current_version;
        if request.approved {
            diesel::insert_into(approvals::table)
                .values((
                    approvals::asset_id.eq(asset.id),
                    approvals::version.eq(version.number),
                    approvals::user_id.eq(user.0),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if current {
                write_status(conn, asset.id, ReviewStatus::Approved).await?;
            }
        } else {
            diesel::delete(approvals::table.find((asset.id, version.number, user.0)))
                .execute(conn)
                .await?;
            let left: i64 = approvals::table
                .filter(approvals::asset_id.eq(asset.id))
                .filter(approvals::version.eq(version.number))
                .count()
                .get_result(conn)
                .await?;
            if current && left == 0 {
                let status: String = assets_table::table
                    .find(asset.id)
                    .select(assets_table::review_status)
                    .first(conn)
                    .await?;
                if status == ReviewStatus::Approved.as_str() {
                    write_status(conn, asset.id, ReviewStatus::InProgress).await?;
                }
            }
        }
        serde_json::json!({ "version": version.number })
    })
}
