//! The library: folder tree, filters, the virtualised asset grid (or list), the metadata
//! panel, and the drop zone the uploader (`public/uploader.js`, on tus-js-client) attaches to.

mod bulk;
mod card;
mod clone;
mod collections;
mod columns;
mod custom_fields;
mod details;
mod export;
mod folders;
pub mod format;
mod grid;
mod share;

use crate::api::assets::list_assets;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Filters from the URL (`?folder=…&type=…&q=…&collection=…&trash=1&view=list`), so they
/// survive reloads and work without JavaScript.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    /// A folder id, `root`, or empty for everything.
    pub folder: String,
    /// `video`, `image`, `audio` or empty.
    pub media_type: String,
    /// List instead of grid.
    pub list: bool,
    /// Search words.
    #[serde(default)]
    pub q: String,
    /// A collection id.
    #[serde(default)]
    pub collection: String,
    /// The trash.
    #[serde(default)]
    pub trash: bool,
    /// Sort key (`model::filter::SortField` wire name), empty for the default.
    #[serde(default)]
    pub sort: String,
    /// `asc` or `desc` (default).
    #[serde(default)]
    pub dir: String,
    /// Group by (`rating`, `status`, `label`, `media_type`), empty for none.
    #[serde(default)]
    pub group: String,
}

impl Filters {
    /// The query string for these filters with one change applied.
    pub fn href(&self, project: &str, folder: Option<&str>, media_type: Option<&str>, list: Option<bool>) -> String {
        self.link(project, |f| {
            if let Some(folder) = folder {
                f.folder = folder.to_owned();
                f.collection.clear();
                f.trash = false;
            }
            if let Some(t) = media_type {
                f.media_type = t.to_owned();
            }
            if let Some(l) = list {
                f.list = l;
            }
        })
    }

    /// The link to these filters after `change`.
    pub fn link(&self, project: &str, change: impl FnOnce(&mut Filters)) -> String {
        let mut f = self.clone();
        change(&mut f);
        let mut q = Vec::new();
        if f.trash {
            q.push("trash=1".to_owned());
        }
        if !f.collection.is_empty() {
            q.push(format!("collection={}", f.collection));
        }
        if !f.folder.is_empty() {
            q.push(format!("folder={}", f.folder));
        }
        if !f.media_type.is_empty() {
            q.push(format!("type={}", f.media_type));
        }
        if !f.q.is_empty() {
            let enc: String = js_free_encode(&f.q);
            q.push(format!("q={enc}"));
        }
        if f.list {
            q.push("view=list".to_owned());
        }
        for (k, v) in [("sort", &f.sort), ("dir", &f.dir), ("group", &f.group)] {
            if !v.is_empty() {
                q.push(format!("{k}={}", js_free_encode(v)));
            }
        }
        if q.is_empty() {
            format!("/projects/{project}")
        } else {
            format!("/projects/{project}?{}", q.join("&"))
        }
    }

    /// Whether the view is narrowed by something whose membership can change under it
    /// (a search, a collection), so live changes refetch rather than patch.
    pub fn derived(&self) -> bool {
        !self.q.is_empty() || !self.collection.is_empty() || self.trash
    }
}

/// The orders the toolbar offers: `field:dir` (empty: newest first, or relevance in a search).
const SORTS: [(&str, &str); 11] = [
    (":", "Newest"),
    ("created_at:asc", "Oldest"),
    ("name:asc", "Name A–Z"),
    ("name:desc", "Name Z–A"),
    ("rating:desc", "Rating, best first"),
    ("rating:asc", "Rating, lowest first"),
    ("captured_at:desc", "Captured, newest"),
    ("due_date:asc", "Due date, soonest"),
    ("duration:desc", "Duration, longest"),
    ("size:desc", "Size, largest"),
    ("status:asc", "Status"),
];

/// Percent-encodes a query value (letters, digits and `-_.~` pass).
fn js_free_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
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
            q: q.get("q").unwrap_or_default(),
            collection: q.get("collection").unwrap_or_default(),
            trash: q.get("trash").as_deref() == Some("1"),
            sort: q.get("sort").unwrap_or_default(),
            dir: q.get("dir").unwrap_or_default(),
            group: q.get("group").unwrap_or_default(),
        }
    });
    custom_fields::ProjectFields::provide(project.clone());
    columns::ListColumns::provide(&project);
    let selected = RwSignal::new(None::<String>);
    let picked = RwSignal::new(Vec::<String>::new());
    let refresh = RwSignal::new(0u32);
    let collections_changed = RwSignal::new(0u32);
    // A new view starts with nothing selected.
    Effect::new(move |_| {
        filters.track();
        picked.set(Vec::new());
    });
    let project_for_page = project.clone();
    let first_page = Resource::new(
        move || filters.get(),
        move |f| {
            let project = project_for_page.clone();
            async move { list_assets(project, f, 0, grid::PAGE).await }
        },
    );
    let p1 = project.clone();
    let p2 = project.clone();
    let p3 = project.clone();
    let p4 = project.clone();
    let (p5, p6, p7) = (project.clone(), project.clone(), project.clone());
    let (p8, p9, p10) = (project.clone(), project.clone(), project.clone());
    let navigate_sort = move |f: Filters| {
        let navigate = leptos_router::hooks::use_navigate();
        navigate(&f.link(&p9, |_| {}), Default::default());
    };
    view! {
        <div class="library-layout" data-test-id="library">
            <aside class="folder-pane panel">
                <folders::FolderTree project=p1 filters can_upload/>
                <collections::Collections project=p5 filters can_edit=can_upload changed=collections_changed/>
                <custom_fields::CustomFields project=p8 can_edit=can_upload/>
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
                {view! { <div class="library-toolbar">
                    <form class="search-box" method="get" action=format!("/projects/{p6}") role="search">
                        {move || {
                            let f = filters.get();
                            view! {
                                {(!f.folder.is_empty()).then(|| view! { <input type="hidden" name="folder" value=f.folder.clone()/> })}
                                {(!f.media_type.is_empty()).then(|| view! { <input type="hidden" name="type" value=f.media_type.clone()/> })}
                                {f.list.then(|| view! { <input type="hidden" name="view" value="list"/> })}
                            }
                        }}
                        <input type="search" name="q" placeholder="Search names, tags, comments, cameras…" aria-label="Search"
                               prop:value=move || filters.get().q data-test-id="search"/>
                    </form>
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
                    <label class="small sort-by">"Sort"
                        <select data-test-id="sort" on:change={
                            let go = navigate_sort.clone();
                            move |ev| {
                                let v = event_target_value(&ev);
                                let (sort, dir) = v.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())).unwrap_or_default();
                                go(Filters { sort, dir, ..filters.get_untracked() });
                            }
                        }>
                            {SORTS.into_iter().map(|(value, label)| view! {
                                <option value=value selected=move || { let f = filters.get(); format!("{}:{}", f.sort, f.dir) == value }>{label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="small sort-by">"Group"
                        <select data-test-id="group-by" on:change={
                            let go = navigate_sort.clone();
                            move |ev| go(Filters { group: event_target_value(&ev), ..filters.get_untracked() })
                        }>
                            {[("", "None"), ("rating", "Rating"), ("status", "Status"), ("label", "Label"), ("media_type", "Type")].into_iter().map(|(value, label)| view! {
                                <option value=value selected=move || filters.get().group == value>{label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <div class="view-toggle">
                        {
                            let (pa, pb) = (p3.clone(), p3.clone());
                            view! {
                                <a href=move || filters.get().href(&pa, None, None, Some(false)) class:active=move || !filters.get().list data-test-id="view-grid">"Grid"</a>
                                <a href=move || filters.get().href(&pb, None, None, Some(true)) class:active=move || filters.get().list data-test-id="view-list">"List"</a>
                            }
                        }
                    </div>
                    {can_upload.then(|| {
                        // A folder link is living: what is added to the folder later appears.
                        let (pf, pc) = (p3.clone(), p3.clone());
                        let folder = move || Some(filters.get().folder).filter(|f| !f.is_empty() && f != "root");
                        let collection = move || Some(filters.get().collection).filter(|c| !c.is_empty());
                        view! {
                            <Show when=move || folder().is_some() && collection().is_none()>
                                <share::ShareButton project=pf.clone() label="Share this folder" test_id="share-folder"
                                    target=Signal::derive(move || crate::api::shares::ShareTarget::Folder(folder().unwrap_or_default()))/>
                            </Show>
                            <Show when=move || collection().is_some()>
                                <share::ShareButton project=pc.clone() label="Share this collection" test_id="share-collection"
                                    target=Signal::derive(move || crate::api::shares::ShareTarget::Collection(collection().unwrap_or_default()))/>
                            </Show>
                        }
                    })}
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
                </div> }.into_any()}
                {move || {
                    let f = filters.get();
                    let title = if f.trash {
                        Some("Trash — restorable for 30 days".to_owned())
                    } else if !f.q.is_empty() {
                        Some(format!("Results for “{}”", f.q))
                    } else {
                        None
                    };
                    title.map(|t| view! { <h2 class="view-title" data-test-id="view-title">{t}</h2> })
                }}
                {move || filters.get().list.then(|| view! { <columns::ListHeader project=p10.clone()/> })}
                <bulk::BulkBar project=p7 filters picked refresh collections_changed can_edit=can_upload can_rate/>
                <Transition fallback=|| view! { <p class="muted">"Loading media…"</p> }>
                    {
                        let project = project.clone();
                        move || {
                            let project = project.clone();
                            Suspend::new(async move {
                                match first_page.await {
                                    Ok(page) => view! {
                                        <grid::AssetGrid project filters=filters.get_untracked() first=page selected picked refresh can_upload can_rate/>
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
    .into_any()
}
