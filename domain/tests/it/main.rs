//! Domain integration tests against a real PostgreSQL (one fresh database per test).

mod accounts;
mod events;
mod jobs;
mod members;
mod projects;
mod schema;
mod storage;
mod support;
