//! Guests' verdicts through a review link that allows them: approve a version or ask for
//! changes. A verdict on the current version sets the asset's status (approved, changes
//! requested) the way a member's approval does; the team sees who said it through which link.

use super::guest::Access;
use crate::audit;
use crate::error::{DomainError, DomainResult};
use crate::events::{self, NewEvent};
use crate::notifications;
use crate::review::{state_at, write_status};
use crate::schema::{guest_verdicts, share_links};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::live::kind;
use model::notification::NotificationKind;
use model::review::{ReviewDto, ReviewStatus};
use model::share::{GuestVerdictDto, Verdict, VerdictRequest};
use model::{ApiError, AssetId, ErrorCode, ProjectId};
use uuid::Uuid;

/// Name, e-mail, link name, verdict, version, when.
type Row = (String, Option<String>, String, String, i32, DateTime<Utc>);

/// The guests' verdicts on `asset`, newest first; only `guest`'s own when given.
pub async fn load(
    conn: &mut AsyncPgConnection,
    asset: Uuid,
    guest: Option<Uuid>,
) -> DomainResult<Vec<GuestVerdictDto>> {
    let mut query = guest_verdicts::table
        .inner_join(share_links::table)
        .filter(guest_verdicts::asset_id.eq(asset))
        .into_boxed();
    if let Some(g) = guest {
        query = query.filter(guest_verdicts::guest_id.eq(g));
    }
    let rows: Vec<Row> = query
        .order(guest_verdicts::created_at.desc())
        .select((
            guest_verdicts::guest_name,
            guest_verdicts::guest_email,
            share_links::name,
            guest_verdicts::verdict,
            guest_verdicts::version,
            guest_verdicts::created_at,
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(name, email, link_name, verdict, version, created_at)| {
            Some(GuestVerdictDto {
                name,
                email,
                link_name,
                verdict: Verdict::parse(&verdict)?,
                version,
                created_at,
            })
        })
        .collect())
}

/// Sets (or, with `verdict: null`, withdraws) this link's guest's verdict on the current
/// version of `asset`: `unauthenticated` before they gave their name, `forbidden` on links
/// that take no verdicts. Returns the review state as the guest sees it.
pub async fn set(
    conn: &mut AsyncPgConnection,
    access: &Access,
    asset: AssetId,
    request: VerdictRequest,
) -> DomainResult<ReviewDto> {
    let Some(who) = access.guest.as_ref() else {
        return Err(ApiError::new(ErrorCode::Unauthenticated, "give your name on the link's page first").into());
    };
    if !access.link.approvals {
        return Err(ApiError::forbidden("this review link does not take approvals").into());
    }
    let (asset, version) = super::guest::asset(conn, access, asset).await?;
    let project = ProjectId(asset.project_id);
    conn.transaction::<_, DomainError, _>(async |conn| {
        let key = guest_verdicts::table
            .filter(guest_verdicts::asset_id.eq(asset.id))
            .filter(guest_verdicts::version.eq(version.number))
            .filter(guest_verdicts::guest_id.eq(who.id));
        let action = match request.verdict {
            Some(verdict) => {
                diesel::insert_into(guest_verdicts::table)
                    .values((
                        guest_verdicts::asset_id.eq(asset.id),
                        guest_verdicts::version.eq(version.number),
                        guest_verdicts::share_id.eq(access.link.id),
                        guest_verdicts::guest_id.eq(who.id),
                        guest_verdicts::guest_name.eq(&who.name),
                        guest_verdicts::guest_email.eq(&who.email),
                        guest_verdicts::verdict.eq(verdict.as_str()),
                    ))
                    .on_conflict((
                        guest_verdicts::asset_id,
                        guest_verdicts::version,
                        guest_verdicts::guest_id,
                    ))
                    .do_update()
                    .set((
                        guest_verdicts::verdict.eq(verdict.as_str()),
                        guest_verdicts::created_at.eq(Utc::now()),
                    ))
                    .execute(conn)
                    .await?;
                let status = match verdict {
                    Verdict::Approved => ReviewStatus::Approved,
                    Verdict::ChangesRequested => ReviewStatus::ChangesRequested,
                };
                write_status(conn, asset.id, status).await?;
                let text = format!(
                    "{} ({}) {} {} — v{}",
                    who.name,
                    access.link.name,
                    verdict.label(),
                    asset.name,
                    version.number
                );
                let kind = match verdict {
                    Verdict::Approved => NotificationKind::Approval,
                    Verdict::ChangesRequested => NotificationKind::Status,
                };
                notifications::from_guest(conn, &asset, version.number, access.link.created_by, kind, None, &text)
                    .await?;
                format!("asset.guest_{}", verdict.as_str())
            }
            None => {
                if diesel::delete(key).execute(conn).await? == 0 {
                    // Nothing to withdraw: nothing changed.
                    return Ok(());
                }
                if !crate::approval::approved_by_anyone(conn, asset.id, version.number).await? {
                    crate::approval::unapprove_status(conn, asset.id).await?;
                }
                "asset.guest_withdraw".to_string()
            }
        };
        let detail = serde_json::json!({ "version": version.number });
        audit::record_guest(conn, project, access.link.id, &who.name, &action, asset.id, detail).await?;
        let review = state_at(conn, asset.id, Some(version.number)).await?;
        let event = NewEvent::about(
            project,
            Some(AssetId(asset.id)),
            None,
            kind::APPROVAL_CHANGED,
            serde_json::json!({ "review": review }),
        )?;
        events::publish(conn, event).await?;
        Ok(())
    })
    .await?;
    tracing::info!(asset.id = %asset.id, share.id = %access.link.id, verdict = ?request.verdict, "guest verdict");
    for_guest(conn, access, asset.id, version.number).await
}

/// The review state of `version` of `asset` as the link's guest sees it: no members'
/// approvals, only their own verdict.
pub async fn for_guest(
    conn: &mut AsyncPgConnection,
    access: &Access,
    asset: Uuid,
    version: i32,
) -> DomainResult<ReviewDto> {
    let mut review = state_at(conn, asset, Some(version)).await?;
    review.approvals.clear();
    let me = access.guest.as_ref().map_or(Uuid::nil(), |g| g.id);
    review.guest_verdicts = load(conn, asset, Some(me)).await?;
    for v in &mut review.guest_verdicts {
        v.email = None;
    }
    Ok(review)
}
