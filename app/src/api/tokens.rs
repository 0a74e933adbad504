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
pub async fn create_token(name: String) -> Result<CreatedToken, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::auth::tokens::create(&mut *conn().await?, caller.id(), &name).await?)
}

/// Revokes one of the caller's tokens.
#[server]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::auth::tokens::revoke(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}
