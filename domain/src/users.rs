//! User accounts.

use crate::error::DomainResult;
use crate::schema::users;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::dto::UserDto;
use model::UserId;
use uuid::Uuid;

/// A row of `users`.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    /// Id.
    pub id: Uuid,
    /// Lowercase e-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Instance administrator.
    pub is_admin: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A new account.
#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    /// Id.
    pub id: Uuid,
    /// Lowercase e-mail.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
    /// Instance administrator.
    pub is_admin: bool,
}

impl User {
    /// The typed id.
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    /// The account as its owner sees it.
    pub fn to_dto(&self) -> UserDto {
        UserDto {
            id: self.user_id(),
            email: self.email.clone(),
            name: self.name.clone(),
            is_admin: self.is_admin,
            created_at: self.created_at,
        }
    }

    /// Finds an account by (already normalised) e-mail.
    pub async fn find_by_email(conn: &mut AsyncPgConnection, email: &str) -> DomainResult<Option<User>> {
        Ok(users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Finds an account by id.
    pub async fn find(conn: &mut AsyncPgConnection, id: UserId) -> DomainResult<Option<User>> {
        Ok(users::table
            .find(id.0)
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Number of accounts.
    pub async fn count(conn: &mut AsyncPgConnection) -> DomainResult<i64> {
        Ok(users::table.count().get_result(conn).await?)
    }
}
