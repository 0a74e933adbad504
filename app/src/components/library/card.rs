//! One card of the library grid, and a search match with its words marked.

use super::format;
use crate::components::live::Presence;
use leptos::prelude::*;
use model::asset::{AssetSummary, MediaType, VersionState};

/// One asset's card (or list row): thumbnail, chips, rating, state and progress; click picks
/// (`on_pick` gets the index, id, Shift and Ctrl/Cmd), double-click opens it.
#[component]
pub fn AssetCard(
    asset: AssetSummary,
    style: String,
    selected: RwSignal<Option<String>>,
    picked: RwSignal<Vec<String>>,
    index: usize,
    on_pick: Callback<(usize, String, bool, bool)>,
    list: bool,
    project: Option<model::ProjectId>,
    /// The group this card starts, when the view is grouped and it is the first of its group.
    #[prop(optional)]
    group: Option<String>,
    /// In a manual collection: dropping a dragged card on this one moves it here
    /// (`(dragged, this)`).
    #[prop(optional)]
    reorder: Option<Callback<(String, String)>>,
) -> impl IntoView {
    const DRAG_TYPE: &str = "application/x-dailies-asset";
    let (drag_id, drop_id) = (asset.id.to_string(), asset.id.to_string());
    let starts_group = group.is_some();
    let columns = list.then(|| {
        let cols = expect_context::<super::columns::ListColumns>();
        let fields = super::custom_fields::ProjectFields::get();
        let a = asset.clone();
        view! {
            <span class="cols">
                {move || {
                    let (defs, people) = (fields.list.get(), fields.people.get());
                    cols.0.get().into_iter().map(|k| {
                        let v = super::columns::value(&k, &a, &defs, &people);
                        view! { <span class="col" data-col=k>{v}</span> }
                    }).collect_view()
                }}
            </span>
        }
    });
    let id = asset.id.to_string();
    let id_click = id.clone();
    let id_sel = id.clone();
    let id_picked = id.clone();
    let is_picked = Memo::new(move |_| picked.with(|p| p.contains(&id_picked)));
    let open_href = format!("/assets/{id}");
    let stars = match asset.rating {
        r if r > 0 => Some("★".repeat(r as usize)),
        -1 => Some("✕ rejected".to_owned()),
        _ => None,
    };
    let status = asset.status;
    let thumb = asset.has_thumbnail.then(|| {
        format!(
            "/api/v1/assets/{id}/thumbnail?size=512&version={}",
            asset.current_version
        )
    });
    let placeholder = asset.placeholder.clone().map(|p| format!("background-image:url({p})"));
    let chip = match (asset.media_type, asset.duration_seconds, asset.width, asset.height) {
        (MediaType::Video | MediaType::Audio, Some(d), _, _) => Some(format::duration(d)),
        (_, _, Some(w), Some(h)) => Some(format!("{w}×{h}")),
        _ => None,
    };
    let kind = match asset.media_type {
        MediaType::Video => "video",
        MediaType::Image => "image",
        MediaType::Audio => "audio",
    };
    let busy = matches!(status, VersionState::Uploading | VersionState::Processing);
    let phase = if asset.phase.is_empty() {
        status.as_str().to_owned()
    } else {
        asset.phase.clone()
    };
    view! {
        <div class="cell" class:group-start=starts_group style=style>
            {group.map(|g| view! { <span class="group-label" data-test-id="group-label">{g}</span> })}
            <button
                type="button"
                class=format!("card status-{}", status.as_str())
                class:selected=move || selected.get().as_deref() == Some(id_sel.as_str())
                class:picked=move || is_picked.get()
                class:row=list
                aria-pressed=move || if is_picked.get() { "true" } else { "false" }
                on:click=move |ev: leptos::ev::MouseEvent| {
                    on_pick.run((index, id_click.clone(), ev.shift_key(), ev.ctrl_key() || ev.meta_key()))
                }
                on:dblclick=move |_| { let _ = window().location().set_href(&open_href); }
                data-test-id="asset-card"
                data-asset=id.clone()
                data-status=status.as_str()
                data-media-type=kind
                data-name=asset.name.clone()
                data-rating=asset.rating
                title=asset.name.clone()
                draggable=reorder.is_some().then_some("true")
                on:dragstart=move |ev: leptos::ev::DragEvent| {
                    if reorder.is_some() {
                        if let Some(dt) = ev.data_transfer() {
                            let _ = dt.set_data(DRAG_TYPE, &drag_id);
                            dt.set_effect_allowed("move");
                        }
                    }
                }
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    let ours = ev.data_transfer().is_some_and(|dt| dt.types().includes(&DRAG_TYPE.into(), 0));
                    if reorder.is_some() && ours {
                        ev.prevent_default();
                    }
                }
                on:drop=move |ev: leptos::ev::DragEvent| {
                    let Some(cb) = reorder else { return };
                    let dragged = ev.data_transfer().and_then(|dt| dt.get_data(DRAG_TYPE).ok()).unwrap_or_default();
                    if !dragged.is_empty() && dragged != drop_id {
                        ev.prevent_default();
                        cb.run((dragged, drop_id.clone()));
                    }
                }
            >
                <div class="thumb" style=placeholder>
                    {match (thumb, status) {
                        (Some(src), _) => view! { <img src=src alt="" loading="lazy" decoding="async" data-test-id="asset-thumb"/> }.into_any(),
                        (None, VersionState::Failed) => view! { <span class="thumb-icon failed" aria-hidden="true">"!"</span> }.into_any(),
                        (None, _) => view! { <span class=format!("thumb-icon {kind}") aria-hidden="true"></span> }.into_any(),
                    }}
                    {chip.map(|c| view! { <span class="chip" data-test-id="asset-chip">{c}</span> })}
                    {(asset.version_count > 1).then(|| view! { <span class="chip version">{format!("v{}", asset.current_version)}</span> })}
                    {project.map(|p| view! { <span class="card-viewers"><Presence project=p asset=asset.id/></span> })}
                </div>
                <div class="card-meta">
                    <span class="card-name">{asset.name.clone()}</span>
                    {asset.matches.iter().find(|m| m.field != "name").cloned().map(|m| view! { <Highlight m/> })}
                    {stars.map(|s| view! { <span class="stars-mini" data-test-id="card-rating">{s}</span> })}
                    {match status {
                        VersionState::Ready => view! { <span class="muted small">{format::size(asset.size)}</span> }.into_any(),
                        VersionState::Failed => view! {
                            <span class="badge small state-failed" data-test-id="asset-error">{asset.error.clone().unwrap_or_else(|| "failed".into())}</span>
                        }.into_any(),
                        _ => view! { <span class="badge small state-running">{phase}</span> }.into_any(),
                    }}
                </div>
                {columns}
                {busy.then(|| view! {
                    <div class="card-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=asset.progress>
                        <div style=format!("width:{}%", asset.progress.clamp(0, 100))></div>
                    </div>
                })}
            </button>
        </div>
    }
}

/// A search match with its matched words in `<mark>` (text nodes only: nothing is parsed).
#[component]
fn Highlight(m: model::asset::SearchMatch) -> impl IntoView {
    let chars: Vec<char> = m.text.chars().collect();
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut at = 0usize;
    for [s, e] in m.marks.iter().map(|r| [r[0] as usize, r[1] as usize]) {
        if s < at || e > chars.len() || s >= e {
            continue;
        }
        parts.push((chars[at..s].iter().collect(), false));
        parts.push((chars[s..e].iter().collect(), true));
        at = e;
    }
    parts.push((chars[at..].iter().collect(), false));
    let label = match m.field.as_str() {
        "comment" => "Comment: ",
        "description" => "Description: ",
        "tags" => "Tags: ",
        "metadata" => "Metadata: ",
        _ => "",
    };
    view! {
        <span class="search-match small" data-test-id="search-match" data-field=m.field.clone()>
            <span class="muted">{label}</span>
            {parts.into_iter().map(|(t, marked)| if marked { view! { <mark>{t}</mark> }.into_any() } else { t.into_any() }).collect_view()}
        </span>
    }
}
