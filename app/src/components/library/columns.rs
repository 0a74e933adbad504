//! List view columns: which fields a row can show, how each is written, and the chooser.
//! The choice is remembered per project in the browser.

use super::custom_fields::ProjectFields;
use super::format;
use leptos::prelude::*;
use model::asset::AssetSummary;
use model::custom_field::CustomFieldDto;

/// Columns shown until someone chooses.
pub const DEFAULT: [&str; 6] = [
    "rating",
    "review_status",
    "duration",
    "dimensions",
    "size",
    "created_at",
];

/// The built-in columns: (key, label).
pub const BUILT_IN: [(&str, &str); 26] = [
    ("rating", "Rating"),
    ("review_status", "Status"),
    ("label", "Label"),
    ("picked", "Pick"),
    ("tags", "Tags"),
    ("platforms", "Platforms"),
    ("due_date", "Due"),
    ("description", "Description"),
    ("title", "Title"),
    ("client", "Client"),
    ("campaign", "Campaign"),
    ("creator", "Creator"),
    ("shot", "Shot"),
    ("scene", "Scene"),
    ("take", "Take"),
    ("reel", "Reel"),
    ("duration", "Duration"),
    ("dimensions", "Dimensions"),
    ("frame_rate", "Frame rate"),
    ("video_codec", "Codec"),
    ("camera", "Camera"),
    ("lens", "Lens"),
    ("iso", "ISO"),
    ("captured_at", "Captured"),
    ("size", "Size"),
    ("created_at", "Uploaded"),
];

/// The chosen columns of the library (a context).
#[derive(Clone, Copy)]
pub struct ListColumns(pub RwSignal<Vec<String>>);

fn storage_key(project: &str) -> String {
    format!("dailies.columns.{project}")
}

impl ListColumns {
    /// The remembered choice for `project` (the defaults on the server and at first).
    pub fn provide(project: &str) -> ListColumns {
        let cols = ListColumns(RwSignal::new(DEFAULT.iter().map(|s| s.to_string()).collect()));
        #[cfg(feature = "hydrate")]
        {
            let key = storage_key(project);
            Effect::new(move |first: Option<()>| {
                if first.is_none() {
                    let saved = window()
                        .local_storage()
                        .ok()
                        .flatten()
                        .and_then(|s| s.get_item(&key).ok().flatten())
                        .and_then(|v| serde_json::from_str::<Vec<String>>(&v).ok());
                    if let Some(saved) = saved {
                        cols.0.set(saved);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = storage_key(project);
        provide_context(cols);
        cols
    }

    /// Turns `key` on or off and remembers the choice.
    pub fn toggle(&self, project: &str, key: &str, on: bool) {
        self.0.update(|c| {
            c.retain(|k| k != key);
            if on {
                c.push(key.to_owned());
            }
        });
        #[cfg(feature = "hydrate")]
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = s.set_item(
                &storage_key(project),
                &serde_json::to_string(&self.0.get_untracked()).unwrap_or_default(),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = project;
    }
}

/// Every column the project offers: the built-in ones, then its custom fields.
pub fn available(defs: &[CustomFieldDto]) -> Vec<(String, String)> {
    BUILT_IN
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string()))
        .chain(defs.iter().map(|d| (format!("custom.{}", d.key), d.label.clone())))
        .collect()
}

/// The label of column `key`.
pub fn label(key: &str, defs: &[CustomFieldDto]) -> String {
    available(defs)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, l)| l)
        .unwrap_or_else(|| key.to_owned())
}

/// Column `key` of `a`, as text (empty when unset).
pub fn value(key: &str, a: &AssetSummary, defs: &[CustomFieldDto], people: &[model::review::Person]) -> String {
    let d = a.detail.as_deref();
    let m = d.map(|d| &d.metadata);
    let f = d.map(|d| &d.fields);
    let opt = |v: Option<String>| v.unwrap_or_default();
    match key {
        "rating" => match a.rating {
            -1 => "Rejected".into(),
            0 => String::new(),
            r => "★".repeat(r as usize),
        },
        "review_status" => a.review_status.label().to_owned(),
        "label" => opt(a.label.map(|l| l.as_str().to_owned())),
        "picked" => {
            if d.is_some_and(|d| d.picked) {
                "Pick".into()
            } else {
                String::new()
            }
        }
        "tags" => a.tags.join(", "),
        "platforms" => opt(f.map(|f| f.platforms.join(", "))),
        "due_date" => opt(a.due_date.map(|d| d.to_string())),
        "description" => opt(f.map(|f| f.description.chars().take(80).collect())),
        "duration" => opt(a.duration_seconds.map(format::duration)),
        "dimensions" => opt(a.width.zip(a.height).map(|(w, h)| format!("{w} × {h}"))),
        "frame_rate" => opt(m
            .and_then(|m| m.frame_rate)
            .map(|r| format!("{:.3}", f64::from(r.num()) / f64::from(r.den())))),
        "video_codec" => opt(m.and_then(|m| m.video_codec.clone())),
        "camera" => opt(m.and_then(|m| m.camera_model.clone().or(m.camera_make.clone()))),
        "lens" => opt(m.and_then(|m| m.lens.clone())),
        "iso" => opt(m.and_then(|m| m.iso).map(|v| v.to_string())),
        "captured_at" => opt(m
            .and_then(|m| m.captured_at.clone())
            .map(|c| c.replace('T', " ").chars().take(16).collect())),
        "size" => format::size(a.size),
        "created_at" => a.created_at.format("%Y-%m-%d %H:%M").to_string(),
        custom if custom.starts_with("custom.") => {
            let k = &custom["custom.".len()..];
            let (Some(def), Some(v)) = (defs.iter().find(|d| d.key == k), f.and_then(|f| f.custom.get(k))) else {
                return String::new();
            };
            if def.kind == model::custom_field::CustomKind::Person {
                let id = v.as_str().unwrap_or_default();
                return people
                    .iter()
                    .find(|p| p.id.to_string() == id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
            }
            def.display(v)
        }
        info => opt(f.and_then(|f| f.info.get(info).cloned())),
    }
}

/// The header of the list view: the chosen columns, and a menu to choose them.
#[component]
pub fn ListHeader(project: String) -> impl IntoView {
    let cols = expect_context::<ListColumns>();
    let fields = ProjectFields::get();
    view! {
        <div class="list-header" data-test-id="list-header">
            <span class="list-header-name">"Name"</span>
            {move || {
                let defs = fields.list.get();
                cols.0.get().into_iter().map(|k| view! { <span class="col" data-col=k.clone()>{label(&k, &defs)}</span> }).collect_view()
            }}
            <details class="columns-menu">
                <summary class="small" data-test-id="columns-button">"Columns"</summary>
                <div class="columns-choices panel">
                    {move || {
                        let project = project.clone();
                        available(&fields.list.get()).into_iter().map(|(k, l)| {
                            let (k1, k2, p) = (k.clone(), k.clone(), project.clone());
                            view! {
                                <label class="check"><input type="checkbox" data-test-id=format!("column-{k}")
                                    prop:checked=move || cols.0.with(|c| c.contains(&k1))
                                    on:change=move |ev| cols.toggle(&p, &k2, event_target_checked(&ev))/>{l}</label>
                            }
                        }).collect_view()
                    }}
                </div>
            </details>
        </div>
    }
}
