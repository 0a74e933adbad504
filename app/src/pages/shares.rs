//! `/projects/:id/shares`: a project's review links, with their views, state and revoke.

use crate::api::projects::get_project;
use crate::api::shares::{list_shares, RevokeShare};
use crate::components::errors::{ActionError, ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::share::{ShareDownload, ShareDto, ShareScope, ShareState};

/// The links page.
#[component]
pub fn SharesPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let revoke = ServerAction::<RevokeShare>::new();
    let project = Resource::new(id, get_project);
    let shares = Resource::new(move || (id(), revoke.version().get()), |(id, _)| list_shares(id));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading links…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, shares.await) {
                    (Ok(p), Ok(list)) => {
                        let pid = p.id.to_string();
                        let rows = list.into_iter().map(|s| view! { <ShareRow share=s revoke/> }).collect_view();
                        view! {
                            <Title text=format!("Review links · {} · Dailies", p.name)/>
                            <div class="page-head">
                                <div>
                                    <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{p.name.clone()}</a></p>
                                    <h1>"Review links"</h1>
                                </div>
                            </div>
                            <p class="muted">"Select assets in the library and choose " <strong>"Share"</strong> " to make a link."</p>
                            <ActionError value=revoke.value()/>
                            <section class="panel">
                                <table class="members" data-test-id="shares-table">
                                    <thead><tr><th>"Link"</th><th>"Covers"</th><th>"Access"</th><th>"Views"</th><th>"State"</th><th></th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </section>
                        }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShareRow(share: ShareDto, revoke: ServerAction<RevokeShare>) -> impl IntoView {
    let covers = match &share.scope {
        ShareScope::Assets { asset_ids } => format!(
            "{} asset{}",
            asset_ids.len(),
            if asset_ids.len() == 1 { "" } else { "s" }
        ),
        ShareScope::Folder { .. } => "A folder".to_owned(),
        ShareScope::Collection { .. } => "A collection".to_owned(),
    };
    let mut access = vec![match share.download {
        ShareDownload::None => "No downloads",
        ShareDownload::Proxy => "Proxy downloads",
        ShareDownload::Original => "Original downloads",
    }
    .to_owned()];
    if share.has_password {
        access.push("password".into());
    }
    if let Some(e) = share.expires_at {
        access.push(format!("until {}", e.format("%Y-%m-%d")));
    }
    if !share.comments {
        access.push("no comments".into());
    } else if !share.show_comments {
        access.push("guests see only their own comments".into());
    }
    if share.approvals {
        access.push("approvals".into());
    }
    if let Some(w) = &share.watermark {
        access.push(format!("watermark “{w}”"));
    }
    let state = match share.state {
        ShareState::Active => "active",
        ShareState::Expired => "expired",
        ShareState::Revoked => "revoked",
    };
    let last = share
        .last_access_at
        .map(|t| format!("last {}", t.format("%Y-%m-%d %H:%M")))
        .unwrap_or_default();
    let id = share.id.to_string();
    view! {
        <tr data-test-id="share-row" data-state=state>
            <td><a href=share.url.clone() target="_blank" rel="noopener">{share.name.clone()}</a>
                <div class="muted small">{share.created_by.clone().map(|b| format!("by {b}"))}</div></td>
            <td>{covers}</td>
            <td class="muted">{access.join(", ")}</td>
            <td><span data-test-id="share-views">{share.views}</span><div class="muted small">{last}</div></td>
            <td><span class=format!("badge share-{state}")>{state}</span></td>
            <td>
                {(share.state != ShareState::Revoked).then(|| view! {
                    <ActionForm action=revoke attr:class="inline">
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="small danger" data-test-id="share-revoke">"Revoke"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
