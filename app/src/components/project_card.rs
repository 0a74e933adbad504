//! A project card for the project grid.

use leptos::prelude::*;
use model::dto::ProjectDto;

/// A project in the grid: placeholder thumbnail, name, member count and the viewer's role.
#[component]
pub fn ProjectCard(project: ProjectDto) -> impl IntoView {
    let members = if project.member_count == 1 {
        "1 member".to_owned()
    } else {
        format!("{} members", project.member_count)
    };
    view! {
        <li class="project-card" data-test-id="project-card">
            <a href=format!("/projects/{}", project.id)>
                <div class="thumb-placeholder" aria-hidden="true"></div>
                <div class="card-body">
                    <h3>{project.name.clone()}</h3>
                    <p class="muted">{members}</p>
                    <span class=format!("badge role-{}", project.role.as_str())>{project.role.label()}</span>
                </div>
            </a>
        </li>
    }
}
