//! `/projects/:id`: the project's library, its members and settings.

use crate::api::members::list_members;
use crate::api::projects::{get_project, DeleteProject, EditProject, SetArchived};
use crate::components::errors::{ActionError, ErrorPanel};
use crate::components::library::Library;
use crate::components::live::{initials, Presence, SessionInvite};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::dto::{MemberDto, ProjectDto};
use model::Action;

/// The project page.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let edit = ServerAction::<EditProject>::new();
    let archive = ServerAction::<SetArchived>::new();
    let project = Resource::new(
        move || (id(), edit.version().get(), archive.version().get()),
        |(id, _, _)| get_project(id),
    );
    let members = Resource::new(id, list_members);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading project…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, members.await) {
                    (Ok(p), Ok(m)) => view! { <ProjectView project=p members=m edit archive/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProjectView(
    project: ProjectDto,
    members: Vec<MemberDto>,
    edit: ServerAction<EditProject>,
    archive: ServerAction<SetArchived>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteProject>::new();
    let role = project.role;
    let id = project.id.to_string();
    view! {
        <Title text=format!("{} · Dailies", project.name)/>
        <div class="page-head">
            <div>
                <p class="crumbs"><a href="/projects">"Projects"</a></p>
                <h1 data-test-id="project-title">{project.name.clone()}</h1>
                <p class="muted description">{project.description.clone()}</p>
            </div>
            <Presence project=project.id/>
            <span class=format!("badge role-{}", role.as_str()) data-test-id="my-role">{role.label()}</span>
            {project.archived.then(|| view! { <span class="badge archived" data-test-id="archived">"Archived"</span> })}
        </div>
        <SessionInvite project=project.id/>
        <Library project=id.clone() can_upload=role.can(Action::Upload) can_rate=role.can(Action::Rate)/>
        <div class="project-layout">
            <aside class="side">
                <section class="panel">
                    <h2>"Members"</h2>
                    <ul class="member-list" data-test-id="member-list">
                        {members.into_iter().map(|m| view! {
                            <li>
                                <span class="avatar" aria-hidden="true">{initials(&m.name)}</span>
                                <span class="member-name">{m.name.clone()}</span>
                                <span class=format!("badge small role-{}", m.role.as_str())>{m.role.label()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <a class="button small" href=format!("/projects/{id}/members") data-test-id="manage-members">
                        {if role.can(Action::ManageMembers) { "Manage members" } else { "See all members" }}
                    </a>
                    {role.can(Action::Upload).then(|| view! {
                        <a class="button small" href=format!("/projects/{id}/shares") data-test-id="review-links">"Review links"</a>
                        <a class="button small" href=format!("/projects/{id}/exports") data-test-id="exports-link">"Exports"</a>
                    })}
                    <a class="button small" href=format!("/projects/{id}/activity") data-test-id="activity-link">"Activity"</a>
                    <a class="button small" href=format!("/projects/{id}/analytics") data-test-id="analytics-link">"Analytics"</a>
                    {role.can(Action::ManageMembers).then(|| view! {
                        <a class="button small" href=format!("/projects/{id}/webhooks") data-test-id="webhooks-link">"Webhooks"</a>
                    })}
                </section>
                {role.can(Action::EditProject).then(|| view! {
                    <section class="panel">
                        <h2>"Settings"</h2>
                        <ActionForm action=edit>
                            <input type="hidden" name="id" value=project.id.to_string()/>
                            <label>"Name" <input type="text" name="name" required maxlength="200" value=project.name.clone() data-test-id="edit-name"/></label>
                            <label>"Description" <textarea name="description" rows="3" maxlength="5000" prop:value=project.description.clone()>{project.description.clone()}</textarea></label>
                            <ActionError value=edit.value()/>
                            <button type="submit" data-test-id="save-project">"Save"</button>
                        </ActionForm>
                    </section>
                })}
                {role.can(Action::ArchiveProject).then(|| view! {
                    <section class="panel danger-zone">
                        <ActionForm action=archive>
                            <input type="hidden" name="id" value=project.id.to_string()/>
                            <input type="hidden" name="archived" value=(!project.archived).to_string()/>
                            <button type="submit" data-test-id="archive-project">
                                {if project.archived { "Restore project" } else { "Archive project" }}
                            </button>
                        </ActionForm>
                        <ActionForm action=delete>
                            <input type="hidden" name="id" value=project.id.to_string()/>
                            <label class="check"><input type="checkbox" required data-test-id="confirm-delete"/> "I understand this deletes everything in the project"</label>
                            <ActionError value=delete.value()/>
                            <button type="submit" class="danger" data-test-id="delete-project">"Delete project"</button>
                        </ActionForm>
                    </section>
                })}
            </aside>
        </div>
    }
}
