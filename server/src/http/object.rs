//! Serving a stored object over HTTP: streamed (never held in memory), with single-range
//! `Range` requests (206/416), validators (`ETag`, `If-None-Match` → 304) and an optional
//! download name.

use super::error::HttpError;
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use domain::storage::{ObjectKey, Storage, StorageError};
use futures::TryStreamExt;
use http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, RANGE,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use model::{ApiError, ErrorCode};

/// How to present an object.
pub struct Serve<'a> {
    /// The object.
    pub key: ObjectKey,
    /// Its MIME type.
    pub content_type: &'a str,
    /// Strong validator; objects never change under one key and version.
    pub etag: String,
    /// `Some(name)` to download as an attachment.
    pub download_name: Option<&'a str>,
}

/// A single byte range, resolved against the object's size.
#[derive(Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// No (usable) Range header: the whole object.
    Full,
    /// `start..end` (end exclusive).
    Part(u64, u64),
    /// Outside the object.
    Unsatisfiable,
}

/// Parses `Range: bytes=a-b | a- | -n`. Multiple ranges are answered with the whole object.
pub fn parse_range(header: Option<&str>, size: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Full;
    };
    if spec.contains(',') {
        return ByteRange::Full;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return ByteRange::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (None, Some(n)) if a.is_empty() => {
            if n == 0 || size == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(size.saturating_sub(n), size)
            }
        }
        (Some(start), None) if b.is_empty() => {
            if start >= size {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(start, size)
            }
        }
        (Some(start), Some(end)) if start <= end => {
            if start >= size {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(start, end.min(size - 1) + 1)
            }
        }
        _ => ByteRange::Full,
    }
}

pub(crate) fn content_disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

fn storage_error(e: StorageError) -> HttpError {
    match e {
        StorageError::NotFound(_) => HttpError(ApiError::new(ErrorCode::NotReady, "this file is not available yet")),
        other => HttpError(domain::DomainError::from(other).to_api()),
    }
}

/// Streams the object (or the requested range of it).
pub async fn serve(storage: &Storage, headers: &HeaderMap, what: Serve<'_>) -> Result<Response, HttpError> {
    let etag = format!("\"{}\"", what.etag);
    let mut out = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(ETAG, v);
    }
    out.insert(CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    out.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(what.content_type) {
        out.insert(CONTENT_TYPE, v);
    }
    if let Some(name) = what.download_name {
        out.insert(CONTENT_DISPOSITION, content_disposition(name));
    }
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, out).into_response());
    }
    // Most requests (every thumbnail) have no Range: one GET, no size lookup first.
    let Some(range_header) = headers.get(RANGE).and_then(|v| v.to_str().ok()) else {
        return full(storage, &what.key, out).await;
    };
    let size = storage
        .size(&what.key)
        .await
        .map_err(storage_error)?
        .ok_or_else(|| HttpError(ApiError::new(ErrorCode::NotReady, "this file is not available yet")))?;
    let range = parse_range(Some(range_header), size);
    match range {
        ByteRange::Unsatisfiable => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                out.insert(CONTENT_RANGE, v);
            }
            let body = HttpError(ApiError::new(
                ErrorCode::RangeNotSatisfiable,
                format!("the range is outside the file ({size} bytes)"),
            ));
            Ok((out, body).into_response())
        }
        ByteRange::Part(start, end) => {
            let stream = storage
                .get_range_stream(&what.key, start..end)
                .await
                .map_err(storage_error)?
                .map_err(std::io::Error::other);
            out.insert(CONTENT_LENGTH, HeaderValue::from(end - start));
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{size}", end - 1)) {
                out.insert(CONTENT_RANGE, v);
            }
            Ok((StatusCode::PARTIAL_CONTENT, out, Body::from_stream(stream)).into_response())
        }
        ByteRange::Full => full(storage, &what.key, out).await,
    }
}

/// The whole object, streamed.
async fn full(storage: &Storage, key: &ObjectKey, mut out: HeaderMap) -> Result<Response, HttpError> {
    let (size, stream) = storage.get_stream(key).await.map_err(storage_error)?;
    out.insert(CONTENT_LENGTH, HeaderValue::from(size));
    Ok((
        StatusCode::OK,
        out,
        Body::from_stream(stream.map_err(std::io::Error::other)),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 10), ByteRange::Full);
        assert_eq!(parse_range(Some("bytes=0-"), 10), ByteRange::Part(0, 10));
        assert_eq!(parse_range(Some("bytes=2-4"), 10), ByteRange::Part(2, 5));
        assert_eq!(parse_range(Some("bytes=2-400"), 10), ByteRange::Part(2, 10));
        assert_eq!(parse_range(Some("bytes=-3"), 10), ByteRange::Part(7, 10));
        assert_eq!(parse_range(Some("bytes=-30"), 10), ByteRange::Part(0, 10));
        assert_eq!(parse_range(Some("bytes=10-"), 10), ByteRange::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), ByteRange::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), ByteRange::Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), ByteRange::Full);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), ByteRange::Full);
    }

    #[test]
    fn download_names_are_safe_headers() {
        let v = content_disposition("Día 1 \"final\".mov");
        let s = v.to_str().unwrap_or_default();
        assert!(s.starts_with("attachment; filename=\"D_a 1 _final_.mov\""), "{s}");
        assert!(s.contains("filename*=UTF-8''D%C3%ADa%201%20%22final%22.mov"), "{s}");
    }
}
