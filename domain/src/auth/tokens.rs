//! Personal API tokens: `dly_<random>`, shown once, stored as a SHA-256 hash, revocable,
//! read-only or read-write, optionally expiring.

use super::secret;
use crate::error::DomainResult;
use crate::schema::api_tokens;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::dto::{CreateTokenRequest, CreatedToken, TokenDto, TokenScope};
use model::{ApiError, TokenId, UserId};
use uuid::Uuid;

/// Every token starts with this, so leaked tokens are easy to recognise and scan for.
pub const PREFIX: &str = "dly_";

/// A row of `api_tokens`.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// Label.
    pub name: String,
    /// First characters of the secret.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// `read` or `write`.
    pub scope: String,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// The token without its secret.
    pub fn to_dto(&self) -> TokenDto {
        TokenDto {
            id: TokenId(self.id),
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            created_at: self.created_at,
            last_used_at: self.last_used_at,
            scope: if self.scope == "read" {
                TokenScope::Read
            } else {
                TokenScope::Write
            },
            expires_at: self.expires_at,
            revoked: self.revoked_at.is_some(),
        }
    }
}

/// Creates a token for `user` (scope and expiry as asked); the returned secret is never
/// stored in clear.
pub async fn create(
    conn: &mut AsyncPgConnection,
    user: UserId,
    req: &CreateTokenRequest,
) -> DomainResult<CreatedToken> {
    let name = model::validate::token_name(&req.name)?;
    if req.expires_in_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(ApiError::invalid("a token expires in 1 to 3650 days, or never").into());
    }
    let expires_at = req
        .expires_in_days
        .map(|d| Utc::now() + chrono::Duration::days(i64::from(d)));
    let secret = format!("{PREFIX}{}", secret::random_token(32));
    let prefix: String = secret.chars().take(PREFIX.len() + 6).collect();
    let token: ApiToken = conn
        .transaction::<_, crate::error::DomainError, _>(async |conn| {
            let token: ApiToken = diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::id.eq(Uuid::new_v4()),
                    api_tokens::user_id.eq(user.0),
                    api_tokens::name.eq(&name),
                    api_tokens::prefix.eq(&prefix),
                    api_tokens::token_hash.eq(secret::hash(&secret)),
                    api_tokens::scope.eq(req.scope.as_str()),
                    api_tokens::expires_at.eq(expires_at),
                ))
                .returning(ApiToken::as_returning())
                .get_result(conn)
                .await?;
            let detail = serde_json::json!({ "name": name, "prefix": prefix, "scope": req.scope.as_str(), "expires_at": expires_at });
            crate::audit::record_account(conn, Some(user), "token.create", Some(token.id), detail).await?;
            Ok(token)
        })
        .await?;
    Ok(CreatedToken {
        token: token.to_dto(),
        secret,
    })
}

/// The user's tokens, newest first.
pub async fn list(conn: &mut AsyncPgConnection, user: UserId) -> DomainResult<Vec<TokenDto>> {
    let rows: Vec<ApiToken> = api_tokens::table
        .filter(api_tokens::user_id.eq(user.0))
        .order(api_tokens::created_at.desc())
        .select(ApiToken::as_select())
        .load(conn)
        .await?;
    Ok(rows.iter().map(ApiToken::to_dto).collect())
}

/// Revokes one of the user's tokens (404 for another user's token).
pub async fn revoke(conn: &mut AsyncPgConnection, user: UserId, id: TokenId) -> DomainResult<()> {
    let n = diesel::update(api_tokens::table.find(id.0).filter(api_tokens::user_id.eq(user.0)))
        .set(api_tokens::revoked_at.eq(Some(Utc::now())))
        .execute(conn)
        .await?;
    if n == 0 {
        return Err(ApiError::not_found().into());
    }
    crate::audit::record_account(conn, Some(user), "token.revoke", Some(id.0), serde_json::json!({})).await
}

/// Resolves a bearer secret to (token id, user id, read only), recording its use; revoked
/// and expired tokens resolve to nothing.
pub async fn lookup(conn: &mut AsyncPgConnection, bearer: &str) -> DomainResult<Option<(Uuid, Uuid, bool)>> {
    if !bearer.starts_with(PREFIX) {
        return Ok(None);
    }
    let found: Option<(Uuid, Uuid, String)> = diesel::update(
        api_tokens::table
            .filter(api_tokens::token_hash.eq(secret::hash(bearer)))
            .filter(api_tokens::revoked_at.is_null())
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(Utc::now())),
            ),
    )
    .set(api_tokens::last_used_at.eq(Some(Utc::now())))
    .returning((api_tokens::id, api_tokens::user_id, api_tokens::scope))
    .get_result(conn)
    .await
    .optional()?;
    Ok(found.map(|(id, user, scope)| (id, user, scope == TokenScope::Read.as_str())))
}
