//! The one route table of the axum side: REST, operations, and the Leptos site.

use crate::api;
use crate::api::health::healthz;
use crate::http::{auth, csrf, headers, metrics};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use axum::{Json, Router};
use domain::AppState;
use leptos::prelude::{provide_context, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;

/// Builds the whole application router.
pub fn build(state: AppState, leptos: LeptosOptions) -> Router {
    let (rest, openapi) = api::routes();
    let openapi = Arc::new(openapi);
    let rest = rest
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .with_state(state.clone());

    let metrics = metrics::Metrics::new(state.db.clone());
    let ops = Router::new()
        .route("/healthz", get(healthz))
        .with_state(state.clone())
        .merge(
            Router::new()
                .route("/metrics", get(metrics::endpoint))
                .with_state(metrics.clone()),
        );

    let context_state = state.clone();
    let context = move || provide_context(context_state.clone());
    let routes = generate_route_list(app::App);
    let site = Router::new()
        .leptos_routes_with_context(&leptos, routes, context.clone(), {
            let leptos = leptos.clone();
            move || app::shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(context, app::shell))
        .with_state(leptos);

    // The last layer added runs first: headers, metrics, caller, then the CSRF check.
    Router::new()
        .merge(rest)
        .merge(ops)
        .merge(site)
        .layer(from_fn_with_state(state.clone(), csrf::check_origin))
        .layer(from_fn_with_state(state, auth::resolve_caller))
        .layer(from_fn_with_state(metrics, metrics::track))
        .layer(from_fn(headers::security_headers))
}
