//! The collections sidebar: manual and smart collections with live counts, a builder for
//! smart ones (or "save this search"), and the trash.

use super::Filters;
use crate::api::organise::{create_collection, delete_collection, list_collections};
use leptos::prelude::*;
use model::collection::{CollectionDto, CollectionKind};
use serde_json::{json, Value};

/// The conditions the builder offers, as the filter language's JSON.
fn build_filter(min_rating: &str, media_type: &str, status: &str, label: &str, tag: &str, q: &str) -> Option<Value> {
    let mut all = Vec::new();
    match min_rating {
        "" => {}
        "reject" => all.push(json!({"field": "rating", "op": "eq", "value": -1})),
        n => all.push(json!({"field": "rating", "op": "gte", "value": n.parse::<i64>().unwrap_or(1)})),
    }
    if !media_type.is_empty() {
        all.push(json!({"field": "media_type", "op": "eq", "value": media_type}));
    }
    if !status.is_empty() {
        all.push(json!({"field": "status", "op": "eq", "value": status}));
    }
    if !label.is_empty() {
        all.push(json!({"field": "label", "op": "eq", "value": label}));
    }
    if !tag.trim().is_empty() {
        all.push(json!({"field": "tags", "op": "contains", "value": tag.trim()}));
    }
    if !q.trim().is_empty() {
        all.push(json!({"field": "text", "op": "contains", "value": q.trim()}));
    }
    (!all.is_empty()).then(|| json!({ "all": all }))
}

/// The builder's custom-field condition: the op each kind is asked with, and the value typed.
fn custom_condition(def: &model::custom_field::CustomFieldDto, raw: &str) -> Option<Value> {
    use model::custom_field::CustomKind;
    let field = format!("custom.{}", def.key);
    let raw = raw.trim();
    if def.kind == CustomKind::Checkbox {
        return Some(json!({"field": field, "op": "eq", "value": true}));
    }
    if raw.is_empty() {
        return None;
    }
    Some(match def.kind {
        CustomKind::Number => json!({"field": field, "op": "gte", "value": raw.parse::<f64>().ok()?}),
        CustomKind::Date => json!({"field": field, "op": "gte", "value": raw}),
        CustomKind::SingleSelect | CustomKind::Person => json!({"field": field, "op": "eq", "value": raw}),
        _ => json!({"field": field, "op": "contains", "value": raw}),
    })
}

/// The sidebar section.
#[component]
pub fn Collections(
    project: String,
    filters: Memo<Filters>,
    can_edit: bool,
    /// Bumped when collections or their members may have changed.
    changed: RwSignal<u32>,
) -> impl IntoView {
    let p = project.clone();
    let collections = Resource::new(move || changed.get(), move |_| list_collections(p.clone()));
    let building = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let (name, min_rating, media_type, status, label, tag) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let smart = RwSignal::new(true);
    let project_fields = super::custom_fields::ProjectFields::get();
    let (custom_key, custom_value) = (RwSignal::new(String::new()), RwSignal::new(String::new()));

    // Counts follow every change that can move an asset in or out.
    #[cfg(feature = "hydrate")]
    if let Ok(project_id) = project.parse::<model::ProjectId>() {
        let live = crate::live::Live::get();
        let sub = live.subscribe(project_id, None, None, move |msg| {
            use model::live::{kind, ServerMessage};
            let bump = match msg {
                ServerMessage::Event(e) => !matches!(e.kind.as_str(), kind::ASSET_PROGRESS | kind::REACTION_CHANGED),
                ServerMessage::Refetch { .. } => true,
                _ => false,
            };
            if bump {
                changed.update(|n| *n += 1);
            }
        });
        let sub = StoredValue::new_local(Some(sub));
        on_cleanup(move || sub.update_value(|s| drop(s.take())));
    }

    let project_save = project.clone();
    let save = Callback::new(move |_: ()| {
        let f = filters.get_untracked();
        let filter = if smart.get_untracked() {
            match build_filter(
                &min_rating.get_untracked(),
                &media_type.get_untracked(),
                &status.get_untracked(),
                &label.get_untracked(),
                &tag.get_untracked(),
                &f.q,
            ) {
                Some(mut filter) => {
                    let key = custom_key.get_untracked();
                    let def = project_fields.list.get_untracked().into_iter().find(|d| d.key == key);
                    if let Some(c) = def.and_then(|d| custom_condition(&d, &custom_value.get_untracked())) {
                        if let Some(all) = filter["all"].as_array_mut() {
                            all.push(c);
                        }
                    }
                    Some(filter)
                }
                None if !custom_key.get_untracked().is_empty() => {
                    let key = custom_key.get_untracked();
                    let def = project_fields.list.get_untracked().into_iter().find(|d| d.key == key);
                    match def.and_then(|d| custom_condition(&d, &custom_value.get_untracked())) {
                        Some(c) => Some(json!({ "all": [c] })),
                        None => {
                            error.set(Some("Give the field condition a value.".into()));
                            return;
                        }
                    }
                }
                None => {
                    error.set(Some("Choose at least one condition for a smart collection.".into()));
                    return;
                }
            }
        } else {
            None
        };
        let (project, n) = (project_save.clone(), name.get_untracked());
        leptos::task::spawn_local(async move {
            match create_collection(project.clone(), n, filter).await {
                Ok(c) => {
                    error.set(None);
                    building.set(false);
                    name.set(String::new());
                    changed.update(|n| *n += 1);
                    let href = filters.get_untracked().link(&project, |f| {
                        *f = Filters {
                            collection: c.id.to_string(),
                            list: f.list,
                            ..Filters::default()
                        }
                    });
                    let navigate = leptos_router::hooks::use_navigate();
                    navigate(&href, Default::default());
                }
                Err(e) => error.set(Some(e.message().to_owned())),
            }
        });
    });

    let (pa, pb) = (project.clone(), project.clone());
    view! {
        <h2 class="collections-title">
            "Collections"
            {can_edit.then(|| view! {
                <button type="button" class="small ghost" data-test-id="new-collection"
                        on:click=move |_| building.update(|b| *b = !*b)>"New"</button>
            })}
        </h2>
        {move || building.get().then(|| view! {
            <form class="collection-builder" data-test-id="collection-builder" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.run(()); }>
                <input type="text" required maxlength="200" placeholder="Collection name" aria-label="Collection name"
                       data-test-id="collection-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <div class="segmented">
                    <label><input type="radio" name="kind" checked=move || smart.get() on:change=move |_| smart.set(true) data-test-id="kind-smart"/>"Smart"</label>
                    <label><input type="radio" name="kind" checked=move || !smart.get() on:change=move |_| smart.set(false) data-test-id="kind-manual"/>"Manual"</label>
                </div>
                {move || smart.get().then(|| view! {
                    <label>"Rating"
                        <select data-test-id="rule-rating" on:change=move |ev| min_rating.set(event_target_value(&ev))>
                            <option value="">"Any"</option>
                            {(1..=5).map(|n| view! { <option value=n.to_string()>{format!("{} or more", "★".repeat(n))}</option> }).collect_view()}
                            <option value="reject">"Rejected"</option>
                        </select>
                    </label>
                    <label>"Type"
                        <select data-test-id="rule-type" on:change=move |ev| media_type.set(event_target_value(&ev))>
                            <option value="">"Any"</option>
                            <option value="image">"Photos"</option>
                            <option value="video">"Video"</option>
                            <option value="audio">"Audio"</option>
                        </select>
                    </label>
                    <label>"Status"
                        <select data-test-id="rule-status" on:change=move |ev| status.set(event_target_value(&ev))>
                            <option value="">"Any"</option>
                            {model::review::ReviewStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"Label"
                        <select data-test-id="rule-label" on:change=move |ev| label.set(event_target_value(&ev))>
                            <option value="">"Any"</option>
                            {model::review::ColorLabel::ALL.into_iter().map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"Tag"
                        <input type="text" maxlength="50" data-test-id="rule-tag" on:input=move |ev| tag.set(event_target_value(&ev))/>
                    </label>
                    {move || (!project_fields.list.get().is_empty()).then(|| view! {
                        <label>"Field"
                            <select data-test-id="rule-custom" on:change=move |ev| { custom_key.set(event_target_value(&ev)); custom_value.set(String::new()); }>
                                <option value="">"Any"</option>
                                {project_fields.list.get().into_iter().map(|d| view! { <option value=d.key.clone()>{d.label.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        {move || {
                            let key = custom_key.get();
                            project_fields.list.get().into_iter().find(|d| d.key == key).map(|d| {
                                use model::custom_field::CustomKind;
                                let hint = match d.kind {
                                    CustomKind::Number => "at least",
                                    CustomKind::Date => "on or after (YYYY-MM-DD)",
                                    CustomKind::Checkbox => "is ticked",
                                    CustomKind::SingleSelect | CustomKind::Person => "is",
                                    _ => "contains",
                                };
                                (d.kind != CustomKind::Checkbox).then(|| view! {
                                    <label>{format!("{} {hint}", d.label)}
                                        <input type="text" data-test-id="rule-custom-value" prop:value=move || custom_value.get()
                                            on:input=move |ev| custom_value.set(event_target_value(&ev))/>
                                    </label>
                                })
                            })
                        }}
                    })}
                    {move || (!filters.get().q.is_empty()).then(|| view! {
                        <p class="muted small">{format!("Also matching the search “{}”.", filters.get().q)}</p>
                    })}
                })}
                <button type="submit" class="primary small" data-test-id="save-collection">"Create"</button>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-test-id="collection-error">{e}</p> })}
            </form>
        })}
        <ul class="collection-list" data-test-id="collections">
            <Transition fallback=|| ()>
                {
                    let project = pa.clone();
                    move || {
                        let project = project.clone();
                        Suspend::new(async move {
                            collections.await.map(|all| {
                                all.into_iter().map(|c| view! { <CollectionLink c project=project.clone() filters can_edit changed/> }).collect_view()
                            })
                        })
                    }
                }
            </Transition>
        </ul>
        <a class="trash-link" href=move || filters.get().link(&pb, |f| *f = Filters { trash: true, list: f.list, ..Filters::default() })
           class:active=move || filters.get().trash data-test-id="trash-link">"Trash"</a>
     }
    .into_any()
}

#[component]
fn CollectionLink(
    c: CollectionDto,
    project: String,
    filters: Memo<Filters>,
    can_edit: bool,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let id = c.id.to_string();
    let (id_a, id_b, id_del) = (id.clone(), id.clone(), id.clone());
    let icon = match c.kind {
        CollectionKind::Smart => "collection-icon smart",
        CollectionKind::Manual => "collection-icon",
    };
    let name = c.name.clone();
    view! {
        <li>
            <a href=move || filters.get().link(&project, |f| *f = Filters { collection: id_a.clone(), list: f.list, ..Filters::default() })
               class:active=move || filters.get().collection == id_b
               data-test-id="collection-link" data-name=c.name.clone() data-kind=c.kind.as_str()>
                <span class=icon aria-hidden="true"></span>
                <span class="collection-name">{c.name.clone()}</span>
                <span class="muted small count" data-test-id="collection-count">{c.asset_count}</span>
            </a>
            {can_edit.then(|| view! {
                <button type="button" class="ghost tiny" title=format!("Delete collection {name}") aria-label=format!("Delete collection {name}")
                    data-test-id="delete-collection"
                    on:click=move |_| {
                        let id = id_del.clone();
                        leptos::task::spawn_local(async move {
                            if delete_collection(id).await.is_ok() {
                                changed.update(|n| *n += 1);
                            }
                        });
                    }>"×"</button>
            })}
        </li>
    }
}
