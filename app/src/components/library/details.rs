//! The metadata side panel of the selected asset.

use super::format;
use crate::api::assets::get_asset;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use model::asset::{AssetDto, MediaType};

/// Shows the selected asset's preview, versions and metadata.
#[component]
pub fn AssetDetails(selected: RwSignal<Option<String>>) -> impl IntoView {
    let asset = Resource::new(
        move || selected.get(),
        |id| async move {
            match id {
                Some(id) => get_asset(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match asset.await {
                    Ok(Some(a)) => view! { <Panel asset=a selected/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <aside class="details panel"><ErrorPanel error/></aside> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Panel(asset: AssetDto, selected: RwSignal<Option<String>>) -> impl IntoView {
    let id = asset.id.to_string();
    let rows = format::metadata_rows(&asset.metadata);
    let current = asset
        .versions
        .iter()
        .find(|v| v.number == asset.current_version)
        .cloned();
    let preview = match (
        asset.media_type,
        current
            .as_ref()
            .is_some_and(|v| v.derivatives.iter().any(|d| d == "thumb-1024.jpg")),
    ) {
        (MediaType::Audio, _) | (_, false) => None,
        _ => Some(format!(
            "/api/v1/assets/{id}/thumbnail?size=1024&version={}",
            asset.current_version
        )),
    };
    view! {
        <aside class="details panel" data-test-id="asset-details">
            <div class="details-head">
                <h2 class="details-name">{asset.name.clone()}</h2>
                <button type="button" class="ghost small" on:click=move |_| selected.set(None) aria-label="Close">"×"</button>
            </div>
            {preview.map(|src| view! { <img class="details-preview" src=src alt=""/> })}
            <p>
                <span class=format!("badge state-{}", asset.status.as_str()) data-test-id="details-status">{asset.status.as_str()}</span>
                " "
                <a href=format!("/assets/{id}") class="button primary small" data-test-id="open-asset">"Open for review"</a>
                " "
                <a href=format!("/api/v1/assets/{id}/original") data-test-id="download-original">"Download original"</a>
            </p>
            {current.as_ref().and_then(|v| v.error.clone()).map(|e| view! { <p class="error-text" data-test-id="details-error">{e}</p> })}
            <dl class="meta-list" data-test-id="metadata">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <h3>"Versions"</h3>
            <ol class="versions">
                {asset.versions.iter().rev().map(|v| view! {
                    <li>
                        <strong>{format!("v{}", v.number)}</strong>" "{v.original_name.clone()}" · "{format::size(v.size)}" · "{v.state.as_str()}
                    </li>
                }).collect_view()}
            </ol>
        </aside>
    }
}
