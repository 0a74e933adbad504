//! Notification e-mail through a real SMTP conversation: a minimal SMTP server in the test
//! (no mail server ships here) records what the job sends.

use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use domain::settings::Settings;
use http::StatusCode;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// One received message: envelope recipients and the DATA section.
#[derive(Debug)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// Accepts SMTP sessions on a free port and forwards every message.
async fn smtp_sink() -> anyhow::Result<(u16, mpsc::UnboundedReceiver<Received>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let (mut to, mut data, mut in_data) = (Vec::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let _ = tx.send(Received {
                                to: std::mem::take(&mut to),
                                data: std::mem::take(&mut data),
                            });
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    Ok((port, rx))
}

#[tokio::test]
async fn mentions_are_emailed_when_smtp_is_configured() -> TestResult {
    let (port, mut inbox) = smtp_sink().await?;
    let objects = tempfile::tempdir()?;
    let settings = Settings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        public_url: "https://dailies.example.com".into(),
        mail_from: "Dailies <noreply@dailies.example.com>".into(),
        ..Settings::default()
    };
    let app = TestApp::with_storage(&domain::storage::StorageConfig::Local(objects.path().into()), settings).await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    app.signup("ed@example.com", "Ed Editor").await?;
    let project = app.project("Mail", &owner).await?;
    app.add_member(&owner, &project, "ed@example.com", "editor").await?;
    let dir = tempfile::tempdir()?;
    let photo = crate::media_files::photo(dir.path(), "still.jpg", &[])?;
    let asset = upload(&app, &owner, &project, "still.jpg", &std::fs::read(photo)?, &[]).await?;
    app.run_jobs().await?;
    let r = app
        .post(
            &format!("/api/v1/assets/{asset}/comments"),
            json!({"body": "@ed the sky is blown out", "x": 0.5, "y": 0.2}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.run_jobs().await?;
    let mail = tokio::time::timeout(std::time::Duration::from_secs(10), inbox.recv())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no e-mail"))?;
    assert_eq!(mail.to, ["ed@example.com"]);
    let body = quoted_printable(&mail.data);
    assert!(
        mail.data.contains("Subject: Olga Owner mentioned you on still.jpg"),
        "{}",
        mail.data
    );
    assert!(body.contains("@ed the sky is blown out"), "{body}");
    assert!(
        body.contains(&format!("https://dailies.example.com/assets/{asset}")),
        "{body}"
    );
    assert!(
        mail.data.contains("From: Dailies <noreply@dailies.example.com>"),
        "{}",
        mail.data
    );
    // Exactly one e-mail: the author is not mailed about their own comment.
    assert!(inbox.try_recv().is_err());
    Ok(())
}

/// Decodes a quoted-printable body (soft breaks and `=XX` escapes).
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'=', Some(hex)) if hex.iter().all(u8::is_ascii_hexdigit) => {
                out.push(u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("00"), 16).unwrap_or(b'?'));
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
