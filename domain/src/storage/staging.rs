//! Bytes of unfinished uploads. Local storage appends to one file per upload and renames it
//! into place at the end; S3 streams 8 MiB parts of a multipart upload straight to the final
//! key and keeps the remainder (< one part) as a small "tail" object between requests, so any
//! process can continue any upload and memory stays at one part per upload.

use super::{Backend, Storage, StorageError, CHUNK};
use crate::storage::ObjectKey;
use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use object_store::multipart::{MultipartStore, PartId};
use object_store::PutPayload;
use serde::{Deserialize, Serialize};
use std::io::SeekFrom;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use uuid::Uuid;

/// Where the staged bytes of one upload are; stored with the upload between requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Staged {
    /// One file under `<root>/staging/`.
    #[default]
    Local,
    /// An S3 multipart upload to the final key.
    S3 {
        /// The multipart upload id.
        multipart_id: String,
        /// ETags of the parts uploaded so far (each exactly one chunk long).
        parts: Vec<String>,
        /// The tail object (an `ObjectKey::StagingTail` id) holding bytes past the last full part.
        tail: Option<Uuid>,
        /// Its length.
        tail_len: u64,
    },
}

/// The outcome of one append: the new state, how many bytes were taken, and whether the
/// input failed part way (what arrived before the failure is kept).
#[derive(Debug)]
pub struct Appended {
    /// The state to store if the append is accepted.
    pub staged: Staged,
    /// Bytes taken from the input.
    pub taken: u64,
    /// Why the input ended early, if it did.
    pub input_error: Option<InputEnd>,
}

/// Why an append stopped reading its input.
#[derive(Debug)]
pub enum InputEnd {
    /// The client's stream failed (disconnect, timeout).
    Failed(std::io::Error),
    /// The input went past the allowed length.
    TooLong,
}

impl Storage {
    /// Starts staging an upload whose final object is `target`.
    pub async fn stage_begin(&self, upload: Uuid, target: &ObjectKey) -> Result<Staged, StorageError> {
        match &self.backend {
            Backend::Local(_) => {
                let path = self.staging_file(upload)?;
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await.map_err(StorageError::Input)?;
                }
                tokio::fs::File::create(&path).await.map_err(StorageError::Input)?;
                Ok(Staged::Local)
            }
            Backend::S3(s3) => {
                let id = s3
                    .create_multipart(&self.full(target))
                    .await
                    .map_err(|e| self.err(target, e))?;
                Ok(Staged::S3 {
                    multipart_id: id,
                    parts: Vec::new(),
                    tail: None,
                    tail_len: 0,
                })
            }
        }
    }

    /// Appends `data` at `offset` (the bytes stored so far), taking at most `max` bytes and
    /// feeding each one to `observe`. Nothing is final until the caller stores the returned
    /// state; [`Storage::stage_discard`] undoes an append that is not accepted.
    #[expect(
        clippy::too_many_arguments,
        reason = "one call site; a struct would only rename them"
    )]
    pub async fn stage_append<S, F>(
        &self,
        upload: Uuid,
        target: &ObjectKey,
        staged: &Staged,
        offset: u64,
        max: u64,
        data: S,
        mut observe: F,
    ) -> Result<Appended, StorageError>
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send,
        F: FnMut(&[u8]) + Send,
    {
        futures::pin_mut!(data);
        match (&self.backend, staged) {
            (Backend::Local(_), Staged::Local) => {
                let path = self.staging_file(upload)?;
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .await
                    .map_err(|e| StorageError::Config(format!("staged upload {upload} is missing: {e}")))?;
                let len = file.metadata().await.map_err(StorageError::Input)?.len();
                if len < offset {
                    return Err(StorageError::Config(format!(
                        "staged upload {upload} has {len} bytes, expected {offset}"
                    )));
                }
                // Bytes past the recorded offset are from a request that never committed.
                file.set_len(offset).await.map_err(StorageError::Input)?;
                file.seek(SeekFrom::Start(offset)).await.map_err(StorageError::Input)?;
                let mut taken = 0u64;
                let mut input_error = None;
                while let Some(chunk) = data.next().await {
                    match chunk {
                        Ok(chunk) => {
                            let (chunk, over) = clip(chunk, max - taken);
                            file.write_all(&chunk).await.map_err(StorageError::Input)?;
                            observe(&chunk);
                            taken += chunk.len() as u64;
                            if over {
                                input_error = Some(InputEnd::TooLong);
                                break;
                            }
                        }
                        Err(e) => {
                            input_error = Some(InputEnd::Failed(e));
                            break;
                        }
                    }
                }
                file.flush().await.map_err(StorageError::Input)?;
                file.sync_data().await.map_err(StorageError::Input)?;
                Ok(Appended {
                    staged: Staged::Local,
                    taken,
                    input_error,
                })
            }
            (
                Backend::S3(s3),
                Staged::S3 {
                    multipart_id,
                    parts,
                    tail,
                    tail_len,
                },
            ) => {
                let path = self.full(target);
                let mut parts = parts.clone();
                let mut buf = BytesMut::with_capacity(CHUNK);
                if let Some(tail) = tail {
                    let key = ObjectKey::StagingTail { upload, id: *tail };
                    let bytes = self.get_range(&key, 0..*tail_len).await?;
                    buf.extend_from_slice(&bytes);
                }
                let mut taken = 0u64;
                let mut input_error = None;
                while let Some(chunk) = data.next().await {
                    match chunk {
                        Ok(chunk) => {
                            let (chunk, over) = clip(chunk, max - taken);
                            observe(&chunk);
                            taken += chunk.len() as u64;
                            buf.extend_from_slice(&chunk);
                            while buf.len() >= CHUNK {
                                let part = buf.split_to(CHUNK).freeze();
                                let id = s3
                                    .put_part(&path, multipart_id, parts.len(), PutPayload::from(part))
                                    .await
                                    .map_err(|e| self.err(target, e))?;
                                parts.push(id.content_id);
                            }
                            if over {
                                input_error = Some(InputEnd::TooLong);
                                break;
                            }
                        }
                        Err(e) => {
                            input_error = Some(InputEnd::Failed(e));
                            break;
                        }
                    }
                }
                let (tail, tail_len) = if buf.is_empty() {
                    (None, 0)
                } else {
                    let id = Uuid::new_v4();
                    let len = buf.len() as u64;
                    self.put_bytes(&ObjectKey::StagingTail { upload, id }, buf.freeze())
                        .await?;
                    (Some(id), len)
                };
                Ok(Appended {
                    staged: Staged::S3 {
                        multipart_id: multipart_id.clone(),
                        parts,
                        tail,
                        tail_len,
                    },
                    taken,
                    input_error,
                })
            }
            _ => Err(StorageError::Config(format!(
                "upload {upload} was staged on another kind of storage"
            ))),
        }
    }

    /// Undoes an append that was not accepted (checksum mismatch, lost lease): the state
    /// before it, `kept`, stays valid.
    pub async fn stage_discard(&self, upload: Uuid, kept: &Staged, kept_offset: u64, rejected: &Staged) {
        match (kept, rejected) {
            (Staged::Local, _) => {
                if let Ok(path) = self.staging_file(upload) {
                    if let Ok(file) = tokio::fs::OpenOptions::new().write(true).open(&path).await {
                        let _ = file.set_len(kept_offset).await;
                    }
                }
            }
            (Staged::S3 { tail: old, .. }, Staged::S3 { tail: new, .. }) if old != new => {
                if let Some(id) = new {
                    let _ = self.delete(&ObjectKey::StagingTail { upload, id: *id }).await;
                }
            }
            _ => {}
        }
    }

    /// Forgets the state an accepted append replaced (the previous tail object).
    pub async fn stage_replaced(&self, upload: Uuid, old: &Staged, new: &Staged) {
        if let (Staged::S3 { tail: Some(old), .. }, Staged::S3 { tail: new, .. }) = (old, new) {
            if new.as_ref() != Some(old) {
                let _ = self.delete(&ObjectKey::StagingTail { upload, id: *old }).await;
            }
        }
    }

    /// Moves the completed upload into `target`. Idempotent: when the target already exists
    /// and the staged bytes are gone, it was done before.
    pub async fn stage_finish(&self, upload: Uuid, target: &ObjectKey, staged: &Staged) -> Result<(), StorageError> {
        match (&self.backend, staged) {
            (Backend::Local(_), Staged::Local) => {
                let from = self.staging_file(upload)?;
                let to = self.local_path(target)?;
                if !tokio::fs::try_exists(&from).await.unwrap_or(false)
                    && tokio::fs::try_exists(&to).await.unwrap_or(false)
                {
                    return Ok(());
                }
                if let Some(dir) = to.parent() {
                    tokio::fs::create_dir_all(dir).await.map_err(StorageError::Input)?;
                }
                tokio::fs::rename(&from, &to).await.map_err(StorageError::Input)
            }
            (
                Backend::S3(s3),
                Staged::S3 {
                    multipart_id,
                    parts,
                    tail,
                    tail_len,
                },
            ) => {
                let path = self.full(target);
                let mut ids: Vec<PartId> = parts.iter().map(|p| PartId { content_id: p.clone() }).collect();
                if let Some(tail) = tail {
                    let key = ObjectKey::StagingTail { upload, id: *tail };
                    match self.get_range(&key, 0..*tail_len).await {
                        Ok(bytes) => {
                            let id = s3
                                .put_part(&path, multipart_id, ids.len(), PutPayload::from(bytes))
                                .await
                                .map_err(|e| self.err(target, e));
                            match id {
                                Ok(id) => ids.push(id),
                                Err(e) => return self.finished_before(target, e).await,
                            }
                        }
                        Err(e) => return self.finished_before(target, e).await,
                    }
                }
                if ids.is_empty() {
                    // S3 cannot complete a multipart upload without parts: an empty file.
                    self.put_bytes(target, Bytes::new()).await?;
                    let _ = s3.abort_multipart(&path, multipart_id).await;
                } else if let Err(e) = s3.complete_multipart(&path, multipart_id, ids).await {
                    return self.finished_before(target, self.err(target, e)).await;
                }
                if let Some(id) = tail {
                    let _ = self.delete(&ObjectKey::StagingTail { upload, id: *id }).await;
                }
                Ok(())
            }
            _ => Err(StorageError::Config(format!(
                "upload {upload} was staged on another kind of storage"
            ))),
        }
    }

    async fn finished_before(&self, target: &ObjectKey, e: StorageError) -> Result<(), StorageError> {
        if self.size(target).await?.is_some() {
            Ok(())
        } else {
            Err(e)
        }
    }

    /// Throws the staged bytes away (termination, expiry).
    pub async fn stage_abort(&self, upload: Uuid, target: &ObjectKey, staged: &Staged) {
        match (&self.backend, staged) {
            (Backend::Local(_), _) => {
                if let Ok(path) = self.staging_file(upload) {
                    let _ = tokio::fs::remove_file(path).await;
                }
            }
            (Backend::S3(s3), Staged::S3 { multipart_id, tail, .. }) => {
                let _ = s3.abort_multipart(&self.full(target), multipart_id).await;
                if let Some(id) = tail {
                    let _ = self.delete(&ObjectKey::StagingTail { upload, id: *id }).await;
                }
            }
            _ => {}
        }
    }

    fn staging_file(&self, upload: Uuid) -> Result<std::path::PathBuf, StorageError> {
        self.local_path(&ObjectKey::Staging { upload })
    }
}

/// At most `room` bytes of `chunk`, and whether some were cut off.
fn clip(chunk: Bytes, room: u64) -> (Bytes, bool) {
    if chunk.len() as u64 > room {
        (chunk.slice(..room as usize), true)
    } else {
        (chunk, false)
    }
}
