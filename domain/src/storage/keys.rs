//! Every object Dailies stores, as a typed key. Paths are built here and nowhere else.

use object_store::path::Path;
use uuid::Uuid;

/// A stored object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectKey {
    /// The uploaded bytes of one version of an asset, exactly as received.
    Original {
        /// Asset.
        asset: Uuid,
        /// Version number (1-based).
        version: i32,
    },
    /// A derivative of a version: thumbnails, preview, proxy, poster, filmstrip, waveform.
    Derivative {
        /// Asset.
        asset: Uuid,
        /// Version number.
        version: i32,
        /// File name inside the version's folder, e.g. `thumb-256.webp`.
        name: String,
    },
    /// Bytes of an upload still in progress.
    Staging {
        /// Upload id.
        upload: Uuid,
    },
    /// Bytes of an S3-staged upload past its last full part, kept between requests.
    StagingTail {
        /// Upload id.
        upload: Uuid,
        /// This tail's id (a new one per request, so a rejected request never clobbers).
        id: Uuid,
    },
    /// A finished export or report, kept for a while for download.
    Export {
        /// Export id.
        export: Uuid,
        /// File name.
        name: String,
    },
    /// Everything stored for one asset (a prefix: every version's original and derivatives).
    AssetFolder {
        /// Asset.
        asset: Uuid,
    },
    /// Everything stored for one version of an asset (a prefix).
    VersionFolder {
        /// Asset.
        asset: Uuid,
        /// Version number.
        version: i32,
    },
    /// A derivative of a version with a share link's watermark burned in.
    Watermarked {
        /// The link.
        share: Uuid,
        /// A digest of the burned text (a new text is a new file).
        stamp: String,
        /// Asset.
        asset: Uuid,
        /// Version number.
        version: i32,
        /// The derivative's file name.
        name: String,
    },
    /// Everything stored for one share link, or for one of its watermark texts (a prefix).
    ShareFolder {
        /// The link.
        share: Uuid,
        /// One text's digest only.
        stamp: Option<String>,
    },
    /// A probe written by health checks.
    HealthProbe,
    /// An object by its path, as a listing of the store gave it (backups and restores).
    Listed {
        /// Path inside the store, `/`-separated.
        path: String,
    },
}

impl ObjectKey {
    /// The object's path inside the store.
    pub fn path(&self) -> Path {
        let raw = match self {
            ObjectKey::Original { asset, version } => format!("assets/{asset}/v{version}/original"),
            ObjectKey::Derivative { asset, version, name } => {
                format!("assets/{asset}/v{version}/{}", sanitise(name))
            }
            ObjectKey::Staging { upload } => format!("staging/{upload}"),
            ObjectKey::StagingTail { upload, id } => format!("staging/{upload}-tail/{id}"),
            ObjectKey::Export { export, name } => format!("exports/{export}/{}", sanitise(name)),
            ObjectKey::AssetFolder { asset } => format!("assets/{asset}"),
            ObjectKey::VersionFolder { asset, version } => format!("assets/{asset}/v{version}"),
            ObjectKey::Watermarked {
                share,
                stamp,
                asset,
                version,
                name,
            } => format!(
                "shares/{share}/{}/{asset}/v{version}/{}",
                sanitise(stamp),
                sanitise(name)
            ),
            ObjectKey::ShareFolder { share, stamp: None } => format!("shares/{share}"),
            ObjectKey::ShareFolder {
                share,
                stamp: Some(stamp),
            } => format!("shares/{share}/{}", sanitise(stamp)),
            ObjectKey::HealthProbe => "health/probe".to_owned(),
            ObjectKey::Listed { path } => path.clone(),
        };
        Path::from(raw)
    }
}

/// Keeps a file name to one safe path segment.
fn sanitise(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "_".to_owned()
    } else {
        trimmed.chars().take(120).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_names_cannot_escape_their_folder() {
        let asset = Uuid::nil();
        assert_eq!(
            ObjectKey::Original { asset, version: 2 }.path().as_ref(),
            "assets/00000000-0000-0000-0000-000000000000/v2/original"
        );
        let evil = ObjectKey::Derivative {
            asset,
            version: 1,
            name: "../../etc/passwd".into(),
        };
        assert_eq!(
            evil.path().as_ref(),
            "assets/00000000-0000-0000-0000-000000000000/v1/_.._etc_passwd"
        );
        let hidden = ObjectKey::Export {
            export: asset,
            name: "...".into(),
        };
        assert!(hidden.path().as_ref().ends_with("/_"));
    }
}
