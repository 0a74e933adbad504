//! Errors, in three tiers:
//!
//! 1. `anyhow` in the CLI, the embedded cluster and (later) jobs;
//! 2. [`DomainError`] in domain functions: either a user-facing [`ApiError`] or an
//!    infrastructure failure (database, pool);
//! 3. [`ApiError`] at the HTTP / server-function boundary, made by [`DomainError::to_api`],
//!    which is where infrastructure causes are logged (once) and hidden from clients.

use model::{ApiError, ErrorCode};

/// What a domain function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// A failure the caller should see as is (validation, permission, not found …).
    #[error("{0}")]
    Api(#[from] ApiError),
    /// A database error.
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    /// No database connection could be had.
    #[error("database unavailable: {0}")]
    Pool(String),
    /// Anything else that went wrong on the server.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The result of a domain function.
pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    /// The error to show the client. Infrastructure causes are logged here and hidden.
    pub fn to_api(&self) -> ApiError {
        match self {
            DomainError::Api(e) => e.clone(),
            DomainError::Db(diesel::result::Error::NotFound) => ApiError::not_found(),
            DomainError::Db(e) if lost_connection(e) => {
                tracing::warn!(error = %e, "database connection lost");
                ApiError::new(ErrorCode::Unavailable, "the database is unavailable; try again shortly")
            }
            DomainError::Pool(cause) => {
                tracing::warn!(error = %cause, "database pool unavailable");
                ApiError::new(ErrorCode::Unavailable, "the database is unavailable; try again shortly")
            }
            other => {
                tracing::error!(error = %other, "internal error");
                ApiError::internal()
            }
        }
    }

    /// Shorthand for a user-facing error.
    pub fn api(code: ErrorCode, message: impl Into<String>) -> Self {
        DomainError::Api(ApiError::new(code, message))
    }
}

/// Whether a database error is the connection failing (the server restarting or gone)
/// rather than the query.
fn lost_connection(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => true,
        Error::BrokenTransactionManager => true,
        Error::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("terminating connection") || m.contains("connection closed") || m.contains("shutting down")
        }
        _ => false,
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for DomainError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        DomainError::Pool(e.to_string())
    }
}

impl From<tokio::task::JoinError> for DomainError {
    fn from(e: tokio::task::JoinError) -> Self {
        DomainError::Internal(e.to_string())
    }
}
