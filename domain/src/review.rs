//! An asset's review state: star rating (−1 = rejected), colour label, review status and
//! per-reviewer approvals of versions. Every change writes an audit row in its transaction.

use crate::assets;
use crate::audit;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::people;
use crate::schema::{approvals, asset_versions, assets as assets_table, comments};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::live::kind;
use model::notification::NotificationKind;
use model::permission::Action;
use model::review::{
    ApprovalDto, ApprovalRequest, ColorLabel, RatingRequest, ReviewDto, ReviewStatus, StatusRequest, REJECTED,
};
use model::{ApiError, AssetId, ProjectId, UserId};
use uuid::Uuid;

/// The review state of an asset the caller may see.
pub async fn get(conn: &mut AsyncPgConnection, user: UserId, asset: AssetId) -> DomainResult<ReviewDto> {
    let asset = assets::authorized(conn, user, asset, Action::View).await?;
    state(conn, asset.id).await
}

/// The review state of one version of an asset the caller may see.
pub async fn get_at(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    version: i32,
) -> DomainResult<ReviewDto> {
    let asset = assets::authorized(conn, user, asset, Action::View).await?;
    state_at(conn, asset.id, Some(version)).await
}

/// The review state of an asset's current version (no role check).
pub(crate) async fn state(conn: &mut AsyncPgConnection, asset: Uuid) -> DomainResult<ReviewDto> {
    state_at(conn, asset, None).await
}

/// The review state of version `version` (the current one when `None`): its stars and status,
/// with the asset's label and pick flag (no role check).
pub(crate) async fn state_at(
    conn: &mut AsyncPgConnection,
    asset: Uuid,
    version: Option<i32>,
) -> DomainResult<ReviewDto> {
    let (mut rating, picked, label, mut status, current): (i16, bool, Option<String>, String, i32) =
        assets_table::table
            .find(asset)
            .select((
                assets_table::rating,
                assets_table::picked,
                assets_table::label,
                assets_table::review_status,
                assets_table::current_version,
            ))
            .first(conn)
            .await?;
    let version = version.unwrap_or(current);
    if version != current {
        (rating, status) = asset_versions::table
            .filter(asset_versions::asset_id.eq(asset))
            .filter(asset_versions::number.eq(version))
            .select((asset_versions::rating, asset_versions::review_status))
            .first(conn)
            .await
            .optional()?
            .ok_or_else(|| {
                ApiError::new(
                    model::ErrorCode::NotFound,
                    format!("this asset has no version {version}"),
                )
            })?;
    }
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
        version,
        rating,
        picked,
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
        guest_verdicts: crate::shares::verdicts::load(conn, asset, None).await?,
        open_comments,
    })
}

/// Checks the caller may rate the asset, then runs `write` (which returns the audit detail),
/// the audit row and the `kind` event (carrying the new state) in one transaction, and
/// returns the new state.
macro_rules! change {
    ($conn:expr, $user:expr, $asset:expr, $action:expr, $kind:expr, |$c:ident, $a:ident| $write:block) => {
        change!($conn, $user, $asset, None, $action, $kind, |$c, $a| $write)
    };
    ($conn:expr, $user:expr, $asset:expr, $version:expr, $action:expr, $kind:expr, |$c:ident, $a:ident| $write:block) => {{
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
                audit::record($c, ProjectId($a.project_id), $user, $action, $a.id, detail).await?;
                let review = state_at($c, $a.id, $version).await?;
                let event = NewEvent::about(
                    ProjectId($a.project_id),
                    Some(AssetId($a.id)),
                    Some($user),
                    $kind,
                    serde_json::json!({ "review": review }),
                )?;
                events::publish($c, event).await?;
                Ok(())
            })
            .await?;
        state_at($conn, audited.id, $version).await
    }};
}

/// Sets the star rating (0 clears, 1–5 stars, −1 rejects) and/or the pick flag. A reject
/// clears the pick; a pick lifts a reject.
pub async fn set_rating(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    request: RatingRequest,
) -> DomainResult<ReviewDto> {
    if request.rating.is_some_and(|r| !(REJECTED..=5).contains(&r)) {
        return Err(ApiError::invalid("rating must be -1 (reject), 0 (none) or 1 to 5 stars").into());
    }
    if request.rating.is_none() && request.picked.is_none() {
        return Err(ApiError::invalid("send a rating, a pick flag or both").into());
    }
    change!(
        conn,
        user,
        asset,
        request.version,
        "asset.rating",
        kind::RATING_CHANGED,
        |conn, asset| {
            match request.version.filter(|n| *n != asset.current_version) {
                Some(n) => rate_version(conn, asset, n, request).await?,
                None => rate_current(conn, asset, request).await?,
            }
        }
    )
}

// An older version's stars; the pick flag stays the asset's.
async fn rate_version(
    conn: &mut AsyncPgConnection,
    asset: &assets::Asset,
    n: i32,
    request: RatingRequest,
) -> DomainResult<serde_json::Value> {
    let v = assets::version(conn, asset, Some(n)).await?;
    let before: i16 = asset_versions::table
        .find(v.id)
        .select(asset_versions::rating)
        .for_update()
        .first(conn)
        .await?;
    let rating = request.rating.unwrap_or(before);
    diesel::update(asset_versions::table.find(v.id))
        .set(asset_versions::rating.eq(rating))
        .execute(conn)
        .await?;
    if let Some(p) = request.picked {
        diesel::update(assets_table::table.find(asset.id))
            .set(assets_table::picked.eq(p && rating != REJECTED))
            .execute(conn)
            .await?;
    }
    Ok(serde_json::json!({ "version": n, "before": before, "after": rating }))
}

// The current version's stars (the trigger copies them onto its version row).
async fn rate_current(
    conn: &mut AsyncPgConnection,
    asset: &assets::Asset,
    request: RatingRequest,
) -> DomainResult<serde_json::Value> {
    let (before, was_picked): (i16, bool) = assets_table::table
        .find(asset.id)
        .select((assets_table::rating, assets_table::picked))
        .for_update()
        .first(conn)
        .await?;
    let mut rating = request.rating.unwrap_or(before);
    let mut picked = request.picked.unwrap_or(was_picked);
    if request.rating == Some(REJECTED) {
        picked = false;
    } else if request.picked == Some(true) && rating == REJECTED {
        rating = 0;
    }
    diesel::update(assets_table::table.find(asset.id))
        .set((assets_table::rating.eq(rating), assets_table::picked.eq(picked)))
        .execute(conn)
        .await?;
    Ok(serde_json::json!({ "before": before, "after": rating, "picked": picked }))
}

/// Sets or clears the colour label.
pub async fn set_label(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    label: Option<ColorLabel>,
) -> DomainResult<ReviewDto> {
    change!(conn, user, asset, "asset.label", kind::LABEL_CHANGED, |conn, asset| {
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
    request: StatusRequest,
) -> DomainResult<ReviewDto> {
    let status = request.status;
    change!(
        conn,
        user,
        asset,
        request.version,
        "asset.status",
        kind::STATUS_CHANGED,
        |conn, asset| {
            let detail = match request.version.filter(|n| *n != asset.current_version) {
                Some(n) => {
                    let v = assets::version(conn, asset, Some(n)).await?;
                    let before: String = asset_versions::table
                        .find(v.id)
                        .select(asset_versions::review_status)
                        .for_update()
                        .first(conn)
                        .await?;
                    diesel::update(asset_versions::table.find(v.id))
                        .set(asset_versions::review_status.eq(status.as_str()))
                        .execute(conn)
                        .await?;
                    serde_json::json!({ "version": n, "before": before, "after": status.as_str() })
                }
                None => {
                    let before = write_status(conn, asset.id, status).await?;
                    serde_json::json!({ "before": before, "after": status.as_str() })
                }
            };
            let version = request.version.unwrap_or(asset.current_version);
            let text = format!("{} — v{version}: {}", asset.name, status.label());
            crate::notifications::about_upload(conn, asset, version, user, NotificationKind::Status, &text).await?;
            detail
        }
    )
}

pub(crate) async fn write_status(
    conn: &mut AsyncPgConnection,
    asset: Uuid,
    status: ReviewStatus,
) -> DomainResult<String> {
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
    change!(conn, user, asset, action, kind::APPROVAL_CHANGED, |conn, asset| {
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
            let text = format!("{} — v{} approved", asset.name, version.number);
            crate::notifications::about_upload(conn, asset, version.number, user, NotificationKind::Approval, &text)
                .await?;
        } else {
            diesel::delete(approvals::table.find((asset.id, version.number, user.0)))
                .execute(conn)
                .await?;
            if current && !crate::approval::approved_by_anyone(conn, asset.id, version.number).await? {
                crate::approval::unapprove_status(conn, asset.id).await?;
            }
        }
        serde_json::json!({ "version": version.number })
    })
}

const WAVEFORM_POINTS: usize = 800;

/// Everything the review screen needs, for a member who may see the asset.
pub async fn page(
    conn: &mut AsyncPgConnection,
    storage: &crate::storage::Storage,
    user: UserId,
    id: AssetId,
    version: Option<i32>,
) -> DomainResult<model::review::ReviewPage> {
    let asset_row = assets::authorized(conn, user, id, Action::View).await?;
    let last_event_id = events::latest_id(conn).await?;
    let project = crate::projects::get(conn, user, ProjectId(asset_row.project_id)).await?;
    let asset = match version {
        Some(n) => assets::get_at(conn, user, id, n).await?,
        None => assets::get(conn, user, id).await?,
    };
    let query = model::asset::AssetQuery {
        media_type: None,
        status: None,
        folder_id: Some(asset_row.folder_id.map_or("root".to_owned(), |f| f.to_string())),
        offset: Some(0),
        limit: Some(500),
        ..Default::default()
    };
    let neighbours = assets::list(conn, user, project.id, &query).await?.items;
    let current = assets::version(conn, &asset_row, version).await?;
    let (filmstrip, waveform) = timeline_extras(storage, &current).await;
    Ok(model::review::ReviewPage {
        review: state_at(conn, asset_row.id, Some(current.number)).await?,
        current_version: asset_row.current_version,
        comments: crate::comments::list(conn, user, id).await?,
        people: crate::people::project_people(conn, project.id).await?,
        project_name: project.name,
        role: project.role,
        me: user,
        asset,
        neighbours,
        filmstrip,
        waveform,
        last_event_id,
        guest: None,
    })
}

/// A version's filmstrip index and waveform peaks, for the timeline (empty when missing).
pub async fn timeline_extras(
    storage: &crate::storage::Storage,
    version: &assets::Version,
) -> (Option<model::asset::FilmstripIndex>, Vec<u8>) {
    let key = |name: &str| crate::storage::ObjectKey::Derivative {
        asset: version.asset_id,
        version: version.number,
        name: name.to_owned(),
    };
    let filmstrip = if version.has("filmstrip.json") {
        small_json(storage, &key("filmstrip.json")).await
    } else {
        None
    };
    let waveform = if version.has("waveform.json") {
        small_json::<media::waveform::Waveform>(storage, &key("waveform.json"))
            .await
            .map(|w| peaks(&w.data))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    (filmstrip, waveform)
}

// A missing or unreadable index only costs the hover preview; the page still renders.
async fn small_json<T: serde::de::DeserializeOwned>(
    storage: &crate::storage::Storage,
    key: &crate::storage::ObjectKey,
) -> Option<T> {
    match storage.get_small(key, 4 << 20).await {
        Ok(Some(bytes)) => serde_json::from_slice(&bytes).ok(),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "could not read a derivative for the review page");
            None
        }
    }
}

/// Reduces audiowaveform `min, max` pairs to at most [`WAVEFORM_POINTS`] peaks (0..255).
fn peaks(data: &[i8]) -> Vec<u8> {
    let amplitude: Vec<u8> = data
        .chunks(2)
        .map(|p| p.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0))
        .collect();
    if amplitude.is_empty() {
        return Vec::new();
    }
    let per = amplitude.len().div_ceil(WAVEFORM_POINTS);
    amplitude
        .chunks(per)
        .map(|c| {
            let peak = c.iter().copied().max().unwrap_or(0);
            (u16::from(peak) * 255 / 128).min(255) as u8
        })
        .collect()
}
