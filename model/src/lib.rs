//! Pure types shared by the browser and the server.
//!
//! No IO, no Diesel, no Leptos: everything here builds for `wasm32-unknown-unknown`.

pub mod analytics;
pub mod annotation;
pub mod asset;
pub mod audit;
pub mod bulk;
pub mod clone;
pub mod collection;
pub mod custom_field;
pub mod dto;
pub mod error;
pub mod export;
pub mod fields;
pub mod filter;
pub mod ids;
pub mod invitation;
pub mod live;
pub mod markup;
pub mod notification;
pub mod permission;
pub mod rational;
pub mod review;
pub mod role;
pub mod share;
pub mod timecode;
pub mod validate;
pub mod webhook;

pub use error::{ApiError, ErrorCode};
pub use ids::{
    AssetId, CollectionId, CommentId, CustomFieldId, FolderId, NotificationId, ProjectId, ShareId, TokenId, UploadId,
    UserId,
};
pub use permission::{Action, Grant, Ownership};
pub use rational::Rational;
pub use role::Role;
pub use timecode::Timecode;
