//! `/login`.

use crate::components::errors::ActionError;
use crate::components::session::SessionContext;
use leptos::prelude::*;
use leptos_meta::Title;

/// The log-in form; works before hydration.
#[component]
pub fn Login() -> impl IntoView {
    let action = expect_context::<SessionContext>().login;
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Log in · Dailies"/>
        <section class="auth-card panel">
            <h1>"Log in"</h1>
            <ActionForm action>
                <input type="hidden" name="next" value=next/>
                <label>"E-mail"
                    <input type="email" name="email" required autocomplete="username" data-test-id="email"/>
                </label>
                <label>"Password"
                    <input type="password" name="password" required autocomplete="current-password" data-test-id="password"/>
                </label>
                <ActionError value=action.value()/>
                <button type="submit" class="primary" data-test-id="submit">"Log in"</button>
            </ActionForm>
            <p class="muted">"No account yet? " <a href="/signup">"Sign up"</a></p>
        </section>
    }
}
