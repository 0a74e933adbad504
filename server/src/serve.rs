//! `dailies serve`: the web app, the API and in-process workers.

use crate::config::Config;
use crate::{database, router, shutdown, worker};
use anyhow::Context;
use domain::listen::Listener;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The Leptos options, with the listen address and site root from our config.
pub fn leptos_options(config: &Config) -> anyhow::Result<LeptosOptions> {
    let mut options = leptos::config::get_configuration(None)
        .map_err(|e| anyhow::anyhow!("reading the Leptos configuration: {e}"))?
        .leptos_options;
    options.site_addr = config.addr;
    if let Some(root) = &config.site_root {
        options.site_root = root.as_str().into();
    }
    Ok(options)
}

/// Runs until Ctrl-C or SIGTERM, then stops workers and the embedded database.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let leptos = leptos_options(&config)?;
    let db = database::open(&config).await?;
    let pool = domain::db::pool(&db.url, config.db_pool)?;
    let state = config.app_state(pool.clone())?;
    {
        let mut conn = domain::db::conn(&pool).await?;
        domain::ingest::schedule_expiry(&mut conn).await?;
    }
    let app = router::build(state.clone(), leptos);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("listening on {}", config.addr))?;
    tracing::info!("Dailies is listening on {}", config.public_url());

    let (trigger, stop) = shutdown::channel();
    let hub = state.hub.clone();
    hub.start_from_now().await?;
    let (runner, mut tasks) = worker::spawn(config.workers, state, config.runner(), stop.clone());
    let mut listeners: Vec<Arc<dyn Listener>> = vec![Arc::new(hub.clone())];
    if let Some(r) = runner {
        listeners.push(Arc::new(r));
    }
    tasks.push(worker::spawn_listener(db.url.clone(), listeners, stop.clone()));
    tasks.push(tokio::spawn({
        let mut stop = stop.clone();
        async move { hub.run(async move { stop.wait().await }).await }
    }));
    let housekeeping = tokio::spawn(housekeeping(pool.clone(), stop));
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown::signal())
        .await;
    trigger.fire();
    for t in tasks {
        let _ = t.await;
    }
    let _ = housekeeping.await;
    pool.close();
    db.close().await?;
    served.context("serving HTTP")
}

/// Periodic clean-up: expired sessions, events past their retention.
async fn housekeeping(pool: domain::db::DbPool, mut stop: shutdown::Shutdown) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Ok(mut conn) = domain::db::conn(&pool).await {
                    match domain::auth::sessions::purge_expired(&mut conn).await {
                        Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "session clean-up failed"),
                    }
                    match domain::events::purge(&mut conn).await {
                        Ok(n) if n > 0 => tracing::info!(events = n, "old live events removed"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "event clean-up failed"),
                    }
                }
            }
            () = stop.wait() => return,
        }
    }
}
