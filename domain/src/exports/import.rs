//! Markers from an editing timeline back in as comments: a Resolve marker EDL or an Avid
//! locator file becomes one comment per marker on a version of a clip, written by the caller
//! (another author's name is kept at the start of the text). All or nothing: one bad line or
//! a marker off the clip refuses the file, naming the line.

use super::comments::clip_of;
use crate::assets;
use crate::error::{DomainError, DomainResult};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use model::asset::MediaType;
use model::permission::Action;
use model::review::{CommentDto, NewComment};
use model::{ApiError, AssetId, UserId};

/// The most markers one file may bring.
pub const MAX_MARKERS: usize = 1000;

/// The marker files that can be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerFormat {
    /// DaVinci Resolve marker EDL.
    Edl,
    /// Avid locators.
    Avid,
}

impl MarkerFormat {
    /// `edl` or `avid`.
    pub fn parse(s: &str) -> Option<MarkerFormat> {
        match s {
            "edl" => Some(MarkerFormat::Edl),
            "avid" => Some(MarkerFormat::Avid),
            _ => None,
        }
    }
}

/// Imports `text` as comments on `version` (default: current) of clip `asset`.
pub async fn import(
    conn: &mut AsyncPgConnection,
    user: UserId,
    asset: AssetId,
    version: Option<i32>,
    format: MarkerFormat,
    text: &str,
) -> DomainResult<Vec<CommentDto>> {
    let row = assets::authorized(conn, user, asset, Action::Comment).await?;
    if row.media_type != MediaType::Video.as_str() {
        return Err(ApiError::invalid("markers can only be imported onto a video clip").into());
    }
    let version = assets::version(conn, &row, version).await?;
    let clip = clip_of(&row.name, &version);
    let markers = match format {
        MarkerFormat::Edl => formats::edl::read(&clip, text),
        MarkerFormat::Avid => formats::avid::read(&clip, text),
    }
    .map_err(|e| ApiError::invalid(format!("this is not a marker file Dailies can read: {e}")))?;
    if markers.is_empty() {
        return Err(ApiError::invalid("the file holds no markers").into());
    }
    if markers.len() > MAX_MARKERS {
        return Err(ApiError::invalid(format!("at most {MAX_MARKERS} markers at once")).into());
    }
    let me = crate::people::by_ids(conn, &[user.0]).await?;
    let my_name = me.first().map(|p| p.name.clone()).unwrap_or_default();
    conn.transaction::<_, DomainError, _>(async |conn| {
        let mut made = Vec::with_capacity(markers.len());
        for (i, m) in markers.into_iter().enumerate() {
            let body = if m.author.is_empty() || m.author == my_name {
                m.text
            } else {
                format!("{}: {}", m.author, m.text)
            };
            let new = NewComment {
                body,
                frame_in: Some(m.frame_in),
                frame_out: m.frame_out,
                version: Some(version.number),
                ..Default::default()
            };
            let comment = crate::comments::create(conn, user, asset, new)
                .await
                .map_err(|e| match e {
                    DomainError::Api(api) => {
                        ApiError::new(api.code, format!("marker {}: {}", i + 1, api.message)).into()
                    }
                    other => other,
                })?;
            made.push(comment);
        }
        Ok(made)
    })
    .await
}
