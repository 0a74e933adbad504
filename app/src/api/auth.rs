//! Sign-up, log-in, log-out and the current user.

use crate::error::AppError;
use leptos::prelude::*;
use model::dto::UserDto;

/// Creates an account, signs it in and goes to the project list.
#[server]
pub async fn signup(name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::ssr::{client_info, conn, set_session_cookie, state};
    let state = state()?;
    let req = model::dto::SignupRequest { email, name, password };
    let (_, session) =
        domain::auth::login::signup(&mut *conn().await?, &state.settings, &req, &client_info().await).await?;
    set_session_cookie(&session);
    leptos_axum::redirect("/projects");
    Ok(())
}

/// Where to go after signing in: `next` when it is a path on this site, else the projects.
pub fn landing(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/projects",
    }
}

/// Signs in and goes to `next` (a path on this site, e.g. an invitation) or the project list.
#[server]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{client_info, conn, set_session_cookie, state};
    let state = state()?;
    let req = model::dto::LoginRequest { email, password };
    let (_, session) =
        domain::auth::login::login(&mut *conn().await?, &state.settings, &req, &client_info().await).await?;
    set_session_cookie(&session);
    leptos_axum::redirect(landing(next.as_deref()));
    Ok(())
}

/// Ends the session and goes to the log-in page.
#[server]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{clear_session_cookie, conn, maybe_caller};
    if let Some(caller) = maybe_caller().await? {
        domain::auth::login::logout(&mut *conn().await?, &caller).await?;
    }
    clear_session_cookie();
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, or `None`.
#[server]
pub async fn current_user() -> Result<Option<UserDto>, AppError> {
    Ok(crate::ssr::maybe_caller().await?.map(|c| c.user.to_dto()))
}
