//! "Share": a review link to the selected assets (the bulk bar), or to the folder or
//! collection on screen (the toolbar), with its password, expiry, downloads, comments,
//! approvals and watermark, shown ready to copy.

use crate::api::shares::{create_share, ShareOptions, ShareTarget};
use leptos::prelude::*;
use model::share::ShareDownload;

/// "Share" in the bulk bar: a link to the selected assets.
#[component]
pub fn ShareSelected(project: String, picked: RwSignal<Vec<String>>) -> impl IntoView {
    let target = Signal::derive(move || ShareTarget::Assets(picked.get()));
    view! { <ShareButton project target label="Share" test_id="bulk-share"/> }
}

/// The button and its form, for whatever `target` says.
#[component]
pub fn ShareButton(
    project: String,
    target: Signal<ShareTarget>,
    label: &'static str,
    test_id: &'static str,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let days = RwSignal::new(0u32);
    let download = RwSignal::new(ShareDownload::None);
    let comments = RwSignal::new(true);
    let show_comments = RwSignal::new(true);
    let approvals = RwSignal::new(false);
    let watermark = RwSignal::new(false);
    let watermark_text = RwSignal::new(String::new());
    let made = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (project, target) = (project.clone(), target.get_untracked());
        let pw = Some(password.get_untracked()).filter(|p| !p.is_empty());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let options = ShareOptions {
                password: pw,
                expires_in_days: Some(days.get_untracked()),
                download: download.get_untracked(),
                comments: comments.get_untracked(),
                show_comments: show_comments.get_untracked(),
                approvals: approvals.get_untracked(),
                watermark: watermark.get_untracked().then(|| watermark_text.get_untracked()),
            };
            let r = create_share(project, target, options).await;
            made.set(Some(match r {
                Ok(s) => Ok(format!("{}{}", origin(), s.url)),
                Err(e) => Err(e.message().to_owned()),
            }));
            busy.set(false);
        });
    };
    view! {
        <button type="button" class="small" data-test-id=test_id on:click=move |_| { made.set(None); open.update(|o| *o = !*o) }>{label}</button>
        <Show when=move || open.get()>
            <form class="share-form panel" on:submit=submit.clone() data-test-id="share-form">
                <label>"Password (optional)"
                    <input type="password" minlength="8" maxlength="200" autocomplete="new-password" data-test-id="share-form-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/></label>
                <label>"Expires"
                    <select data-test-id="share-form-expiry" on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"Never"</option>
                        <option value="1">"In a day"</option>
                        <option value="7">"In a week"</option>
                        <option value="30">"In 30 days"</option>
                    </select></label>
                <label>"Downloads"
                    <select data-test-id="share-form-download" on:change=move |ev| download.set(
                        ShareDownload::parse(&event_target_value(&ev)).unwrap_or_default())>
                        <option value="none">"None"</option>
                        <option value="proxy">"Proxies and previews"</option>
                        <option value="original">"Originals"</option>
                    </select></label>
                <label class="check"><input type="checkbox" prop:checked=move || comments.get()
                    on:change=move |ev| comments.set(event_target_checked(&ev))/> "Guests may comment"</label>
                <label class="check"><input type="checkbox" data-test-id="share-form-show-comments" prop:checked=move || show_comments.get()
                    on:change=move |ev| show_comments.set(event_target_checked(&ev))/> "Guests see each other's comments"</label>
                <label class="check"><input type="checkbox" data-test-id="share-form-approvals" prop:checked=move || approvals.get()
                    on:change=move |ev| approvals.set(event_target_checked(&ev))/> "Guests may approve or request changes"</label>
                <label class="check"><input type="checkbox" data-test-id="share-form-watermark" prop:checked=move || watermark.get()
                    on:change=move |ev| watermark.set(event_target_checked(&ev))/> "Watermark what guests see"</label>
                <Show when=move || watermark.get()>
                    <label>"Watermark text (the reviewer's name or e-mail; the date is added)"
                        <input type="text" maxlength="120" required placeholder="ana@client.com" data-test-id="share-form-watermark-text"
                            prop:value=move || watermark_text.get() on:input=move |ev| watermark_text.set(event_target_value(&ev))/></label>
                </Show>
                <button type="submit" class="primary small" disabled=move || busy.get() data-test-id="share-create">"Create link"</button>
                {move || made.get().map(|r| match r {
                    Ok(url) => view! {
                        <label>"Link" <input type="text" readonly value=url data-test-id="share-url" on:focus=|ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                        }/></label>
                    }.into_any(),
                    Err(message) => view! { <p class="form-error" role="alert" data-test-id="share-error">{message}</p> }.into_any(),
                })}
            </form>
        </Show>
    }
}

fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
