//! `/projects/:id/members`: member management: add, change roles, remove, hand the project
//! over, invite by e-mail.

use crate::api::invitations::{list_invitations, InviteMember, ResendInvitation, RevokeInvitation};
use crate::api::members::{list_members, AddMember, ChangeRole, RemoveMember, TransferOwnership};
use crate::api::projects::get_project;
use crate::components::errors::{ActionError, ErrorPanel};
use crate::components::live::initials;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::dto::{MemberDto, ProjectDto};
use model::invitation::InvitationDto;
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
        {manage.then(|| view! { <Invitations project_id=pid.clone()/> })}
        {manage.then(|| view! {
            <section class="panel">
                <h2>"Add an existing account"</h2>
                <ActionForm action=add attr:class="row-form">
                    <input type="hidden" name="project_id" value=pid.clone()/>
                    <input type="email" name="email" required placeholder="name@example.com" aria-label="E-mail" data-test-id="member-email"/>
                    <RoleSelect current=Role::Commenter test_id="member-role"/>
                    <button type="submit" class="primary" data-test-id="add-member">"Add"</button>
                </ActionForm>
                <ActionError value=add.value()/>
                <p class="hint">"For people who already have an account here; anyone else: invite them by e-mail."</p>
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
                {(manage && member.role != Role::Owner).then({
                    let (project_id, uid) = (project_id.clone(), uid.clone());
                    move || {
                    let transfer = ServerAction::<TransferOwnership>::new();
                    view! {
                        <ActionForm action=transfer attr:class="inline">
                            <input type="hidden" name="project_id" value=project_id.clone()/>
                            <input type="hidden" name="user_id" value=uid.clone()/>
                            <button type="submit" class="small" data-test-id="transfer-ownership"
                                title="They become owner; you become an editor">"Make owner, step down"</button>
                        </ActionForm>
                        <ActionError value=transfer.value()/>
                    }
                    }
                })}
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

/// Invite by e-mail, and the pending invitations with resend and withdraw.
#[component]
fn Invitations(project_id: String) -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let pid = project_id.clone();
    let pending = Resource::new(
        move || {
            (
                pid.clone(),
                invite.version().get(),
                resend.version().get(),
                revoke.version().get(),
            )
        },
        |(id, ..)| list_invitations(id),
    );
    view! {
        <section class="panel" data-test-id="invitations">
            <h2>"Invite by e-mail"</h2>
            <ActionForm action=invite attr:class="row-form">
                <input type="hidden" name="project_id" value=project_id.clone()/>
                <input type="email" name="email" required placeholder="name@example.com" aria-label="E-mail" data-test-id="invite-email"/>
                <RoleSelect current=Role::Commenter test_id="invite-role"/>
                <button type="submit" class="primary" data-test-id="invite-send">"Send invitation"</button>
            </ActionForm>
            <ActionError value=invite.value()/>
            {move || invite.value().get().and_then(Result::ok).map(|i| view! {
                <p class="note small" role="status" data-test-id="invite-sent">{format!("Invitation sent to {}.", i.email)}</p>
            })}
            <p class="hint">"They get a link that works once, for 7 days; accepting it creates their account if they have none."</p>
            <ActionError value=resend.value()/>
            <ActionError value=revoke.value()/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match pending.await {
                        Ok(list) if list.is_empty() => ().into_any(),
                        Ok(list) => view! {
                            <table class="members" data-test-id="pending-invitations">
                                <thead><tr><th>"Invited"</th><th>"Role"</th><th>"Sent"</th><th></th></tr></thead>
                                <tbody>{list.into_iter().map(|i| view! { <PendingRow invitation=i resend revoke/> }).collect_view()}</tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="error-text">{e.message().to_owned()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PendingRow(
    invitation: InvitationDto,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let (id, id2) = (invitation.id.to_string(), invitation.id.to_string());
    let sent = format!(
        "{}{}",
        invitation.sent_at.format("%Y-%m-%d %H:%M"),
        if invitation.sent_count > 1 {
            format!(" ({}×)", invitation.sent_count)
        } else {
            String::new()
        }
    );
    view! {
        <tr data-test-id="invitation-row" data-email=invitation.email.clone() data-expired=invitation.expired.to_string()>
            <td>{invitation.email.clone()}
                {invitation.expired.then(|| view! { " " <span class="badge small">"expired"</span> })}</td>
            <td><span class=format!("badge small role-{}", invitation.role.as_str())>{invitation.role.label()}</span></td>
            <td class="muted small">{sent}</td>
            <td>
                <ActionForm action=resend attr:class="inline">
                    <input type="hidden" name="id" value=id.clone()/>
                    <button type="submit" class="small" data-test-id="invitation-resend">"Resend"</button>
                </ActionForm>
                <ActionForm action=revoke attr:class="inline">
                    <input type="hidden" name="id" value=id2.clone()/>
                    <button type="submit" class="small danger" data-test-id="invitation-revoke">"Withdraw"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
