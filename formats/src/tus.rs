//! The values of tus 1.0 request headers: `Upload-Metadata`, `Upload-Checksum` and the
//! integer headers (`Upload-Length`, `Upload-Offset`). Hand-written: the protocol is the
//! product. Errors carry a message for people; the server adds the status.

use base64::Engine;
use std::collections::HashMap;

/// A header value that does not follow the protocol; the message says why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadHeader(pub String);

/// The checksum algorithms `Upload-Checksum` may name.
pub const CHECKSUMS: &str = "sha1,sha256";

/// A checksum algorithm of the checksum extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

/// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
pub fn parse_metadata(raw: &str) -> Result<HashMap<String, String>, BadHeader> {
    let mut out = HashMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut parts = pair.splitn(2, ' ');
        let key = parts.next().unwrap_or_default().trim();
        if key.is_empty() {
            return Err(BadHeader("Upload-Metadata has an empty key".into()));
        }
        let value = match parts.next().map(str::trim) {
            None | Some("") => String::new(),
            Some(b64) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|_| BadHeader(format!("Upload-Metadata value of {key} is not base64")))?;
                String::from_utf8(bytes)
                    .map_err(|_| BadHeader(format!("Upload-Metadata value of {key} is not UTF-8")))?
            }
        };
        out.insert(key.to_owned(), value);
    }
    Ok(out)
}

/// Parses `Upload-Checksum`: `<algorithm> <base64 digest>`.
pub fn parse_checksum(raw: &str) -> Result<(Algorithm, Vec<u8>), BadHeader> {
    let (algo, b64) = raw
        .split_once(' ')
        .ok_or_else(|| BadHeader("Upload-Checksum must be \"<algorithm> <base64 digest>\"".into()))?;
    let digest = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| BadHeader("the Upload-Checksum digest is not base64".into()))?;
    match algo.trim().to_ascii_lowercase().as_str() {
        "sha1" => Ok((Algorithm::Sha1, digest)),
        "sha256" => Ok((Algorithm::Sha256, digest)),
        other => Err(BadHeader(format!(
            "checksum algorithm {other} is not supported; use one of {CHECKSUMS}"
        ))),
    }
}

/// Parses a non-negative integer header such as `Upload-Length` or `Upload-Offset` (digits
/// only: no sign, no spaces, no exponent).
pub fn parse_length(raw: &str) -> Result<u64, BadHeader> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadHeader("must be a non-negative integer".into()));
    }
    raw.parse::<u64>()
        .map_err(|_| BadHeader("is larger than any upload can be".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs() -> Result<(), BadHeader> {
        let m = parse_metadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential, project_id YWJj")?;
        assert_eq!(m.get("filename").map(String::as_str), Some("world_domination_plan.pdf"));
        assert_eq!(m.get("is_confidential").map(String::as_str), Some(""));
        assert_eq!(m.get("project_id").map(String::as_str), Some("abc"));
        assert!(parse_metadata("filename !!!").is_err());
        assert!(parse_metadata(" , ,").is_ok_and(|m| m.is_empty()));
        Ok(())
    }

    #[test]
    fn checksums_and_lengths() {
        assert!(matches!(parse_checksum("sha1 AAAA"), Ok((Algorithm::Sha1, d)) if d == [0, 0, 0]));
        assert!(parse_checksum("md5 AAAA").is_err());
        assert!(parse_checksum("sha256").is_err());
        assert_eq!(parse_length("0"), Ok(0));
        assert_eq!(parse_length("18446744073709551615"), Ok(u64::MAX));
        for bad in ["", "-1", "+1", " 1", "1e3", "18446744073709551616"] {
            assert!(parse_length(bad).is_err(), "{bad:?}");
        }
    }
}
