//! Server-side plumbing for server functions: state, caller, client info, cookies.

use crate::error::AppError;
use axum::Extension;
use domain::auth::sessions::{ClientInfo, NewSession, COOKIE};
use domain::auth::Caller;
use domain::db::DbConn;
use domain::AppState;
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use model::ApiError;

/// The caller resolved by the server's auth middleware (if any), stored in request extensions.
#[derive(Clone, Debug, Default)]
pub struct RequestCaller(pub Option<Caller>);

/// The app state provided as context by the server.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError(ApiError::internal())
    })
}

/// A pooled connection.
pub async fn conn() -> Result<DbConn, AppError> {
    let state = state()?;
    Ok(domain::db::conn(&state.db).await?)
}

/// The signed-in caller, or `unauthenticated`.
pub async fn caller() -> Result<Caller, AppError> {
    maybe_caller()
        .await?
        .ok_or_else(|| AppError(ApiError::unauthenticated()))
}

/// The signed-in caller, if any.
pub async fn maybe_caller() -> Result<Option<Caller>, AppError> {
    let Extension(RequestCaller(caller)) = leptos_axum::extract::<Extension<RequestCaller>>().await.map_err(|e| {
        tracing::error!(error = %e, "request caller missing: is the auth middleware installed?");
        AppError(ApiError::internal())
    })?;
    Ok(caller)
}

/// IP and user agent of the request.
pub async fn client_info() -> ClientInfo {
    leptos_axum::extract::<Extension<ClientInfo>>()
        .await
        .map(|Extension(c)| c)
        .unwrap_or_default()
}

/// The review link behind `token`, opened with the guest cookie `headers` carry for it (the
/// one way both server functions and REST handlers open a link for its guest).
pub async fn open_link(
    conn: &mut DbConn,
    token: &str,
    headers: &http::HeaderMap,
) -> domain::DomainResult<domain::shares::guest::Access> {
    use domain::shares::guest;
    guest::open(conn, token, |id| cookie(headers, &guest::cookie_name(id))).await
}

/// [`open_link`] for the server function's own request.
pub async fn open_link_here(conn: &mut DbConn, token: &str) -> Result<domain::shares::guest::Access, AppError> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.unwrap_or_default();
    Ok(open_link(conn, token, &headers).await?)
}

/// The value of cookie `name` in `headers`, if set and not empty.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, v)| *n == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value for a share-link guest (cookie `name`, 30 days): HttpOnly,
/// SameSite=Lax, path /.
pub fn guest_cookie(name: &str, secret: &str, secure: bool) -> String {
    let mut c = format!(
        "{name}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        30 * 86_400
    );
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Sets a share-link guest's cookie on the response.
pub fn set_guest_cookie(name: &str, secret: &str) {
    let secure = state().map(|s| s.settings.secure_cookies).unwrap_or(false);
    set_cookie(&guest_cookie(name, secret, secure));
}

/// Sets the session cookie on the response.
pub fn set_session_cookie(session: &NewSession) {
    let secure = state().map(|s| s.settings.secure_cookies).unwrap_or(false);
    set_cookie(&new_session_cookie(session, secure));
}

/// The `Set-Cookie` value that starts `session`, lasting as long as the session does.
pub fn new_session_cookie(session: &NewSession, secure: bool) -> String {
    let max_age = (session.expires_at - chrono::Utc::now()).num_seconds().max(0);
    session_cookie(&session.secret, max_age, secure)
}

/// Clears the session cookie.
pub fn clear_session_cookie() {
    set_cookie(&session_cookie("", 0, false));
}

/// The `Set-Cookie` value for a session: HttpOnly, SameSite=Lax, path /.
pub fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    let mut c = format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}");
    if secure {
        c.push_str("; Secure");
    }
    c
}

fn set_cookie(value: &str) {
    if let (Some(resp), Ok(v)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        resp.append_header(SET_COOKIE, v);
    }
}
