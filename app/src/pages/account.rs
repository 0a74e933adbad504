//! `/account`: profile, API tokens and (for admins) instance settings.

use crate::api::admin::{instance_settings, SetSignupsOpen};
use crate::api::tokens::{list_tokens, CreateToken, RevokeToken};
use crate::components::errors::{ActionError, ErrorPanel};
use crate::components::session::SessionContext;
use leptos::prelude::*;
use leptos_meta::Title;
use model::dto::{TokenDto, UserDto};

/// The account page.
#[component]
pub fn Account() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Title text="Account · Dailies"/>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! { <AccountView user/> }.into_any(),
                    Ok(None) => view! { <ErrorPanel error=crate::error::AppError(model::ApiError::unauthenticated())/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(user: UserDto) -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let new_secret = move || create.value().get().and_then(Result::ok).map(|t| t.secret);
    view! {
        <h1>"Account"</h1>
        <section class="panel">
            <h2>"Profile"</h2>
            <dl class="facts">
                <dt>"Name"</dt><dd data-test-id="profile-name">{user.name.clone()}</dd>
                <dt>"E-mail"</dt><dd>{user.email.clone()}</dd>
                <dt>"Role"</dt><dd>{if user.is_admin { "Instance admin" } else { "Member" }}</dd>
            </dl>
        </section>
        <section class="panel">
            <h2>"API tokens"</h2>
            <p class="muted">"Use a token in " <code>"Authorization: Bearer …"</code> " to call the REST API from scripts."</p>
            <ActionForm action=create attr:class="row-form">
                <input type="text" name="name" required maxlength="100" placeholder="Token name, e.g. laptop uploads" aria-label="Token name" data-test-id="token-name"/>
                <select name="scope" aria-label="Access" data-test-id="token-scope">
                    <option value="write">"Read and write"</option>
                    <option value="read">"Read only"</option>
                </select>
                <select name="expires_in_days" aria-label="Expires" data-test-id="token-expiry">
                    <option value="">"Never expires"</option>
                    <option value="7">"Expires in 7 days"</option>
                    <option value="30">"Expires in 30 days"</option>
                    <option value="365">"Expires in a year"</option>
                </select>
                <button type="submit" class="primary" data-test-id="create-token">"Create token"</button>
            </ActionForm>
            <ActionError value=create.value()/>
            {move || new_secret().map(|secret| view! {
                <div class="panel secret" role="status">
                    <p>"Copy this token now. It will not be shown again."</p>
                    <code data-test-id="token-secret">{secret}</code>
                </div>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! { <TokenTable list revoke/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        {user.is_admin.then(|| view! { <AdminSettings/> })}
    }
}

#[component]
fn TokenTable(list: Vec<TokenDto>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-test-id="no-tokens">"No tokens yet."</p> }.into_any();
    }
    view! {
        <table class="tokens" data-test-id="token-table">
            <thead><tr><th>"Name"</th><th>"Token"</th><th>"Access"</th><th>"Created"</th><th>"Last used"</th><th>"Expires"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|t| view! {
                    <tr data-test-id="token-row">
                        <td>{t.name.clone()}</td>
                        <td><code>{format!("{}…", t.prefix)}</code></td>
                        <td data-test-id="token-access">{if t.scope == model::dto::TokenScope::Read { "read only" } else { "read and write" }}</td>
                        <td>{t.created_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                        <td>{t.last_used_at.map_or_else(|| "never".to_owned(), |d| d.format("%Y-%m-%d %H:%M").to_string())}</td>
                        <td>{t.expires_at.map_or_else(|| "never".to_owned(), |d| d.format("%Y-%m-%d").to_string())}</td>
                        <td>{if t.revoked {
                            view! { <span class="badge">"Revoked"</span> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=revoke attr:class="inline">
                                    <input type="hidden" name="id" value=t.id.to_string()/>
                                    <button type="submit" class="small danger" data-test-id="revoke-token">"Revoke"</button>
                                </ActionForm>
                            }.into_any()
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AdminSettings() -> impl IntoView {
    let set = ServerAction::<SetSignupsOpen>::new();
    let settings = Resource::new(move || set.version().get(), |_| instance_settings());
    view! {
        <section class="panel">
            <h2>"Instance"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    settings.await.ok().map(|s| view! {
                        <p data-test-id="signup-state">{if s.signups_open { "Anyone can sign up." } else { "Sign-up is closed." }}</p>
                        <ActionForm action=set>
                            <input type="hidden" name="open" value=(!s.signups_open).to_string()/>
                            <button type="submit" data-test-id="toggle-signups">
                                {if s.signups_open { "Close sign-up" } else { "Open sign-up" }}
                            </button>
                        </ActionForm>
                    })
                })}
            </Transition>
            <ActionError value=set.value()/>
            <p><a href="/admin/jobs" data-test-id="jobs-link">"Background jobs"</a> " · " <a href="/admin/outbox" data-test-id="outbox-link">"Outbox (e-mail)"</a>
                " · " <a href="/admin/audit" data-test-id="audit-link">"Audit log"</a></p>
        </section>
    }
}
