//! Photo selects in and out of catalogues as XMP: a sidecar per photo (rating, reject, colour
//! label, keywords, caption), one or a ZIP of many with a list of the file names; and a
//! sidecar uploaded beside its photo (`IMG_1.xmp` next to `IMG_1.CR3`) applied to that photo
//! instead of becoming an asset.

use crate::assets::{self, Version};
use crate::downloads::{safe_name, unique};
use crate::error::{DomainError, DomainResult};
use crate::exports::ExportFile;
use crate::schema::assets as assets_table;
use async_zip::base::write::ZipFileWriter;
use async_zip::{Compression, ZipEntryBuilder};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use formats::xmp::{self, Selects};
use model::permission::Action;
use model::review::{ColorLabel, RatingRequest};
use model::{ApiError, AssetId, UserId};
use std::collections::HashSet;

/// The most sidecars in one ZIP.
pub const MAX_SIDECARS: usize = 5000;

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Lightroom's names for the labels.
fn label_name(label: ColorLabel) -> &'static str {
    match label {
        ColorLabel::Red => "Red",
        ColorLabel::Yellow => "Yellow",
        ColorLabel::Green => "Green",
        ColorLabel::Blue => "Blue",
    }
}

async fn selects_of(conn: &mut AsyncPgConnection, user: UserId, id: AssetId) -> DomainResult<(String, Selects)> {
    let dto = assets::get(conn, user, id).await?;
    let selects = Selects {
        rating: dto.rating,
        label: dto.label.map(|l| label_name(l).to_owned()),
        keywords: dto.fields.tags.clone(),
        description: Some(dto.fields.description.clone()).filter(|d| !d.is_empty()),
    };
    Ok((dto.name, selects))
}

/// The sidecar of one asset (`<basename>.xmp`).
pub async fn sidecar(conn: &mut AsyncPgConnection, user: UserId, id: AssetId) -> DomainResult<ExportFile> {
    let (name, selects) = selects_of(conn, user, id).await?;
    Ok(ExportFile {
        name: format!("{}.xmp", safe_name(stem(&name))),
        content_type: "application/rdf+xml",
        body: xmp::write(&selects).into_bytes(),
    })
}

/// The sidecars of `ids` in one ZIP, with `selects.txt` listing the files (one per line, in
/// the order given) for a catalogue's "find by name".
pub async fn sidecars_zip(conn: &mut AsyncPgConnection, user: UserId, ids: &[AssetId]) -> DomainResult<ExportFile> {
    if ids.is_empty() || ids.len() > MAX_SIDECARS {
        return Err(ApiError::invalid(format!("choose 1 to {MAX_SIDECARS} assets")).into());
    }
    let fail = |e: async_zip::error::ZipError| DomainError::Internal(e.to_string());
    let mut zip = ZipFileWriter::with_tokio(Vec::new());
    let mut taken = HashSet::new();
    let mut list = String::new();
    for id in ids {
        let (name, selects) = selects_of(conn, user, *id).await?;
        let entry = unique(format!("{}.xmp", safe_name(stem(&name))), &mut taken);
        list.push_str(&name);
        list.push('\n');
        let builder = ZipEntryBuilder::new(entry.into(), Compression::Stored);
        zip.write_entry_whole(builder, xmp::write(&selects).as_bytes())
            .await
            .map_err(fail)?;
    }
    let builder = ZipEntryBuilder::new(unique("selects.txt".into(), &mut taken).into(), Compression::Stored);
    zip.write_entry_whole(builder, list.as_bytes()).await.map_err(fail)?;
    let body = zip.close().await.map_err(fail)?.into_inner();
    Ok(ExportFile {
        name: "sidecars.zip".into(),
        content_type: "application/zip",
        body,
    })
}

/// If `version` is an XMP sidecar (by content), applies it to the photo with the same base
/// name in the same folder — as the person who uploaded it, so their role is checked and the
/// change audited — and deletes the sidecar's asset. Returns whether it was one; a sidecar
/// with no photo beside it is refused with a reason.
pub async fn apply_uploaded_sidecar(
    conn: &mut AsyncPgConnection,
    version: &Version,
    head: &[u8],
    path: &std::path::Path,
) -> DomainResult<bool> {
    const MAX_SIDECAR: u64 = 1024 * 1024;
    if !xmp::looks_like_xmp(head) {
        return Ok(false);
    }
    let internal = |e: std::io::Error| DomainError::Internal(e.to_string());
    if tokio::fs::metadata(path).await.map_err(internal)?.len() > MAX_SIDECAR {
        return Err(ApiError::invalid("an XMP sidecar is at most 1 MiB").into());
    }
    let text = String::from_utf8_lossy(&tokio::fs::read(path).await.map_err(internal)?).into_owned();
    let asset = assets::find(conn, AssetId(version.asset_id)).await?;
    let user = version
        .uploaded_by
        .map(UserId)
        .ok_or_else(|| ApiError::invalid("a sidecar needs the person who uploaded it"))?;
    let siblings: Vec<(uuid::Uuid, String)> = assets_table::table
        .filter(assets_table::project_id.eq(asset.project_id))
        .filter(assets_table::folder_id.is_not_distinct_from(asset.folder_id))
        .filter(assets_table::id.ne(asset.id))
        .filter(assets_table::trashed_at.is_null())
        .select((assets_table::id, assets_table::name))
        .load(conn)
        .await?;
    let Some((photo, _)) = siblings
        .into_iter()
        .find(|(_, n)| stem(n).eq_ignore_ascii_case(stem(&asset.name)) && !n.to_lowercase().ends_with(".xmp"))
    else {
        return Err(ApiError::invalid(format!(
            "{} is an XMP sidecar, but no photo named {}.* is beside it; upload the photo first",
            asset.name,
            stem(&asset.name)
        ))
        .into());
    };
    apply(conn, user, AssetId(photo), xmp::read(&text)).await?;
    crate::bulk::remove_sidecar(conn, asset.id).await?;
    tracing::info!(sidecar = %asset.id, %photo, "XMP sidecar applied");
    Ok(true)
}

/// Most bytes of a photo searched for embedded XMP (it sits near the start of JPEG, TIFF-based
/// RAW, PNG and HEIC files).
const EMBEDDED_SCAN: u64 = 4 * 1024 * 1024;

/// The stars, label, keywords and caption Lightroom, Bridge or a camera wrote into a newly
/// uploaded photo version (at `path`), applied as its uploader — unless the version is rated
/// or the asset labelled already (people's decisions win); keywords are added, a caption only
/// fills an empty description. Returns whether anything was applied.
pub async fn apply_embedded(
    conn: &mut AsyncPgConnection,
    version: &Version,
    path: &std::path::Path,
) -> DomainResult<bool> {
    use tokio::io::AsyncReadExt;
    let Some(user) = version.uploaded_by.map(UserId) else {
        return Ok(false);
    };
    let mut head = Vec::new();
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    file.take(EMBEDDED_SCAN)
        .read_to_end(&mut head)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    let Some(mut selects) = xmp::embedded(&head) else {
        return Ok(false);
    };
    let asset = assets::find(conn, AssetId(version.asset_id)).await?;
    if asset.rating != 0 || asset.label.is_some() || asset.current_version != version.number {
        return Ok(false);
    }
    if !asset.description.is_empty() {
        selects.description = None;
    }
    apply(conn, user, AssetId(asset.id), selects).await?;
    tracing::info!(asset = %asset.id, "embedded XMP applied");
    Ok(true)
}

/// Applies `selects` to `photo` as `user`, through the normal rating, label and bulk edits
/// (so the role is checked and the change audited and sent live).
async fn apply(conn: &mut AsyncPgConnection, user: UserId, photo: AssetId, selects: Selects) -> DomainResult<()> {
    assets::authorized(conn, user, photo, Action::Rate).await?;
    if selects.rating != 0 {
        let request = RatingRequest {
            rating: Some(selects.rating),
            picked: None,
            version: None,
        };
        crate::review::set_rating(conn, user, photo, request).await?;
    }
    if let Some(label) = selects
        .label
        .as_deref()
        .and_then(|l| ColorLabel::parse(&l.to_lowercase()))
    {
        crate::review::set_label(conn, user, photo, Some(label)).await?;
    }
    let mut set = serde_json::Map::new();
    if let Some(d) = selects.description {
        set.insert("description".into(), d.into());
    }
    if !set.is_empty() || !selects.keywords.is_empty() {
        let request = model::bulk::BulkMetadata {
            asset_ids: vec![photo],
            set,
            tags_add: selects.keywords,
            ..Default::default()
        };
        crate::bulk::metadata(conn, user, request).await?;
    }
    Ok(())
}
