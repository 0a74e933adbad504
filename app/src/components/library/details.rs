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
    let m = asset.metadata.clone();
    let mut rows: Vec<(&str, String)> = Vec::new();
    let mut push = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((k, v));
        }
    };
    push("Dimensions", m.width.zip(m.height).map(|(w, h)| format!("{w} × {h}")));
    push("Duration", m.duration_seconds.map(format::duration));
    push(
        "Frame rate",
        m.frame_rate
            .map(|r| format!("{:.3} fps ({r})", f64::from(r.num()) / f64::from(r.den()))),
    );
    push("Frames", m.frame_count.map(|n| n.to_string()));
    push("Start timecode", m.start_timecode.clone());
    push("Video codec", m.video_codec.clone());
    push("Audio codec", m.audio_codec.clone());
    push("Bit rate", m.bitrate.map(|b| format!("{:.1} Mb/s", b as f64 / 1e6)));
    push(
        "Camera",
        match (&m.camera_make, &m.camera_model) {
            (Some(a), Some(b)) if b.starts_with(a.as_str()) => Some(b.clone()),
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.clone().or(b.clone()),
        },
    );
    push("Lens", m.lens.clone());
    push("ISO", m.iso.map(|v| v.to_string()));
    push("Aperture", m.aperture.map(|v| format!("f/{v}")));
    push(
        "Shutter",
        m.shutter_speed.map(|s| {
            if s > 0.0 && s < 1.0 {
                format!("1/{:.0} s", 1.0 / s)
            } else {
                format!("{s} s")
            }
        }),
    );
    push("Focal length", m.focal_length_mm.map(|f| format!("{f} mm")));
    push("Captured", m.captured_at.clone());
    push(
        "Location",
        m.gps_latitude
            .zip(m.gps_longitude)
            .map(|(a, b)| format!("{a:.5}, {b:.5}")),
    );
    push("Colour", m.color_space.clone());
    push("Copyright", m.copyright.clone());
    if m.hdr_tone_mapped == Some(true) {
        push("Proxy", Some("SDR, tone-mapped from HDR".into()));
    }
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
