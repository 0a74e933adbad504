//! The folder tree, with a form to add a folder inside the current one.

use super::Filters;
use crate::api::assets::{list_folders, CreateFolder};
use crate::components::errors::ActionError;
use leptos::prelude::*;
use model::asset::FolderDto;

/// The project's folders as a tree of links.
#[component]
pub fn FolderTree(project: String, filters: Memo<Filters>, can_upload: bool) -> impl IntoView {
    let create = ServerAction::<CreateFolder>::new();
    let p = project.clone();
    let folders = Resource::new(move || create.version().get(), move |_| list_folders(p.clone()));
    let (pa, pb) = (project.clone(), project.clone());
    let project_form = project.clone();
    let project_copy = project.clone();
    view! {
        <h2>"Folders"</h2>
        <ul class="folder-tree" data-test-id="folder-tree">
            <li>
                <a href=move || filters.get().href(&pa, Some(""), None, None) class:active=move || filters.get().folder.is_empty()>"All media"</a>
            </li>
            <li>
                <a href=move || filters.get().href(&pb, Some("root"), None, None) class:active=move || filters.get().folder == "root">"Not in a folder"</a>
            </li>
            <Transition fallback=|| ()>
                {
                    let project = project.clone();
                    move || {
                        let project = project.clone();
                        Suspend::new(async move {
                            folders.await.map(|all| view! { <Branch all=all.clone() parent=None project filters/> })
                        })
                    }
                }
            </Transition>
        </ul>
        {
            move || {
                let f = filters.get().folder;
                (!f.is_empty() && f != "root").then(|| view! {
                    <div class="folder-actions"><super::clone::CloneButton project=project_copy.clone() what=super::clone::Copying::Folder(f)/></div>
                })
            }
        }
        {can_upload.then(|| view! {
            <ActionForm action=create attr:class="new-folder">
                <input type="hidden" name="project" value=project_form.clone()/>
                <input type="hidden" name="parent" value=move || { let f = filters.get().folder; if f == "root" { String::new() } else { f } }/>
                <input type="text" name="name" required maxlength="255" placeholder="New folder" aria-label="New folder name" data-test-id="new-folder-name"/>
                <button type="submit" class="small" data-test-id="new-folder">"Add"</button>
                <ActionError value=create.value()/>
            </ActionForm>
        })}
    }
}

#[component]
fn Branch(
    all: Vec<FolderDto>,
    parent: Option<model::FolderId>,
    project: String,
    filters: Memo<Filters>,
) -> impl IntoView {
    let children: Vec<FolderDto> = all.iter().filter(|f| f.parent_id == parent).cloned().collect();
    children
        .into_iter()
        .map(|f| {
            let id = f.id.to_string();
            let (id_a, id_b) = (id.clone(), id.clone());
            let project_a = project.clone();
            let has_children = all.iter().any(|c| c.parent_id == Some(f.id));
            view! {
                <li>
                    <a href=move || filters.get().href(&project_a, Some(&id_a), None, None)
                       class:active=move || filters.get().folder == id_b
                       data-test-id="folder-link" data-name=f.name.clone()>
                        <span class="folder-icon" aria-hidden="true"></span>{f.name.clone()}
                        {(f.asset_count > 0).then(|| view! { <span class="muted small">{format!(" {}", f.asset_count)}</span> })}
                    </a>
                    {has_children.then(|| view! {
                        <ul><Branch all=all.clone() parent=Some(f.id) project=project.clone() filters/></ul>
                    }.into_any())}
                </li>
            }
        })
        .collect_view()
}
