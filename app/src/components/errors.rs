//! Showing errors to people.

use crate::error::AppError;
use leptos::prelude::*;
use model::ErrorCode;

/// A visible error for a failed load: a link to log in when the session is missing.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    match error.code() {
        ErrorCode::Unauthenticated => view! {
            <div class="panel notice" data-test-id="need-login">
                <p>"You need to log in to see this page."</p>
                <a class="button primary" href="/login">"Log in"</a>
            </div>
        }
        .into_any(),
        ErrorCode::NotFound => view! {
            <div class="panel notice" data-test-id="not-found">
                <h1>"Not found"</h1>
                <p>"This page does not exist, or you do not have access to it."</p>
                <a href="/projects">"Back to your projects"</a>
            </div>
        }
        .into_any(),
        _ => view! {
            <div class="panel error" role="alert" data-test-id="load-error">
                <p>{error.message().to_owned()}</p>
            </div>
        }
        .into_any(),
    }
}

/// The error of the last run of a server action, if it failed, as an alert.
#[component]
pub fn ActionError<T, V>(
    /// The action's value signal.
    value: V,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || {
        value.get().and_then(Result::err).map(|e| {
            view! { <p class="form-error" role="alert" data-test-id="form-error">{e.message().to_owned()}</p> }
        })
    }
}
