//! The filter language of smart collections and search: a typed, validated tree whose JSON
//! form is a public contract.
//!
//! ```json
//! {"all": [{"field": "rating", "op": "gte", "value": 5},
//!          {"any": [{"field": "media_type", "op": "eq", "value": "image"},
//!                   {"field": "tags", "op": "contains", "value": "hero"}]}]}
//! ```
//!
//! Groups are `{"all": [...]}`, `{"any": [...]}` and `{"not": {...}}`; a predicate is
//! `{"field", "op", "value"}` with ops `eq, ne, gt, gte, lt, lte, in, contains, between,
//! is_set`. Every field has one value type and a set of ops; anything else is refused with a
//! message naming the place (`all[1].any[0]: …`). Custom fields are `custom.<key>`; their
//! value types are checked against the project's definitions by the server.

mod custom;
mod field;
mod parse;
mod sort;
#[cfg(test)]
mod tests;

pub use field::{ops_for, valid_key, Field, Kind, Op, PLATFORMS};
pub use sort::{Direction, GroupBy, Sort, SortField};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};
use std::fmt;

/// Deepest nesting of groups accepted.
pub const MAX_DEPTH: usize = 8;
/// Most predicates in one filter.
pub const MAX_PREDICATES: usize = 64;
/// Most values in one `in` list.
pub const MAX_LIST: usize = 200;

/// A filter: a group of filters or one predicate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Json", into = "Json")]
pub enum Filter {
    /// Every one matches (an empty `all` matches everything).
    All(Vec<Filter>),
    /// At least one matches (an empty `any` matches nothing).
    Any(Vec<Filter>),
    /// The inner filter does not match.
    Not(Box<Filter>),
    /// One condition on one field.
    Pred(Predicate),
}

impl Default for Filter {
    fn default() -> Self {
        Filter::All(Vec::new())
    }
}

/// One condition: `field op value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Predicate {
    /// What is compared.
    pub field: Field,
    /// How.
    pub op: Op,
    /// With what (already checked against the field's type).
    pub value: Value,
}

/// A relative calendar day, resolved by the database at query time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelativeDay {
    /// Today plus this many days (negative: in the past).
    Today(i32),
    /// Monday of the current week.
    StartOfWeek,
    /// Sunday of the current week.
    EndOfWeek,
    /// The first of this month.
    StartOfMonth,
    /// The last day of this month.
    EndOfMonth,
}

impl RelativeDay {
    pub(crate) fn parse(s: &str) -> Option<RelativeDay> {
        match s {
            "today" => Some(RelativeDay::Today(0)),
            "start_of_week" => Some(RelativeDay::StartOfWeek),
            "end_of_week" => Some(RelativeDay::EndOfWeek),
            "start_of_month" => Some(RelativeDay::StartOfMonth),
            "end_of_month" => Some(RelativeDay::EndOfMonth),
            _ => {
                let days = s.strip_suffix('d')?;
                let n: i32 = days.parse().ok()?;
                (days.starts_with(['+', '-']) && n.abs() <= 36_600).then_some(RelativeDay::Today(n))
            }
        }
    }

    fn name(self) -> String {
        match self {
            RelativeDay::Today(0) => "today".into(),
            RelativeDay::Today(n) => format!("{n:+}d"),
            RelativeDay::StartOfWeek => "start_of_week".into(),
            RelativeDay::EndOfWeek => "end_of_week".into(),
            RelativeDay::StartOfMonth => "start_of_month".into(),
            RelativeDay::EndOfMonth => "end_of_month".into(),
        }
    }
}

/// A day: a date or a day relative to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Day {
    /// A calendar date.
    Date(NaiveDate),
    /// Relative to today.
    Relative(RelativeDay),
}

/// A checked value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `is_set` without a value, or a custom field's raw value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Number(f64),
    /// Text, an enum name or an id.
    Text(String),
    /// A day.
    Day(Day),
    /// The values of `in`, or of `contains` on a set (all of them).
    List(Vec<Value>),
    /// The bounds of `between`.
    Range(Box<Value>, Box<Value>),
    /// A custom field's value, as sent: the server checks it against the field's type.
    Raw(Json),
}

/// Why a filter was refused, with where in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// Path to the offending node, like `all[1].any[0]`; empty at the root.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "filter: {}", self.message)
        } else {
            write!(f, "filter at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for FilterError {}

impl From<FilterError> for crate::ApiError {
    fn from(e: FilterError) -> Self {
        crate::ApiError::new(crate::ErrorCode::InvalidFilter, e.to_string())
    }
}

impl Filter {
    /// Parses and checks a filter from its JSON form.
    pub fn parse(json: &Json) -> Result<Filter, FilterError> {
        parse::Parser::default().node(json, "", 0)
    }

    /// Every predicate, depth first.
    pub fn predicates(&self) -> Vec<&Predicate> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Predicate>) {
        match self {
            Filter::All(fs) | Filter::Any(fs) => fs.iter().for_each(|f| f.walk(out)),
            Filter::Not(f) => f.walk(out),
            Filter::Pred(p) => out.push(p),
        }
    }

    /// A filter of one predicate.
    pub fn pred(field: Field, op: Op, value: Value) -> Filter {
        Filter::Pred(Predicate { field, op, value })
    }

    /// Both this and `other`.
    pub fn and(self, other: Filter) -> Filter {
        match self {
            Filter::All(mut fs) => {
                fs.push(other);
                Filter::All(fs)
            }
            f => Filter::All(vec![f, other]),
        }
    }

    /// The JSON form.
    pub fn to_json(&self) -> Json {
        match self {
            Filter::All(fs) => json!({ "all": fs.iter().map(Filter::to_json).collect::<Vec<_>>() }),
            Filter::Any(fs) => json!({ "any": fs.iter().map(Filter::to_json).collect::<Vec<_>>() }),
            Filter::Not(f) => json!({ "not": f.to_json() }),
            Filter::Pred(p) => {
                let mut m = Map::new();
                m.insert("field".into(), Json::String(p.field.name()));
                m.insert("op".into(), Json::String(p.op.as_str().into()));
                m.insert("value".into(), p.value.to_json());
                Json::Object(m)
            }
        }
    }
}

impl Value {
    /// The JSON form.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => json!(i),
            Value::Number(n) => json!(n),
            Value::Text(s) => Json::String(s.clone()),
            Value::Day(Day::Date(d)) => Json::String(d.format("%Y-%m-%d").to_string()),
            Value::Day(Day::Relative(r)) => Json::String(r.name()),
            Value::List(vs) => Json::Array(vs.iter().map(Value::to_json).collect()),
            Value::Range(lo, hi) => Json::Array(vec![lo.to_json(), hi.to_json()]),
            Value::Raw(j) => j.clone(),
        }
    }
}

impl TryFrom<Json> for Filter {
    type Error = FilterError;
    fn try_from(json: Json) -> Result<Self, Self::Error> {
        Filter::parse(&json)
    }
}

impl From<Filter> for Json {
    fn from(f: Filter) -> Json {
        f.to_json()
    }
}

/// The words of a search, lowercased, letters and digits only (at most 16).
pub fn search_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(16)
        .collect()
}
