//! Whether a version stands approved — by a member or by a guest through a link — and the
//! status that follows when the last approval is withdrawn.

use crate::error::DomainResult;
use crate::review::write_status;
use crate::schema::{approvals, assets as assets_table, guest_verdicts};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::review::ReviewStatus;
use model::share::Verdict;
use uuid::Uuid;

/// Whether any member approved, or any guest approved through a link, `version` of `asset`.
pub(crate) async fn approved_by_anyone(conn: &mut AsyncPgConnection, asset: Uuid, version: i32) -> DomainResult<bool> {
    let members: i64 = approvals::table
        .filter(approvals::asset_id.eq(asset))
        .filter(approvals::version.eq(version))
        .count()
        .get_result(conn)
        .await?;
    let guests: i64 = guest_verdicts::table
        .filter(guest_verdicts::asset_id.eq(asset))
        .filter(guest_verdicts::version.eq(version))
        .filter(guest_verdicts::verdict.eq(Verdict::Approved.as_str()))
        .count()
        .get_result(conn)
        .await?;
    Ok(members + guests > 0)
}

/// Moves an `approved` asset back to `in_progress` (its last approval was withdrawn).
pub(crate) async fn unapprove_status(conn: &mut AsyncPgConnection, asset: Uuid) -> DomainResult<()> {
    let status: String = assets_table::table
        .find(asset)
        .select(assets_table::review_status)
        .first(conn)
        .await?;
    if status == ReviewStatus::Approved.as_str() {
        write_status(conn, asset, ReviewStatus::InProgress).await?;
    }
    Ok(())
}
