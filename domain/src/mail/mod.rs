//! E-mail. Every message is written to the `outbox` table in the transaction of the change
//! that causes it, then sent by a [`SendMail`] job through SMTP when `DAILIES_SMTP_URL` is
//! set (retried with backoff while the server is down); without SMTP it is held in the outbox,
//! which admins read at `/admin/outbox`, so nothing is lost.

mod notification;

pub use notification::NotificationEmail;

use crate::error::DomainResult;
use crate::jobs::{Job, JobContext, Permanent};
use crate::schema::outbox;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A message to write.
pub struct Outgoing<'a> {
    /// What produced it (`notification:<id>`, `invitation:<id>:<n>`): written once per source.
    pub source: String,
    /// `notification`, `invitation`, …
    pub kind: &'static str,
    /// Recipient address.
    pub to_email: &'a str,
    /// Recipient name.
    pub to_name: Option<&'a str>,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Writes `mail` to the outbox and enqueues its sending, on the caller's connection (so in
/// the caller's transaction). A source already written is not written again.
pub async fn queue(conn: &mut AsyncPgConnection, mail: Outgoing<'_>) -> DomainResult<()> {
    let id = Uuid::new_v4();
    let inserted = diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(id),
            outbox::source.eq(&mail.source),
            outbox::kind.eq(mail.kind),
            outbox::to_email.eq(mail.to_email),
            outbox::to_name.eq(mail.to_name),
            outbox::subject.eq(&mail.subject),
            outbox::body.eq(&mail.body),
        ))
        .on_conflict(outbox::source)
        .do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        crate::jobs::queue::enqueue(conn, &SendMail { outbox_id: id }).await?;
    }
    Ok(())
}

/// A row of the outbox, as the admin sees it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMail {
    /// Id.
    pub id: Uuid,
    /// What produced it.
    pub source: String,
    /// Kind.
    pub kind: String,
    /// Recipient.
    pub to_email: String,
    /// Recipient's name.
    pub to_name: Option<String>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// `queued`, `sent`, `held` (no SMTP) or `failed`.
    pub state: String,
    /// The last sending error.
    pub error: Option<String>,
    /// Sending attempts.
    pub attempts: i32,
    /// Written.
    pub created_at: DateTime<Utc>,
    /// Sent.
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxMail {
    /// The admin's view of it.
    pub fn to_dto(self) -> model::dto::OutboxMailDto {
        model::dto::OutboxMailDto {
            id: self.id,
            kind: self.kind,
            to_email: self.to_email,
            subject: self.subject,
            body: self.body,
            state: self.state,
            error: self.error,
            created_at: self.created_at,
            sent_at: self.sent_at,
        }
    }
}

/// The newest messages of the outbox, newest first, optionally only those to `to`.
pub async fn recent(conn: &mut AsyncPgConnection, to: Option<&str>, limit: i64) -> DomainResult<Vec<OutboxMail>> {
    let mut q = outbox::table.into_boxed();
    if let Some(to) = to {
        q = q.filter(outbox::to_email.eq(to.to_lowercase()));
    }
    Ok(q.order(outbox::created_at.desc())
        .limit(limit.clamp(1, 500))
        .select(OutboxMail::as_select())
        .load(conn)
        .await?)
}

/// Sends one outbox message through SMTP, or holds it when SMTP is not configured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SendMail {
    /// The outbox row.
    pub outbox_id: Uuid,
}

impl Job for SendMail {
    const KIND: &'static str = "send_mail";
    const MAX_ATTEMPTS: i32 = 8;

    fn dedupe_key(&self) -> Option<String> {
        Some(self.outbox_id.to_string())
    }

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let state = ctx.state()?.clone();
        let mut conn = crate::db::conn(&state.db).await?;
        let mail: Option<OutboxMail> = outbox::table
            .find(self.outbox_id)
            .select(OutboxMail::as_select())
            .first(&mut conn)
            .await
            .optional()?;
        let Some(mail) = mail.filter(|m| m.state == "queued") else {
            return Ok(());
        };
        let row = outbox::table.find(mail.id);
        let Some(url) = state.settings.smtp_url.clone() else {
            diesel::update(row)
                .set(outbox::state.eq("held"))
                .execute(&mut conn)
                .await?;
            tracing::info!(outbox.id = %mail.id, "e-mail held in the outbox (no SMTP configured)");
            return Ok(());
        };
        let result = send(&state.settings, &url, &mail).await;
        match &result {
            Ok(()) => {
                diesel::update(row)
                    .set((
                        outbox::state.eq("sent"),
                        outbox::sent_at.eq(Utc::now()),
                        outbox::attempts.eq(outbox::attempts + 1),
                        outbox::error.eq(None::<String>),
                    ))
                    .execute(&mut conn)
                    .await?;
                tracing::info!(outbox.id = %mail.id, mail.kind = %mail.kind, "e-mail sent");
            }
            Err(e) => {
                let permanent = e.downcast_ref::<Permanent>().is_some();
                diesel::update(row)
                    .set((
                        outbox::state.eq(if permanent { "failed" } else { "queued" }),
                        outbox::attempts.eq(outbox::attempts + 1),
                        outbox::error.eq(e.to_string()),
                    ))
                    .execute(&mut conn)
                    .await?;
            }
        }
        result
    }
}

async fn send(settings: &Settings, url: &str, mail: &OutboxMail) -> anyhow::Result<()> {
    let to = mail
        .to_email
        .parse()
        .map_err(|e| Permanent(format!("bad address {}: {e}", mail.to_email)))?;
    let message = Message::builder()
        .from(
            settings
                .mail_from
                .parse::<Mailbox>()
                .map_err(|e| Permanent(format!("bad DAILIES_MAIL_FROM: {e}")))?,
        )
        .to(Mailbox::new(mail.to_name.clone(), to))
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| Permanent(e.to_string()))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| Permanent(format!("bad DAILIES_SMTP_URL: {e}")))?
        .timeout(Some(std::time::Duration::from_secs(30)))
        .build();
    transport.send(message).await?;
    Ok(())
}
