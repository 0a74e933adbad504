//! `/api/v1/auth/*` and `/api/v1/me`.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth, Client};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use domain::auth::login;
use domain::auth::sessions::NewSession;
use domain::AppState;
use http::header::SET_COOKIE;
use http::StatusCode;
use model::dto::{LoginRequest, SignupRequest, UserDto};
use model::error::ErrorBody;

fn cookie(state: &AppState, session: &NewSession) -> String {
    app::ssr::new_session_cookie(session, state.settings.secure_cookies)
}

/// Create an account (the first becomes instance admin) and start a session.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses((status = 201, body = UserDto, description = "Created; the session cookie is set"),
              (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "signups_closed"),
              (status = 409, body = ErrorBody, description = "email_taken")))]
pub async fn signup(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(req): ApiJson<SignupRequest>,
) -> ApiResult<impl IntoResponse> {
    let mut conn = domain::db::conn(&state.db).await?;
    let (user, session) = login::signup(&mut conn, &state.settings, &req, &client).await?;
    Ok((
        StatusCode::CREATED,
        [(SET_COOKIE, cookie(&state, &session))],
        Json(user.to_dto()),
    ))
}

/// Log in with e-mail and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = UserDto), (status = 401, body = ErrorBody, description = "invalid_credentials"),
              (status = 429, body = ErrorBody, description = "rate_limited")))]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    let mut conn = domain::db::conn(&state.db).await?;
    let (user, session) = login::login(&mut conn, &state.settings, &req, &client).await?;
    Ok(([(SET_COOKIE, cookie(&state, &session))], Json(user.to_dto())))
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<impl IntoResponse> {
    let mut conn = domain::db::conn(&state.db).await?;
    login::logout(&mut conn, &caller).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            SET_COOKIE,
            app::ssr::session_cookie("", 0, state.settings.secure_cookies),
        )],
    ))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserDto), (status = 401, body = ErrorBody)))]
pub async fn me(Auth(caller): Auth) -> Json<UserDto> {
    Json(caller.user.to_dto())
}
