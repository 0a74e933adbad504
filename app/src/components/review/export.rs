//! Getting comments out and markers in, from the comment panel: download the comments shown
//! (the panel's open/resolved and person filters apply) as a PDF report, CSV, or markers for Resolve,
//! Premiere, Final Cut Pro or Avid; import a Resolve EDL or Avid locator file as comments.

use super::Review;
use leptos::prelude::*;
use model::asset::MediaType;
use model::Action;

/// The formats offered: (value, label, video only).
const FORMATS: [(&str, &str, bool); 6] = [
    ("pdf", "PDF report (with frame grabs)", false),
    ("csv", "CSV (spreadsheet)", false),
    ("edl", "DaVinci Resolve (EDL markers)", true),
    ("xmeml", "Premiere Pro (XML)", true),
    ("fcpxml", "Final Cut Pro (FCPXML)", true),
    ("avid", "Avid Media Composer (locators)", true),
];

/// The export links and the import form. `resolved` and `author` are the panel's filters.
#[component]
pub fn CommentExport(resolved: Signal<Option<bool>>, author: Signal<Option<String>>, version: i32) -> impl IntoView {
    let review = Review::get();
    let asset = review.asset.with_value(|a| a.id);
    let video = review.asset.with_value(|a| a.media_type == MediaType::Video);
    let href = move |format: &str| {
        let mut url = format!("/api/v1/assets/{asset}/comments/export?format={format}&version={version}");
        if let Some(r) = resolved.get() {
            url.push_str(&format!("&resolved={r}"));
        }
        if let Some(a) = author.get() {
            url.push_str(&format!("&author={}", js_encode(&a)));
        }
        url
    };
    view! {
        <details class="export-menu" data-test-id="comment-export">
            <summary class="small">"Export"</summary>
            <ul class="plain">
                {FORMATS.into_iter().filter(|f| video || !f.2).map(|(format, label, _)| view! {
                    <li><a href=move || href(format) download data-test-id=format!("export-{format}")>{label}</a></li>
                }).collect_view()}
            </ul>
            {(video && review.can(Action::Comment)).then(|| view! { <ImportMarkers version/> })}
        </details>
    }
}

fn js_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A file input: the chosen marker file becomes comments (all or nothing, errors shown).
#[component]
fn ImportMarkers(version: i32) -> impl IntoView {
    let review = Review::get();
    let format = RwSignal::new("edl".to_owned());
    let note = RwSignal::new(None::<Result<usize, String>>);
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let asset = review.asset.with_value(|a| a.id.to_string());
            let fmt = format.get_untracked();
            leptos::task::spawn_local(async move {
                let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(t) => t.as_string().unwrap_or_default(),
                    Err(_) => {
                        note.set(Some(Err("the file could not be read".into())));
                        return;
                    }
                };
                match crate::api::exports::import_markers(asset, version, fmt, text).await {
                    Ok(made) => {
                        let n = made.len();
                        for c in made {
                            review.upsert(c);
                        }
                        note.set(Some(Ok(n)));
                    }
                    Err(e) => note.set(Some(Err(e.message().to_owned()))),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, review, version);
    };
    view! {
        <div class="import-markers">
            <label class="small">"Import markers "
                <select data-test-id="import-format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="edl">"Resolve EDL"</option>
                    <option value="avid">"Avid locators"</option>
                </select>
            </label>
            <input type="file" accept=".edl,.txt,text/plain" data-test-id="import-file" on:change=on_file/>
            {move || note.get().map(|r| match r {
                Ok(n) => view! { <p class="note small" role="status" data-test-id="import-done">{format!("{n} comment(s) imported")}</p> }.into_any(),
                Err(m) => view! { <p class="form-error" role="alert" data-test-id="import-error">{m}</p> }.into_any(),
            })}
        </div>
    }
}
