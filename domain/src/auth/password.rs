//! argon2id password hashing, off the async threads.

use crate::error::{DomainError, DomainResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a password with argon2id (PHC string).
pub async fn hash(password: &str) -> DomainResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DomainError::Internal(format!("hashing password: {e}")))
    })
    .await?
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub async fn verify(password: &str, stored: &str) -> DomainResult<bool> {
    let password = password.to_owned();
    let stored = stored.to_owned();
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await?)
}

/// A valid hash of a random password, used to spend the same time on unknown accounts
/// as on known ones, so timing does not reveal which e-mails have accounts.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0P8+8pM0zmVQbbqDHyPqDkHhJ5PKMhXg6OzJtG8pLhA";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() -> DomainResult<()> {
        let h = hash("correct horse battery").await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h).await?);
        assert!(!verify("wrong horse battery", &h).await?);
        assert!(!verify("anything", "not a hash").await?);
        assert!(
            PasswordHash::new(DUMMY_HASH).is_ok(),
            "the dummy hash must parse, or it would be fast"
        );
        assert!(!verify("anything", DUMMY_HASH).await?);
        Ok(())
    }
}
