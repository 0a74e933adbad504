//! Configuration, built once from the command line and environment and passed in.

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings shared by every sub-command (each also readable from the environment).
#[derive(Args, Clone, Debug)]
pub struct Config {
    /// PostgreSQL URL. Unset: Dailies starts and owns a private cluster under `$DAILIES_DATA/pg`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where Dailies keeps its own data (embedded database, local objects).
    #[arg(long = "data", env = "DAILIES_DATA", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "DAILIES_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub addr: SocketAddr,
    /// Object storage: `file:///path` (default `$DAILIES_DATA/objects`) or `s3://bucket/prefix`.
    #[arg(long, env = "DAILIES_STORAGE", global = true)]
    pub storage: Option<String>,
    /// Endpoint of an S3-compatible service (MinIO, Ceph, …) for `s3://` storage.
    #[arg(long, env = "DAILIES_S3_ENDPOINT", global = true)]
    pub s3_endpoint: Option<String>,
    /// The URL people use to reach this server (for links and Origin checks).
    #[arg(long, env = "DAILIES_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Days finished exports are kept.
    #[arg(long, env = "DAILIES_EXPORT_RETENTION_DAYS", default_value_t = 7, global = true)]
    pub export_retention_days: u64,
    /// Key for secrets at rest (64 hex digits); unset: `$DAILIES_DATA/secret.key`, made once.
    #[arg(long, env = "DAILIES_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Number of in-process workers for `serve` (0 = none).
    #[arg(long, env = "DAILIES_WORKERS", default_value_t = 2, global = true)]
    pub workers: usize,
    /// Maximum database connections per process.
    #[arg(long, env = "DAILIES_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool: usize,
    /// Largest file one upload may be, in bytes.
    #[arg(
        long,
        env = "DAILIES_UPLOAD_MAX_SIZE",
        default_value_t = 10_000_000_000,
        global = true
    )]
    pub upload_max_size: u64,
    /// Hours an unfinished, untouched upload is kept before it expires.
    #[arg(long, env = "DAILIES_UPLOAD_EXPIRY_HOURS", default_value_t = 24, global = true)]
    pub upload_expiry_hours: u64,
    /// SMTP server for notification e-mail: `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://…` (TLS) or plain `smtp://host:25` (a local relay). Unset: no
    /// e-mail, in-app notifications only.
    #[arg(long, env = "DAILIES_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The `From:` of notification e-mail.
    #[arg(
        long,
        env = "DAILIES_MAIL_FROM",
        default_value = "Dailies <dailies@localhost>",
        global = true
    )]
    pub mail_from: String,
    /// Seconds without a heartbeat after which a running job is taken back and retried.
    #[arg(long, env = "DAILIES_JOB_STALE_AFTER", default_value_t = 60, global = true)]
    pub job_stale_after: u64,
    /// External tools (ffmpeg, exiftool, …) run at once per process; 0 = one per core.
    #[arg(long, env = "DAILIES_TOOLS", default_value_t = 0, global = true)]
    pub tools: usize,
    /// Write messages (subscribe, presence, session control) one live socket may send a minute.
    #[arg(long, env = "DAILIES_WS_WRITES_PER_MINUTE", default_value_t = 50, global = true)]
    pub ws_writes_per_minute: u32,
    /// Directory holding the compiled site (`pkg/`, CSS, static files).
    #[arg(long, env = "DAILIES_SITE_ROOT", global = true)]
    pub site_root: Option<String>,
    /// The addresses webhooks may call: `external` (public addresses only), `*`, addresses,
    /// networks (`10.0.0.0/8`) and host names, comma-separated.
    #[arg(long, env = "DAILIES_WEBHOOK_HOSTS", default_value = "external", global = true)]
    pub webhook_hosts: String,
}

impl Config {
    /// The public base URL, defaulting to the listen address.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_owned()
    }

    /// The object storage configuration: `DAILIES_STORAGE`, else `$DAILIES_DATA/objects`.
    /// S3 credentials come from the usual `AWS_*` variables.
    pub fn storage(&self) -> anyhow::Result<domain::storage::StorageConfig> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match self.storage.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(domain::storage::StorageConfig::Local(self.data_dir.join("objects"))),
            Some(url) => Ok(domain::storage::StorageConfig::parse(
                url,
                self.s3_endpoint.clone(),
                env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
                env("AWS_ACCESS_KEY_ID"),
                env("AWS_SECRET_ACCESS_KEY"),
            )?),
        }
    }

    /// Domain settings derived from this configuration.
    pub fn settings(&self) -> anyhow::Result<domain::settings::Settings> {
        let public_url = self.public_url();
        Ok(domain::settings::Settings {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            upload_max_size: self.upload_max_size,
            upload_expiry: std::time::Duration::from_secs(self.upload_expiry_hours.max(1) * 3600),
            smtp_url: self.smtp_url.clone().filter(|u| !u.is_empty()),
            mail_from: self.mail_from.clone(),
            live_writes_per_minute: self.ws_writes_per_minute.max(1),
            secret_key: self.secret_key()?,
            export_retention: std::time::Duration::from_secs(self.export_retention_days.max(1) * 24 * 3600),
            webhook_hosts: self
                .webhook_hosts
                .parse()
                .map_err(|e| anyhow::anyhow!("DAILIES_WEBHOOK_HOSTS: {e}"))?,
            ..domain::settings::Settings::default()
        })
    }

    /// The key secrets are sealed with: `DAILIES_SECRET_KEY` (64 hex digits), else the one in
    /// `$DAILIES_DATA/secret.key`, made (mode 0600) on first start. Every process of one
    /// installation must share it.
    fn secret_key(&self) -> anyhow::Result<domain::settings::SecretKey> {
        let parse = |hex: &str| -> anyhow::Result<domain::settings::SecretKey> {
            let hex = hex.trim();
            anyhow::ensure!(hex.len() == 64, "the secret key must be 64 hex digits");
            let mut key = [0u8; 32];
            for (i, byte) in key.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)?;
            }
            Ok(domain::settings::SecretKey(key))
        };
        if let Some(hex) = self.secret_key.as_deref().filter(|k| !k.is_empty()) {
            return parse(hex);
        }
        let path = self.data_dir.join("secret.key");
        if let Ok(hex) = std::fs::read_to_string(&path) {
            return parse(&hex);
        }
        std::fs::create_dir_all(&self.data_dir)?;
        let key = domain::settings::SecretKey::random();
        let hex: String = key.0.iter().map(|b| format!("{b:02x}")).collect();
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(hex.as_bytes())?;
        Ok(key)
    }

    /// The job runner's timings.
    pub fn runner(&self) -> domain::jobs::RunnerConfig {
        let stale = std::time::Duration::from_secs(self.job_stale_after.max(2));
        domain::jobs::RunnerConfig {
            stale_after: stale,
            heartbeat_interval: (stale / 6).max(std::time::Duration::from_millis(300)),
            poll_interval: (stale / 6).clamp(std::time::Duration::from_millis(500), std::time::Duration::from_secs(5)),
            ..domain::jobs::RunnerConfig::default()
        }
    }

    /// The state every handler and job shares, over `pool`.
    pub fn app_state(&self, pool: domain::db::DbPool) -> anyhow::Result<domain::AppState> {
        let storage = domain::storage::Storage::open(&self.storage()?)?;
        tracing::info!(storage = storage.describe(), "object storage ready");
        let tools = if self.tools == 0 {
            media::Process::per_core()
        } else {
            media::Process::new(self.tools, 64 * 1024 * 1024)
        };
        Ok(domain::AppState {
            hub: domain::live::Hub::new(pool.clone()),
            db: pool,
            settings: std::sync::Arc::new(self.settings()?),
            storage,
            tools,
        })
    }
}
