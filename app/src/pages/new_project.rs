//! `/projects/new`.

use crate::api::projects::CreateProject;
use crate::components::errors::ActionError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The new-project form; on success the server redirects to the project.
#[component]
pub fn NewProject() -> impl IntoView {
    let action = ServerAction::<CreateProject>::new();
    view! {
        <Title text="New project · Dailies"/>
        <section class="panel narrow">
            <h1>"New project"</h1>
            <ActionForm action>
                <label>"Name"
                    <input type="text" name="name" required maxlength="200" data-test-id="project-name" autofocus/>
                </label>
                <label>"Description"
                    <textarea name="description" rows="4" maxlength="5000" data-test-id="project-description"></textarea>
                </label>
                <ActionError value=action.value()/>
                <div class="actions">
                    <a href="/projects" class="button">"Cancel"</a>
                    <button type="submit" class="primary" data-test-id="create-project">"Create project"</button>
                </div>
            </ActionForm>
        </section>
    }
}
