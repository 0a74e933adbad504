//! `/projects`: the caller's projects, with a live filter.

use crate::api::projects::list_projects;
use crate::components::errors::ErrorPanel;
use crate::components::project_card::ProjectCard;
use leptos::prelude::*;
use leptos_meta::Title;
use model::dto::ProjectDto;

/// The project list.
#[component]
pub fn ProjectList() -> impl IntoView {
    let projects = Resource::new(|| (), |_| list_projects());
    let filter = RwSignal::new(String::new());
    view! {
        <Title text="Projects · Dailies"/>
        <div class="page-head">
            <h1>"Projects"</h1>
            <input
                type="search" class="filter" placeholder="Filter projects" aria-label="Filter projects"
                data-test-id="project-filter"
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <a class="button primary" href="/projects/new" data-test-id="new-project">"New project"</a>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading projects…"</p> }>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="panel empty" data-test-id="no-projects">
                            <h2>"No projects yet"</h2>
                            <p>"A project holds the footage and stills you review with your team and clients."</p>
                            <a class="button primary" href="/projects/new">"Create your first project"</a>
                        </div>
                    }
                    .into_any(),
                    Ok(list) => view! { <ProjectGrid list filter/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProjectGrid(list: Vec<ProjectDto>, filter: RwSignal<String>) -> impl IntoView {
    let list = StoredValue::new(list);
    let visible = move |archived: bool| {
        let needle = filter.get().to_lowercase();
        list.get_value()
            .into_iter()
            .filter(|p| p.archived == archived)
            .filter(|p| needle.is_empty() || p.name.to_lowercase().contains(&needle))
            .collect::<Vec<_>>()
    };
    view! {
        <ul class="project-grid" data-test-id="project-list">
            <For each=move || visible(false) key=|p| p.id let:p>
                <ProjectCard project=p/>
            </For>
        </ul>
        <Show when=move || !visible(true).is_empty()>
            <h2 class="section-title">"Archived"</h2>
            <ul class="project-grid archived">
                <For each=move || visible(true) key=|p| p.id let:p>
                    <ProjectCard project=p/>
                </For>
            </ul>
        </Show>
        <Show when=move || visible(false).is_empty() && visible(true).is_empty()>
            <p class="muted" data-test-id="no-match">"No project matches “" {move || filter.get()} "”."</p>
        </Show>
    }
}
