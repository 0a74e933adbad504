//! "Copy to project…": the selected assets, or the open folder with everything inside, copied
//! with new ids into a project where the person may upload, with comments, drawings, ratings
//! and metadata if ticked; a progress bar follows the job and links to the copies.

use crate::api::assets::list_folders;
use crate::api::clones::{get_clone, start_clone};
use crate::api::projects::list_projects;
use leptos::prelude::*;
use model::clone::{CloneDto, CloneInclude, CloneRequest};
use model::Action;

/// What to copy.
#[derive(Clone, Debug)]
pub enum Copying {
    /// The assets picked in the grid.
    Assets(RwSignal<Vec<String>>),
    /// One folder with everything inside.
    Folder(String),
}

/// The button and its form.
#[component]
pub fn CloneButton(project: String, what: Copying) -> impl IntoView {
    let open = RwSignal::new(false);
    let target = RwSignal::new(project.clone());
    let folder = RwSignal::new(String::new());
    let include = RwSignal::new(CloneInclude {
        comments: true,
        drawings: true,
        ratings: true,
        metadata: true,
    });
    let error = RwSignal::new(None::<String>);
    let running = RwSignal::new(None::<CloneDto>);
    let projects = Resource::new(move || open.get(), |_| list_projects());
    let folders = Resource::new(move || target.get(), list_folders);
    let source = StoredValue::new(project);
    let what = StoredValue::new(what);
    // Follow the job until it ends.
    Effect::new(move |_| {
        if let Some(c) = running.get().filter(|c| c.state == "queued" || c.state == "running") {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(now) = get_clone(c.id.to_string()).await {
                            running.set(Some(now));
                        }
                    })
                },
                std::time::Duration::from_millis(800),
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let mut req = CloneRequest {
            target_project_id: target.get_untracked(),
            target_folder_id: Some(folder.get_untracked()).filter(|f| !f.is_empty()),
            include: include.get_untracked(),
            ..CloneRequest::default()
        };
        match what.get_value() {
            Copying::Assets(picked) => req.asset_ids = picked.get_untracked(),
            Copying::Folder(id) => req.folder_ids = vec![id],
        }
        leptos::task::spawn_local(async move {
            match start_clone(source.get_value(), req).await {
                Ok(c) => running.set(Some(c)),
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        });
    };
    let tick = move |key: &'static str, label: &'static str| {
        let get = move |i: &CloneInclude| match key {
            "comments" => i.comments,
            "drawings" => i.drawings,
            "ratings" => i.ratings,
            _ => i.metadata,
        };
        view! {
            <label class="check small"><input type="checkbox" data-test-id=format!("clone-{key}")
                prop:checked=move || include.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    include.update(|i| match key {
                        "comments" => i.comments = on,
                        "drawings" => i.drawings = on,
                        "ratings" => i.ratings = on,
                        _ => i.metadata = on,
                    });
                }/>" "{label}</label>
        }
    };
    let label = match what.get_value() {
        Copying::Assets(_) => "Copy to…",
        Copying::Folder(_) => "Copy folder to…",
    };
    view! {
        <button type="button" class="small" data-test-id="clone-open" on:click=move |_| { running.set(None); open.update(|o| *o = !*o) }>{label}</button>
        <Show when=move || open.get()>
            <form class="share-form panel" on:submit=submit data-test-id="clone-form">
                <p class="small muted">"Copies keep every version, and are ready at once: nothing is processed again."</p>
                <label>"Project"
                    <select data-test-id="clone-target" on:change=move |ev| { target.set(event_target_value(&ev)); folder.set(String::new()); }>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                projects.await.map(|all| all.into_iter()
                                    .filter(|p| p.role.can(Action::Upload) && !p.archived)
                                    .map(|p| { let id = p.id.to_string(); view! {
                                        <option value=id.clone() selected=target.get_untracked() == id>{p.name}</option>
                                    }}).collect_view())
                            })}
                        </Transition>
                    </select></label>
                <label>"Folder"
                    <select data-test-id="clone-folder" on:change=move |ev| folder.set(event_target_value(&ev))>
                        <option value="">"Not in a folder"</option>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                folders.await.map(|all| all.into_iter().map(|f| view! { <option value=f.id.to_string()>{f.name}</option> }).collect_view())
                            })}
                        </Transition>
                    </select></label>
                {tick("comments", "Comments and replies")}
                {tick("drawings", "Drawings")}
                {tick("ratings", "Ratings and labels")}
                {tick("metadata", "Metadata and status")}
                <button type="submit" class="primary small" data-test-id="clone-start"
                    disabled=move || running.get().is_some_and(|c| c.state == "queued" || c.state == "running")>"Copy"</button>
                {move || error.get().map(|m| view! { <p class="form-error" role="alert" data-test-id="clone-error">{m}</p> })}
                {move || running.get().map(|c| {
                    let n = c.counts;
                    let what = format!("{} assets, {} versions, {} folders, {} comments, {} collections", n.assets, n.versions, n.folders, n.comments, n.collections);
                    view! {
                        <p class="note small" role="status" data-test-id="clone-status" data-state=c.state.clone()>
                            <progress max="100" value=c.progress></progress>" "
                            {match c.state.as_str() {
                                "done" => view! { "Copied " {what} " — " <a href=format!("/projects/{}", c.target_project_id) data-test-id="clone-open-target">"open"</a> }.into_any(),
                                "failed" => view! { "The copy failed: " {c.error.unwrap_or_default()} }.into_any(),
                                _ => view! { "Copying " {what} "…" }.into_any(),
                            }}
                        </p>
                    }
                })}
            </form>
        </Show>
    }
}
