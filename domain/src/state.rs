//! The state shared by every request handler, server function and job.

use crate::db::DbPool;
use crate::settings::Settings;
use crate::storage::Storage;
use std::sync::Arc;

/// Cloned into every handler; holds no per-request data.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: DbPool,
    /// Settings, built once at start.
    pub settings: Arc<Settings>,
    /// Object storage.
    pub storage: Storage,
    /// The one runner of external tools (ffmpeg, exiftool, …), with its concurrency limit.
    pub tools: media::Process,
    /// This process's live fan-out (WebSocket rooms).
    pub hub: crate::live::Hub,
}
