//! Small browser bindings the review screen needs and web-sys lacks
//! (`requestVideoFrameCallback`), and DOM helpers. Only called from event handlers and
//! effects, i.e. in the browser.

use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{self, prelude::wasm_bindgen, JsCast, JsValue};
use leptos::web_sys;

#[wasm_bindgen]
extern "C" {
    /// An `HTMLVideoElement` seen through the frame-callback API.
    #[wasm_bindgen(extends = web_sys::HtmlVideoElement)]
    pub type FrameVideo;

    #[wasm_bindgen(method, js_name = requestVideoFrameCallback)]
    fn request_video_frame_callback(this: &FrameVideo, callback: &js_sys::Function) -> u32;
}

/// Calls `f(media_time)` once, when the video next presents a frame (after a seek, or each
/// frame while playing). `mediaTime` is the presented frame's own timestamp.
pub fn on_next_frame(video: &web_sys::HtmlVideoElement, f: impl FnOnce(f64) + 'static) {
    let callback = Closure::once_into_js(move |_now: f64, metadata: JsValue| {
        let t = js_sys::Reflect::get(&metadata, &"mediaTime".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        f(t);
    });
    let video: &FrameVideo = video.unchecked_ref();
    if let Some(callback) = callback.dyn_ref::<js_sys::Function>() {
        video.request_video_frame_callback(callback);
    }
}

/// Whether a key event comes from a text field (shortcuts are ignored while typing).
pub fn typing(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "textarea" | "select") || el.get_attribute("contenteditable").is_some()
}

/// The pointer's position normalised to `el`'s box (0..1 inside it).
pub fn normalised(el: &web_sys::Element, client_x: f64, client_y: f64) -> (f64, f64) {
    let r = el.get_bounding_client_rect();
    let (w, h) = (r.width().max(1.0), r.height().max(1.0));
    ((client_x - r.left()) / w, (client_y - r.top()) / h)
}

/// Toggles fullscreen on `el`.
pub fn toggle_fullscreen(el: &web_sys::Element) {
    let document = leptos::prelude::document();
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else {
        let _ = el.request_fullscreen();
    }
}

/// An `<img>`'s `error` handler for pictures that may not be made yet (a watermarked copy
/// being burned): loads it again every 2 s, up to 30 times.
pub fn retry_image(ev: leptos::ev::ErrorEvent) {
    let Some(img) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok()) else {
        return;
    };
    let tries: u32 = img
        .get_attribute("data-retries")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if tries >= 30 {
        return;
    }
    let _ = img.set_attribute("data-retries", &(tries + 1).to_string());
    let src = img.src();
    // Drop an earlier `?retry=`/`&retry=` (and the separator before it).
    let base = match src.find("retry=") {
        Some(i) if i > 0 => src[..i - 1].to_owned(),
        _ => src,
    };
    let join = if base.contains('?') { '&' } else { '?' };
    leptos::prelude::set_timeout(
        move || img.set_src(&format!("{base}{join}retry={}", tries + 1)),
        std::time::Duration::from_secs(2),
    );
}
