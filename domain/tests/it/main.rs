//! Domain integration tests against a real PostgreSQL (one fresh database per test).

mod accounts;
mod members;
mod projects;
mod schema;
mod support;
