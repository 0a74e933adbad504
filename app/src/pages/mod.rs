//! One module per page.

pub mod account;
pub mod activity;
pub mod admin_audit;
pub mod admin_jobs;
pub mod admin_outbox;
pub mod analytics;
pub mod compare;
pub mod exports;
pub mod home;
pub mod invite;
pub mod login;
pub mod members;
pub mod new_project;
pub mod not_found;
pub mod notifications;
pub mod project;
pub mod projects;
pub mod review;
pub mod share;
pub mod shares;
pub mod signup;
pub mod webhooks;
