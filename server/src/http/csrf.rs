//! CSRF protection for every state-changing request, server functions included.
//!
//! Browsers always send `Origin` on cross-site POST/PUT/PATCH/DELETE (and `Referer` in most
//! other cases), so a request that changes state is accepted only when:
//! - it authenticates with a bearer token (browsers never attach one on their own), or
//! - its `Origin` (else `Referer`) is this site's public URL or the host it was sent to, or
//! - it carries neither header *and* no session cookie (a script, not a browser).
//!
//! Session cookies are also `SameSite=Lax`, which already keeps them off cross-site POSTs.

use super::auth::{bearer, session_cookie};
use super::error::HttpError;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::AppState;
use http::header::{HOST, ORIGIN, REFERER};
use http::{HeaderMap, Method};
use model::{ApiError, ErrorCode};

/// Middleware: refuses cross-site state-changing requests with `403 csrf_failed`.
pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) || bearer(req.headers()).is_some() {
        return next.run(req).await;
    }
    if allowed(req.headers(), &state.settings.public_url) {
        next.run(req).await
    } else {
        // The route's template, not the path: a share link's path holds its token.
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", |p| p.as_str());
        tracing::warn!(http.method = %req.method(), http.route = %route, "cross-site request refused");
        HttpError(ApiError::new(
            ErrorCode::CsrfFailed,
            "this request did not come from Dailies itself; reload the page and try again",
        ))
        .into_response()
    }
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request's origin is acceptable (see the module docs).
pub fn allowed(headers: &HeaderMap, public_url: &str) -> bool {
    let origin = headers
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| headers.get(REFERER).and_then(|v| v.to_str().ok()).and_then(origin_of));
    let Some(origin) = origin else {
        return session_cookie(headers).is_none();
    };
    let origin = origin.trim_end_matches('/');
    if origin == "null" {
        return false;
    }
    if origin_of(public_url).as_deref() == Some(origin) {
        return true;
    }
    let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"))
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(http::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(k.clone(), v);
            }
        }
        h
    }

    #[test]
    fn same_site_origins_pass_and_others_fail() {
        let public = "https://dailies.example.com";
        assert!(allowed(&headers(&[(ORIGIN, "https://dailies.example.com")]), public));
        assert!(allowed(
            &headers(&[(ORIGIN, "http://127.0.0.1:3000"), (HOST, "127.0.0.1:3000")]),
            public
        ));
        assert!(!allowed(
            &headers(&[(ORIGIN, "https://evil.example"), (HOST, "dailies.example.com")]),
            public
        ));
        assert!(!allowed(&headers(&[(ORIGIN, "null")]), public));
        assert!(allowed(
            &headers(&[(REFERER, "https://dailies.example.com/projects?x=1")]),
            public
        ));
        assert!(!allowed(&headers(&[(REFERER, "https://evil.example/page")]), public));
    }

    #[test]
    fn headerless_requests_pass_only_without_a_session_cookie() {
        let public = "http://127.0.0.1:3000";
        assert!(allowed(&HeaderMap::new(), public));
        assert!(!allowed(
            &headers(&[(http::header::COOKIE, "dailies_session=abc")]),
            public
        ));
    }
}
