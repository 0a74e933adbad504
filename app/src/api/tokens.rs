//! Personal API token server functions.

use crate::error::AppError;
use leptos::prelude::*;
use model::dto::{CreatedToken, TokenDto};

/// The caller's tokens.
#[server]
pub async fn list_tokens() -> Result<Vec<TokenDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::auth::tokens::list(&mut *conn().await?, caller.id()).await?)
}

/// Creates a token; the secret is in the answer, once.
#[server]
pub async fn create_token(
    name: String,
    scope: Option<String>,
    expires_in_days: Option<String>,
) -> Result<CreatedToken, AppError> {
    use crate::ssr::{caller, conn};
    use model::dto::{CreateTokenRequest, TokenScope};
    let caller = caller().await?;
    let req = CreateTokenRequest {
        name,
        scope: if scope.as_deref() == Some("read") {
            TokenScope::Read
        } else {
            TokenScope::Write
        },
        expires_in_days: expires_in_days.and_then(|d| d.parse().ok()).filter(|d| *d > 0),
    };
    Ok(domain::auth::tokens::create(&mut *conn().await?, caller.id(), &req).await?)
}

/// Revokes one of the caller's tokens.
#[server]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::auth::tokens::revoke(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}
