//! The component gallery: every presentational component of the app, rendered in the
//! browser with fixture data and no server. Run `trunk serve` at the repository root.

use app::components::errors::ErrorPanel;
use app::components::project_card::ProjectCard;
use app::error::AppError;
use leptos::prelude::*;
use model::dto::ProjectDto;
use model::{ApiError, ErrorCode, ProjectId, Role};

fn project(name: &str, role: Role, members: i64, archived: bool) -> ProjectDto {
    // Fixed, so the gallery looks the same every time (and wasm32 has no clock without extra features).
    let now = chrono::DateTime::from_timestamp(1_763_800_000, 0).unwrap_or_default();
    ProjectDto {
        id: ProjectId(uuid::Uuid::from_u128(
            u128::from(name.len() as u64) << 64 | members as u128,
        )),
        name: name.into(),
        description: String::new(),
        archived,
        role,
        member_count: members,
        created_at: now,
        updated_at: now,
    }
}

#[component]
fn Gallery() -> impl IntoView {
    let cards = vec![
        project("Spring campaign", Role::Owner, 1, false),
        project("Product stills — autumn catalogue", Role::Editor, 7, false),
        project("Documentary rough cut", Role::Commenter, 3, false),
        project("Client review: 30s spot", Role::Viewer, 12, false),
        project("Last year's reel", Role::Owner, 4, true),
    ];
    view! {
        <main class="page">
            <h1>"Component gallery"</h1>
            <p class="muted">"Fixture data, no server. Edit a component or style/main.css and trunk reloads this page."</p>
            <h2 class="section-title">"Project cards (every role, archived)"</h2>
            <ul class="project-grid">
                {cards.into_iter().map(|project| view! { <ProjectCard project/> }).collect_view()}
            </ul>
            <h2 class="section-title">"Error panels"</h2>
            <ErrorPanel error=AppError(ApiError::unauthenticated())/>
            <ErrorPanel error=AppError(ApiError::not_found())/>
            <ErrorPanel error=AppError(ApiError::new(ErrorCode::Unavailable, "the database is unavailable; try again shortly"))/>
            <h2 class="section-title">"Badges"</h2>
            <p>
                {Role::ALL.into_iter().map(|r| view! { <span class=format!("badge role-{}", r.as_str())>{r.label()}</span>" " }).collect_view()}
                <span class="badge archived">"Archived"</span>
            </p>
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Gallery);
}
