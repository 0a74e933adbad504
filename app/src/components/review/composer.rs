//! The comment box. Typing pauses playback and captures the frame on screen; the comment is
//! about that frame, the in/out range, or the whole asset; it can carry a pin (click) or a
//! rectangle (drag) and a drawing; `@` offers project members. Enter sends, Shift+Enter is a
//! new line.

use super::{PointerMode, Review};
use crate::api::review::post_comment;
use crate::api::shares::post_shared_comment;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::web_sys;
use model::annotation::Annotation;
use model::asset::MediaType;
use model::review::{NewComment, Person};
use model::CommentId;

/// Where the next comment attaches on a video.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Span {
    Frame,
    Range,
    Whole,
}

/// The `@word` being typed at the end of `text`, if any.
fn mention_prefix(text: &str) -> Option<&str> {
    let word = text.rsplit(char::is_whitespace).next()?;
    word.strip_prefix('@')
}

/// A comment (or reply) box.
#[component]
pub fn Composer(parent: Option<CommentId>, #[prop(optional)] done: Option<Callback<()>>) -> impl IntoView {
    let review = Review::get();
    let text = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let span = RwSignal::new(Span::Frame);
    let video = review.media() == MediaType::Video;
    let top = parent.is_none();
    let suggestions = Memo::new(move |_| {
        let t = text.get();
        let Some(prefix) = mention_prefix(&t) else {
            return Vec::new();
        };
        let prefix = prefix.to_lowercase();
        review.people.with_value(|people| {
            people
                .iter()
                .filter(|p| p.id != review.me)
                .filter(|p| p.handle.to_lowercase().starts_with(&prefix) || p.name.to_lowercase().starts_with(&prefix))
                .take(6)
                .cloned()
                .collect::<Vec<Person>>()
        })
    });
    let pick = move |p: Person| {
        text.update(|t| {
            let cut = t.rfind('@').unwrap_or(t.len());
            t.truncate(cut);
            t.push('@');
            t.push_str(&p.handle);
            t.push(' ');
        });
        if let Some(el) = document().get_element_by_id(if top { "comment-input" } else { "" }) {
            if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    let send = move || {
        let body = text.get_untracked();
        if body.trim().is_empty() || sending.get_untracked() {
            return;
        }
        let frame = review
            .captured
            .get_untracked()
            .unwrap_or_else(|| review.frame.get_untracked());
        let (frame_in, frame_out) = match (top && video, span.get_untracked()) {
            (false, _) | (true, Span::Whole) => (None, None),
            (true, Span::Frame) => (Some(frame), None),
            (true, Span::Range) => {
                let a = review.in_point.get_untracked().unwrap_or(frame);
                let b = review.out_point.get_untracked().unwrap_or(frame);
                (Some(a.min(b)), Some(a.max(b)))
            }
        };
        let pin = if top { review.pin.get_untracked() } else { None };
        let drawing = review.draft.get_untracked();
        let comment = NewComment {
            body,
            parent_id: parent,
            frame_in,
            frame_out,
            x: pin.map(|p| p.x),
            y: pin.map(|p| p.y),
            w: pin.and_then(|p| p.size.map(|s| s.0)),
            h: pin.and_then(|p| p.size.map(|s| s.1)),
            annotation: (top && !drawing.is_empty()).then_some(drawing),
            private: private.get_untracked(),
            version: Some(review.asset.with_value(|a| a.current_version)),
        };
        let asset = review.asset.with_value(|a| a.id.to_string());
        let token = review.guest.with_value(|g| g.as_ref().map(|g| g.token.clone()));
        sending.set(true);
        spawn_local(async move {
            let posted = match token {
                Some(token) => post_shared_comment(token, asset, comment).await,
                None => post_comment(asset, comment).await,
            };
            match posted {
                Ok(c) => {
                    text.set(String::new());
                    if top {
                        review.captured.set(None);
                        review.pin.set(None);
                        review.draft.set(Annotation::default());
                        review.redo.set(Vec::new());
                        review.mode.set(PointerMode::Idle);
                        span.set(Span::Frame);
                    }
                    review.active.set(Some(c.id));
                    review.upsert(c);
                    review.error.set(None);
                    if let Some(done) = done {
                        done.run(());
                    }
                }
                Err(e) => review.fail(format!("Comment not posted: {}", e.message())),
            }
            sending.set(false);
        });
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        // Typing pauses playback and pins the comment to the frame on screen.
        if top && review.captured.get_untracked().is_none() {
            review.pause.notify();
            review.captured.set(Some(review.frame.get_untracked()));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() {
            ev.prevent_default();
            let first = suggestions.with_untracked(|s| s.first().cloned());
            match first {
                Some(p) => pick(p),
                None => send(),
            }
        } else if ev.key() == "Tab" {
            if let Some(p) = suggestions.with_untracked(|s| s.first().cloned()) {
                ev.prevent_default();
                pick(p);
            }
        } else if ev.key() == "Escape" {
            text.set(String::new());
            // Hand the keyboard back to the review shortcuts.
            let _ = event_target::<web_sys::HtmlElement>(&ev).blur();
            if let Some(done) = done {
                done.run(());
            }
        }
    };
    let at = move || {
        let frame = review.captured.get().unwrap_or_else(|| review.frame.get());
        match span.get() {
            Span::Frame => format!("at {}", review.label(frame)),
            Span::Range => {
                let a = review.in_point.get().unwrap_or(frame);
                let b = review.out_point.get().unwrap_or(frame);
                format!("{} – {}", review.label(a.min(b)), review.label(a.max(b)))
            }
            Span::Whole => "whole clip".to_owned(),
        }
    };
    view! {
        <div class="composer" class:reply=!top data-test-id=if top { "composer" } else { "reply-composer" }>
            <div class="composer-box">
                <textarea
                    id=if top { "comment-input" } else { "" }
                    data-test-id=if top { "comment-input" } else { "reply-input" }
                    rows=if top { 3 } else { 2 }
                    placeholder=if top { "Leave a comment… (@ to mention, Enter to send)" } else { "Reply…" }
                    prop:value=move || text.get()
                    on:input=on_input
                    on:keydown=on_key
                ></textarea>
                <Show when=move || !suggestions.with(Vec::is_empty)>
                    <ul class="mentions" role="listbox" data-test-id="mention-list">
                        {move || suggestions.get().into_iter().map(|p| {
                            let chosen = p.clone();
                            view! {
                                <li><button type="button" data-test-id="mention-option" on:mousedown=move |ev| { ev.prevent_default(); pick(chosen.clone()); }>
                                    <strong>{p.name.clone()}</strong>" "<span class="muted">"@"{p.handle.clone()}</span>
                                </button></li>
                            }
                        }).collect_view()}
                    </ul>
                </Show>
            </div>
            {top.then(|| view! {
                <div class="composer-tools">
                    {video.then(|| view! {
                        <select class="small" data-test-id="comment-span" aria-label="Comment on" on:change=move |ev| span.set(match event_target_value(&ev).as_str() {
                            "range" => Span::Range,
                            "whole" => Span::Whole,
                            _ => Span::Frame,
                        })>
                            <option value="frame" selected=move || span.get() == Span::Frame>"This frame"</option>
                            <option value="range" selected=move || span.get() == Span::Range>"In → out range"</option>
                            <option value="whole" selected=move || span.get() == Span::Whole>"Whole clip"</option>
                        </select>
                        <span class="small muted" data-test-id="comment-at">{at}</span>
                    })}
                    <button type="button" class="tool" class:on=move || review.mode.get() == PointerMode::Pin title="Pin a point or drag a box"
                        data-test-id="pin-mode" on:click=move |_| review.mode.update(|m| *m = if *m == PointerMode::Pin { PointerMode::Idle } else { PointerMode::Pin })>"📍"</button>
                    <button type="button" class="tool" class:on=move || review.mode.get() == PointerMode::Draw title="Draw (D)"
                        data-test-id="draw-mode" on:click=move |_| review.mode.update(|m| *m = if *m == PointerMode::Draw { PointerMode::Idle } else { PointerMode::Draw })>"✎"</button>
                    {move || review.pin.get().map(|_| view! {
                        <button type="button" class="ghost small" data-test-id="clear-pin" on:click=move |_| review.pin.set(None)>"remove pin"</button>
                    })}
                    {(!review.is_guest()).then(|| view! {
                        <label class="small" title="Share-link guests never see team-only comments">
                            <input type="checkbox" data-test-id="private" prop:checked=move || private.get() on:change=move |ev| private.set(event_target_checked(&ev))/>
                            " Team only"
                        </label>
                    })}
                    <span class="grow"></span>
                    <button type="button" class="primary small" data-test-id="send-comment" disabled=move || sending.get() || text.with(|t| t.trim().is_empty())
                        on:click=move |_| send()>"Send"</button>
                </div>
            })}
        </div>
    }
    .into_any()
}
