//! `/api/v1/ws`: the live WebSocket (events, presence, cursors, playheads, review sessions).

use crate::http::csrf;
use crate::http::error::{ApiResult, HttpError};
use crate::http::extract::Auth;
use crate::live::socket::{self, Limits};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use domain::AppState;
use http::HeaderMap;
use model::error::ErrorBody;
use model::{ApiError, ErrorCode};

/// Opens the live socket. Authenticate with the session cookie (browsers; `Origin` must be
/// this site) or `Authorization: Bearer dly_…`. Messages are JSON text frames of
/// `model::live::{ClientMessage, ServerMessage}`, documented in the README.
#[utoipa::path(get, path = "/api/v1/ws", tag = "live",
    responses((status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn ws(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    // A page on another site could open a socket with the visitor's cookie: check where the
    // page came from (token clients send no Origin and no cookie).
    if !csrf::allowed(&headers, &state.settings.public_url) {
        return Err(HttpError(ApiError::new(
            ErrorCode::CsrfFailed,
            "this socket was not opened by Dailies itself",
        )));
    }
    let upgrade =
        upgrade.map_err(|r| HttpError(ApiError::invalid(format!("open this with a WebSocket client: {r}"))))?;
    let limits = Limits {
        writes_per_minute: state.settings.live_writes_per_minute,
        idle_timeout: state.settings.live_idle_timeout,
    };
    // Frames up to 4× the protocol's limit are read and refused with an error frame; larger
    // ones close the socket (a client that sends those is not speaking the protocol).
    // Buffers sized for the protocol's small messages: the 128 KiB defaults made a thousand
    // idle sockets cost ~200 MB.
    Ok(upgrade
        .read_buffer_size(16 * 1024)
        .write_buffer_size(16 * 1024)
        .max_message_size(4 * model::live::MAX_CLIENT_MESSAGE)
        .max_frame_size(4 * model::live::MAX_CLIENT_MESSAGE)
        .on_upgrade(move |s| socket::run(s, state, caller, limits)))
}
