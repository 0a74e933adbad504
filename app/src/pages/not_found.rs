//! The fallback page.

use leptos::prelude::*;

/// Shown for unknown paths (with a 404 status on the server).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="panel notice" data-test-id="not-found">
            <h1>"Not found"</h1>
            <p>"There is nothing at this address."</p>
            <a href="/">"Go home"</a>
        </section>
    }
}
