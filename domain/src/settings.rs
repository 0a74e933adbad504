//! The part of the configuration that domain code needs, built once by the binary.

use std::time::Duration;

/// Runtime settings for domain services. Built once from the CLI/environment and passed in.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a session lasts without use.
    pub session_ttl: Duration,
    /// The window over which failed log-ins are counted.
    pub login_window: Duration,
    /// Failed log-ins allowed per account within the window.
    pub login_max_failures_per_account: i64,
    /// Failed log-ins allowed per client IP within the window.
    pub login_max_failures_per_ip: i64,
    /// Mark cookies `Secure` (true when the public URL is https).
    pub secure_cookies: bool,
    /// The public base URL, e.g. `https://dailies.example.com`, used for Origin checks and links.
    pub public_url: String,
    /// Largest file an upload may declare, bytes.
    pub upload_max_size: u64,
    /// An unfinished upload untouched for this long expires and is cleaned up.
    pub upload_expiry: Duration,
    /// SMTP server for notification e-mail (`smtp://user:pass@host:587?tls=required` for
    /// STARTTLS, `smtps://…` for TLS, plain `smtp://host:25` for a local relay); `None` sends none.
    pub smtp_url: Option<String>,
    /// The `From:` address of notification e-mail.
    pub mail_from: String,
    /// Write messages (subscribe, presence, session) one live socket may send a minute.
    pub live_writes_per_minute: u32,
    /// A live socket silent this long (no message, no pong) is closed.
    pub live_idle_timeout: Duration,
    /// The key secrets at rest (webhook signing secrets) are sealed with.
    pub secret_key: SecretKey,
    /// How long finished exports are kept.
    pub export_retention: Duration,
    /// Exports one person may start in one project per hour.
    pub exports_per_hour: i64,
    /// The addresses webhooks may call (public ones by default).
    pub webhook_hosts: crate::webhooks::WebhookHosts,
}

/// A 256-bit key for AES-256-GCM; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(pub [u8; 32]);

impl SecretKey {
    /// A fresh random key.
    pub fn random() -> SecretKey {
        SecretKey(rand::random())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            login_window: Duration::from_secs(15 * 60),
            login_max_failures_per_account: 10,
            login_max_failures_per_ip: 50,
            secure_cookies: false,
            public_url: "http://127.0.0.1:3000".into(),
            upload_max_size: 10_000_000_000,
            upload_expiry: Duration::from_secs(24 * 3600),
            smtp_url: None,
            mail_from: "Dailies <dailies@localhost>".into(),
            // Per process: a real server loads its key from the config or the data folder.
            secret_key: SecretKey::random(),
            export_retention: Duration::from_secs(7 * 24 * 3600),
            exports_per_hour: 5,
            live_writes_per_minute: 50,
            live_idle_timeout: Duration::from_secs(60),
            webhook_hosts: crate::webhooks::WebhookHosts::default(),
        }
    }
}
