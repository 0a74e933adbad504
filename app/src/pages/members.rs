//! `/projects/:id/members`: member management.

use crate::api::members::{list_members, AddMember, ChangeRole, RemoveMember};
use crate::api::projects::get_project;
use crate::components::errors::{ActionError, ErrorPanel};
use crate::components::live::initials;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::dto::{MemberDto, ProjectDto};
use model::{Action, Role};

/// The member management page.
#[component]
pub fn MembersPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let add = ServerAction::<AddMember>::new();
    let change = ServerAction::<ChangeRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let project = Resource::new(id, get_project);
    let members = Resource::new(
        move || {
            (
                id(),
                add.version().get(),
                change.version().get(),
                remove.version().get(),
            )
        },
        |(id, ..)| list_members(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading members…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, members.await) {
                    (Ok(p), Ok(m)) => view! { <Members project=p members=m add change remove/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Members(
    project: ProjectDto,
    members: Vec<MemberDto>,
    add: ServerAction<AddMember>,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let manage = project.role.can(Action::ManageMembers);
    let pid = project.id.to_string();
    let rows = members
        .into_iter()
        .map(|m| view! { <MemberRow member=m project_id=pid.clone() manage change remove/> })
        .collect_view();
    view! {
        <Title text=format!("Members · {} · Dailies", project.name)/>
        <div class="page-head">
            <div>
                <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{project.name.clone()}</a></p>
                <h1>"Members"</h1>
            </div>
        </div>
        {manage.then(|| view! {
            <section class="panel">
                <h2>"Add a member"</h2>
                <ActionForm action=add attr:class="row-form">
                    <input type="hidden" name="project_id" value=pid.clone()/>
                    <input type="email" name="email" required placeholder="name@example.com" aria-label="E-mail" data-test-id="member-email"/>
                    <RoleSelect current=Role::Commenter test_id="member-role"/>
                    <button type="submit" class="primary" data-test-id="add-member">"Add"</button>
                </ActionForm>
                <ActionError value=add.value()/>
                <p class="hint">"They need an account on this server first."</p>
            </section>
        })}
        <section class="panel">
            <ActionError value=change.value()/>
            <ActionError value=remove.value()/>
            <table class="members" data-test-id="members-table">
                <thead><tr><th>"Name"</th><th>"E-mail"</th><th>"Role"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn MemberRow(
    member: MemberDto,
    project_id: String,
    manage: bool,
    change: ServerAction<ChangeRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let uid = member.user_id.to_string();
    let (pid2, uid2) = (project_id.clone(), uid.clone());
    let role_cell = if manage {
        view! {
            <ActionForm action=change attr:class="inline">
                <input type="hidden" name="project_id" value=pid2/>
                <input type="hidden" name="user_id" value=uid2/>
                <RoleSelect current=member.role test_id="role-select"/>
                <button type="submit" class="small" data-test-id="save-role">"Save"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <span class=format!("badge role-{}", member.role.as_str())>{member.role.label()}</span> }.into_any()
    };
    view! {
        <tr data-test-id="member-row" data-email=member.email.clone()>
            <td><span class="avatar" aria-hidden="true">{initials(&member.name)}</span> {member.name.clone()}</td>
            <td class="muted">{member.email.clone()}</td>
            <td>{role_cell}</td>
            <td>
                {manage.then(|| view! {
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="project_id" value=project_id.clone()/>
                        <input type="hidden" name="user_id" value=uid.clone()/>
                        <button type="submit" class="small danger" data-test-id="remove-member">"Remove"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[component]
fn RoleSelect(current: Role, test_id: &'static str) -> impl IntoView {
    view! {
        <select name="role" aria-label="Role" data-test-id=test_id>
            {Role::ALL.into_iter().map(|r| view! {
                <option value=r.as_str() selected=r == current>{r.label()}</option>
            }).collect_view()}
        </select>
    }
}
