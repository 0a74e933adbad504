//! The `dailies` server: configuration, CLI, HTTP router, REST API, and the processes it
//! owns (embedded PostgreSQL, workers). Business rules live in `domain`.

pub mod api;
pub mod cli;
pub mod config;
pub mod database;
pub mod http;
pub mod import;
pub mod live;
pub mod router;
pub mod serve;
pub mod shutdown;
pub mod telemetry;
pub mod worker;
