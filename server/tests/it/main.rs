//! Server integration tests: the real router against a fresh PostgreSQL database per test,
//! and the real `dailies` binary for the CLI and process lifecycle.

mod analytics;
mod api_admin;
mod api_auth;
mod api_members;
mod api_projects;
mod audit;
mod cli;
mod clones;
mod downloads;
mod exports;
mod ingest;
mod invitations;
mod live;
mod mail;
mod media_files;
mod notifications;
mod ops;
mod organise;
mod packages;
mod pages;
mod renditions;
mod review;
mod scale_out;
mod selects;
mod share_comments;
mod share_verdicts;
mod share_watermarks;
mod shares;
mod stock_client;
mod support;
mod uploads;
mod uploads_resume;
mod webhooks;
mod worker_crash;
mod ws_client;
