//! Accounts and authentication: passwords, sessions, API tokens, sign-up and log-in.

pub mod caller;
pub mod login;
pub mod password;
pub mod secret;
pub mod sessions;
pub mod tokens;

pub use caller::{AuthMethod, Caller};
