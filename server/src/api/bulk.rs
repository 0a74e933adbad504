//! `/api/v1/assets/bulk/*`: one request, one transaction, one audit row per asset.

use crate::http::error::ApiResult;
use crate::http::extract::{ApiJson, Auth};
use axum::extract::State;
use axum::Json;
use domain::{bulk, AppState};
use model::bulk::{BulkIds, BulkLabel, BulkMetadata, BulkMove, BulkRating, BulkResult, BulkStatus};
use model::error::ErrorBody;

macro_rules! bulk_route {
    ($name:ident, $method:ident, $path:literal, $req:ty, $domain:path, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path($method, path = $path, tag = "assets", request_body = $req,
            responses((status = 200, body = BulkResult), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
        pub async fn $name(
            State(state): State<AppState>,
            Auth(caller): Auth,
            ApiJson(req): ApiJson<$req>,
        ) -> ApiResult<Json<BulkResult>> {
            let mut conn = domain::db::conn(&state.db).await?;
            Ok(Json($domain(&mut conn, caller.id(), req).await?))
        }
    };
}

bulk_route!(
    rating,
    put,
    "/api/v1/assets/bulk/rating",
    BulkRating,
    bulk::rating,
    "Rate many assets (−1 rejects, 0 clears, 1–5) and/or set their pick flag."
);
bulk_route!(
    status,
    put,
    "/api/v1/assets/bulk/status",
    BulkStatus,
    bulk::status,
    "Set the review status of many assets."
);
bulk_route!(
    label,
    put,
    "/api/v1/assets/bulk/label",
    BulkLabel,
    bulk::label,
    "Set or clear the colour label of many assets."
);
bulk_route!(
    metadata,
    put,
    "/api/v1/assets/bulk/metadata",
    BulkMetadata,
    bulk::metadata,
    "Set metadata fields, add and remove tags on many assets."
);
bulk_route!(
    move_to,
    put,
    "/api/v1/assets/bulk/move",
    BulkMove,
    bulk::move_to,
    "Move many assets into a folder (or the root)."
);
bulk_route!(
    delete,
    post,
    "/api/v1/assets/bulk/delete",
    BulkIds,
    bulk::trash,
    "Move many assets to the trash (restorable for 30 days)."
);
bulk_route!(
    restore,
    post,
    "/api/v1/assets/bulk/restore",
    BulkIds,
    bulk::restore,
    "Restore assets from the trash."
);
bulk_route!(
    purge,
    post,
    "/api/v1/assets/bulk/purge",
    BulkIds,
    bulk::purge,
    "Delete trashed assets and their files for good."
);
