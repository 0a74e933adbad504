//! The fields a filter looks at, their value kinds, and the operators each kind takes.

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
    pub(crate) fn optional(&self) -> bool {
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
