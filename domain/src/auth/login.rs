//! Sign-up, log-in (throttled per account and per IP) and log-out.

use super::password;
use super::sessions::{self, ClientInfo, NewSession};
use crate::error::{DomainError, DomainResult};
use crate::schema::{instance_settings, login_failures, users};
use crate::settings::Settings;
use crate::users::{NewUser, User};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::dto::{LoginRequest, SignupRequest};
use model::validate::{self, Email};
use model::{ApiError, ErrorCode};
use uuid::Uuid;

/// Creates an account and signs it in. The first account becomes the instance admin;
/// later ones need sign-up to be open.
pub async fn signup(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    req: &SignupRequest,
    client: &ClientInfo,
) -> DomainResult<(User, NewSession)> {
    let email = Email::try_from(req.email.as_str())?;
    let name = validate::display_name(&req.name)?;
    let hash = password::hash(validate::new_password(&req.password)?).await?;
    let lifetime = settings.session_ttl;
    let client = client.clone();
    conn.transaction::<_, DomainError, _>(async move |conn| {
        // Locking the settings row serialises sign-ups, so exactly one account is first.
        let open: bool = instance_settings::table
            .select(instance_settings::signups_open)
            .for_update()
            .first(conn)
            .await?;
        let existing = User::count(conn).await?;
        if existing > 0 && !open {
            return Err(DomainError::api(
                ErrorCode::SignupsClosed,
                "sign-up is closed on this server; ask an admin for an account",
            ));
        }
        if User::find_by_email(conn, email.as_str()).await?.is_some() {
            return Err(DomainError::api(
                ErrorCode::EmailTaken,
                "an account with that e-mail already exists",
            ));
        }
        let user: User = diesel::insert_into(users::table)
            .values(NewUser {
                id: Uuid::new_v4(),
                email: email.as_str(),
                name: &name,
                password_hash: &hash,
                is_admin: existing == 0,
            })
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        let session = sessions::create(conn, user.id, lifetime, &client).await?;
        let detail = serde_json::json!({ "email": user.email, "admin": user.is_admin });
        crate::audit::record_account(conn, Some(user.user_id()), "auth.signup", Some(user.id), detail).await?;
        tracing::info!(user.id = %user.id, user.admin = user.is_admin, "account created");
        Ok((user, session))
    })
    .await
}

/// Checks e-mail and password and starts a session. Refuses with `rate_limited` after
/// too many recent failures for the account or the client IP.
pub async fn login(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    req: &LoginRequest,
    client: &ClientInfo,
) -> DomainResult<(User, NewSession)> {
    let email = req.email.trim().to_lowercase();
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let since = Utc::now() - chrono::Duration::from_std(settings.login_window).unwrap_or(chrono::Duration::minutes(15));

    let account_failures: i64 = login_failures::table
        .filter(login_failures::email.eq(&email))
        .filter(login_failures::at.gt(since))
        .count()
        .get_result(conn)
        .await?;
    let ip_failures: i64 = login_failures::table
        .filter(login_failures::ip.eq(&ip))
        .filter(login_failures::at.gt(since))
        .count()
        .get_result(conn)
        .await?;
    if account_failures >= settings.login_max_failures_per_account || ip_failures >= settings.login_max_failures_per_ip
    {
        tracing::warn!(login.ip = %ip, "log-in throttled");
        crate::audit::record_account(
            conn,
            None,
            "auth.throttled",
            None,
            serde_json::json!({ "email": email }),
        )
        .await?;
        return Err(DomainError::api(
            ErrorCode::RateLimited,
            "too many failed log-ins; wait a few minutes and try again",
        ));
    }

    let user = match Email::try_from(email.as_str()) {
        Ok(e) => User::find_by_email(conn, e.as_str()).await?,
        Err(_) => None,
    };
    let stored = user.as_ref().map_or(password::DUMMY_HASH, |u| u.password_hash.as_str());
    let ok = password::verify(&req.password, stored).await? && user.is_some();
    let known = user.as_ref().map(User::user_id);
    let Some(user) = user.filter(|_| ok) else {
        let detail = serde_json::json!({ "email": email });
        crate::audit::record_account(conn, known, "auth.login_failed", known.map(|u| u.0), detail).await?;
        diesel::insert_into(login_failures::table)
            .values((login_failures::email.eq(&email), login_failures::ip.eq(&ip)))
            .execute(conn)
            .await?;
        diesel::delete(login_failures::table.filter(login_failures::at.lt(since)))
            .execute(conn)
            .await?;
        tracing::info!(login.ip = %ip, "log-in failed");
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "wrong e-mail or password").into());
    };
    diesel::delete(login_failures::table.filter(login_failures::email.eq(&email)))
        .execute(conn)
        .await?;
    let session = sessions::create(conn, user.id, settings.session_ttl, client).await?;
    crate::audit::record_account(
        conn,
        Some(user.user_id()),
        "auth.login",
        Some(user.id),
        serde_json::json!({}),
    )
    .await?;
    Ok((user, session))
}

/// Ends the session the caller used, if it was a session.
pub async fn logout(conn: &mut AsyncPgConnection, caller: &super::Caller) -> DomainResult<()> {
    if let super::AuthMethod::Session(id) = caller.auth {
        sessions::delete(conn, id).await?;
    }
    Ok(())
}

/// Creates an account directly (the `dailies user add` command): no session, and allowed
/// even when sign-up is closed.
pub async fn create_user(
    conn: &mut AsyncPgConnection,
    email: &str,
    name: &str,
    new_password: &str,
    is_admin: bool,
) -> DomainResult<User> {
    let email = Email::try_from(email)?;
    let name = validate::display_name(name)?;
    let hash = password::hash(validate::new_password(new_password)?).await?;
    if User::find_by_email(conn, email.as_str()).await?.is_some() {
        return Err(DomainError::api(
            ErrorCode::EmailTaken,
            "an account with that e-mail already exists",
        ));
    }
    Ok(diesel::insert_into(users::table)
        .values(NewUser {
            id: Uuid::new_v4(),
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            is_admin,
        })
        .returning(User::as_returning())
        .get_result(conn)
        .await?)
}
