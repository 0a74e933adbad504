//! Kinds of notification and how each is delivered, per person.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Someone `@mentioned` you.
    Mention,
    /// Someone replied to your comment or thread.
    Reply,
    /// Someone commented on something you uploaded.
    Comment,
    /// A guest commented through a review link you made or on something you uploaded.
    ShareComment,
    /// The review status of something you uploaded changed.
    Status,
    /// Something you uploaded was approved.
    Approval,
    /// A new version of something you uploaded or commented on.
    Version,
    /// You were invited to a project.
    Invitation,
}

impl NotificationKind {
    /// Every kind, in the order settings list them.
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::Mention,
        NotificationKind::Reply,
        NotificationKind::Comment,
        NotificationKind::ShareComment,
        NotificationKind::Status,
        NotificationKind::Approval,
        NotificationKind::Version,
        NotificationKind::Invitation,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mention",
            NotificationKind::Reply => "reply",
            NotificationKind::Comment => "comment",
            NotificationKind::ShareComment => "share_comment",
            NotificationKind::Status => "status",
            NotificationKind::Approval => "approval",
            NotificationKind::Version => "version",
            NotificationKind::Invitation => "invitation",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the settings call it.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::Mention => "Mentions of me",
            NotificationKind::Reply => "Replies to my comments",
            NotificationKind::Comment => "Comments on my uploads",
            NotificationKind::ShareComment => "Comments through my review links",
            NotificationKind::Status => "Status changes on my uploads",
            NotificationKind::Approval => "Approvals of my uploads",
            NotificationKind::Version => "New versions of what I uploaded or commented on",
            NotificationKind::Invitation => "Invitations to projects",
        }
    }

    /// What the inbox says the actor did ("mentioned you on").
    pub fn phrase(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mentioned you on",
            NotificationKind::Reply => "replied on",
            NotificationKind::Comment => "commented on",
            NotificationKind::ShareComment => "commented through a review link on",
            NotificationKind::Status => "changed the status of",
            NotificationKind::Approval => "approved",
            NotificationKind::Version => "uploaded a new version of",
            NotificationKind::Invitation => "invited you to",
        }
    }

    /// Delivery until the person chooses: e-mail for what is addressed to them, the hourly
    /// digest for comments and approvals, the inbox for the rest.
    pub fn default_delivery(self) -> Delivery {
        match self {
            NotificationKind::Mention | NotificationKind::Reply => Delivery::Email,
            NotificationKind::Comment | NotificationKind::ShareComment | NotificationKind::Approval => Delivery::Digest,
            // The invitation itself is e-mailed already.
            NotificationKind::Status | NotificationKind::Version | NotificationKind::Invitation => Delivery::InApp,
        }
    }
}

/// How a kind of notification reaches someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Not at all.
    Off,
    /// In the inbox only.
    InApp,
    /// In the inbox and by e-mail at once.
    Email,
    /// In the inbox and in an hourly e-mail digest.
    Digest,
}

impl Delivery {
    /// Every choice.
    pub const ALL: [Delivery; 4] = [Delivery::InApp, Delivery::Email, Delivery::Digest, Delivery::Off];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Off => "off",
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Digest => "digest",
        }
    }

    /// The choice named `s`.
    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// What the settings call it.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Off => "Off",
            Delivery::InApp => "In the app",
            Delivery::Email => "E-mail at once",
            Delivery::Digest => "Hourly e-mail digest",
        }
    }
}

/// One kind's delivery for the signed-in person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotificationSetting {
    /// The kind.
    pub kind: NotificationKind,
    /// How it is delivered.
    pub delivery: Delivery,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
        }
        assert_eq!(NotificationKind::parse("nope"), None);
    }
}
