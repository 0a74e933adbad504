//! Invitations: owners invite, list, resend and revoke (`/api/v1/projects/{id}/invitations`,
//! `/api/v1/invitations/{id}`); the person invited reads and accepts the link
//! (`/api/v1/invite/{token}`), signed in or creating an account, or — with an account —
//! from their inbox (`/api/v1/me/invitations`).

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth, Client, MaybeAuth, OptionalJson};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use domain::invitations;
use domain::AppState;
use http::header::SET_COOKIE;
use http::StatusCode;
use model::error::ErrorBody;
use model::invitation::{AcceptRequest, InvitationDto, InvitationInfo, InviteRequest, MyInvitation};

/// Invite an address with a role (owners); the link is e-mailed (or held in the outbox without
/// SMTP). An address with an open invitation gets it again with the new role.
#[utoipa::path(post, path = "/api/v1/projects/{id}/invitations", tag = "members", params(("id" = String, Path, description = "Project id")),
    request_body = InviteRequest,
    responses((status = 201, body = InvitationDto), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "already_member")))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<InviteRequest>,
) -> ApiResult<(StatusCode, Json<InvitationDto>)> {
    let mut conn = domain::db::conn(&state.db).await?;
    let dto = invitations::invite(
        &mut conn,
        &state.settings,
        caller.id(),
        model::ids::parse_id(&id)?,
        &req,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// A project's open invitations, newest first (owners).
#[utoipa::path(get, path = "/api/v1/projects/{id}/invitations", tag = "members", params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = [InvitationDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<InvitationDto>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(
        invitations::list(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?,
    ))
}

/// Send an open invitation again: a new link, valid 7 days; the old link stops working.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", tag = "members", params(("id" = String, Path, description = "Invitation id")),
    responses((status = 200, body = InvitationDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resend(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<InvitationDto>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let id = model::ids::parse_id::<uuid::Uuid>(&id)?;
    Ok(Json(
        invitations::resend(&mut conn, &state.settings, caller.id(), id).await?,
    ))
}

/// Withdraw an open invitation.
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "members", params(("id" = String, Path, description = "Invitation id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let mut conn = domain::db::conn(&state.db).await?;
    invitations::revoke(&mut conn, caller.id(), model::ids::parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invitation offers (no account needed); used, withdrawn and expired links answer
/// `410 gone` with the reason.
#[utoipa::path(get, path = "/api/v1/invite/{token}", tag = "members", security(()), params(("token" = String, Path, description = "The invitation's token")),
    responses((status = 200, body = InvitationInfo), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn info(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Json<InvitationInfo>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(invitations::info(&mut conn, &token).await?))
}

/// The project joined.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// Its id.
    pub project_id: model::ProjectId,
}

/// Accept an invitation: signed in (as the invited address), or with `name` and `password`
/// to create the invited address's account (the session cookie is then set). Works once.
#[utoipa::path(post, path = "/api/v1/invite/{token}/accept", tag = "members", params(("token" = String, Path, description = "The invitation's token")),
    request_body = AcceptRequest,
    responses((status = 200, body = Accepted), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "signed in as another address"),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "email_taken: sign in instead"), (status = 410, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    Client(client): Client,
    Path(token): Path<String>,
    OptionalJson(req): OptionalJson<AcceptRequest>,
) -> ApiResult<axum::response::Response> {
    let mut conn = domain::db::conn(&state.db).await?;
    if let Some(caller) = caller {
        let project_id = invitations::accept(&mut conn, caller.id(), &token).await?;
        return Ok(Json(Accepted { project_id }).into_response());
    }
    let (_, session, project_id) = invitations::accept_new(&mut conn, &state.settings, &token, &req, &client).await?;
    let cookie = app::ssr::new_session_cookie(&session, state.settings.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Json(Accepted { project_id })).into_response())
}

/// The open invitations to the signed-in person's own address, newest first.
#[utoipa::path(get, path = "/api/v1/me/invitations", tag = "members",
    responses((status = 200, body = [MyInvitation]), (status = 401, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, Auth(caller): Auth) -> ApiResult<Json<Vec<MyInvitation>>> {
    let mut conn = domain::db::conn(&state.db).await?;
    Ok(Json(invitations::mine::pending(&mut conn, caller.id()).await?))
}

/// Accept an open invitation to the signed-in person's own address (no e-mailed link needed).
#[utoipa::path(post, path = "/api/v1/me/invitations/{id}/accept", tag = "members", params(("id" = String, Path, description = "Invitation id")),
    responses((status = 200, body = Accepted), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn accept_mine(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Accepted>> {
    let mut conn = domain::db::conn(&state.db).await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| model::ApiError::invalid("not an invitation id"))?;
    let project_id = invitations::mine::accept(&mut conn, caller.id(), id).await?;
    Ok(Json(Accepted { project_id }))
}
