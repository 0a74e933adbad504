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

/// The fields a filter can look at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Star rating, −1 (rejected) to 5; `"reject"` is accepted for −1.
    Rating,
    /// The pick flag.
    Picked,
    /// Colour label.
    Label,
    /// Review status.
    Status,
    /// Processing state of the current version.
    State,
    /// Video, image or audio.
    MediaType,
    /// Who uploaded the asset (a user id).
    Uploader,
    /// Who it is assigned to (a user id).
    Assignee,
    /// Free tags.
    Tags,
    /// Target platforms.
    Platforms,
    /// Due date.
    DueDate,
    /// Whether any top-level comment is unresolved.
    UnresolvedComments,
    /// Camera maker (EXIF).
    CameraMake,
    /// Camera model (EXIF).
    CameraModel,
    /// Lens model (EXIF).
    Lens,
    /// When the picture was taken.
    CapturedAt,
    /// When the asset was uploaded.
    CreatedAt,
    /// Duration in seconds.
    Duration,
    /// Displayed width, pixels.
    Width,
    /// Displayed height, pixels.
    Height,
    /// The asset's name.
    Name,
    /// The folder it is in (a folder id).
    Folder,
    /// Full text over names, descriptions, tags, metadata and comments.
    Text,
    /// A project-defined custom field, by key.
    Custom(String),
}

/// The type of a field's values, which decides the ops it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers.
    Int,
    /// Decimal numbers.
    Number,
    /// `true` / `false`.
    Bool,
    /// One of a fixed set of names.
    Enum(&'static [&'static str]),
    /// A set of names from a fixed list.
    EnumSet(&'static [&'static str]),
    /// A set of free words.
    TextSet,
    /// Free text.
    Text,
    /// A user or folder id.
    Id,
    /// A calendar date, absolute (`2026-12-31`) or relative (`today`, `start_of_week`, `-7d`).
    Date,
    /// Full-text words.
    Search,
    /// A custom field: checked by the server against the project's definition.
    Custom,
}

/// Target platforms an asset can be meant for.
pub const PLATFORMS: [&str; 9] = [
    "instagram",
    "tiktok",
    "youtube",
    "facebook",
    "linkedin",
    "x",
    "web",
    "print",
    "broadcast",
];
const LABELS: [&str; 4] = ["red", "yellow", "green", "blue"];
const STATUSES: [&str; 4] = ["needs_review", "in_progress", "changes_requested", "approved"];
const STATES: [&str; 4] = ["uploading", "processing", "ready", "failed"];
const MEDIA_TYPES: [&str; 3] = ["video", "image", "audio"];

impl Field {
    /// Every built-in field, in the order a filter editor lists them.
    pub const BUILT_IN: [Field; 23] = [
        Field::Text,
        Field::Rating,
        Field::Picked,
        Field::Label,
        Field::Status,
        Field::MediaType,
        Field::State,
        Field::Tags,
        Field::Platforms,
        Field::Assignee,
        Field::Uploader,
        Field::DueDate,
        Field::UnresolvedComments,
        Field::CameraMake,
        Field::CameraModel,
        Field::Lens,
        Field::CapturedAt,
        Field::CreatedAt,
        Field::Duration,
        Field::Width,
        Field::Height,
        Field::Name,
        Field::Folder,
    ];

    /// The wire name.
    pub fn name(&self) -> String {
        match self {
            Field::Custom(key) => format!("custom.{key}"),
            other => other.static_name().to_owned(),
        }
    }

    fn static_name(&self) -> &'static str {
        match self {
            Field::Rating => "rating",
            Field::Picked => "picked",
            Field::Label => "label",
            Field::Status => "status",
            Field::State => "state",
            Field::MediaType => "media_type",
            Field::Uploader => "uploader",
            Field::Assignee => "assignee",
            Field::Tags => "tags",
            Field::Platforms => "platforms",
            Field::DueDate => "due_date",
            Field::UnresolvedComments => "has_unresolved_comments",
            Field::CameraMake => "camera_make",
            Field::CameraModel => "camera_model",
            Field::Lens => "lens",
            Field::CapturedAt => "captured_at",
            Field::CreatedAt => "created_at",
            Field::Duration => "duration",
            Field::Width => "width",
            Field::Height => "height",
            Field::Name => "name",
            Field::Folder => "folder",
            Field::Text => "text",
            Field::Custom(_) => "custom",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Field> {
        if let Some(key) = name.strip_prefix("custom.") {
            return valid_key(key).then(|| Field::Custom(key.to_owned()));
        }
        Field::BUILT_IN.into_iter().find(|f| f.static_name() == name)
    }

    /// The type of the field's values.
    pub fn kind(&self) -> Kind {
        match self {
            Field::Rating | Field::Width | Field::Height => Kind::Int,
            Field::Duration => Kind::Number,
            Field::Picked | Field::UnresolvedComments => Kind::Bool,
            Field::Label => Kind::Enum(&LABELS),
            Field::Status => Kind::Enum(&STATUSES),
            Field::State => Kind::Enum(&STATES),
            Field::MediaType => Kind::Enum(&MEDIA_TYPES),
            Field::Platforms => Kind::EnumSet(&PLATFORMS),
            Field::Tags => Kind::TextSet,
            Field::CameraMake | Field::CameraModel | Field::Lens | Field::Name => Kind::Text,
            Field::Uploader | Field::Assignee | Field::Folder => Kind::Id,
            Field::DueDate | Field::CapturedAt | Field::CreatedAt => Kind::Date,
            Field::Text => Kind::Search,
            Field::Custom(_) => Kind::Custom,
        }
    }

    /// Whether the field can be unset (so `is_set` means something).
    fn optional(&self) -> bool {
        !matches!(
            self,
            Field::Rating
                | Field::Picked
                | Field::Status
                | Field::State
                | Field::MediaType
                | Field::CreatedAt
                | Field::Name
                | Field::UnresolvedComments
                | Field::Text
        )
    }
}

/// A custom field key: lowercase letters, digits and `_`, 1–40 long, starting with a letter.
pub fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// Equal.
    Eq,
    /// Not equal (or unset).
    Ne,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// One of a list.
    In,
    /// Text: contains the words, case-insensitively; sets: has the value (or all values).
    Contains,
    /// Inclusive range `[low, high]`.
    Between,
    /// Has a value (`true`, the default) or has none (`false`).
    IsSet,
}

impl Op {
    /// Every op, in wire order.
    pub const ALL: [Op; 10] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::In,
        Op::Contains,
        Op::Between,
        Op::IsSet,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::Contains => "contains",
            Op::Between => "between",
            Op::IsSet => "is_set",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// The ops a kind of field takes.
pub fn ops_for(kind: Kind) -> &'static [Op] {
    use Op::*;
    match kind {
        Kind::Int | Kind::Number | Kind::Date => &[Eq, Ne, Gt, Gte, Lt, Lte, In, Between, IsSet],
        Kind::Bool => &[Eq, IsSet],
        Kind::Enum(_) | Kind::Id => &[Eq, Ne, In, IsSet],
        Kind::EnumSet(_) | Kind::TextSet => &[Contains, In, IsSet],
        Kind::Text => &[Eq, Ne, Contains, In, IsSet],
        Kind::Search => &[Contains],
        Kind::Custom => &Op::ALL,
    }
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
    fn parse(s: &str) -> Option<RelativeDay> {
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

struct Parser {
    predicates: usize,
}

fn err(path: &str, message: impl Into<String>) -> FilterError {
    FilterError {
        path: path.to_owned(),
        message: message.into(),
    }
}

impl Filter {
    /// Parses and checks a filter from its JSON form.
    pub fn parse(json: &Json) -> Result<Filter, FilterError> {
        Parser { predicates: 0 }.node(json, "", 0)
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

impl Parser {
    fn node(&mut self, json: &Json, path: &str, depth: usize) -> Result<Filter, FilterError> {
        if depth > MAX_DEPTH {
            return Err(err(path, format!("groups nest deeper than {MAX_DEPTH} levels")));
        }
        let Json::Object(obj) = json else {
            return Err(err(
                path,
                "expected an object: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or {\"field\", \"op\", \"value\"}",
            ));
        };
        let join = |p: &str, k: &str| if p.is_empty() { k.to_owned() } else { format!("{p}.{k}") };
        for group in ["all", "any"] {
            if let Some(list) = obj.get(group) {
                if obj.len() != 1 {
                    return Err(err(path, format!("a `{group}` group has no other keys")));
                }
                let Json::Array(items) = list else {
                    return Err(err(&join(path, group), "expected a list of filters"));
                };
                let children = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.node(item, &format!("{}[{i}]", join(path, group)), depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(if group == "all" {
                    Filter::All(children)
                } else {
                    Filter::Any(children)
                });
            }
        }
        if let Some(inner) = obj.get("not") {
            if obj.len() != 1 {
                return Err(err(path, "a `not` group has no other keys"));
            }
            return Ok(Filter::Not(Box::new(self.node(
                inner,
                &join(path, "not"),
                depth + 1,
            )?)));
        }
        self.predicate(obj, path).map(Filter::Pred)
    }

    fn predicate(&mut self, obj: &Map<String, Json>, path: &str) -> Result<Predicate, FilterError> {
        if let Some(extra) = obj.keys().find(|k| !["field", "op", "value"].contains(&k.as_str())) {
            return Err(err(
                path,
                format!("unknown key `{extra}` (expected field, op, value, all, any or not)"),
            ));
        }
        self.predicates += 1;
        if self.predicates > MAX_PREDICATES {
            return Err(err(path, format!("more than {MAX_PREDICATES} conditions")));
        }
        let name = obj
            .get("field")
            .and_then(Json::as_str)
            .ok_or_else(|| err(path, "missing `field`"))?;
        let field = Field::parse(name).ok_or_else(|| {
            let known: Vec<String> = Field::BUILT_IN.iter().map(Field::name).collect();
            err(
                path,
                format!(
                    "unknown field `{name}`; known fields are {}, and custom.<key>",
                    known.join(", ")
                ),
            )
        })?;
        let op_name = obj
            .get("op")
            .and_then(Json::as_str)
            .ok_or_else(|| err(path, "missing `op`"))?;
        let op = Op::parse(op_name).ok_or_else(|| {
            err(
                path,
                format!("unknown op `{op_name}`; ops are eq, ne, gt, gte, lt, lte, in, contains, between, is_set"),
            )
        })?;
        let kind = field.kind();
        if !ops_for(kind).contains(&op) || (op == Op::IsSet && kind != Kind::Custom && !field.optional()) {
            let allowed: Vec<&str> = ops_for(kind)
                .iter()
                .filter(|o| **o != Op::IsSet || field.optional())
                .map(|o| o.as_str())
                .collect();
            return Err(err(
                path,
                format!("`{name}` does not take `{op_name}`; it takes {}", allowed.join(", ")),
            ));
        }
        let raw = obj.get("value").unwrap_or(&Json::Null);
        let value = if kind == Kind::Custom {
            custom_shape(op, raw).map_err(|m| err(path, format!("`{name}` {op_name}: {m}")))?
        } else {
            checked(&field, kind, op, raw).map_err(|m| err(path, format!("`{name}` {op_name}: {m}")))?
        };
        Ok(Predicate { field, op, value })
    }
}

/// The shape a custom field's value must have for `op`; the scalar type is checked later.
fn custom_shape(op: Op, raw: &Json) -> Result<Value, String> {
    match op {
        Op::IsSet => is_set_value(raw),
        Op::In => match raw {
            Json::Array(items) if !items.is_empty() && items.len() <= MAX_LIST => Ok(Value::Raw(raw.clone())),
            _ => Err(format!("expected a list of 1 to {MAX_LIST} values")),
        },
        Op::Between => match raw {
            Json::Array(items) if items.len() == 2 => Ok(Value::Raw(raw.clone())),
            _ => Err("expected [low, high]".into()),
        },
        _ if raw.is_null() || raw.is_array() || raw.is_object() => Err("expected one value".into()),
        _ => Ok(Value::Raw(raw.clone())),
    }
}

fn is_set_value(raw: &Json) -> Result<Value, String> {
    match raw {
        Json::Null => Ok(Value::Bool(true)),
        Json::Bool(b) => Ok(Value::Bool(*b)),
        _ => Err("expected true, false or no value".into()),
    }
}

fn checked(field: &Field, kind: Kind, op: Op, raw: &Json) -> Result<Value, String> {
    match op {
        Op::IsSet => is_set_value(raw),
        Op::In => {
            let Json::Array(items) = raw else {
                return Err("expected a list".into());
            };
            if items.is_empty() || items.len() > MAX_LIST {
                return Err(format!("expected 1 to {MAX_LIST} values"));
            }
            Ok(Value::List(
                items.iter().map(|v| scalar(field, kind, v)).collect::<Result<_, _>>()?,
            ))
        }
        Op::Between => match raw {
            Json::Array(items) if items.len() == 2 => Ok(Value::Range(
                Box::new(scalar(field, kind, &items[0])?),
                Box::new(scalar(field, kind, &items[1])?),
            )),
            _ => Err("expected [low, high]".into()),
        },
        Op::Contains if matches!(kind, Kind::TextSet | Kind::EnumSet(_)) => match raw {
            Json::Array(items) if !items.is_empty() && items.len() <= MAX_LIST => Ok(Value::List(
                items.iter().map(|v| scalar(field, kind, v)).collect::<Result<_, _>>()?,
            )),
            Json::Array(_) => Err(format!("expected 1 to {MAX_LIST} values")),
            other => scalar(field, kind, other),
        },
        _ => scalar(field, kind, raw),
    }
}

fn scalar(field: &Field, kind: Kind, raw: &Json) -> Result<Value, String> {
    match kind {
        Kind::Int => {
            if *field == Field::Rating && raw.as_str() == Some("reject") {
                return Ok(Value::Int(-1));
            }
            let n = raw.as_i64().ok_or("expected a whole number")?;
            if *field == Field::Rating && !(-1..=5).contains(&n) {
                return Err("a rating is -1 (or \"reject\") to 5".into());
            }
            Ok(Value::Int(n))
        }
        Kind::Number => raw
            .as_f64()
            .filter(|n| n.is_finite())
            .map(Value::Number)
            .ok_or_else(|| "expected a number".into()),
        Kind::Bool => raw
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| "expected true or false".into()),
        Kind::Enum(names) | Kind::EnumSet(names) => match raw.as_str() {
            Some(s) if names.contains(&s) => Ok(Value::Text(s.to_owned())),
            _ => Err(format!("expected one of {}", names.join(", "))),
        },
        Kind::TextSet | Kind::Text | Kind::Search => match raw.as_str() {
            Some(s) if !s.trim().is_empty() && s.len() <= 200 => Ok(Value::Text(s.trim().to_owned())),
            _ => Err("expected text of 1 to 200 characters".into()),
        },
        Kind::Id => raw
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s).ok())
            .map(|u| Value::Text(u.to_string()))
            .ok_or_else(|| "expected an id".into()),
        Kind::Date => {
            let s = raw.as_str().ok_or("expected a date like 2026-12-31, or today, start_of_week, end_of_week, start_of_month, end_of_month, +7d, -7d")?;
            if let Some(r) = RelativeDay::parse(s) {
                return Ok(Value::Day(Day::Relative(r)));
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| Value::Day(Day::Date(d)))
                .map_err(|_| format!("`{s}` is not a date like 2026-12-31, or today, start_of_week, end_of_week, start_of_month, end_of_month, +7d, -7d"))
        }
        Kind::Custom => Ok(Value::Raw(raw.clone())),
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

/// What a list of assets is ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    /// Upload time.
    #[default]
    CreatedAt,
    /// Name, A to Z.
    Name,
    /// Star rating.
    Rating,
    /// When the picture was taken.
    CapturedAt,
    /// Due date.
    DueDate,
    /// Duration.
    Duration,
    /// File size.
    Size,
    /// Review status, in workflow order.
    Status,
    /// A manual collection's own order.
    Position,
    /// Search relevance (searches only).
    Relevance,
}

/// Ascending or descending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest (newest) first.
    #[default]
    Desc,
}

/// How to group a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By star rating.
    Rating,
    /// By review status.
    Status,
    /// By colour label.
    Label,
    /// By media type.
    MediaType,
    /// By assignee.
    Assignee,
}

/// Order (and grouping) of a list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sort {
    /// Sort key.
    #[serde(default)]
    pub field: SortField,
    /// Direction.
    #[serde(default)]
    pub dir: Direction,
    /// Group by this first (the UI draws a header per group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<GroupBy>,
}

/// The words of a search, lowercased, letters and digits only (at most 16).
pub fn search_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(16)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(j: Json) -> Result<Filter, FilterError> {
        Filter::parse(&j)
    }

    #[test]
    fn the_contract_example_parses_and_round_trips() -> Result<(), FilterError> {
        let j = json!({"all":[{"field":"rating","op":"gte","value":5},
            {"any":[{"field":"media_type","op":"eq","value":"image"},{"field":"tags","op":"contains","value":"hero"}]}]});
        let f = parse(j.clone())?;
        assert_eq!(f.to_json(), j);
        assert_eq!(f.predicates().len(), 3);
        Ok(())
    }

    #[test]
    fn unknown_fields_ops_and_wrong_types_are_refused_with_a_path() {
        let cases = [
            (
                json!({"field":"ratting","op":"eq","value":5}),
                "unknown field `ratting`",
            ),
            (
                json!({"all":[{"field":"rating","op":"like","value":5}]}),
                "all[0]: unknown op `like`",
            ),
            (
                json!({"all":[{"any":[{"field":"rating","op":"gte","value":"five"}]}]}),
                "all[0].any[0]: `rating` gte: expected a whole number",
            ),
            (
                json!({"field":"media_type","op":"eq","value":"photo"}),
                "expected one of video, image, audio",
            ),
            (
                json!({"field":"rating","op":"contains","value":5}),
                "`rating` does not take `contains`",
            ),
            (
                json!({"field":"rating","op":"is_set"}),
                "`rating` does not take `is_set`",
            ),
            (json!({"field":"due_date","op":"lt","value":"tomorrow"}), "not a date"),
            (
                json!({"field":"rating","op":"between","value":[1]}),
                "expected [low, high]",
            ),
            (json!({"field":"rating","op":"eq","value":9}), "a rating is -1"),
            (json!({"field":"custom.Bad-Key","op":"eq","value":1}), "unknown field"),
            (
                json!({"field":"rating","op":"eq","value":1,"extra":1}),
                "unknown key `extra`",
            ),
            (json!([1, 2]), "expected an object"),
        ];
        for (j, want) in cases {
            match parse(j.clone()) {
                Ok(f) => panic!("{j} parsed as {f:?}"),
                Err(e) => assert!(e.to_string().contains(want), "{j}: {e} lacks {want}"),
            }
        }
    }

    #[test]
    fn values_are_typed() -> Result<(), FilterError> {
        let f = parse(json!({"field":"rating","op":"eq","value":"reject"}))?;
        assert_eq!(f.predicates()[0].value, Value::Int(-1));
        let f = parse(json!({"field":"due_date","op":"between","value":["start_of_week","end_of_week"]}))?;
        assert_eq!(
            f.predicates()[0].value,
            Value::Range(
                Box::new(Value::Day(Day::Relative(RelativeDay::StartOfWeek))),
                Box::new(Value::Day(Day::Relative(RelativeDay::EndOfWeek)))
            )
        );
        let f = parse(json!({"field":"due_date","op":"lt","value":"-7d"}))?;
        assert_eq!(f.to_json()["value"], json!("-7d"));
        let f = parse(json!({"field":"platforms","op":"contains","value":["tiktok","x"]}))?;
        assert_eq!(
            f.predicates()[0].value,
            Value::List(vec![Value::Text("tiktok".into()), Value::Text("x".into())])
        );
        let f = parse(json!({"field":"label","op":"is_set"}))?;
        assert_eq!(f.predicates()[0].value, Value::Bool(true));
        let f = parse(json!({"field":"custom.budget","op":"gt","value":100}))?;
        assert_eq!(f.predicates()[0].field, Field::Custom("budget".into()));
        Ok(())
    }

    #[test]
    fn limits_hold() {
        let mut deep = json!({"field":"rating","op":"eq","value":1});
        for _ in 0..=MAX_DEPTH {
            deep = json!({ "all": [deep] });
        }
        assert!(parse(deep).is_err());
        let many: Vec<Json> = (0..=MAX_PREDICATES)
            .map(|_| json!({"field":"rating","op":"eq","value":1}))
            .collect();
        assert!(parse(json!({ "any": many })).is_err());
    }

    #[test]
    fn deserialising_checks_too() {
        let bad: Result<Filter, _> = serde_json::from_str(r#"{"field":"nope","op":"eq","value":1}"#);
        assert!(bad.is_err());
        let good: Result<Filter, _> = serde_json::from_str(r#"{"all":[]}"#);
        assert_eq!(good.ok(), Some(Filter::All(vec![])));
    }

    #[test]
    fn search_words_keep_letters_and_digits() {
        assert_eq!(search_words("Canon EOS-5D, mk3!"), vec!["canon", "eos", "5d", "mk3"]);
        assert!(search_words("'; DROP --")
            .iter()
            .all(|w| w.chars().all(char::is_alphanumeric)));
    }
}
