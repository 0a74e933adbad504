//! The version stack on the review screen: "v3 of 5", view an older version, make one
//! current (roll back), delete one, compare, upload a new one.

use leptos::prelude::*;
use model::asset::AssetDto;

/// "v3 of 5": the version stack, with roll back (make an older version current), delete and
/// compare.
#[component]
pub fn VersionSwitcher(asset: AssetDto, current: i32, can_edit: bool) -> impl IntoView {
    // `asset` is at the version on screen, which may be older than the current one.
    let shown = asset.current_version;
    let current = if current > 0 { current } else { shown };
    let numbers: Vec<i32> = asset.versions.iter().map(|v| v.number).collect();
    let chosen = RwSignal::new(shown);
    let error = RwSignal::new(None::<String>);
    let id = asset.id.to_string();
    let project = asset.project_id.to_string();
    let total = numbers.len();
    let options = asset
        .versions
        .iter()
        .rev()
        .map(|v| {
            let who = v.uploaded_by.clone().unwrap_or_else(|| "someone".into());
            let when = v.created_at.format("%Y-%m-%d %H:%M");
            let mark = if v.number == current { " (current)" } else { "" };
            view! { <option value=v.number.to_string() selected=v.number == shown>{format!("v{} — {who}, {when}{mark}", v.number)}</option> }
        })
        .collect_view();
    let compare_href = {
        let (id, numbers) = (id.clone(), numbers.clone());
        move || {
            let c = chosen.get();
            let pair = if c != current {
                Some((c.min(current), c.max(current)))
            } else {
                numbers
                    .iter()
                    .copied()
                    .filter(|n| *n < current)
                    .max()
                    .map(|p| (p, current))
            };
            pair.map(|(a, b)| format!("/compare?asset={id}&versions={a},{b}"))
        }
    };
    let act = move |delete: bool, id: String| {
        let n = chosen.get_untracked();
        leptos::task::spawn_local(async move {
            let href = format!("/assets/{id}");
            let result = if delete {
                crate::api::organise::delete_version(id, n).await
            } else {
                crate::api::organise::set_current_version(id, n).await
            };
            match result {
                Ok(_) => {
                    let _ = window().location().set_href(&href);
                }
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        });
    };
    let (id_a, id_b, id_v) = (id.clone(), id.clone(), id.clone());
    let id_view = id.clone();
    view! {
        <span class="version-switcher" data-test-id="version-switcher">
            <span class="muted" data-test-id="version-of">{format!(" · v{shown} of {total}")}</span>
            {(shown != current).then(|| view! {
                <span class="badge small" data-test-id="older-version">
                    {format!("Older version — v{current} is current")}" "
                    <a href=format!("/assets/{id_view}") data-test-id="view-current">"View current"</a>
                </span>
            })}
            {(total > 1).then(|| view! {
                <select aria-label="Version" data-test-id="version-select" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(current))>
                    {options}
                </select>
            })}
            {move || compare_href().map(|href| view! {
                <a class="small" href=href data-test-id="compare-versions">
                    {if chosen.get() == current { "Compare with previous".to_owned() } else { format!("Compare v{} with current", chosen.get()) }}
                </a>
            })}
            {move || (chosen.get() != shown).then(|| view! {
                <a class="small button" href=format!("/assets/{id_v}?version={}", chosen.get()) data-test-id="view-version">
                    {format!("View v{}", chosen.get())}
                </a>
            })}
            {move || (can_edit && chosen.get() != current).then(|| {
                let (a, b) = (id_a.clone(), id_b.clone());
                view! {
                    <button type="button" class="small" data-test-id="make-current" on:click=move |_| act(false, a.clone())>
                        {format!("Make v{} current", chosen.get())}
                    </button>
                    <button type="button" class="small ghost danger" data-test-id="delete-version" on:click=move |_| act(true, b.clone())>
                        {format!("Delete v{}", chosen.get())}
                    </button>
                }
            })}
            {can_edit.then(|| view! {
                <span data-uploader="true" data-project=project.clone() class="version-upload">
                    <label class="button small" data-test-id="upload-version">
                        "Upload new version"
                        <input type="file" data-upload-files data-asset=id.clone() class="visually-hidden"/>
                    </label>
                </span>
            })}
            {move || error.get().map(|e| view! { <span class="form-error" role="alert">{e}</span> })}
        </span>
    }
    .into_any()
}
