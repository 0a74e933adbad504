//! `/projects/:id/exports`: the project's export renditions with live progress bars, a
//! download button once done, cancel while queued or running.

use crate::api::projects::get_project;
use crate::api::renditions::{list_exports, CancelExport};
use crate::components::errors::{ActionError, ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::export::ExportDto;

/// The exports page.
#[component]
pub fn ExportsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let cancel = ServerAction::<CancelExport>::new();
    let tick = RwSignal::new(0u32);
    let project = Resource::new(id, get_project);
    let list = Resource::new(
        move || (id(), cancel.version().get(), tick.get()),
        |(id, _, _)| list_exports(id),
    );
    // Progress arrives live (`export.progress`, `export.finished`); without the socket,
    // look again every 2 seconds while anything is queued or running.
    let progress = RwSignal::new(std::collections::HashMap::<uuid::Uuid, i16>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Ok(project) = id().parse::<model::ProjectId>() else {
            return;
        };
        let live = crate::live::Live::get();
        let sub = live.subscribe(project, None, None, move |msg| {
            use model::live::{kind, ServerMessage};
            let ServerMessage::Event(e) = msg else { return };
            let export = e.payload["export"].as_str().and_then(|s| s.parse::<uuid::Uuid>().ok());
            match (e.kind.as_str(), e.payload["state"].as_str(), export) {
                (kind::EXPORT_PROGRESS, Some("running"), Some(x)) => {
                    let p = e.payload["progress"].as_i64().unwrap_or(0) as i16;
                    progress.update(|m| {
                        m.insert(x, p);
                    });
                }
                (kind::EXPORT_PROGRESS, _, _) | (kind::EXPORT_FINISHED, _, _) => tick.update(|t| *t += 1),
                _ => {}
            }
        });
        let sub = StoredValue::new_local(Some(sub));
        on_cleanup(move || sub.update_value(|s| drop(s.take())));
    });
    Effect::new(move |_| {
        let busy = list
            .get()
            .and_then(Result::ok)
            .is_some_and(|l| l.iter().any(|e| e.state == "queued" || e.state == "running"));
        #[cfg(feature = "hydrate")]
        let busy = busy && !crate::live::Live::get().is_live();
        if busy {
            set_timeout(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(2));
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading exports…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, list.await) {
                    (Ok(p), Ok(items)) => {
                        let pid = p.id.to_string();
                        view! {
                            <Title text=format!("Exports · {} · Dailies", p.name)/>
                            <div class="page-head">
                                <div>
                                    <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{p.name.clone()}</a></p>
                                    <h1>"Exports"</h1>
                                </div>
                            </div>
                            <p class="muted">"Select clips or photos in the library and choose " <strong>"Export"</strong> ": renditions, ZIPs of originals or photos in a delivery size, contact sheets. Finished files are kept for 7 days; downloads resume where they broke off."</p>
                            <ActionError value=cancel.value()/>
                            {if items.is_empty() {
                                view! { <p class="muted" data-test-id="no-exports">"No exports yet."</p> }.into_any()
                            } else {
                                view! {
                                    <section class="panel">
                                        <table class="members" data-test-id="exports-table">
                                            <thead><tr><th>"Title"</th><th>"Preset"</th><th>"Progress"</th><th>"Size"</th><th></th></tr></thead>
                                            <tbody>{items.into_iter().map(|e| view! { <ExportRow export=e cancel progress/> }).collect_view()}</tbody>
                                        </table>
                                    </section>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ExportRow(
    export: ExportDto,
    cancel: ServerAction<CancelExport>,
    progress: RwSignal<std::collections::HashMap<uuid::Uuid, i16>>,
) -> impl IntoView {
    let id = export.id.to_string();
    let key = export.id;
    let at = export.progress;
    let shown = move || progress.with(|m| m.get(&key).copied().unwrap_or(at).max(at));
    let running = export.state == "queued" || export.state == "running";
    let size = export
        .size
        .map(|s| format!("{:.1} MB", s as f64 / 1_000_000.0))
        .unwrap_or_default();
    view! {
        <tr data-test-id="export-row" data-state=export.state.clone() data-preset=export.preset.as_str()>
            <td>{export.title.clone()}</td>
            <td>{export.preset.label()}</td>
            <td>
                {match export.state.as_str() {
                    "queued" | "running" => view! {
                        <progress max="100" value=shown data-test-id="export-progress"></progress>
                        " "{move || format!("{}%", shown())}
                    }.into_any(),
                    "failed" => view! { <span class="form-error">{export.error.clone().unwrap_or_else(|| "failed".into())}</span> }.into_any(),
                    other => view! { <span class="badge">{other.to_owned()}</span> }.into_any(),
                }}
            </td>
            <td>{size}</td>
            <td>
                {(export.state == "done").then(|| view! {
                    <a class="button small primary" href=format!("/api/v1/exports/{id}/download") download data-test-id="export-download">"Download"</a>
                })}
                {running.then(|| view! {
                    <ActionForm action=cancel attr:class="inline">
                        <input type="hidden" name="id" value=id.clone()/>
                        <button type="submit" class="small danger" data-test-id="export-cancel">"Cancel"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
