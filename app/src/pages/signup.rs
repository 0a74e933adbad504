//! `/signup`.

use crate::api::admin::instance_settings;
use crate::components::errors::ActionError;
use crate::components::session::SessionContext;
use leptos::prelude::*;
use leptos_meta::Title;

/// The sign-up form; the first account becomes the instance admin.
#[component]
pub fn Signup() -> impl IntoView {
    let action = expect_context::<SessionContext>().signup;
    let settings = Resource::new(|| (), |_| instance_settings());
    let show_password = RwSignal::new(false);
    view! {
        <Title text="Sign up · Dailies"/>
        <section class="auth-card panel">
            <h1>"Create your account"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) if !s.signups_open => Some(view! {
                            <p class="notice" data-test-id="signups-closed">
                                "Sign-up is closed on this server. Ask an admin to add you."
                            </p>
                        }),
                        _ => None,
                    }
                })}
            </Suspense>
            <ActionForm action>
                <label>"Name"
                    <input type="text" name="name" required maxlength="100" autocomplete="name" data-test-id="name"/>
                </label>
                <label>"E-mail"
                    <input type="email" name="email" required autocomplete="email" data-test-id="email"/>
                </label>
                <label>"Password"
                    <span class="with-toggle">
                        <input
                            type=move || if show_password.get() { "text" } else { "password" }
                            name="password" required minlength="8" autocomplete="new-password" data-test-id="password"
                        />
                        <button type="button" class="link" data-test-id="toggle-password"
                            on:click=move |_| show_password.update(|s| *s = !*s)>
                            {move || if show_password.get() { "Hide" } else { "Show" }}
                        </button>
                    </span>
                </label>
                <p class="hint">"At least 8 characters."</p>
                <ActionError value=action.value()/>
                <button type="submit" class="primary" data-test-id="submit">"Sign up"</button>
            </ActionForm>
            <p class="muted">"Already have an account? " <a href="/login">"Log in"</a></p>
        </section>
    }
}
