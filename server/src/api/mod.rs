//! The REST API under `/api/v1`, with its OpenAPI document generated from the handlers.

pub mod admin;
pub mod analytics;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod clones;
pub mod collections;
pub mod comments;
pub mod downloads;
pub mod exports;
pub mod fields;
pub mod folders;
pub mod health;
pub mod invitations;
pub mod live;
pub mod members;
pub mod projects;
pub mod renditions;
pub mod review;
pub mod share_comments;
pub mod shares;
pub mod tokens;
pub mod uploads;
pub mod webhooks;

use domain::AppState;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Dailies API", description = "Media review: projects, members, tokens. Errors are `{\"error\": {\"code\", \"message\"}}`."),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "auth", description = "Accounts and sessions"),
        (name = "tokens", description = "Personal API tokens"),
        (name = "projects", description = "Projects"),
        (name = "members", description = "Project membership and roles"),
        (name = "admin", description = "Instance administration"),
        (name = "uploads", description = "Resumable uploads (tus 1.0)"),
        (name = "assets", description = "Assets, versions and their files"),
        (name = "folders", description = "Folders inside projects"),
        (name = "collections", description = "Manual and smart collections"),
        (name = "fields", description = "Custom metadata fields of a project"),
        (name = "review", description = "Comments, drawings, ratings, labels, status, approvals, notifications"),
        (name = "shares", description = "Share links for reviewers without an account"),
        (name = "exports", description = "Export renditions"),
        (name = "clones", description = "Deep clones of content between projects"),
        (name = "webhooks", description = "Webhooks"),
        (name = "live", description = "The live WebSocket: events, presence, cursors, playheads, review sessions"),
        (name = "audit", description = "The audit trail: project activity and the instance-wide log"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("dly_…")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(domain::auth::sessions::COOKIE))),
        );
    }
}

/// Every REST route and the OpenAPI document describing exactly those routes.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(tokens::create, tokens::list))
        .routes(routes!(tokens::revoke))
        .routes(routes!(projects::create, projects::list))
        .routes(routes!(projects::get, projects::update, projects::delete))
        .routes(routes!(members::list, members::add))
        .routes(routes!(members::change_role, members::remove))
        .routes(routes!(members::transfer))
        .routes(routes!(renditions::create, renditions::list))
        .routes(routes!(renditions::get, renditions::cancel))
        .routes(routes!(renditions::download))
        .routes(routes!(clones::create))
        .routes(routes!(clones::list))
        .routes(routes!(clones::get))
        .routes(routes!(analytics::get))
        .routes(routes!(admin::get_settings, admin::put_settings))
        .routes(routes!(admin::list_jobs))
        .routes(routes!(admin::retry_job))
        .routes(routes!(admin::cancel_job))
        .routes(routes!(uploads::options, uploads::create))
        .routes(routes!(uploads::head, uploads::patch, uploads::terminate))
        .routes(routes!(downloads::zip))
        .routes(routes!(assets::get))
        .routes(routes!(assets::list))
        .routes(routes!(assets::thumbnail))
        .routes(routes!(assets::preview))
        .routes(routes!(assets::poster))
        .routes(routes!(assets::proxy))
        .routes(routes!(assets::original))
        .routes(routes!(assets::filmstrip))
        .routes(routes!(assets::filmstrip_index))
        .routes(routes!(assets::waveform))
        .routes(routes!(assets::search))
        .routes(routes!(assets::trash))
        .routes(routes!(assets::update_metadata))
        .routes(routes!(assets::set_current_version))
        .routes(routes!(assets::delete_version))
        .routes(routes!(bulk::rating))
        .routes(routes!(bulk::status))
        .routes(routes!(bulk::label))
        .routes(routes!(bulk::metadata))
        .routes(routes!(bulk::move_to))
        .routes(routes!(bulk::delete))
        .routes(routes!(bulk::restore))
        .routes(routes!(bulk::purge))
        .routes(routes!(collections::list, collections::create))
        .routes(routes!(collections::get, collections::update, collections::delete))
        .routes(routes!(collections::assets))
        .routes(routes!(collections::add_items, collections::remove_items))
        .routes(routes!(fields::list, fields::create))
        .routes(routes!(fields::update, fields::delete))
        .routes(routes!(folders::list, folders::create))
        .routes(routes!(folders::update, folders::trash))
        .routes(routes!(comments::list, comments::create))
        .routes(routes!(comments::update, comments::delete))
        .routes(routes!(comments::resolve))
        .routes(routes!(comments::react))
        .routes(routes!(review::get))
        .routes(routes!(review::rating))
        .routes(routes!(review::label))
        .routes(routes!(review::status))
        .routes(routes!(review::approve))
        .routes(routes!(review::notifications))
        .routes(routes!(
            review::notification_settings,
            review::set_notification_settings
        ))
        .routes(routes!(review::read_all))
        .routes(routes!(shares::create))
        .routes(routes!(shares::list))
        .routes(routes!(shares::update, shares::revoke))
        .routes(routes!(shares::info))
        .routes(routes!(shares::unlock))
        .routes(routes!(shares::assets))
        .routes(routes!(shares::media))
        .routes(routes!(invitations::create, invitations::list))
        .routes(routes!(invitations::resend))
        .routes(routes!(invitations::revoke))
        .routes(routes!(invitations::info))
        .routes(routes!(invitations::accept))
        .routes(routes!(invitations::mine))
        .routes(routes!(invitations::accept_mine))
        .routes(routes!(admin::outbox))
        .routes(routes!(audit::activity))
        .routes(routes!(audit::instance))
        .routes(routes!(audit::instance_csv))
        .routes(routes!(share_comments::list, share_comments::create))
        .routes(routes!(share_comments::verdict))
        .routes(routes!(exports::export))
        .routes(routes!(exports::import))
        .routes(routes!(exports::sidecar))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(live::ws))
        .split_for_parts()
}
