//! `/invite/:token`: an invitation to a project. Signed in as the invited address: join with
//! one click; with an account: sign in first; without one: create it here and join.

use crate::api::invitations::{invitation, AcceptInvitation, InvitationView};
use crate::components::errors::ActionError;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::ErrorCode;

/// The invitation page.
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let view = Resource::new(token, invitation);
    view! {
        <Title text="Invitation · Dailies"/>
        <Suspense fallback=|| view! { <p class="muted">"Opening the invitation…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <Offer token=token() view=v/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A used, withdrawn, expired or unknown invitation, said plainly.
#[component]
fn Refused(error: AppError) -> impl IntoView {
    let title = match error.code() {
        ErrorCode::Gone => "This invitation can no longer be used",
        ErrorCode::NotFound => "There is no such invitation",
        _ => "This invitation could not be opened",
    };
    view! {
        <section class="panel notice" data-test-id="invite-refused">
            <h1>{title}</h1>
            <p>{error.message().to_owned()}</p>
            <p><a href="/login">"Log in"</a></p>
        </section>
    }
}

#[component]
fn Offer(token: String, view: InvitationView) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let info = view.info;
    let who = info.invited_by.clone().unwrap_or_else(|| "Someone".into());
    let role = info.role.label().to_lowercase();
    let intro = format!("{who} invited {} to review this project as {role}.", info.email);
    let (join, create) = (format!("Join as {role}"), format!("Create account and join as {role}"));
    let email = info.email.clone();
    let form = match view.signed_in_as {
        Some(me) if me.eq_ignore_ascii_case(&info.email) => view! {
            <ActionForm action=accept attr:class="stack">
                <input type="hidden" name="token" value=token.clone()/>
                <button type="submit" class="primary" data-test-id="invite-accept">{join}</button>
            </ActionForm>
        }
        .into_any(),
        Some(me) => view! {
            <p class="error-text" role="alert" data-test-id="invite-wrong-account">
                {format!("This invitation is for {}, but you are signed in as {me}. Log out and sign in with that address to accept it.", info.email)}
            </p>
        }
        .into_any(),
        None if info.has_account => view! {
            <a class="button primary" href=format!("/login?next=/invite/{token}") data-test-id="invite-login">
                {format!("Log in as {} to join", info.email)}
            </a>
        }
        .into_any(),
        None => view! {
            <ActionForm action=accept attr:class="stack">
                <input type="hidden" name="token" value=token.clone()/>
                <label>"E-mail" <input type="email" value=email disabled=true/></label>
                <label>"Your name" <input type="text" name="name" required maxlength="100" autocomplete="name" data-test-id="invite-name"/></label>
                <label>"Choose a password" <input type="password" name="password" required minlength="8" autocomplete="new-password" data-test-id="invite-password"/></label>
                <button type="submit" class="primary" data-test-id="invite-accept">{create}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="auth-card panel" data-test-id="invite">
            <h1>{format!("Join “{}”", info.project_name)}</h1>
            <p>{intro}</p>
            <p class="muted small">{format!("The invitation works once, until {}.", info.expires_at.format("%Y-%m-%d %H:%M UTC"))}</p>
            {form}
            <ActionError value=accept.value()/>
        </section>
    }
}
