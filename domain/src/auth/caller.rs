//! Who is making a request.

use super::{sessions, tokens};
use crate::error::DomainResult;
use crate::users::User;
use diesel_async::AsyncPgConnection;
use model::UserId;
use std::time::Duration;
use uuid::Uuid;

/// How the caller proved who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    /// A browser session cookie (subject to CSRF checks).
    Session(Uuid),
    /// An API token in `Authorization: Bearer` (never sent by browsers on their own).
    Token(Uuid),
    /// A read-only API token: GET and HEAD only.
    ReadToken(Uuid),
}

/// An authenticated user and how they authenticated.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The account.
    pub user: User,
    /// Session or token.
    pub auth: AuthMethod,
}

impl Caller {
    /// The caller's user id.
    pub fn id(&self) -> UserId {
        self.user.user_id()
    }

    /// Whether the caller may only read (a read-only token).
    pub fn read_only(&self) -> bool {
        matches!(self.auth, AuthMethod::ReadToken(_))
    }

    /// Resolves a session cookie secret.
    pub async fn from_session(
        conn: &mut AsyncPgConnection,
        cookie_secret: &str,
        lifetime: Duration,
    ) -> DomainResult<Option<Caller>> {
        let Some((session_id, user_id)) = sessions::lookup(conn, cookie_secret, lifetime).await? else {
            return Ok(None);
        };
        Ok(User::find(conn, UserId(user_id)).await?.map(|user| Caller {
            user,
            auth: AuthMethod::Session(session_id),
        }))
    }

    /// Resolves a bearer token.
    pub async fn from_token(conn: &mut AsyncPgConnection, bearer: &str) -> DomainResult<Option<Caller>> {
        let Some((token_id, user_id, read_only)) = tokens::lookup(conn, bearer).await? else {
            return Ok(None);
        };
        Ok(User::find(conn, UserId(user_id)).await?.map(|user| Caller {
            user,
            auth: if read_only {
                AuthMethod::ReadToken(token_id)
            } else {
                AuthMethod::Token(token_id)
            },
        }))
    }
}
