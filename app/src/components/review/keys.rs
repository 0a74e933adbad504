//! Keyboard shortcuts, bound on physical key codes (`KeyboardEvent.code`, so they sit in the
//! same place on every layout) and ignored while typing. The table below is what the `?`
//! overlay shows; the handlers live with the component they drive.

use super::bar;
use super::dom;
use super::{PointerMode, Review};
use leptos::prelude::*;
use leptos::web_sys;
use model::asset::{AssetSummary, MediaType};
use model::review::{ColorLabel, RatingRequest, REJECTED};

/// Where a shortcut applies.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere on the review screen.
    All,
    /// The video player.
    Video,
    /// The photo lightbox.
    Photo,
}

/// Every shortcut: keys as shown, what they do, where.
pub const SHORTCUTS: &[(&str, &str, Scope)] = &[
    ("Space / K", "Play or pause (K also stops shuttling)", Scope::Video),
    ("← / →", "Previous / next frame (hold to repeat)", Scope::Video),
    ("Shift + ← / →", "Back / forward one second", Scope::Video),
    (
        "J / L",
        "Shuttle backward / forward; again for 2×, 4×, 8×",
        Scope::Video,
    ),
    ("I / O", "Set in / out point", Scope::Video),
    ("Ctrl/⌘ + L", "Loop between in and out", Scope::Video),
    ("↑ / ↓", "Previous / next comment", Scope::Video),
    ("M", "Mute", Scope::Video),
    ("F", "Fullscreen", Scope::All),
    ("← / →", "Previous / next photo", Scope::Photo),
    ("+ / −", "Zoom in / out (or wheel, pinch)", Scope::Photo),
    ("Z", "Fit ↔ 100 %", Scope::Photo),
    ("L", "Loupe", Scope::Photo),
    ("I", "Photo info (EXIF)", Scope::Photo),
    ("0 – 5", "Rating (0 clears)", Scope::All),
    (
        "6 / 7 / 8 / 9",
        "Label red / yellow / green / blue (again clears)",
        Scope::All,
    ),
    ("P / X", "Pick / reject", Scope::All),
    ("C", "Comment (focus the comment box)", Scope::All),
    ("D", "Draw on the frame", Scope::All),
    ("Ctrl/⌘ + Z", "Undo the last stroke (Shift: redo)", Scope::All),
    ("Esc", "Stop drawing / close this list", Scope::All),
    ("?", "This list", Scope::All),
];

/// Installs the screen-wide shortcuts: help, rating, labels, pick/reject, comment focus,
/// drawing, previous/next comment (videos) and previous/next photo.
pub fn install(review: Review, neighbours: StoredValue<Vec<AssetSummary>>) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if dom::typing(ev.target()) {
            return;
        }
        let code = ev.code();
        let command = ev.ctrl_key() || ev.meta_key();
        let media = review.media();
        let handled = match code.as_str() {
            "Slash" if ev.shift_key() => {
                review.help.update(|h| *h = !*h);
                true
            }
            "Escape" => {
                review.help.set(false);
                review.mode.set(PointerMode::Idle);
                true
            }
            "KeyZ" if command => {
                if ev.shift_key() {
                    if let Some(s) = review.redo.try_update(|r| r.pop()).flatten() {
                        review.draft.update(|d| d.shapes.push(s));
                    }
                } else {
                    review.draft.update(|d| {
                        if let Some(s) = d.shapes.pop() {
                            review.redo.update(|r| r.push(s));
                        }
                    });
                }
                true
            }
            _ if command || ev.alt_key() => false,
            d if d.starts_with("Digit") && review.can(model::Action::Rate) => {
                let n: i16 = d[5..].parse().unwrap_or(-2);
                match n {
                    0..=5 => bar::rate(
                        review,
                        RatingRequest {
                            rating: Some(n),
                            picked: None,
                            version: None,
                        },
                    ),
                    6..=9 => {
                        let label = ColorLabel::ALL[(n - 6) as usize];
                        let same = review.review.with_untracked(|r| r.label == Some(label));
                        bar::label(review, (!same).then_some(label));
                    }
                    _ => return,
                }
                true
            }
            "KeyP" if review.can(model::Action::Rate) => {
                bar::rate(
                    review,
                    RatingRequest {
                        rating: None,
                        picked: Some(true),
                        version: None,
                    },
                );
                true
            }
            "KeyX" if review.can(model::Action::Rate) => {
                bar::rate(
                    review,
                    RatingRequest {
                        rating: Some(REJECTED),
                        picked: None,
                        version: None,
                    },
                );
                true
            }
            "KeyC" if review.can(model::Action::Comment) => {
                if let Some(el) = document().get_element_by_id("comment-input") {
                    if let Ok(el) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
                true
            }
            "KeyD" if review.can(model::Action::Comment) => {
                review.mode.update(|m| {
                    *m = if *m == PointerMode::Draw {
                        PointerMode::Idle
                    } else {
                        PointerMode::Draw
                    }
                });
                true
            }
            "ArrowUp" | "ArrowDown" if media == MediaType::Video => {
                let frame = review.frame.get_untracked();
                let frames: Vec<i64> = review.comments.with_untracked(|l| {
                    l.iter()
                        .filter(|c| c.parent_id.is_none())
                        .filter_map(|c| c.frame_in)
                        .collect()
                });
                let target = if code == "ArrowUp" {
                    frames.iter().rev().find(|f| **f < frame).copied()
                } else {
                    frames.iter().find(|f| **f > frame).copied()
                };
                if let Some(f) = target {
                    let c = review.comments.with_untracked(|l| {
                        l.iter()
                            .find(|c| c.parent_id.is_none() && c.frame_in == Some(f))
                            .map(|c| c.id)
                    });
                    review.active.set(c);
                    review.seek.set(Some(f));
                }
                true
            }
            "ArrowLeft" | "ArrowRight" if media == MediaType::Image => {
                let here = review.asset.with_value(|a| a.id);
                let photos: Vec<AssetSummary> =
                    neighbours.with_value(|n| n.iter().filter(|a| a.media_type == MediaType::Image).cloned().collect());
                if let Some(i) = photos.iter().position(|a| a.id == here) {
                    let next = if code == "ArrowLeft" {
                        i.checked_sub(1)
                    } else {
                        Some(i + 1)
                    };
                    if let Some(n) = next.and_then(|j| photos.get(j)) {
                        let _ = window().location().set_href(&format!("/assets/{}", n.id));
                    }
                }
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// The `?` overlay listing every shortcut that applies here.
#[component]
pub fn HelpOverlay() -> impl IntoView {
    let review = Review::get();
    let here = match review.media() {
        MediaType::Video => Scope::Video,
        _ => Scope::Photo,
    };
    view! {
        <Show when=move || review.help.get()>
            <div class="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-test-id="shortcut-help"
                on:click=move |_| review.help.set(false)>
                <div class="panel" on:click=|ev| ev.stop_propagation()>
                    <h2>"Keyboard shortcuts"</h2>
                    <dl class="shortcuts">
                        {SHORTCUTS.iter().filter(|(_, _, s)| *s == Scope::All || *s == here).map(|(k, d, _)| view! {
                            <dt><kbd>{*k}</kbd></dt><dd>{*d}</dd>
                        }).collect_view()}
                    </dl>
                    <button type="button" class="secondary" on:click=move |_| review.help.set(false)>"Close"</button>
                </div>
            </div>
        </Show>
    }
    .into_any()
}

/// Installs the player's keys (play, step, shuttle, in/out, loop, mute, fullscreen).
pub fn install_player(review: Review, controls: super::player::Controls) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if dom::typing(ev.target()) {
            return;
        }
        let command = ev.ctrl_key() || ev.meta_key();
        let second = review.rate().map_or(25, model::timecode::nominal_fps);
        let handled = match ev.code().as_str() {
            "KeyL" if command => {
                controls.toggle_loop();
                true
            }
            _ if command || ev.alt_key() => false,
            "Space" => {
                controls.toggle();
                true
            }
            "KeyK" => {
                controls.pause();
                true
            }
            "KeyJ" => {
                controls.shuttle(false, review);
                true
            }
            "KeyL" => {
                controls.shuttle(true, review);
                true
            }
            "ArrowLeft" => {
                controls.step(if ev.shift_key() { -second } else { -1 }, review);
                true
            }
            "ArrowRight" => {
                controls.step(if ev.shift_key() { second } else { 1 }, review);
                true
            }
            "KeyI" => {
                review.in_point.set(Some(review.frame.get_untracked()));
                true
            }
            "KeyO" => {
                review.out_point.set(Some(review.frame.get_untracked()));
                true
            }
            "KeyM" => {
                controls.toggle_mute();
                true
            }
            "KeyF" => {
                controls.fullscreen();
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Installs the lightbox's keys (zoom, fit/100 %, loupe, info, fullscreen).
pub fn install_lightbox(controls: super::lightbox::LightboxControls) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if dom::typing(ev.target()) || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let handled = match ev.code().as_str() {
            "Equal" | "NumpadAdd" => {
                controls.zoom(1.25, None);
                true
            }
            "Minus" | "NumpadSubtract" => {
                controls.zoom(1.0 / 1.25, None);
                true
            }
            "KeyZ" => {
                controls.toggle_zoom();
                true
            }
            "KeyL" => {
                controls.toggle_loupe();
                true
            }
            "KeyI" => {
                controls.toggle_exif();
                true
            }
            "KeyF" => {
                controls.fullscreen();
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}
