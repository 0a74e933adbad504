//! Driving the video element: starting playback where autoplay is refused, and asking again
//! for a paused seek's frame when it does not show.

use super::Controls;
use crate::components::review::Review;
use leptos::prelude::*;
use leptos::web_sys;
use model::timecode::Timecode;

/// Plays; when the browser refuses to play sound without a click (autoplay rules), plays
/// muted instead, so a follower stays in sync (the mute button brings the sound back).
pub(super) fn play_or_mute(v: &web_sys::HtmlVideoElement, controls: Controls) {
    let Ok(promise) = v.play() else { return };
    let retry = leptos::wasm_bindgen::closure::Closure::<dyn FnMut(leptos::wasm_bindgen::JsValue)>::new(
        move |_: leptos::wasm_bindgen::JsValue| {
            controls.muted.set(true);
            if let Some(v) = controls.el() {
                v.set_muted(true);
                let _ = v.play();
            }
        },
    );
    let _ = promise.catch(&retry);
    // Called at most once, whenever the promise settles; it must outlive this function.
    retry.forget();
}

// A paused seek issued while another was still in flight can finish without presenting its
// frame: the counter says n, the picture shows n + 1 (seen once in CI at a clip's last frames,
// on a loaded 2-core machine). If the frame has not shown shortly after `seeked`, ask for it
// again — twice at most per target, so a frame that never presents cannot loop.
pub(super) fn reseek_if_unpresented(
    review: Review,
    controls: Controls,
    presented: RwSignal<i64>,
    retried: StoredValue<(i64, u8)>,
) {
    let Some(target) = controls.pending.get_value() else {
        return;
    };
    set_timeout(
        move || {
            // The player may be gone by now: every read is a `try_`.
            let (Some(Some(v)), Some(Some(pending)), Some(shown), Some((last, n))) = (
                controls.video.try_get_untracked(),
                controls.pending.try_get_value(),
                presented.try_get_untracked(),
                retried.try_get_value(),
            ) else {
                return;
            };
            let Some(Some(rate)) = review.asset.try_with_value(|a| a.metadata.frame_rate) else {
                return;
            };
            if !v.paused() || pending != target || shown == target {
                return;
            }
            let n = if last == target { n } else { 0 };
            if n >= 2 {
                return;
            }
            retried.set_value((target, n + 1));
            v.set_current_time(Timecode::new(target, rate).seek_seconds());
        },
        std::time::Duration::from_millis(250),
    );
}
