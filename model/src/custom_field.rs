//! Custom fields: metadata a project defines for its own workflow (a budget, a shoot day, a
//! deliverable list), with a type that decides how values are checked, edited and filtered.

use crate::ids::{CustomFieldId, ProjectId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most custom fields in one project.
pub const MAX_FIELDS: usize = 50;
/// Most options of a select field.
pub const MAX_OPTIONS: usize = 100;

/// The type of a custom field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomKind {
    /// Free text (up to 500 characters).
    Text,
    /// A decimal number.
    Number,
    /// A calendar date.
    Date,
    /// One of the field's options.
    SingleSelect,
    /// Any of the field's options.
    MultiSelect,
    /// A member of the project (a user id).
    Person,
    /// Yes or no.
    Checkbox,
    /// An `http(s)` link.
    Url,
}

impl CustomKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [CustomKind; 8] = [
        CustomKind::Text,
        CustomKind::Number,
        CustomKind::Date,
        CustomKind::SingleSelect,
        CustomKind::MultiSelect,
        CustomKind::Person,
        CustomKind::Checkbox,
        CustomKind::Url,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::SingleSelect => "single_select",
            CustomKind::MultiSelect => "multi_select",
            CustomKind::Person => "person",
            CustomKind::Checkbox => "checkbox",
            CustomKind::Url => "url",
        }
    }

    /// From the wire name.
    pub fn parse(s: &str) -> Option<CustomKind> {
        CustomKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A label for forms.
    pub fn label(self) -> &'static str {
        match self {
            CustomKind::Text => "Text",
            CustomKind::Number => "Number",
            CustomKind::Date => "Date",
            CustomKind::SingleSelect => "Single select",
            CustomKind::MultiSelect => "Multi-select",
            CustomKind::Person => "Person",
            CustomKind::Checkbox => "Checkbox",
            CustomKind::Url => "URL",
        }
    }

    /// Whether the field has a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, CustomKind::SingleSelect | CustomKind::MultiSelect)
    }
}

/// A project's custom field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CustomFieldDto {
    /// Id.
    pub id: CustomFieldId,
    /// Project.
    pub project_id: ProjectId,
    /// Stable key: values are `custom.<key>` in filters, metadata edits and columns.
    pub key: String,
    /// What people see.
    pub label: String,
    /// Type.
    pub kind: CustomKind,
    /// The choices of a select field.
    #[serde(default)]
    pub options: Vec<String>,
    /// Place in forms.
    pub position: i32,
}

/// `POST /api/v1/projects/{id}/fields`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateCustomField {
    /// What people see, 1–100 characters.
    pub label: String,
    /// Type.
    pub kind: CustomKind,
    /// Key (default: made from the label, like `shoot_day`).
    #[serde(default)]
    pub key: Option<String>,
    /// Choices of a select field (required for those, refused for others).
    #[serde(default)]
    pub options: Vec<String>,
}

/// `PATCH /api/v1/fields/{id}`: rename, change the options or move. The kind and key stay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateCustomField {
    /// New label.
    #[serde(default)]
    pub label: Option<String>,
    /// New options (values no longer among them are cleared from assets).
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// New place.
    #[serde(default)]
    pub position: Option<i32>,
}

/// A key made from a label: `Shoot day` → `shoot_day`.
pub fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    let key = if key.starts_with(|c: char| c.is_ascii_lowercase()) {
        key.to_owned()
    } else {
        format!("f_{key}")
    };
    key.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_owned()
}

/// Checks a label: trimmed, 1–100 characters.
pub fn check_label(label: &str) -> Result<String, String> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err("a field's label is 1 to 100 characters".into());
    }
    Ok(label.to_owned())
}

/// Checks a select field's options: trimmed, 1–100 characters each, no repeats, 1 to
/// [`MAX_OPTIONS`] of them.
pub fn check_options(options: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for o in options {
        let o = o.trim();
        if o.is_empty() || o.chars().count() > 100 {
            return Err("an option is 1 to 100 characters".into());
        }
        if !out.iter().any(|x| x == o) {
            out.push(o.to_owned());
        }
    }
    if out.is_empty() || out.len() > MAX_OPTIONS {
        return Err(format!("a select field has 1 to {MAX_OPTIONS} options"));
    }
    Ok(out)
}

impl CustomFieldDto {
    /// Checks a value for this field, returning it as stored; `Ok(None)` clears (`null`, an
    /// empty text or list, an unticked checkbox). Person values are checked for membership by
    /// the server.
    pub fn check_value(&self, v: &Json) -> Result<Option<Json>, String> {
        let name = &self.label;
        if v.is_null() {
            return Ok(None);
        }
        match self.kind {
            CustomKind::Text => match v.as_str().map(str::trim) {
                Some("") => Ok(None),
                Some(s) if s.chars().count() <= 500 => Ok(Some(Json::String(s.to_owned()))),
                _ => Err(format!("`{name}` is text of at most 500 characters")),
            },
            CustomKind::Number => {
                let n = match v {
                    Json::Number(n) => n.as_f64(),
                    Json::String(s) if s.trim().is_empty() => return Ok(None),
                    Json::String(s) => s.trim().parse::<f64>().ok(),
                    _ => None,
                };
                match n.filter(|n| n.is_finite() && n.abs() < 1e15) {
                    Some(n) => Ok(Some(serde_json::json!(n))),
                    None => Err(format!("`{name}` is a number")),
                }
            }
            CustomKind::Date => match v.as_str().map(str::trim) {
                Some("") => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| Some(Json::String(d.format("%Y-%m-%d").to_string())))
                    .map_err(|_| format!("`{name}` is a date like 2026-12-31, not `{s}`")),
                None => Err(format!("`{name}` is a date like 2026-12-31")),
            },
            CustomKind::SingleSelect => match v.as_str().map(str::trim) {
                Some("") => Ok(None),
                Some(s) if self.options.iter().any(|o| o == s) => Ok(Some(Json::String(s.to_owned()))),
                _ => Err(format!("`{name}` is one of {}", self.options.join(", "))),
            },
            CustomKind::MultiSelect => {
                let Json::Array(items) = v else {
                    return Err(format!("`{name}` is a list of {}", self.options.join(", ")));
                };
                let mut out: Vec<String> = Vec::new();
                for i in items {
                    match i.as_str() {
                        Some(s) if self.options.iter().any(|o| o == s) => {
                            if !out.iter().any(|x| x == s) {
                                out.push(s.to_owned());
                            }
                        }
                        _ => return Err(format!("`{name}` takes only {}", self.options.join(", "))),
                    }
                }
                Ok((!out.is_empty()).then(|| serde_json::json!(out)))
            }
            CustomKind::Person => match v.as_str().map(str::trim) {
                Some("") => Ok(None),
                Some(s) => uuid::Uuid::parse_str(s)
                    .map(|u| Some(Json::String(u.to_string())))
                    .map_err(|_| format!("`{name}` is a user id")),
                None => Err(format!("`{name}` is a user id")),
            },
            CustomKind::Checkbox => match v.as_bool() {
                Some(true) => Ok(Some(Json::Bool(true))),
                Some(false) => Ok(None),
                None => Err(format!("`{name}` is true or false")),
            },
            CustomKind::Url => match v.as_str().map(str::trim) {
                Some("") => Ok(None),
                Some(s)
                    if (s.starts_with("https://") || s.starts_with("http://"))
                        && s.len() > 8
                        && s.len() <= 2000
                        && !s.contains(char::is_whitespace) =>
                {
                    Ok(Some(Json::String(s.to_owned())))
                }
                _ => Err(format!("`{name}` is an http:// or https:// link")),
            },
        }
    }

    /// A stored value as text, for lists and reports.
    pub fn display(&self, v: &Json) -> String {
        match v {
            Json::String(s) => s.clone(),
            Json::Bool(true) => "Yes".into(),
            Json::Bool(false) => String::new(),
            Json::Number(n) => n.to_string().trim_end_matches(".0").to_owned(),
            Json::Array(items) => items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(", "),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(kind: CustomKind, options: &[&str]) -> CustomFieldDto {
        CustomFieldDto {
            id: CustomFieldId(uuid::Uuid::nil()),
            project_id: ProjectId(uuid::Uuid::nil()),
            key: "k".into(),
            label: "Budget".into(),
            kind,
            options: options.iter().map(|s| s.to_string()).collect(),
            position: 0,
        }
    }

    #[test]
    fn keys_come_from_labels() {
        assert_eq!(key_from_label("Shoot day"), "shoot_day");
        assert_eq!(key_from_label("  Budget (€)  "), "budget");
        assert_eq!(key_from_label("2nd unit"), "f_2nd_unit");
        assert!(crate::filter::valid_key(&key_from_label(&"Ü".repeat(80))));
    }

    #[test]
    fn values_are_checked_by_kind() {
        let n = field(CustomKind::Number, &[]);
        assert_eq!(n.check_value(&json!("12.5")), Ok(Some(json!(12.5))));
        assert!(n.check_value(&json!("lots")).is_err());
        let s = field(CustomKind::SingleSelect, &["Day 1", "Day 2"]);
        assert_eq!(s.check_value(&json!("Day 2")), Ok(Some(json!("Day 2"))));
        assert!(s
            .check_value(&json!("Day 3"))
            .is_err_and(|e| e.contains("Day 1, Day 2")));
        let m = field(CustomKind::MultiSelect, &["a", "b"]);
        assert_eq!(m.check_value(&json!(["b", "b", "a"])), Ok(Some(json!(["b", "a"]))));
        assert_eq!(m.check_value(&json!([])), Ok(None));
        assert!(field(CustomKind::Url, &[])
            .check_value(&json!("javascript:alert(1)"))
            .is_err());
        assert_eq!(field(CustomKind::Checkbox, &[]).check_value(&json!(false)), Ok(None));
        assert!(field(CustomKind::Date, &[]).check_value(&json!("31/12/2026")).is_err());
        assert_eq!(n.display(&json!(1200.0)), "1200");
    }
}
