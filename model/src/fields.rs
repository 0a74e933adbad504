//! The editable metadata of an asset: which fields exist, their types, and checking a change.
//!
//! With the technical metadata from ingest (`AssetMetadata`, 24 fields) and the review fields
//! (rating, pick, label, status) these make the asset's 40+ fields.

use crate::ids::UserId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Free-text fields kept by name (each up to 500 characters).
pub const INFO_FIELDS: [(&str, &str); 14] = [
    ("title", "Title"),
    ("notes", "Notes"),
    ("copyright", "Copyright"),
    ("creator", "Creator"),
    ("location", "Location"),
    ("keywords", "Keywords"),
    ("client", "Client"),
    ("campaign", "Campaign"),
    ("shot", "Shot"),
    ("scene", "Scene"),
    ("take", "Take"),
    ("camera_roll", "Camera roll"),
    ("reel", "Reel"),
    ("credit", "Credit"),
];

/// Most tags on one asset.
pub const MAX_TAGS: usize = 100;

/// The editable fields of an asset (`GET /assets/{id}` → `fields`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssetFields {
    /// Description (up to 10,000 characters).
    #[serde(default)]
    pub description: String,
    /// Tags, lowercase.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Target platforms (`model::filter::PLATFORMS`).
    #[serde(default)]
    pub platforms: Vec<String>,
    /// Who it is assigned to.
    #[serde(default)]
    pub assignee: Option<UserId>,
    /// When it is due.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The free-text fields (`INFO_FIELDS`) that are set.
    #[serde(default)]
    pub info: BTreeMap<String, String>,
    /// The project's custom fields that are set, by key (`custom_field::CustomFieldDto::check_value`).
    #[serde(default)]
    pub custom: BTreeMap<String, Json>,
}

/// One checked change to a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldChange {
    /// New description.
    Description(String),
    /// Replace the tags.
    Tags(Vec<String>),
    /// Replace the platforms.
    Platforms(Vec<String>),
    /// Set or clear the assignee.
    Assignee(Option<UserId>),
    /// Set or clear the due date.
    DueDate(Option<NaiveDate>),
    /// Set (or clear, with `None`) an info field.
    Info(String, Option<String>),
    /// Set a custom field (`custom.<key>`), checked against the asset's project by the server.
    Custom(String, Json),
}

/// A tag as stored: trimmed, lowercase, inner whitespace collapsed; 1–50 characters.
pub fn normalise_tag(raw: &str) -> Result<String, String> {
    let tag = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if tag.is_empty() || tag.chars().count() > 50 {
        return Err(format!("a tag is 1 to 50 characters, not `{raw}`"));
    }
    Ok(tag)
}

/// Normalises a list of tags, dropping repeats.
pub fn normalise_tags(raw: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = normalise_tag(t)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(format!("at most {MAX_TAGS} tags"));
    }
    Ok(out)
}

fn strings(name: &str, v: &Json) -> Result<Vec<String>, String> {
    match v {
        Json::Null => Ok(Vec::new()),
        Json::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{name}` is a list of text"))
            })
            .collect(),
        _ => Err(format!("`{name}` is a list of text")),
    }
}

/// Checks one `name: value` change (`null` clears).
pub fn check(name: &str, value: &Json) -> Result<FieldChange, String> {
    match name {
        "description" => match value {
            Json::Null => Ok(FieldChange::Description(String::new())),
            Json::String(s) if s.chars().count() <= 10_000 => Ok(FieldChange::Description(s.trim().to_owned())),
            _ => Err("`description` is text of at most 10,000 characters".into()),
        },
        "tags" => Ok(FieldChange::Tags(normalise_tags(&strings(name, value)?)?)),
        "platforms" => {
            let mut list = strings(name, value)?;
            list.sort();
            list.dedup();
            match list.iter().find(|p| !crate::filter::PLATFORMS.contains(&p.as_str())) {
                Some(bad) => Err(format!(
                    "`{bad}` is not a platform; platforms are {}",
                    crate::filter::PLATFORMS.join(", ")
                )),
                None => Ok(FieldChange::Platforms(list)),
            }
        }
        "assignee" => match value {
            Json::Null => Ok(FieldChange::Assignee(None)),
            Json::String(s) => s
                .parse::<uuid::Uuid>()
                .map(|u| FieldChange::Assignee(Some(UserId(u))))
                .map_err(|_| "`assignee` is a user id".into()),
            _ => Err("`assignee` is a user id or null".into()),
        },
        "due_date" => match value {
            Json::Null => Ok(FieldChange::DueDate(None)),
            Json::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| FieldChange::DueDate(Some(d)))
                .map_err(|_| format!("`due_date` is a date like 2026-12-31, not `{s}`")),
            _ => Err("`due_date` is a date like 2026-12-31 or null".into()),
        },
        other if INFO_FIELDS.iter().any(|(k, _)| *k == other) => match value {
            Json::Null => Ok(FieldChange::Info(other.to_owned(), None)),
            Json::String(s) if s.trim().is_empty() => Ok(FieldChange::Info(other.to_owned(), None)),
            Json::String(s) if s.chars().count() <= 500 => {
                Ok(FieldChange::Info(other.to_owned(), Some(s.trim().to_owned())))
            }
            _ => Err(format!("`{other}` is text of at most 500 characters")),
        },
        other if other.starts_with("custom.") => match other.strip_prefix("custom.") {
            Some(key) if crate::filter::valid_key(key) => Ok(FieldChange::Custom(key.to_owned(), value.clone())),
            _ => Err(format!("`{other}` is not a custom field key")),
        },
        other => {
            let known: Vec<&str> = ["description", "tags", "platforms", "assignee", "due_date"]
                .into_iter()
                .chain(INFO_FIELDS.iter().map(|(k, _)| *k))
                .collect();
            Err(format!(
                "unknown field `{other}`; editable fields are {}, and custom.<key>",
                known.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_are_checked() {
        assert_eq!(
            check("tags", &json!([" Hero ", "hero", "B  Roll"])),
            Ok(FieldChange::Tags(vec!["hero".into(), "b roll".into()]))
        );
        assert!(check("platforms", &json!(["myspace"])).is_err_and(|e| e.contains("not a platform")));
        assert!(check("due_date", &json!("31/12/2026")).is_err());
        assert_eq!(check("title", &json!("")), Ok(FieldChange::Info("title".into(), None)));
        assert!(check("colour", &json!("x")).is_err_and(|e| e.contains("unknown field `colour`")));
        assert!(check("notes", &json!("x".repeat(501))).is_err());
    }
}
