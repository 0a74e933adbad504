//! The one error shape clients see: a stable code and a human message.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable, snake_case error codes. Clients match on these; never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request's input failed validation.
    InvalidInput,
    /// No valid session or token.
    Unauthenticated,
    /// Wrong e-mail or password.
    InvalidCredentials,
    /// Signed in, but the role does not allow this.
    Forbidden,
    /// The state-changing request did not come from this site.
    CsrfFailed,
    /// Sign-up is closed on this instance.
    SignupsClosed,
    /// No such thing, or not visible to the caller.
    NotFound,
    /// The e-mail address already has an account.
    EmailTaken,
    /// The user is already a member of the project.
    AlreadyMember,
    /// The change would leave a project without an owner.
    LastOwner,
    /// Too many attempts; try again later.
    RateLimited,
    /// A dependency (database, storage) is unavailable.
    Unavailable,
    /// The server's storage has no room left for the data.
    StorageFull,
    /// The request conflicts with the resource's state (e.g. a tus offset that is not the stored one).
    Conflict,
    /// The file or request body is larger than this instance allows.
    TooLarge,
    /// The request's body is not of the required content type.
    UnsupportedMediaType,
    /// A required protocol header is missing or names an unsupported version.
    PreconditionFailed,
    /// Another request is writing to the same upload; retry shortly.
    Locked,
    /// The body did not match its `Upload-Checksum`.
    ChecksumMismatch,
    /// The upload has expired or was terminated.
    Gone,
    /// The requested byte range is outside the object.
    RangeNotSatisfiable,
    /// The thing exists but is not ready yet (still uploading or processing).
    NotReady,
    /// A live (WebSocket) message is not JSON of a known type and shape.
    InvalidMessage,
    /// A collection filter or search filter names an unknown field, operator or value type.
    InvalidFilter,
    /// A copy would contain itself (a folder into itself) or objects depend on each other in a circle.
    CloneCycle,
    /// Something went wrong on the server; details are in its log.
    Internal,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidInput | ErrorCode::InvalidMessage | ErrorCode::InvalidFilter => 400,
            ErrorCode::Unauthenticated | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::CsrfFailed | ErrorCode::SignupsClosed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::EmailTaken | ErrorCode::AlreadyMember | ErrorCode::LastOwner => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::Conflict => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::Locked => 423,
            ErrorCode::ChecksumMismatch => 460,
            ErrorCode::Gone => 410,
            ErrorCode::RangeNotSatisfiable => 416,
            ErrorCode::NotReady | ErrorCode::CloneCycle => 409,
            ErrorCode::Unavailable => 503,
            ErrorCode::StorageFull => 507,
            ErrorCode::Internal => 500,
        }
    }

    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::SignupsClosed => "signups_closed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::AlreadyMember => "already_member",
            ErrorCode::LastOwner => "last_owner",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::StorageFull => "storage_full",
            ErrorCode::Conflict => "conflict",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::Locked => "locked",
            ErrorCode::ChecksumMismatch => "checksum_mismatch",
            ErrorCode::Gone => "gone",
            ErrorCode::RangeNotSatisfiable => "range_not_satisfiable",
            ErrorCode::NotReady => "not_ready",
            ErrorCode::InvalidMessage => "invalid_message",
            ErrorCode::InvalidFilter => "invalid_filter",
            ErrorCode::CloneCycle => "clone_cycle",
            ErrorCode::Internal => "internal",
        }
    }
}

/// An error as sent to clients: `{"code": "...", "message": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Safe, human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Input that failed validation.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// The generic not-found answer (also used for things the caller may not see).
    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "not found")
    }

    /// The caller's role does not allow this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    /// No session or token.
    pub fn unauthenticated() -> Self {
        Self::new(ErrorCode::Unauthenticated, "please sign in")
    }

    /// An internal error: the message never carries the cause.
    pub fn internal() -> Self {
        Self::new(ErrorCode::Internal, "internal error")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// The JSON body of every error response: `{"error": {...}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_wire_names() -> Result<(), serde_json::Error> {
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::LastOwner,
            ErrorCode::RateLimited,
            ErrorCode::CsrfFailed,
            ErrorCode::InvalidMessage,
            ErrorCode::InvalidFilter,
        ] {
            assert_eq!(serde_json::to_string(&code)?, format!("\"{}\"", code.as_str()));
        }
        let body = ErrorBody {
            error: ApiError::forbidden("no"),
        };
        assert_eq!(
            serde_json::to_value(&body)?,
            serde_json::json!({"error": {"code": "forbidden", "message": "no"}})
        );
        Ok(())
    }
}
