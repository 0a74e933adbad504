//! Storage failures, and what people are told about them.

use crate::error::DomainError;
use model::{ApiError, ErrorCode};

/// Storage failures, with the object they concern.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The object does not exist.
    #[error("object {0} not found")]
    NotFound(String),
    /// The store failed or is unreachable.
    #[error("storage error on {key}: {source}")]
    Store {
        /// The object.
        key: String,
        /// The cause.
        source: object_store::Error,
    },
    /// The input stream failed.
    #[error("reading the data to store failed: {0}")]
    Input(std::io::Error),
    /// The configuration is not usable.
    #[error("storage configuration: {0}")]
    Config(String),
}

impl StorageError {
    /// What went wrong, as people should hear it: a full disk and an unreachable store are
    /// named (`507 storage_full`, `503 unavailable`); anything else is an internal error.
    pub fn to_api(&self) -> Option<ApiError> {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = match self {
            StorageError::Input(io) => Some(io),
            other => Some(other),
        };
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind as K;
                match io.kind() {
                    K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
                        return Some(ApiError::new(
                            ErrorCode::StorageFull,
                            "the server's storage is full; nothing was lost, resume once space is freed",
                        ))
                    }
                    K::ConnectionRefused
                    | K::ConnectionReset
                    | K::ConnectionAborted
                    | K::NotConnected
                    | K::TimedOut => return Some(unreachable()),
                    _ => {}
                }
            }
            cause = e.source();
        }
        // object_store folds transport failures into text.
        let text = self.to_string();
        [
            "error sending request",
            "Connection refused",
            "connection closed",
            "timed out",
        ]
        .iter()
        .any(|t| text.contains(t))
        .then(unreachable)
    }
}

fn unreachable() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        "the storage is unreachable; try again shortly (uploads resume where they stopped)",
    )
}

impl From<StorageError> for DomainError {
    fn from(e: StorageError) -> Self {
        match e.to_api() {
            Some(api) => {
                tracing::warn!(error = %e, code = api.code.as_str(), "storage failed");
                DomainError::Api(api)
            }
            None => DomainError::Internal(e.to_string()),
        }
    }
}
