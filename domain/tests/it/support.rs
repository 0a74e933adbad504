use domain::auth::login;
use domain::auth::sessions::ClientInfo;
use domain::settings::Settings;
use domain::testing::TestDb;
use domain::users::User;
use model::dto::SignupRequest;

pub type TestResult = anyhow::Result<()>;

/// A fresh database and a connection to it.
pub async fn db() -> anyhow::Result<(TestDb, domain::db::DbConn)> {
    let db = TestDb::new().await?;
    let conn = db.pool.get().await?;
    Ok((db, conn))
}

/// Signs up an account named after the e-mail's local part.
pub async fn user(conn: &mut diesel_async::AsyncPgConnection, email: &str) -> anyhow::Result<User> {
    let req = SignupRequest {
        email: email.into(),
        name: email.split('@').next().unwrap_or(email).into(),
        password: "password123".into(),
    };
    let (user, _) = login::signup(conn, &Settings::default(), &req, &ClientInfo::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(user)
}

/// The stable code of a domain error.
pub fn code<T: std::fmt::Debug>(r: Result<T, domain::DomainError>) -> model::ErrorCode {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_api().code,
    }
}
