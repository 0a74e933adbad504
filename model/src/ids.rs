//! Newtype ids, so a project id can never be passed where a user id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A project: the unit of membership and permissions.
    ProjectId
);
id_type!(
    /// A personal API token.
    TokenId
);
id_type!(
    /// An asset: a photo, video or audio file with its version stack.
    AssetId
);
id_type!(
    /// A folder inside a project.
    FolderId
);
id_type!(
    /// A resumable (tus) upload.
    UploadId
);

/// Parses an id from a URL or form field. A malformed id is answered like an unknown one
/// (`not_found`), so ids reveal nothing.
pub fn parse_id<T: FromStr>(raw: &str) -> Result<T, crate::ApiError> {
    raw.trim().parse().map_err(|_| crate::ApiError::not_found())
}
id_type!(
    /// A comment (or a reply) on an asset.
    CommentId
);
id_type!(
    /// An in-app notification.
    NotificationId
);
id_type!(
    /// A collection of assets, manual or smart.
    CollectionId
);
id_type!(
    /// A custom metadata field defined by a project.
    CustomFieldId
);

id_type!(
    /// A share link.
    ShareId
);
