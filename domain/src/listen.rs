//! The one `LISTEN` connection of a process: it listens on every channel its listeners ask
//! for, reconnects with backoff, and tells each listener when it is (re)connected, so they
//! can catch up on what was sent while nobody listened.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;

/// Something woken by notifications.
pub trait Listener: Send + Sync {
    /// The channels it needs.
    fn channels(&self) -> &'static [&'static str];
    /// The connection is (again) listening: anything may have been missed.
    fn connected(&self);
    /// A notification on one of its channels.
    fn notified(&self, channel: &str, payload: &str);
}

/// Listens for `listeners` until `stop` resolves.
pub async fn run(database_url: String, listeners: Vec<Arc<dyn Listener>>, stop: impl std::future::Future<Output = ()>) {
    tokio::pin!(stop);
    let mut channels: Vec<&'static str> = listeners.iter().flat_map(|l| l.channels().iter().copied()).collect();
    channels.sort_unstable();
    channels.dedup();
    let mut delay = Duration::from_millis(200);
    loop {
        let session = async {
            let mut conn = AsyncPgConnection::establish(&database_url).await?;
            for c in &channels {
                diesel::sql_query(format!("LISTEN {c}")).execute(&mut conn).await?;
            }
            for l in &listeners {
                l.connected();
            }
            let stream = conn.notifications_stream();
            tokio::pin!(stream);
            while let Some(n) = stream.next().await {
                let n = n?;
                for l in &listeners {
                    if l.channels().contains(&n.channel.as_str()) {
                        l.notified(&n.channel, &n.payload);
                    }
                }
            }
            anyhow::Ok(())
        };
        tokio::select! {
            () = &mut stop => return,
            r = session => {
                if let Err(e) = r {
                    tracing::warn!(error = %e, "the LISTEN connection was lost; reconnecting");
                }
            }
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}
