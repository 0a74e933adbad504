//! Getting decisions out: comment reports and NLE markers ([`comments`], [`report`]) and
//! their import ([`import`]); exports ([`renditions`]) made by a job ([`render`]) as video
//! renditions or packages ([`packages`]).

pub mod comments;
pub mod import;
pub mod packages;
pub mod render;
pub mod renditions;
pub mod report;

/// A file made for download.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportFile {
    /// The name to save it as.
    pub name: String,
    /// Its MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub body: Vec<u8>,
}
