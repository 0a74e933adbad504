//! The project's custom fields: the sidebar list where editors define and remove them, and
//! the context other parts of the library read them from (side panel, columns, builder).

use crate::api::fields::{create_field, delete_field, list_fields, list_people};
use leptos::prelude::*;
use model::custom_field::{CustomFieldDto, CustomKind};

/// The project's custom fields, shared by the library's parts.
#[derive(Clone, Copy)]
pub struct ProjectFields {
    /// The definitions, in form order.
    pub list: RwSignal<Vec<CustomFieldDto>>,
    /// Bumped to reload them.
    pub changed: RwSignal<u32>,
    /// The project's members (for person fields).
    pub people: RwSignal<Vec<model::review::Person>>,
}

impl ProjectFields {
    /// Loads the project's fields into a new context.
    pub fn provide(project: String) -> ProjectFields {
        let fields = ProjectFields {
            list: RwSignal::new(Vec::new()),
            changed: RwSignal::new(0),
            people: RwSignal::new(Vec::new()),
        };
        // Fetched in the browser only: the grid does not wait for them on the server.
        let (p, project_for_live) = (project.clone(), project.clone());
        let loaded = LocalResource::new(move || {
            fields.changed.track();
            list_fields(p.clone())
        });
        let people = LocalResource::new(move || list_people(project.clone()));
        Effect::new(move |_| {
            if let Some(Ok(list)) = loaded.get() {
                fields.list.set(list);
            }
        });
        Effect::new(move |_| {
            if let Some(Ok(list)) = people.get() {
                fields.people.set(list);
            }
        });
        // Definitions changed in another browser arrive live.
        #[cfg(feature = "hydrate")]
        if let Ok(project_id) = project_for_live.parse::<model::ProjectId>() {
            let live = crate::live::Live::get();
            let sub = live.subscribe(project_id, None, None, move |msg| {
                use model::live::{kind, ServerMessage};
                let reload = match msg {
                    ServerMessage::Event(e) => e.kind == kind::FIELDS_CHANGED,
                    ServerMessage::Refetch { .. } => true,
                    _ => false,
                };
                if reload {
                    fields.changed.update(|n| *n += 1);
                }
            });
            let sub = StoredValue::new_local(Some(sub));
            on_cleanup(move || sub.update_value(|s| drop(s.take())));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = project_for_live;
        provide_context(fields);
        fields
    }

    /// The library's fields (inside the library).
    pub fn get() -> ProjectFields {
        expect_context::<ProjectFields>()
    }
}

/// The sidebar section: the fields, and (for editors) a form to add one.
#[component]
pub fn CustomFields(project: String, can_edit: bool) -> impl IntoView {
    let fields = ProjectFields::get();
    let adding = RwSignal::new(false);
    let label = RwSignal::new(String::new());
    let kind = RwSignal::new(CustomKind::Text);
    let options = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opts: Vec<String> = options
            .get_untracked()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let (project, l, k) = (project.clone(), label.get_untracked(), kind.get_untracked());
        leptos::task::spawn_local(async move {
            match create_field(project, l, k, opts).await {
                Ok(_) => {
                    error.set(None);
                    label.set(String::new());
                    options.set(String::new());
                    adding.set(false);
                    fields.changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        });
    };
    let remove = move |id: String| {
        leptos::task::spawn_local(async move {
            match delete_field(id).await {
                Ok(()) => {
                    error.set(None);
                    fields.changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        });
    };
    view! {
        <h2 class="collections-title">
            "Fields"
            {can_edit.then(|| view! {
                <button type="button" class="small ghost" data-test-id="new-field" on:click=move |_| adding.update(|a| *a = !*a)>"New"</button>
            })}
        </h2>
        {move || adding.get().then(|| view! {
            <form class="collection-builder" data-test-id="field-builder" on:submit=save.clone()>
                <input type="text" required maxlength="100" placeholder="Field name" aria-label="Field name" data-test-id="field-label"
                       prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                <label>"Type"
                    <select data-test-id="field-kind" on:change=move |ev| kind.set(CustomKind::parse(&event_target_value(&ev)).unwrap_or(CustomKind::Text))>
                        {CustomKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                {move || kind.get().has_options().then(|| view! {
                    <label>"Options (comma-separated)"
                        <input type="text" data-test-id="field-options" prop:value=move || options.get() on:input=move |ev| options.set(event_target_value(&ev))/>
                    </label>
                })}
                <button type="submit" class="primary small" data-test-id="save-field">"Add field"</button>
            </form>
        })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test-id="field-error">{e}</p> })}
        <ul class="collection-list" data-test-id="custom-fields">
            {move || fields.list.get().into_iter().map(|f| {
                let id = f.id.to_string();
                let label = f.label.clone();
                view! {
                    <li data-test-id="custom-field" data-key=f.key.clone()>
                        <span class="collection-name">{f.label.clone()}</span>
                        <span class="muted small">{f.kind.label()}</span>
                        {can_edit.then(|| view! {
                            <button type="button" class="ghost tiny" aria-label=format!("Remove field {label}") data-test-id="delete-field"
                                on:click=move |_| remove(id.clone())>"×"</button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// An input for one custom field's value, by its kind; `value` holds the JSON to save.
#[component]
pub fn CustomInput(field: CustomFieldDto, value: RwSignal<serde_json::Value>) -> impl IntoView {
    let people = ProjectFields::get().people.get_untracked();
    use serde_json::Value;
    let test_id = format!("custom-{}", field.key);
    let text = move || match value.get() {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let set_text = move |ev: leptos::ev::Event| value.set(Value::String(event_target_value(&ev)));
    let input = match field.kind {
        CustomKind::Text => view! { <input type="text" maxlength="500" data-test-id=test_id prop:value=text on:input=set_text/> }.into_any(),
        CustomKind::Url => view! { <input type="url" maxlength="2000" placeholder="https://" data-test-id=test_id prop:value=text on:input=set_text/> }.into_any(),
        CustomKind::Number => view! { <input type="number" step="any" data-test-id=test_id prop:value=text on:input=set_text/> }.into_any(),
        CustomKind::Date => view! { <input type="date" data-test-id=test_id prop:value=text on:input=set_text/> }.into_any(),
        CustomKind::Checkbox => view! {
            <input type="checkbox" data-test-id=test_id prop:checked=move || value.get() == Value::Bool(true)
                on:change=move |ev| value.set(Value::Bool(event_target_checked(&ev)))/>
        }.into_any(),
        CustomKind::SingleSelect => {
            let options = field.options.clone();
            view! {
                <select data-test-id=test_id on:change=set_text>
                    <option value="" selected=move || text().is_empty()>"—"</option>
                    {options.into_iter().map(|o| {
                        let (o1, o2) = (o.clone(), o.clone());
                        view! { <option value=o1 selected=move || text() == o2>{o}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        CustomKind::Person => view! {
            <select data-test-id=test_id on:change=set_text>
                <option value="" selected=move || text().is_empty()>"—"</option>
                {people.into_iter().map(|p| {
                    let id = p.id.to_string();
                    let id2 = id.clone();
                    view! { <option value=id selected=move || text() == id2>{p.name.clone()}</option> }
                }).collect_view()}
            </select>
        }.into_any(),
        CustomKind::MultiSelect => {
            let options = field.options.clone();
            view! {
                <span class="multi" data-test-id=test_id>
                    {options.into_iter().map(|o| {
                        let (o1, o2) = (o.clone(), o.clone());
                        view! {
                            <label class="check"><input type="checkbox"
                                prop:checked=move || value.with(|v| v.as_array().is_some_and(|a| a.iter().any(|x| x.as_str() == Some(o1.as_str()))))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    value.update(|v| {
                                        let mut list: Vec<Value> = v.as_array().cloned().unwrap_or_default();
                                        list.retain(|x| x.as_str() != Some(o2.as_str()));
                                        if on { list.push(Value::String(o2.clone())); }
                                        *v = Value::Array(list);
                                    });
                                }/>{o}</label>
                        }
                    }).collect_view()}
                </span>
            }.into_any()
        }
    };
    view! { <label>{field.label.clone()} {input}</label> }
}
