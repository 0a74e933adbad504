//! The bulk bar: what to do with the selected assets, each in one request and one
//! transaction on the server.

use super::Filters;
use crate::api::assets::list_folders;
use crate::api::organise::{
    add_to_collection, bulk_edit, list_collections, remove_from_collection, view_ids, BulkChange,
};
use leptos::prelude::*;
use model::collection::CollectionKind;
use model::review::{ColorLabel, ReviewStatus};

/// The bar, shown while anything is selected.
#[component]
pub fn BulkBar(
    project: String,
    filters: Memo<Filters>,
    picked: RwSignal<Vec<String>>,
    refresh: RwSignal<u32>,
    collections_changed: RwSignal<u32>,
    can_edit: bool,
    can_rate: bool,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let p = project.clone();
    let folders = Resource::new(|| (), move |_| list_folders(p.clone()));
    let p = project.clone();
    let collections = Resource::new(move || collections_changed.get(), move |_| list_collections(p.clone()));

    let run = move |edit: BulkChange, done: &'static str| {
        let ids = picked.get_untracked();
        if ids.is_empty() {
            return;
        }
        busy.set(true);
        let clears = matches!(
            edit,
            BulkChange::Delete | BulkChange::Restore | BulkChange::Purge | BulkChange::Move { .. }
        );
        leptos::task::spawn_local(async move {
            match bulk_edit(ids, edit).await {
                Ok(r) => {
                    let n = r.updated;
                    message.set(Some((
                        false,
                        format!("{done} {n} item{}", if n == 1 { "" } else { "s" }),
                    )));
                    if clears {
                        picked.set(Vec::new());
                    }
                    refresh.update(|n| *n += 1);
                    collections_changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((true, e.message().to_owned()))),
            }
            busy.set(false);
        });
    };
    let project_all = project.clone();
    let project_share = project.clone();
    let select_all = move |_| {
        let (project, view) = (project_all.clone(), filters.get_untracked());
        leptos::task::spawn_local(async move {
            match view_ids(project, view).await {
                Ok(ids) => picked.set(ids),
                Err(e) => message.set(Some((true, e.message().to_owned()))),
            }
        });
    };
    let tag = RwSignal::new(String::new());

    view! {
        <div class="bulk-bar" class:hidden=move || picked.with(Vec::is_empty) data-test-id="bulk-bar" role="toolbar" aria-label="Selected items">
            <strong data-test-id="selected-count">{move || { let n = picked.with(Vec::len); format!("{n} selected") }}</strong>
            <button type="button" class="small ghost" on:click=select_all data-test-id="select-all">"Select all"</button>
            <button type="button" class="small ghost" on:click=move |_| picked.set(Vec::new()) data-test-id="select-none">"Clear"</button>
            {move || {
                let ids = picked.get();
                (2..=4).contains(&ids.len()).then(|| view! {
                    <a class="button small" href=format!("/compare?assets={}", ids.join(",")) data-test-id="bulk-compare">"Compare"</a>
                })
            }}
            {move || {
                if filters.get().trash {
                    return view! {
                        <button type="button" class="small primary" disabled=move || busy.get() data-test-id="bulk-restore"
                            on:click=move |_| run(BulkChange::Restore, "Restored")>"Restore"</button>
                        <button type="button" class="small danger" disabled=move || busy.get() data-test-id="bulk-purge"
                            on:click=move |_| run(BulkChange::Purge, "Deleted for good")>"Delete forever"</button>
                    }.into_any();
                }
                view! {
                    {can_rate.then(|| view! {
                        <span class="bulk-stars" role="group" aria-label="Rating">
                            {(1..=5).map(|n: i16| view! {
                                <button type="button" class="small ghost" title=format!("{n} stars") data-test-id=format!("bulk-rate-{n}")
                                    disabled=move || busy.get() on:click=move |_| run(BulkChange::Rating { rating: n }, "Rated")>{"★".repeat(n as usize)}</button>
                            }).collect_view()}
                            <button type="button" class="small ghost" title="Clear rating" data-test-id="bulk-rate-0"
                                on:click=move |_| run(BulkChange::Rating { rating: 0 }, "Cleared the rating of")>"☆"</button>
                            <button type="button" class="small ghost" title="Reject" data-test-id="bulk-reject"
                                on:click=move |_| run(BulkChange::Rating { rating: model::review::REJECTED }, "Rejected")>"✕"</button>
                        </span>
                        <select aria-label="Set status" data-test-id="bulk-status" on:change=move |ev| {
                            if let Some(status) = ReviewStatus::parse(&event_target_value(&ev)) {
                                run(BulkChange::Status { status }, "Set the status of");
                            }
                        }>
                            <option value="">"Status…"</option>
                            {ReviewStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                        </select>
                        <select aria-label="Set label" data-test-id="bulk-label" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if v.is_empty() { return; }
                            let label = ColorLabel::ALL.into_iter().find(|l| l.as_str() == v);
                            run(BulkChange::Label { label }, "Labelled");
                        }>
                            <option value="">"Label…"</option>
                            {ColorLabel::ALL.into_iter().map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> }).collect_view()}
                            <option value="none">"No label"</option>
                        </select>
                    })}
                    {can_edit.then(|| view! {
                        <form class="bulk-tag" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            let t = tag.get_untracked();
                            if !t.trim().is_empty() {
                                run(BulkChange::Tags { add: vec![t], remove: vec![] }, "Tagged");
                                tag.set(String::new());
                            }
                        }>
                            <input type="text" maxlength="50" placeholder="Add tag" aria-label="Add tag" data-test-id="bulk-tag"
                                prop:value=move || tag.get() on:input=move |ev| tag.set(event_target_value(&ev))/>
                        </form>
                        <select aria-label="Move to folder" data-test-id="bulk-move" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if v == "-" { return; }
                            run(BulkChange::Move { folder: v }, "Moved");
                        }>
                            <option value="-">"Move to…"</option>
                            <option value="">"Not in a folder"</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    folders.await.map(|all| all.into_iter().map(|f| view! { <option value=f.id.to_string()>{f.name}</option> }).collect_view())
                                })}
                            </Transition>
                        </select>
                        <select aria-label="Add to collection" data-test-id="bulk-collect" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if v.is_empty() { return; }
                            let ids = picked.get_untracked();
                            leptos::task::spawn_local(async move {
                                match add_to_collection(v, ids).await {
                                    Ok(c) => {
                                        message.set(Some((false, format!("Added to {} ({} items)", c.name, c.asset_count))));
                                        collections_changed.update(|n| *n += 1);
                                    }
                                    Err(e) => message.set(Some((true, e.message().to_owned()))),
                                }
                            });
                        }>
                            <option value="">"Add to collection…"</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    collections.await.map(|all| all.into_iter().filter(|c| c.kind == CollectionKind::Manual)
                                        .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view())
                                })}
                            </Transition>
                        </select>
                        {move || {
                            let c = filters.get().collection;
                            (!c.is_empty()).then(|| view! {
                                <button type="button" class="small ghost" data-test-id="bulk-uncollect" on:click=move |_| {
                                    let (id, ids) = (c.clone(), picked.get_untracked());
                                    leptos::task::spawn_local(async move {
                                        match remove_from_collection(id, ids).await {
                                            Ok(_) => {
                                                picked.set(Vec::new());
                                                refresh.update(|n| *n += 1);
                                                collections_changed.update(|n| *n += 1);
                                            }
                                            Err(e) => message.set(Some((true, e.message().to_owned()))),
                                        }
                                    });
                                }>"Remove from collection"</button>
                            })
                        }}
                        <SetField run=Callback::new(move |edit: BulkChange| run(edit, "Updated"))/>
                        <super::share::ShareSelected project=project_share.clone() picked/>
                        <super::export::ExportSelected project=project_share.clone() picked/>
                        <super::clone::CloneButton project=project_share.clone() what=super::clone::Copying::Assets(picked)/>
                        <button type="button" class="small danger" disabled=move || busy.get() data-test-id="bulk-delete"
                            on:click=move |_| run(BulkChange::Delete, "Moved to the trash")>"Delete"</button>
                    })}
                }.into_any()
            }}
            // A plain form: the browser downloads the streamed archive itself.
            <form method="post" action="/api/v1/assets/download.zip" class="inline bulk-download" data-test-id="bulk-download-form">
                <input type="hidden" name="ids" prop:value=move || picked.get().join(",")/>
                <select name="files" class="small" aria-label="Download what" data-test-id="bulk-download-files">
                    <option value="original">"Originals"</option>
                    <option value="proxy">"Previews and proxies"</option>
                    <option value="xmp">"XMP sidecars (Lightroom)"</option>
                </select>
                <button type="submit" class="small" data-test-id="bulk-download">"Download ZIP"</button>
            </form>
            {move || message.get().map(|(error, text)| view! {
                <span class=if error { "form-error" } else { "muted small" } role=if error { "alert" } else { "status" } data-test-id="bulk-message">{text}</span>
            })}
        </div>
     }
    .into_any()
}

/// "Set field": one text or custom field to the same value on every selected asset.
#[component]
fn SetField(run: Callback<BulkChange>) -> impl IntoView {
    let fields = super::custom_fields::ProjectFields::get();
    let name = RwSignal::new(String::new());
    let value = RwSignal::new(serde_json::Value::Null);
    let text_fields = model::fields::INFO_FIELDS;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        if !n.is_empty() {
            run.run(BulkChange::Field {
                name: n,
                value: value.get_untracked(),
            });
        }
    };
    view! {
        <form class="bulk-field" on:submit=submit data-test-id="bulk-field">
            <select aria-label="Field to set" data-test-id="bulk-field-name" on:change=move |ev| {
                name.set(event_target_value(&ev));
                value.set(serde_json::Value::Null);
            }>
                <option value="">"Set field…"</option>
                {text_fields.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                {move || fields.list.get().into_iter().map(|d| view! { <option value=format!("custom.{}", d.key)>{d.label.clone()}</option> }).collect_view()}
            </select>
            {move || {
                let n = name.get();
                match n.strip_prefix("custom.").and_then(|k| fields.list.get().into_iter().find(|d| d.key == k)) {
                    Some(def) => view! { <super::custom_fields::CustomInput field=def value/> }.into_any(),
                    None if n.is_empty() => ().into_any(),
                    None => view! {
                        <input type="text" maxlength="500" aria-label="Value" data-test-id="bulk-field-value"
                            on:input=move |ev| value.set(serde_json::Value::String(event_target_value(&ev)))/>
                    }.into_any(),
                }
            }}
            {move || (!name.get().is_empty()).then(|| view! { <button type="submit" class="small" data-test-id="bulk-field-apply">"Apply"</button> })}
        </form>
    }
}
