//! The library: folder tree, filters, the virtualised asset grid (or list), the metadata
//! panel, and the drop zone the uploader (`public/uploader.js`, on tus-js-client) attaches to.

mod details;
mod folders;
pub mod format;
mod grid;

use crate::api::assets::list_assets;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Filters from the URL (`?folder=…&type=…&view=list`), so they survive reloads and work
/// without JavaScript.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Filters {
    /// A folder id, `root`, or empty for everything.
    pub folder: String,
    /// `video`, `image`, `audio` or empty.
    pub media_type: String,
    /// List instead of grid.
    pub list: bool,
}

impl Filters {
    /// The query string for these filters with one change applied.
    pub fn href(&self, project: &str, folder: Option<&str>, media_type: Option<&str>, list: Option<bool>) -> String {
        let folder = folder.unwrap_or(&self.folder);
        let media_type = media_type.unwrap_or(&self.media_type);
        let list = list.unwrap_or(self.list);
        let mut q = Vec::new();
        if !folder.is_empty() {
            q.push(format!("folder={folder}"));
        }
        if !media_type.is_empty() {
            q.push(format!("type={media_type}"));
        }
        if list {
            q.push("view=list".to_owned());
        }
        if q.is_empty() {
            format!("/projects/{project}")
        } else {
            format!("/projects/{project}?{}", q.join("&"))
        }
    }
}

/// The library of one project.
#[component]
pub fn Library(project: String, can_upload: bool, #[prop(optional)] can_rate: bool) -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        Filters {
            folder: q.get("folder").unwrap_or_default(),
            media_type: q.get("type").unwrap_or_default(),
            list: q.get("view").as_deref() == Some("list"),
        }
    });
    let selected = RwSignal::new(None::<String>);
    let project_for_page = project.clone();
    let first_page = Resource::new(
        move || filters.get(),
        move |f| {
            let project = project_for_page.clone();
            async move {
                list_assets(
                    project,
                    Some(f.folder.clone()).filter(|s| !s.is_empty()),
                    Some(f.media_type.clone()).filter(|s| !s.is_empty()),
                    0,
                    grid::PAGE,
                )
                .await
            }
        },
    );
    let p1 = project.clone();
    let p2 = project.clone();
    let p3 = project.clone();
    let p4 = project.clone();
    view! {
        <div class="library-layout" data-test-id="library">
            <aside class="folder-pane panel">
                <folders::FolderTree project=p1 filters can_upload/>
            </aside>
            <section
                class="library panel"
                data-uploader=can_upload.then_some("true")
                data-project=p4
                data-folder=move || {
                    let f = filters.get().folder;
                    if f == "root" { String::new() } else { f }
                }
                data-test-id="drop-zone"
            >
                <div class="library-toolbar">
                    <nav class="type-filter" aria-label="Media type">
                        {[("", "All"), ("video", "Video"), ("image", "Photos"), ("audio", "Audio")].into_iter().map(|(t, label)| {
                            let p = p2.clone();
                            view! {
                                <a href=move || filters.get().href(&p, None, Some(t), None)
                                   class:active=move || filters.get().media_type == t
                                   data-test-id=format!("filter-{}", if t.is_empty() { "all" } else { t })>{label}</a>
                            }
                        }).collect_view()}
                    </nav>
                    <div class="view-toggle">
                        {
                            let (pa, pb) = (p3.clone(), p3.clone());
                            view! {
                                <a href=move || filters.get().href(&pa, None, None, Some(false)) class:active=move || !filters.get().list data-test-id="view-grid">"Grid"</a>
                                <a href=move || filters.get().href(&pb, None, None, Some(true)) class:active=move || filters.get().list data-test-id="view-list">"List"</a>
                            }
                        }
                    </div>
                    {can_upload.then(|| view! {
                        <div class="upload-buttons">
                            <label class="button primary small" data-test-id="upload-files">
                                "Upload files"
                                <input type="file" multiple data-upload-files class="visually-hidden"/>
                            </label>
                            <label class="button small" data-test-id="upload-folder">
                                "Upload folder"
                                <input type="file" multiple webkitdirectory="true" data-upload-folder class="visually-hidden"/>
                            </label>
                        </div>
                    })}
                </div>
                <Transition fallback=|| view! { <p class="muted">"Loading media…"</p> }>
                    {
                        let project = project.clone();
                        move || {
                            let project = project.clone();
                            Suspend::new(async move {
                                match first_page.await {
                                    Ok(page) => view! {
                                        <grid::AssetGrid project filters=filters.get_untracked() first=page selected can_upload can_rate/>
                                    }.into_any(),
                                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                                }
                            })
                        }
                    }
                </Transition>
            </section>
            <details::AssetDetails selected/>
        </div>
    }
}
