//! Who is signed in, shared by the top bar and pages.

use crate::api::auth::{current_user, Login, Logout, Signup};
use crate::error::AppError;
use leptos::prelude::*;
use model::dto::UserDto;

/// The session actions and the current-user resource, refreshed whenever one of the actions runs.
#[derive(Clone, Copy)]
pub struct SessionContext {
    /// The signed-in user (or `None`).
    pub user: Resource<Result<Option<UserDto>, AppError>>,
    /// Log in.
    pub login: ServerAction<Login>,
    /// Sign up.
    pub signup: ServerAction<Signup>,
    /// Log out.
    pub logout: ServerAction<Logout>,
}

impl SessionContext {
    /// Creates the context and provides it to every descendant.
    pub fn provide() -> SessionContext {
        let login = ServerAction::<Login>::new();
        let signup = ServerAction::<Signup>::new();
        let logout = ServerAction::<Logout>::new();
        let user = Resource::new(
            move || (login.version().get(), signup.version().get(), logout.version().get()),
            |_| current_user(),
        );
        let ctx = SessionContext {
            user,
            login,
            signup,
            logout,
        };
        provide_context(ctx);
        ctx
    }

    /// The context provided by [`crate::App`].
    pub fn get() -> Option<SessionContext> {
        use_context::<SessionContext>()
    }
}
