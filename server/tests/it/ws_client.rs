//! A live-protocol client for tests: connects to `/api/v1/ws` the way a browser or a script
//! would, and waits for messages matching a predicate (with a timeout, never forever).

use crate::support::As;
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Stream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a wait for an expected message may take.
pub const WAIT: Duration = Duration::from_secs(10);

pub struct Ws {
    stream: Stream,
    /// Everything received so far (for assertions on what arrived).
    pub seen: Vec<Value>,
}

/// How a connection attempt ended when it was refused.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: String,
}

impl Ws {
    /// Connects to `base` (`http://host:port`) as `who`, sending `origin` if given.
    pub async fn connect(base: &str, who: &As, origin: Option<&str>) -> anyhow::Result<Result<Ws, Refused>> {
        let url = format!("{}/api/v1/ws", base.replacen("http://", "ws://", 1));
        let mut req = url.into_client_request()?;
        let h = req.headers_mut();
        match who {
            As::Anonymous => {}
            As::Cookie(c) => {
                h.insert("cookie", format!("dailies_session={c}").parse()?);
            }
            As::Bearer(t) => {
                h.insert("authorization", format!("Bearer {t}").parse()?);
            }
        }
        if let Some(o) = origin {
            h.insert("origin", o.parse()?);
        }
        match tokio_tungstenite::connect_async(req).await {
            Ok((stream, _)) => Ok(Ok(Ws {
                stream,
                seen: Vec::new(),
            })),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
                let status = res.status().as_u16();
                let body = res
                    .body()
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                Ok(Err(Refused { status, body }))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Connects, or fails the test.
    pub async fn open(base: &str, who: &As, origin: Option<&str>) -> anyhow::Result<Ws> {
        Ws::connect(base, who, origin)
            .await?
            .map_err(|r| anyhow::anyhow!("socket refused: {} {}", r.status, r.body))
    }

    pub async fn send(&mut self, v: Value) -> anyhow::Result<()> {
        self.stream.send(Message::Text(v.to_string().into())).await?;
        Ok(())
    }

    pub async fn send_raw(&mut self, text: String) -> anyhow::Result<()> {
        self.stream.send(Message::Text(text.into())).await?;
        Ok(())
    }

    /// The next JSON message, or `None` when the socket closed or `wait` passed.
    pub async fn next_within(&mut self, wait: Duration) -> anyhow::Result<Option<Value>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.stream.next()).await {
                Err(_) => return Ok(None),
                Ok(None) => return Ok(None),
                Ok(Some(m)) => match m? {
                    Message::Text(t) => {
                        let v: Value = serde_json::from_str(&t)?;
                        self.seen.push(v.clone());
                        return Ok(Some(v));
                    }
                    Message::Close(_) => return Ok(None),
                    _ => {}
                },
            }
        }
    }

    /// Waits for the first message matching `pred` (others are skipped, but kept in `seen`).
    pub async fn until(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await? {
                Some(v) if pred(&v) => return Ok(v),
                Some(_) => {}
                None => anyhow::bail!("no {what} within {WAIT:?}; got {:#?}", self.seen),
            }
        }
    }

    /// Waits for an event of `kind`.
    pub async fn event(&mut self, kind: &str) -> anyhow::Result<Value> {
        self.until(kind, |v| v["type"] == "event" && v["kind"] == kind).await
    }

    /// Waits for a message of `type`.
    pub async fn of_type(&mut self, ty: &str) -> anyhow::Result<Value> {
        self.until(ty, |v| v["type"] == ty).await
    }

    /// Subscribes and waits for the acknowledgement.
    pub async fn subscribe(&mut self, project: &str, asset: Option<&str>, last: Option<i64>) -> anyhow::Result<Value> {
        let mut msg = serde_json::json!({"type": "subscribe", "project_id": project});
        if let Some(a) = asset {
            msg["asset_id"] = a.into();
        }
        if let Some(l) = last {
            msg["last_event_id"] = l.into();
        }
        self.send(msg).await?;
        self.until("subscribed or error", |v| {
            v["type"] == "subscribed" || v["type"] == "error"
        })
        .await
    }

    /// Collects every message arriving within `wait`.
    pub async fn drain(&mut self, wait: Duration) -> anyhow::Result<Vec<Value>> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_within(left).await? {
                Some(v) => out.push(v),
                None => return Ok(out),
            }
        }
    }

    pub async fn close(mut self) -> anyhow::Result<()> {
        let _ = self.stream.close(None).await;
        Ok(())
    }
}
