use crate::support::{code, db, user, TestResult};
use domain::auth::sessions::ClientInfo;
use domain::auth::{login, tokens, Caller};
use domain::instance;
use domain::settings::Settings;
use model::dto::{LoginRequest, SignupRequest};
use model::ErrorCode;

fn signup_req(email: &str) -> SignupRequest {
    SignupRequest {
        email: email.into(),
        name: "Someone".into(),
        password: "password123".into(),
    }
}

#[tokio::test]
async fn first_account_is_admin_and_later_ones_are_not() -> TestResult {
    let (_db, mut conn) = db().await?;
    let first = user(&mut conn, "first@example.com").await?;
    let second = user(&mut conn, "second@example.com").await?;
    assert!(first.is_admin);
    assert!(!second.is_admin);
    Ok(())
}

#[tokio::test]
async fn closed_signups_refuse_new_accounts_but_not_the_first() -> TestResult {
    let (_db, mut conn) = db().await?;
    instance::set_signups_open(&mut conn, false).await?;
    user(&mut conn, "admin@example.com").await?;
    let r = login::signup(
        &mut conn,
        &Settings::default(),
        &signup_req("late@example.com"),
        &ClientInfo::default(),
    )
    .await;
    assert_eq!(code(r), ErrorCode::SignupsClosed);
    Ok(())
}

#[tokio::test]
async fn duplicate_email_is_refused_case_insensitively() -> TestResult {
    let (_db, mut conn) = db().await?;
    user(&mut conn, "ana@example.com").await?;
    let r = login::signup(
        &mut conn,
        &Settings::default(),
        &signup_req("ANA@Example.com"),
        &ClientInfo::default(),
    )
    .await;
    assert_eq!(code(r), ErrorCode::EmailTaken);
    Ok(())
}

#[tokio::test]
async fn login_checks_the_password_and_session_resolves() -> TestResult {
    let (_db, mut conn) = db().await?;
    let settings = Settings::default();
    let ana = user(&mut conn, "ana@example.com").await?;
    let bad = LoginRequest {
        email: "ana@example.com".into(),
        password: "nope-nope".into(),
    };
    assert_eq!(
        code(login::login(&mut conn, &settings, &bad, &ClientInfo::default()).await),
        ErrorCode::InvalidCredentials
    );
    let unknown = LoginRequest {
        email: "nobody@example.com".into(),
        password: "password123".into(),
    };
    assert_eq!(
        code(login::login(&mut conn, &settings, &unknown, &ClientInfo::default()).await),
        ErrorCode::InvalidCredentials
    );

    let good = LoginRequest {
        email: " Ana@example.com".into(),
        password: "password123".into(),
    };
    let (u, session) = login::login(&mut conn, &settings, &good, &ClientInfo::default()).await?;
    assert_eq!(u.id, ana.id);
    let caller = Caller::from_session(&mut conn, &session.secret, settings.session_ttl).await?;
    assert_eq!(caller.map(|c| c.user.id), Some(ana.id));
    assert!(Caller::from_session(&mut conn, "forged", settings.session_ttl)
        .await?
        .is_none());

    let caller = Caller::from_session(&mut conn, &session.secret, settings.session_ttl)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no caller"))?;
    login::logout(&mut conn, &caller).await?;
    assert!(Caller::from_session(&mut conn, &session.secret, settings.session_ttl)
        .await?
        .is_none());
    Ok(())
}

#[tokio::test]
async fn repeated_failures_throttle_the_account_and_the_ip() -> TestResult {
    let (_db, mut conn) = db().await?;
    let settings = Settings {
        login_max_failures_per_account: 3,
        login_max_failures_per_ip: 5,
        ..Settings::default()
    };
    user(&mut conn, "ana@example.com").await?;
    user(&mut conn, "ben@example.com").await?;
    let from = |ip: &str| ClientInfo {
        ip: Some(ip.into()),
        user_agent: None,
    };
    let wrong = LoginRequest {
        email: "ana@example.com".into(),
        password: "wrong-password".into(),
    };
    for _ in 0..3 {
        assert_eq!(
            code(login::login(&mut conn, &settings, &wrong, &from("10.0.0.1")).await),
            ErrorCode::InvalidCredentials
        );
    }
    // Even the right password is refused now, from any IP.
    let right = LoginRequest {
        email: "ana@example.com".into(),
        password: "password123".into(),
    };
    assert_eq!(
        code(login::login(&mut conn, &settings, &right, &from("10.0.0.9")).await),
        ErrorCode::RateLimited
    );

    // Per IP: failures spread over accounts still add up.
    let ben_wrong = LoginRequest {
        email: "ben@example.com".into(),
        password: "wrong-password".into(),
    };
    for _ in 0..2 {
        assert_eq!(
            code(login::login(&mut conn, &settings, &ben_wrong, &from("10.0.0.1")).await),
            ErrorCode::InvalidCredentials
        );
    }
    let ben_right = LoginRequest {
        email: "ben@example.com".into(),
        password: "password123".into(),
    };
    assert_eq!(
        code(login::login(&mut conn, &settings, &ben_right, &from("10.0.0.1")).await),
        ErrorCode::RateLimited
    );
    assert!(login::login(&mut conn, &settings, &ben_right, &from("10.0.0.2"))
        .await
        .is_ok());
    Ok(())
}

#[tokio::test]
async fn api_tokens_are_shown_once_stored_hashed_and_revocable() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let ben = user(&mut conn, "ben@example.com").await?;
    let req = model::dto::CreateTokenRequest {
        name: "laptop".into(),
        scope: Default::default(),
        expires_in_days: None,
    };
    let created = tokens::create(&mut conn, ana.user_id(), &req).await?;
    assert!(created.secret.starts_with("dly_"));

    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let stored: Vec<Vec<u8>> = domain::schema::api_tokens::table
        .select(domain::schema::api_tokens::token_hash)
        .load(&mut conn)
        .await?;
    assert_eq!(stored.len(), 1);
    assert_ne!(
        stored[0],
        created.secret.as_bytes(),
        "the secret must not be stored in clear"
    );

    let caller = Caller::from_token(&mut conn, &created.secret).await?;
    assert_eq!(caller.map(|c| c.user.id), Some(ana.id));
    assert_eq!(
        code(tokens::revoke(&mut conn, ben.user_id(), created.token.id).await),
        ErrorCode::NotFound
    );
    tokens::revoke(&mut conn, ana.user_id(), created.token.id).await?;
    assert!(Caller::from_token(&mut conn, &created.secret).await?.is_none());
    let listed = tokens::list(&mut conn, ana.user_id()).await?;
    assert!(listed[0].revoked);
    assert!(listed[0].last_used_at.is_some());
    Ok(())
}
