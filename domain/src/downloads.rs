//! Many assets as one ZIP, streamed: entries are stored (media is compressed already), each
//! written from its object's stream with a data descriptor, ZIP64 where sizes need it, so
//! nothing is held whole in memory or copied to disk first.

use crate::assets;
use crate::error::{DomainError, DomainResult};
use crate::storage::{ObjectKey, Storage};
use async_zip::base::write::ZipFileWriter;
use async_zip::{Compression, ZipEntryBuilder};
use diesel_async::AsyncPgConnection;
use futures::io::AsyncWriteExt;
use futures::StreamExt;
use model::asset::VersionState;
use model::permission::Action;
use model::{ApiError, AssetId, UserId};
use std::collections::HashSet;
use tokio::io::AsyncWrite;

/// What goes into the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZipFiles {
    /// The files as uploaded.
    Original,
    /// The web proxies of videos and audio, the previews of photos.
    Proxy,
}

/// One entry: its name in the archive and the object it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipItem {
    /// A safe, unique file name.
    pub name: String,
    /// The object.
    pub key: ObjectKey,
}

/// The most assets one archive holds.
pub const MAX_ASSETS: usize = 1000;

/// A file name that cannot leave the archive's folder or confuse an unzipper: no separators,
/// no control characters, no leading dots.
pub fn safe_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() || c == ':' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.chars().take(200).collect()
    }
}

/// `name`, or `name (2)`, `name (3)`… if an earlier entry took it.
pub(crate) fn unique(name: String, taken: &mut HashSet<String>) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    let mut candidate = name;
    let mut n = 1;
    while !taken.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem} ({n}){ext}");
    }
    candidate
}

/// The entries for `ids` (each viewable by `user`, current versions), in the order given;
/// assets without the file asked for (still processing, failed, no proxy) are left out.
pub async fn items(
    conn: &mut AsyncPgConnection,
    user: UserId,
    ids: &[AssetId],
    files: ZipFiles,
) -> DomainResult<Vec<ZipItem>> {
    if ids.is_empty() || ids.len() > MAX_ASSETS {
        return Err(ApiError::invalid(format!("choose 1 to {MAX_ASSETS} assets to download")).into());
    }
    let mut seen = HashSet::new();
    let mut taken = HashSet::new();
    let mut out = Vec::new();
    for id in ids.iter().filter(|id| seen.insert(**id)) {
        let asset = assets::authorized(conn, user, *id, Action::View).await?;
        let v = assets::version(conn, &asset, None).await?;
        let (name, key) = match (files, v.web_copy()) {
            (ZipFiles::Original, _) if v.state() != VersionState::Uploading => (
                v.original_name.clone(),
                ObjectKey::Original {
                    asset: asset.id,
                    version: v.number,
                },
            ),
            (ZipFiles::Proxy, Some((ext, key))) => (format!("{}.{ext}", v.stem()), key),
            _ => continue,
        };
        out.push(ZipItem {
            name: unique(safe_name(&name), &mut taken),
            key,
        });
    }
    if out.is_empty() {
        return Err(ApiError::invalid("none of these assets has that file yet").into());
    }
    Ok(out)
}

/// Writes `items` as a ZIP into `out`, streaming each object.
pub async fn write_zip<W: AsyncWrite + Unpin>(storage: &Storage, items: &[ZipItem], out: W) -> DomainResult<()> {
    let fail = |e: async_zip::error::ZipError| DomainError::Internal(format!("zip: {e}"));
    let mut zip = ZipFileWriter::with_tokio(out);
    for item in items {
        let store = DomainError::from;
        let (_, mut stream) = storage.get_stream(&item.key).await.map_err(store)?;
        let entry = ZipEntryBuilder::new(item.name.clone().into(), Compression::Stored);
        let mut writer = zip.write_entry_stream(entry).await.map_err(fail)?;
        while let Some(chunk) = stream.next().await {
            writer
                .write_all(&chunk.map_err(store)?)
                .await
                .map_err(|e| DomainError::Internal(format!("zip: {e}")))?;
        }
        writer.close().await.map_err(fail)?;
    }
    let mut inner = zip.close().await.map_err(fail)?;
    inner
        .close()
        .await
        .map_err(|e| DomainError::Internal(format!("zip: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_archive_and_unique() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("..\\boot.ini"), "_boot.ini");
        assert_eq!(safe_name("  .hidden"), "hidden");
        assert_eq!(safe_name("\u{0}"), "_");
        assert_eq!(safe_name(""), "file");
        let mut taken = HashSet::new();
        let names: Vec<String> = ["a.jpg", "A.jpg", "a.jpg", "b"]
            .into_iter()
            .map(|n| unique(n.to_owned(), &mut taken))
            .collect();
        assert_eq!(names, ["a.jpg", "A (2).jpg", "a (3).jpg", "b"]);
    }
}
