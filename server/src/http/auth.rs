//! Resolves the caller of every request (session cookie or bearer token) once, and stores
//! it with the client's IP and user agent in the request extensions.

use app::ssr::RequestCaller;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::auth::sessions::{ClientInfo, COOKIE};
use domain::auth::Caller;
use domain::AppState;
use http::header::{AUTHORIZATION, USER_AGENT};
use http::{HeaderMap, Method};
use std::net::SocketAddr;

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    app::ssr::cookie(headers, COOKIE)
}

/// The bearer token, if the request carries one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
}

/// Middleware: attaches [`RequestCaller`] and [`ClientInfo`] to the request.
pub async fn resolve_caller(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let client = ClientInfo {
        ip: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
        user_agent: req
            .headers()
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    // Compiled assets (WASM, JS, CSS) are public and fetched on every page: no session lookup.
    let is_asset = req.uri().path().starts_with("/pkg/");
    let caller = match if is_asset {
        Ok(None)
    } else {
        lookup(&state, req.headers()).await
    } {
        Ok(caller) => caller,
        // Credentials that cannot be checked (the database is down) are not "no credentials":
        // answering 401 would sign browsers out; 503 tells them to try again.
        Err(e) => return crate::http::error::HttpError(e.to_api()).into_response(),
    };
    // A read-only token reads: anything but GET and HEAD is refused before any handler runs.
    if caller.as_ref().is_some_and(Caller::read_only) && !matches!(*req.method(), Method::GET | Method::HEAD) {
        let refused = model::ApiError::forbidden("this API token can only read (GET and HEAD)");
        return crate::http::error::HttpError(refused).into_response();
    }
    req.extensions_mut().insert(RequestCaller(caller));
    req.extensions_mut().insert(client.clone());
    // Every audit row the request writes records where it came from.
    domain::audit::with_client(client, next.run(req)).await
}

async fn lookup(state: &AppState, headers: &HeaderMap) -> domain::DomainResult<Option<Caller>> {
    let bearer = bearer(headers).map(str::to_owned);
    let cookie = session_cookie(headers);
    if bearer.is_none() && cookie.is_none() {
        return Ok(None);
    }
    let mut conn = domain::db::conn(&state.db).await?;
    if let Some(token) = bearer {
        return Caller::from_token(&mut conn, &token).await;
    }
    match cookie {
        Some(secret) => Caller::from_session(&mut conn, &secret, state.settings.session_ttl).await,
        None => Ok(None),
    }
}
