//! The permission matrix, as data.
//!
//! `domain` enforces it; the UI reads it to hide controls a role cannot use.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// Something a member may try to do inside a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the project, its assets and comments.
    View,
    /// Upload assets and versions.
    Upload,
    /// Rate, tag and set the review status of assets.
    Rate,
    /// Write comments.
    Comment,
    /// Edit a comment (subject to ownership).
    EditComment,
    /// Delete a comment (subject to ownership).
    DeleteComment,
    /// Rename and describe the project.
    EditProject,
    /// Archive or restore the project.
    ArchiveProject,
    /// Add, remove and change the roles of members.
    ManageMembers,
    /// Delete the whole project.
    DeleteProject,
}

impl Action {
    /// Every action, for exhaustive tests and documentation.
    pub const ALL: [Action; 10] = [
        Action::View,
        Action::Upload,
        Action::Rate,
        Action::Comment,
        Action::EditComment,
        Action::DeleteComment,
        Action::EditProject,
        Action::ArchiveProject,
        Action::ManageMembers,
        Action::DeleteProject,
    ];
}

/// How far a role's right to an action reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// Allowed on anything in the project.
    Any,
    /// Allowed only on things the member created.
    Own,
    /// Not allowed.
    None,
}

/// Whether the thing acted on belongs to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ownership {
    /// The caller created it.
    Mine,
    /// Someone else created it, or ownership does not apply.
    NotMine,
}

/// One row of the matrix: the grant of each role, in `Role::ALL` order
/// (owner, editor, commenter, viewer).
type Row = (Action, [Grant; 4]);

use Grant::{Any, None as No, Own};

/// The matrix itself. Changing a right means changing this table (and its test).
pub const MATRIX: [Row; 10] = [
    (Action::View, [Any, Any, Any, Any]),
    (Action::Upload, [Any, Any, No, No]),
    (Action::Rate, [Any, Any, Any, No]),
    (Action::Comment, [Any, Any, Any, No]),
    (Action::EditComment, [Any, Own, Own, No]),
    (Action::DeleteComment, [Any, Own, Own, No]),
    (Action::EditProject, [Any, Any, No, No]),
    (Action::ArchiveProject, [Any, No, No, No]),
    (Action::ManageMembers, [Any, No, No, No]),
    (Action::DeleteProject, [Any, No, No, No]),
];

/// The grant `role` has for `action`.
pub fn grant(role: Role, action: Action) -> Grant {
    let column = match role {
        Role::Owner => 0,
        Role::Editor => 1,
        Role::Commenter => 2,
        Role::Viewer => 3,
    };
    MATRIX
        .iter()
        .find(|(a, _)| *a == action)
        .map_or(Grant::None, |(_, grants)| grants[column])
}

/// Whether `role` may perform `action` on something with the given ownership.
pub fn allows(role: Role, action: Action, ownership: Ownership) -> bool {
    match grant(role, action) {
        Grant::Any => true,
        Grant::Own => ownership == Ownership::Mine,
        Grant::None => false,
    }
}

impl Role {
    /// Shorthand for [`allows`] on actions where ownership does not matter.
    pub fn can(self, action: Action) -> bool {
        allows(self, action, Ownership::NotMine)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ownership::{Mine, NotMine};

    /// The brief's matrix, written out independently of `MATRIX`, as
    /// (role, action, allowed on others' things, allowed on own things).
    fn expected(role: Role, action: Action) -> (bool, bool) {
        use Action as A;
        use Role as R;
        match (action, role) {
            (A::View, _) => (true, true),
            (A::Upload, R::Owner | R::Editor) => (true, true),
            (A::Upload, _) => (false, false),
            (A::Rate | A::Comment, R::Viewer) => (false, false),
            (A::Rate | A::Comment, _) => (true, true),
            (A::EditComment | A::DeleteComment, R::Owner) => (true, true),
            (A::EditComment | A::DeleteComment, R::Editor | R::Commenter) => (false, true),
            (A::EditComment | A::DeleteComment, R::Viewer) => (false, false),
            (A::EditProject, R::Owner | R::Editor) => (true, true),
            (A::EditProject, _) => (false, false),
            (A::ArchiveProject | A::ManageMembers | A::DeleteProject, R::Owner) => (true, true),
            (A::ArchiveProject | A::ManageMembers | A::DeleteProject, _) => (false, false),
        }
    }

    #[test]
    fn every_role_against_every_action() {
        let mut checked = 0;
        for role in Role::ALL {
            for action in Action::ALL {
                let (others, own) = expected(role, action);
                assert_eq!(
                    allows(role, action, NotMine),
                    others,
                    "{role:?} {action:?} on others' things"
                );
                assert_eq!(allows(role, action, Mine), own, "{role:?} {action:?} on own things");
                checked += 1;
            }
        }
        assert_eq!(checked, Role::ALL.len() * Action::ALL.len());
    }

    #[test]
    fn matrix_lists_every_action_once() {
        for action in Action::ALL {
            assert_eq!(MATRIX.iter().filter(|(a, _)| *a == action).count(), 1, "{action:?}");
        }
    }
}
