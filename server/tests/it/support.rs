//! `TestApp`: the whole router on a fresh database, driven in-process.

use axum::body::Body;
use axum::Router;
use domain::settings::Settings;
use domain::testing::TestDb;
use domain::AppState;
use http::{Method, Request, StatusCode};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub type TestResult = anyhow::Result<()>;

/// The origin the test app believes it is served from.
pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub struct TestApp {
    pub router: Router,
    pub db: TestDb,
    /// The state behind the router (None for routers built elsewhere).
    pub state: Option<AppState>,
    _objects: Option<tempfile::TempDir>,
}

/// How a request authenticates.
#[derive(Clone, Default)]
pub enum As {
    #[default]
    Anonymous,
    Cookie(String),
    Bearer(String),
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: Value,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The stable error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    pub async fn new() -> anyhow::Result<TestApp> {
        let objects = tempfile::tempdir()?;
        let config = domain::storage::StorageConfig::Local(objects.path().to_path_buf());
        // Tests' webhook receivers listen on loopback, which real servers refuse by default.
        let settings = Settings {
            webhook_hosts: "external,127.0.0.0/8".parse().map_err(|e: String| anyhow::anyhow!(e))?,
            ..Settings::default()
        };
        let mut app = TestApp::with_storage(&config, settings).await?;
        app._objects = Some(objects);
        Ok(app)
    }

    /// A test app on the given storage and settings.
    pub async fn with_storage(config: &domain::storage::StorageConfig, settings: Settings) -> anyhow::Result<TestApp> {
        let db = TestDb::new().await?;
        let state = AppState {
            db: db.pool.clone(),
            hub: domain::live::Hub::new(db.pool.clone()),
            settings: Arc::new(settings),
            storage: domain::storage::Storage::open(config)?,
            tools: media::Process::per_core(),
        };
        let leptos = leptos::config::get_configuration(None)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .leptos_options;
        let router = server::router::build(state.clone(), leptos);
        Ok(TestApp {
            router,
            db,
            state: Some(state),
            _objects: None,
        })
    }

    /// Runs queued jobs with four workers in this process until none is left; returns how
    /// many ran.
    pub async fn run_jobs(&self) -> anyhow::Result<usize> {
        let state = self.state.clone().ok_or_else(|| anyhow::anyhow!("no state"))?;
        let runner = domain::jobs::Runner::new(state.db.clone(), server::worker::registry(), Default::default())
            .with_state(state);
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let runner = runner.clone();
                tokio::spawn(async move {
                    let mut n = 0;
                    while runner.run_one(&format!("test-worker-{w}")).await? {
                        n += 1;
                    }
                    anyhow::Ok(n)
                })
            })
            .collect();
        let mut total = 0;
        for w in workers {
            total += w.await??;
        }
        Ok(total)
    }

    /// Serves the router on a real loopback port (for stock HTTP clients); returns its base URL.
    pub async fn listen(&self) -> anyhow::Result<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = self.router.clone();
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await;
        });
        Ok(format!("http://{addr}"))
    }

    /// Like [`TestApp::listen`], with the live hub running as in `dailies serve` (its own
    /// `LISTEN` connection and fan-out); returns the base URL.
    pub async fn serve_live(&self) -> anyhow::Result<String> {
        let state = self.state.clone().ok_or_else(|| anyhow::anyhow!("no state"))?;
        let hub = state.hub.clone();
        hub.start_from_now().await?;
        let listener: Arc<dyn domain::listen::Listener> = Arc::new(hub.clone());
        tokio::spawn(domain::listen::run(
            self.db.url.clone(),
            vec![listener],
            std::future::pending(),
        ));
        tokio::spawn(async move { hub.run(std::future::pending()).await });
        self.listen().await
    }

    /// A test app around a router built elsewhere.
    pub fn from_router(router: Router, db: TestDb) -> TestApp {
        TestApp {
            router,
            db,
            state: None,
            _objects: None,
        }
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>, who: &As) -> anyhow::Result<Reply> {
        self.send_with(method, path, body, who, &[("origin", ORIGIN)]).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        who: &As,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let (body, json) = match body {
            Some(v) => (v.to_string().into_bytes(), true),
            None => (Vec::new(), false),
        };
        self.send_bytes(method, path, body, json, who, headers).await
    }

    /// Sends raw bytes (no content type unless given in `headers`, or JSON when `json`).
    pub async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        json: bool,
        who: &As,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1:3000");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        match who {
            As::Anonymous => {}
            As::Cookie(c) => req = req.header("cookie", format!("dailies_session={c}")),
            As::Bearer(t) => req = req.header("authorization", format!("Bearer {t}")),
        }
        let req = if json {
            req.header("content-type", "application/json").body(Body::from(body))?
        } else {
            req.body(Body::from(body))?
        };
        let res = self.router.clone().oneshot(req).await?;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        })
    }

    pub async fn get(&self, path: &str, who: &As) -> anyhow::Result<Reply> {
        self.send(Method::GET, path, None, who).await
    }

    pub async fn post(&self, path: &str, body: Value, who: &As) -> anyhow::Result<Reply> {
        self.send(Method::POST, path, Some(body), who).await
    }

    /// Signs up and returns the session cookie value and the user's id.
    pub async fn signup(&self, email: &str, name: &str) -> anyhow::Result<(As, String)> {
        let r = self
            .post(
                "/api/v1/auth/signup",
                serde_json::json!({"email": email, "name": name, "password": "password123"}),
                &As::Anonymous,
            )
            .await?;
        anyhow::ensure!(
            r.status == StatusCode::CREATED,
            "signup failed: {} {}",
            r.status,
            r.text
        );
        let cookie = session_from(&r.headers).ok_or_else(|| anyhow::anyhow!("no session cookie"))?;
        let id = r.body["id"].as_str().unwrap_or_default().to_owned();
        Ok((As::Cookie(cookie), id))
    }

    /// Creates a project as `who` and returns its id.
    pub async fn project(&self, name: &str, who: &As) -> anyhow::Result<String> {
        let r = self
            .post("/api/v1/projects", serde_json::json!({"name": name}), who)
            .await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "create project failed: {}", r.text);
        Ok(r.body["id"].as_str().unwrap_or_default().to_owned())
    }

    /// Adds the account with `email` to `project` as `role` (as its owner `owner`).
    pub async fn add_member(&self, owner: &As, project: &str, email: &str, role: &str) -> anyhow::Result<()> {
        let r = self
            .post(
                &format!("/api/v1/projects/{project}/members"),
                serde_json::json!({"email": email, "role": role}),
                owner,
            )
            .await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
        Ok(())
    }
}

/// The session cookie value set by a response.
pub fn session_from(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("dailies_session="))
        .and_then(|rest| rest.split(';').next())
        .map(str::to_owned)
}
