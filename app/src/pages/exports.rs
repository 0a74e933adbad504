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
    // While anything is queued or running, look again every 2 seconds.
    Effect::new(move |_| {
        let busy = list
            .get()
            .and_then(Result::ok)
            .is_some_and(|l| l.iter().any(|e| e.state == "queued" || e.state == "running"));
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
                            <p class="muted">"Select clips in the library and choose " <strong>"Export"</strong> ". Finished files are kept for 7 days."</p>
                            <ActionError value=cancel.value()/>
                            {if items.is_empty() {
                                view! { <p class="muted" data-test-id="no-exports">"No exports yet."</p> }.into_any()
                            } else {
                                view! {
                                    <section class="panel">
                                        <table class="members" data-test-id="exports-table">
                                            <thead><tr><th>"Title"</th><th>"Preset"</th><th>"Progress"</th><th>"Size"</th><th></th></tr></thead>
                                            <tbody>{items.into_iter().map(|e| view! { <ExportRow export=e cancel/> }).collect_view()}</tbody>
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
fn ExportRow(export: ExportDto, cancel: ServerAction<CancelExport>) -> impl IntoView {
    let id = export.id.to_string();
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
                        <progress max="100" value=export.progress data-test-id="export-progress"></progress>
                        " "{format!("{}%", export.progress)}
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
