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
            {asset.cloned_from.clone().map(|c| {
                let from = c.project_name.clone().map_or_else(|| "another project".to_owned(), |n| format!("“{n}”"));
                let deep = (c.depth > 1).then(|| format!(" (a copy {} deep)", c.depth));
                view! {
                    <p class="small muted" data-test-id="cloned-from">
                        "Copied from " {if c.project_name.is_some() { view! { <a href=format!("/projects/{}", c.project_id)>{from.clone()}</a> }.into_any() } else { from.clone().into_any() }}
                        {format!(" on {}", c.cloned_at.format("%Y-%m-%d"))}{c.cloned_by.map(|b| format!(" by {b}"))}{deep}
                    </p>
                }
            })}
            <FieldsEditor asset=asset.clone()/>
            <dl class="meta-list" data-test-id="metadata">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <h3>"Versions"</h3>
            <ol class="versions">
                {asset.versions.iter().rev().map(|v| view! {
                    <li>
                        <strong>{format!("v{}", v.number)}</strong>" "{v.original_name.clone()}" · "{format::size(v.size)}" · "{v.state.as_str()}
                        {v.uploaded_by.clone().map(|u| format!(" · {u}"))}{format!(" · {}", v.created_at.format("%Y-%m-%d %H:%M"))}
                    </li>
                }).collect_view()}
            </ol>
        </aside>
    }
}

/// The editable fields: title, description, tags, due date, platforms and the production
/// fields, saved together (`PATCH /assets/{id}/metadata` semantics; empty clears).
#[component]
fn FieldsEditor(asset: AssetDto) -> impl IntoView {
    let f = asset.fields.clone();
    let id = asset.id.to_string();
    let info = |k: &str| RwSignal::new(f.info.get(k).cloned().unwrap_or_default());
    let title = info("title");
    let client = info("client");
    let campaign = info("campaign");
    let creator = info("creator");
    let notes = info("notes");
    let (shot, scene, take, reel) = (info("shot"), info("scene"), info("take"), info("reel"));
    let description = RwSignal::new(f.description.clone());
    let tags = RwSignal::new(f.tags.join(", "));
    let due = RwSignal::new(f.due_date.map(|d| d.to_string()).unwrap_or_default());
    let platforms = RwSignal::new(f.platforms.clone());
    let status = RwSignal::new(None::<(bool, String)>);
    let project_fields = super::custom_fields::ProjectFields::get();
    // One signal per custom field, made when the definitions arrive.
    let custom: StoredValue<Vec<(String, RwSignal<serde_json::Value>)>> = StoredValue::new(Vec::new());
    let initial = f.custom.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| serde_json::Value::String(s.get_untracked());
        let mut set = serde_json::Map::new();
        for (k, s) in [
            ("title", title),
            ("client", client),
            ("campaign", campaign),
            ("creator", creator),
            ("notes", notes),
            ("shot", shot),
            ("scene", scene),
            ("take", take),
            ("reel", reel),
            ("description", description),
        ] {
            set.insert(k.into(), text(s));
        }
        let tag_list: Vec<serde_json::Value> = tags
            .get_untracked()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| serde_json::Value::String(t.to_owned()))
            .collect();
        set.insert("tags".into(), serde_json::Value::Array(tag_list));
        let d = due.get_untracked();
        set.insert(
            "due_date".into(),
            if d.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::Value::String(d)
            },
        );
        set.insert("platforms".into(), serde_json::json!(platforms.get_untracked()));
        for (key, value) in custom.get_value() {
            set.insert(format!("custom.{key}"), value.get_untracked());
        }
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match crate::api::organise::update_metadata(id, set).await {
                Ok(a) => {
                    tags.set(a.fields.tags.join(", "));
                    status.set(Some((false, "Saved".into())));
                }
                Err(e) => status.set(Some((true, e.message().to_owned()))),
            }
        });
    };
    let input = |label: &'static str, key: &'static str, s: RwSignal<String>| {
        view! {
            <label>{label}
                <input type="text" maxlength="500" data-test-id=format!("field-{key}") prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <details class="fields-editor" data-test-id="fields-editor">
            <summary>"Edit details"</summary>
            <form on:submit=save>
                {input("Title", "title", title)}
                <label>"Description"
                    <textarea maxlength="10000" rows="3" data-test-id="field-description" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </label>
                <label>"Tags (comma-separated)"
                    <input type="text" data-test-id="field-tags" prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev))/>
                </label>
                <label>"Due date"
                    <input type="date" data-test-id="field-due" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                </label>
                <fieldset class="platforms">
                    <legend>"Platforms"</legend>
                    {model::filter::PLATFORMS.into_iter().map(|p| view! {
                        <label class="check"><input type="checkbox" prop:checked=move || platforms.with(|l| l.iter().any(|x| x == p))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                platforms.update(|l| { l.retain(|x| x != p); if on { l.push(p.to_owned()); } });
                            }/>{p}</label>
                    }).collect_view()}
                </fieldset>
                {input("Client", "client", client)}
                {input("Campaign", "campaign", campaign)}
                {input("Creator", "creator", creator)}
                {input("Shot", "shot", shot)}
                {input("Scene", "scene", scene)}
                {input("Take", "take", take)}
                {input("Reel", "reel", reel)}
                {input("Notes", "notes", notes)}
                {move || project_fields.list.get().into_iter().map(|def| {
                    let existing = custom.with_value(|c| c.iter().find(|(k, _)| *k == def.key).map(|(_, s)| *s));
                    let value = existing.unwrap_or_else(|| {
                        let s = RwSignal::new(initial.get(&def.key).cloned().unwrap_or(serde_json::Value::Null));
                        custom.update_value(|c| c.push((def.key.clone(), s)));
                        s
                    });
                    view! { <super::custom_fields::CustomInput field=def value/> }
                }).collect_view()}
                <button type="submit" class="primary small" data-test-id="save-fields">"Save"</button>
                {move || status.get().map(|(error, t)| view! {
                    <span class=if error { "form-error" } else { "muted small" } role=if error { "alert" } else { "status" } data-test-id="fields-status">{t}</span>
                })}
            </form>
        </details>
    }
    .into_any()
}
