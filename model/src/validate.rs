//! Validation at the boundary: newtypes that can only hold valid values.

use crate::error::ApiError;

/// A normalised (trimmed, lowercase) e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Email {
    type Error = ApiError;
    fn try_from(raw: &str) -> Result<Self, ApiError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(email.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                    && !domain.ends_with('.') && !domain.contains('@'));
        if valid {
            Ok(Email(email))
        } else {
            Err(ApiError::invalid("enter a valid e-mail address"))
        }
    }
}

fn bounded_text(raw: &str, what: &str, max: usize, allow_empty: bool) -> Result<String, ApiError> {
    let text = raw.trim();
    if text.is_empty() && !allow_empty {
        return Err(ApiError::invalid(format!("{what} must not be empty")));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid(format!("{what} must be at most {max} characters")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ApiError::invalid(format!("{what} must not contain control characters")));
    }
    Ok(text.to_owned())
}

/// A person's display name: 1–100 characters.
pub fn display_name(raw: &str) -> Result<String, ApiError> {
    bounded_text(raw, "name", 100, false).and_then(single_line)
}

/// A project name: 1–200 characters on one line.
pub fn project_name(raw: &str) -> Result<String, ApiError> {
    bounded_text(raw, "project name", 200, false).and_then(single_line)
}

/// A description: up to 5,000 characters.
pub fn description(raw: &str) -> Result<String, ApiError> {
    bounded_text(raw, "description", 5000, true)
}

/// A token label: 1–100 characters.
pub fn token_name(raw: &str) -> Result<String, ApiError> {
    bounded_text(raw, "token name", 100, false).and_then(single_line)
}

fn single_line(text: String) -> Result<String, ApiError> {
    if text.contains(['\n', '\r']) {
        Err(ApiError::invalid("must be a single line"))
    } else {
        Ok(text)
    }
}

/// Minimum password length.
pub const MIN_PASSWORD: usize = 8;

/// A new password: 8–1024 characters (the upper bound keeps hashing cheap).
pub fn new_password(raw: &str) -> Result<&str, ApiError> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD {
        return Err(ApiError::invalid(format!(
            "password must be at least {MIN_PASSWORD} characters"
        )));
    }
    if raw.len() > 1024 {
        return Err(ApiError::invalid("password must be at most 1024 bytes"));
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::try_from("  Ana@Example.COM ").map(|e| e.0).ok(),
            Some("ana@example.com".into())
        );
        for bad in [
            "",
            "ana",
            "@example.com",
            "ana@",
            "ana@example",
            "a b@example.com",
            "ana@.com",
            "a@b@c.com",
        ] {
            assert!(Email::try_from(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(project_name("  Spring campaign ").ok(), Some("Spring campaign".into()));
        assert!(project_name("   ").is_err());
        assert!(project_name(&"x".repeat(201)).is_err());
        assert!(project_name("two\nlines").is_err());
        assert!(description("").is_ok());
        assert!(display_name("bell\u{7}").is_err());
    }

    #[test]
    fn passwords_have_a_minimum_length() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough").is_ok());
        assert!(new_password(&"x".repeat(2000)).is_err());
    }
}
