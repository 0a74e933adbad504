//! "Export" in the bulk bar: the selected clips, joined in the order selected, rendered in the
//! chosen presets — or the selection packaged (originals ZIP, photos as square JPEG or WebP,
//! contact sheet); the exports page follows their progress.

use crate::api::renditions::start_export;
use leptos::prelude::*;
use model::export::Preset;

/// The button and its form.
#[component]
pub fn ExportSelected(project: String, picked: RwSignal<Vec<String>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(vec![Preset::Mp4Better]);
    let title = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<usize, String>>);
    let busy = RwSignal::new(false);
    let project = StoredValue::new(project);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let (ids, presets) = (picked.get_untracked(), chosen.get_untracked());
        let t = Some(title.get_untracked()).filter(|t| !t.trim().is_empty());
        leptos::task::spawn_local(async move {
            let r = start_export(project.get_value(), ids, presets, t).await;
            outcome.set(Some(r.map(|l| l.len()).map_err(|e| e.message().to_owned())));
            busy.set(false);
        });
    };
    let preset = move |p: Preset| {
        view! {
            <label class="check small"><input type="checkbox" data-test-id=format!("export-preset-{}", p.as_str())
                prop:checked=move || chosen.get().contains(&p)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| { c.retain(|x| *x != p); if on { c.push(p); } });
                }/>" "{p.label()}</label>
        }
    };
    view! {
        <button type="button" class="small" data-test-id="bulk-export" on:click=move |_| { outcome.set(None); open.update(|o| *o = !*o) }>"Export"</button>
        <Show when=move || open.get()>
            <form class="share-form panel" on:submit=submit data-test-id="export-form">
                <p class="small muted">"Video: the selected clips are joined in the order you selected them."</p>
                {Preset::VIDEO.into_iter().map(preset).collect_view()}
                <p class="small muted">"Files: one ZIP or PDF of the selection (photos only, except the originals)."</p>
                {Preset::PACKAGES.into_iter().map(preset).collect_view()}
                <label>"Title (written into the files)"
                    <input type="text" maxlength="200" data-test-id="export-title" prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))/></label>
                <button type="submit" class="primary small" disabled=move || busy.get() data-test-id="export-start">"Start export"</button>
                {move || outcome.get().map(|r| match r {
                    Ok(n) => view! {
                        <p class="note small" role="status" data-test-id="export-started">{format!("{n} export(s) started — ")}
                            <a href=format!("/projects/{}/exports", project.get_value())>"follow them on the Exports page"</a></p>
                    }.into_any(),
                    Err(m) => view! { <p class="form-error" role="alert" data-test-id="export-error">{m}</p> }.into_any(),
                })}
            </form>
        </Show>
    }
}
