//! Server-only business logic. Functions take a connection and plain types, so REST
//! handlers, server functions, jobs and tests all call the same code.

pub mod analytics;
pub mod approval;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod backup;
pub mod bulk;
pub mod clones;
pub mod cluster;
pub mod collections;
pub mod comments;
pub mod custom_fields;
pub mod db;
pub mod downloads;
pub mod error;
pub mod events;
pub mod exports;
pub mod filter_sql;
pub mod folders;
pub mod import;
pub mod ingest;
pub mod instance;
pub mod invitations;
pub mod jobs;
pub mod library;
pub mod listen;
pub mod live;
pub mod mail;
pub mod members;
pub mod notifications;
pub mod people;
pub mod projects;
pub mod review;
pub mod schema;
pub mod selects;
pub mod settings;
pub mod shares;
pub mod state;
pub mod storage;
pub mod uploads;
pub mod users;
pub mod versions;
pub mod webhooks;

#[cfg(any(test, feature = "test-support"))]
pub mod testing;

pub use error::{DomainError, DomainResult};
pub use state::AppState;
