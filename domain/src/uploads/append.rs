//! Appending to an upload: lease the row, stream the body into staging while hashing, verify
//! the chunk's checksum, commit the new offset (and, on the last byte, complete the upload).

use super::{
    finish, hash_state, hasher_from, hex, load, staged, storage_err, target, to_info, Checksum, Upload, UploadInfo,
    LEASE,
};
use crate::authz::authorize;
use crate::error::{DomainError, DomainResult};
use crate::schema::uploads;
use crate::settings::Settings;
use crate::storage::{InputEnd, Storage};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use futures::Stream;
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ErrorCode, ProjectId, UploadId, UserId};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Appends the request body at `offset`. A wrong offset is `409 conflict` and changes
/// nothing; a checksum mismatch is `460 checksum_mismatch` and changes nothing; a body cut
/// short keeps what arrived, so the client resumes from there.
#[expect(clippy::too_many_arguments, reason = "the tus request's parts, passed through")]
pub async fn append<S>(
    pool: &crate::db::DbPool,
    storage: &Storage,
    settings: &Settings,
    user: UserId,
    id: UploadId,
    offset: u64,
    checksum: Option<Checksum>,
    data: S,
) -> DomainResult<UploadInfo>
where
    S: Stream<Item = std::io::Result<Bytes>> + Send,
{
    let token = Uuid::new_v4();
    let (upload, asset, number) = {
        let mut conn = crate::db::conn(pool).await?;
        let (u, asset, number) = load(&mut conn, id).await?;
        authorize(
            &mut conn,
            user,
            ProjectId(u.project_id),
            Action::Upload,
            Ownership::NotMine,
        )
        .await?;
        to_info(&u, asset, number)?;
        if u.received as u64 != offset {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("Upload-Offset is {offset} but the server has {} bytes", u.received),
            )
            .into());
        }
        if u.completed_at.is_some() || u.received == u.length {
            return to_info(&u, asset, number);
        }
        let leased = diesel::update(uploads::table)
            .filter(uploads::id.eq(u.id))
            .filter(uploads::received.eq(u.received))
            .filter(uploads::completed_at.is_null())
            .filter(
                uploads::lease_until
                    .is_null()
                    .or(uploads::lease_until.lt(diesel::dsl::now)),
            )
            .set((
                uploads::lease_token.eq(token),
                uploads::lease_until.eq(Utc::now() + LEASE),
            ))
            .execute(&mut conn)
            .await?;
        if leased == 0 {
            return Err(ApiError::new(
                ErrorCode::Locked,
                "another request is writing to this upload; retry shortly",
            )
            .into());
        }
        (u, asset, number)
    };
    let result = append_leased(pool, storage, settings, &upload, token, offset, checksum, data).await;
    if result.is_err() {
        if let Ok(mut conn) = crate::db::conn(pool).await {
            let _ = diesel::update(uploads::table)
                .filter(uploads::id.eq(upload.id))
                .filter(uploads::lease_token.eq(token))
                .set((
                    uploads::lease_token.eq(None::<Uuid>),
                    uploads::lease_until.eq(None::<DateTime<Utc>>),
                ))
                .execute(&mut conn)
                .await;
        }
    }
    let received = result?;
    Ok(UploadInfo {
        id,
        length: upload.length as u64,
        offset: received,
        metadata_header: upload.metadata_header.clone(),
        expires_at: (received < upload.length as u64).then(|| Utc::now() + settings.upload_expiry),
        asset_id: AssetId(asset),
        version: number,
    })
}

#[expect(clippy::too_many_arguments, reason = "the tus request's parts, passed through")]
async fn append_leased<S>(
    pool: &crate::db::DbPool,
    storage: &Storage,
    settings: &Settings,
    upload: &Upload,
    token: Uuid,
    offset: u64,
    checksum: Option<Checksum>,
    data: S,
) -> DomainResult<u64>
where
    S: Stream<Item = std::io::Result<Bytes>> + Send,
{
    let before = staged(upload)?;
    let target = {
        let mut conn = crate::db::conn(pool).await?;
        target(&mut conn, upload.version_id).await?
    };
    let mut hasher = hasher_from(&upload.hash_state)?;
    let mut sha1 = checksum.as_ref().map(|_| Sha1::new());
    let mut sha256 = checksum.as_ref().map(|_| Sha256::new());
    let max = upload.length as u64 - offset;
    let write = storage.stage_append(upload.id, &target, &before, offset, max, data, |bytes| {
        hasher.update(bytes);
        match &checksum {
            Some(Checksum::Sha1(_)) => sha1.iter_mut().for_each(|h| h.update(bytes)),
            Some(Checksum::Sha256(_)) => sha256.iter_mut().for_each(|h| h.update(bytes)),
            None => {}
        }
    });
    let appended = {
        // Renew the lease while the body streams in.
        tokio::pin!(write);
        let mut renew = tokio::time::interval(LEASE / 3);
        renew.tick().await;
        loop {
            tokio::select! {
                r = &mut write => break r.map_err(storage_err)?,
                _ = renew.tick() => {
                    if let Ok(mut conn) = crate::db::conn(pool).await {
                        let _ = diesel::update(uploads::table)
                            .filter(uploads::id.eq(upload.id))
                            .filter(uploads::lease_token.eq(token))
                            .set(uploads::lease_until.eq(Utc::now() + LEASE))
                            .execute(&mut conn)
                            .await;
                    }
                }
            }
        }
    };
    let checksum_ok = match (&checksum, appended.input_error.is_none()) {
        (None, _) => true,
        (Some(_), false) => false,
        (Some(Checksum::Sha1(want)), true) => sha1.map(|h| h.finalize().to_vec()).as_deref() == Some(want.as_slice()),
        (Some(Checksum::Sha256(want)), true) => {
            sha256.map(|h| h.finalize().to_vec()).as_deref() == Some(want.as_slice())
        }
    };
    if !checksum_ok {
        storage
            .stage_discard(upload.id, &before, offset, &appended.staged)
            .await;
        return Err(ApiError::new(
            ErrorCode::ChecksumMismatch,
            "the chunk did not match its Upload-Checksum; nothing was stored, send it again",
        )
        .into());
    }
    if let Some(InputEnd::TooLong) = appended.input_error {
        storage
            .stage_discard(upload.id, &before, offset, &appended.staged)
            .await;
        return Err(ApiError::invalid("the body goes past Upload-Length; nothing was stored").into());
    }
    let received = offset + appended.taken;
    let complete = received == upload.length as u64;
    let new_state = serde_json::to_value(&appended.staged).map_err(|e| DomainError::Internal(e.to_string()))?;
    let hash = hash_state(&hasher);
    let sha256_hex = complete.then(|| hex(&hasher.clone().finalize()));
    let expires_at = Utc::now() + settings.upload_expiry;
    let id = upload.id;
    let version_id = upload.version_id;
    let mut conn = crate::db::conn(pool).await?;
    let committed = conn
        .transaction::<_, DomainError, _>(async move |conn| {
            let n = diesel::update(uploads::table)
                .filter(uploads::id.eq(id))
                .filter(uploads::lease_token.eq(token))
                .set((
                    uploads::received.eq(received as i64),
                    uploads::hash_state.eq(hash),
                    uploads::staging.eq(new_state),
                    uploads::lease_token.eq(None::<Uuid>),
                    uploads::lease_until.eq(None::<DateTime<Utc>>),
                    uploads::expires_at.eq(expires_at),
                ))
                .execute(conn)
                .await?;
            if n == 0 {
                return Ok(false);
            }
            if let Some(sha) = sha256_hex {
                finish(conn, id, version_id, &sha).await?;
            }
            Ok(true)
        })
        .await?;
    if !committed {
        storage
            .stage_discard(upload.id, &before, offset, &appended.staged)
            .await;
        return Err(ApiError::new(
            ErrorCode::Locked,
            "this upload was taken over by another request; retry",
        )
        .into());
    }
    storage.stage_replaced(upload.id, &before, &appended.staged).await;
    Ok(received)
}
