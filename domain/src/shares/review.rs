//! The review screen as a share-link guest sees it: the same player or lightbox, comments
//! and drawings, with the project's internals left out (custom fields, uploaders, older
//! versions, members, others' approvals) and media routed through the link.

use super::guest::{self, Access};
use crate::error::{DomainError, DomainResult};
use crate::storage::Storage;
use diesel_async::AsyncPgConnection;
use model::review::{GuestReview, ReviewPage};
use model::{ApiError, AssetId, ErrorCode, ProjectId, Role, UserId};
use uuid::Uuid;

/// The review page of `asset` (which the link must cover) for this link's guest.
pub async fn page(
    conn: &mut AsyncPgConnection,
    storage: &Storage,
    access: &Access,
    asset: AssetId,
) -> DomainResult<ReviewPage> {
    let Some(who) = access.guest.as_ref() else {
        return Err(ApiError::new(ErrorCode::Unauthenticated, "open the link and give your name first").into());
    };
    let (row, version) = guest::asset(conn, access, asset).await?;
    let (mut filmstrip, waveform) = crate::review::timeline_extras(storage, &version).await;
    let mut watermark_pending = false;
    if access.link.watermark.is_some() {
        filmstrip = None;
        // The main picture: made now if it is not yet (the screen waits for it).
        for name in ["proxy.mp4", "preview.jpg", "poster.jpg"]
            .into_iter()
            .filter(|n| version.has(n))
        {
            match super::watermark::route(conn, storage, &access.link, &version, name).await {
                Err(DomainError::Api(e)) if e.code == ErrorCode::NotReady => watermark_pending = true,
                Err(e) => return Err(e),
                Ok(_) => {}
            }
        }
    }
    let review = super::verdicts::for_guest(conn, access, row.id, version.number).await?;
    let comments = crate::comments::list_for_guest(conn, access, asset).await?;
    let mut dto = crate::assets::dto(conn, row).await?;
    dto.project_id = ProjectId(Uuid::nil());
    dto.folder_id = None;
    dto.fields = Default::default();
    dto.versions.retain(|v| v.number == version.number);
    for v in &mut dto.versions {
        v.uploaded_by = None;
        v.sha256 = None;
    }
    Ok(ReviewPage {
        asset: dto,
        current_version: version.number,
        project_name: access.link.name.clone(),
        role: Role::Viewer,
        me: UserId(Uuid::nil()),
        review,
        comments,
        people: Vec::new(),
        neighbours: Vec::new(),
        filmstrip,
        waveform,
        last_event_id: 0,
        guest: Some(GuestReview {
            token: access.link.token.clone(),
            link_name: access.link.name.clone(),
            name: who.name.clone(),
            comments: access.link.comments,
            download: access.link.download(),
            approvals: access.link.approvals,
            watermark: access.link.watermark.is_some(),
            watermark_pending,
        }),
    })
}
