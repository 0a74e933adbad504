//! The comparison view: 2–4 photos or videos (or versions of one), side by side with one
//! zoom/pan for photos and one frame-accurate transport for videos (with a per-side frame
//! offset), or, for two, overlaid with an opacity slider or split by a wipe divider. Each side
//! can be rated and commented on where it is.

use crate::api::compare::CompareSide;
use leptos::prelude::*;
use model::asset::MediaType;
use model::Rational;
#[cfg(feature = "hydrate")]
use model::Timecode;

/// How the sides are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    SideBySide,
    Overlay,
    Wipe,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::SideBySide => "side",
            Mode::Overlay => "overlay",
            Mode::Wipe => "wipe",
        }
    }
}

/// Shared view state.
#[derive(Clone, Copy)]
struct Shared {
    zoom: RwSignal<f64>,
    pan: RwSignal<(f64, f64)>,
    /// The first side's frame; side `i` shows `frame + offsets[i]`.
    frame: RwSignal<i64>,
    offsets: RwSignal<Vec<i64>>,
    playing: RwSignal<bool>,
    opacity: RwSignal<f64>,
    wipe: RwSignal<f64>,
}

fn rate_of(side: &CompareSide) -> Rational {
    side.asset.metadata.frame_rate.unwrap_or(Rational::FALLBACK_RATE)
}

/// The comparison of `sides`.
#[component]
pub fn Compare(sides: Vec<CompareSide>) -> impl IntoView {
    let media = sides[0].asset.media_type;
    let two = sides.len() == 2;
    let mode = RwSignal::new(Mode::SideBySide);
    let shared = Shared {
        zoom: RwSignal::new(1.0),
        pan: RwSignal::new((0.0, 0.0)),
        frame: RwSignal::new(0),
        offsets: RwSignal::new(vec![0; sides.len()]),
        playing: RwSignal::new(false),
        opacity: RwSignal::new(0.5),
        wipe: RwSignal::new(50.0),
    };
    let rate = rate_of(&sides[0]);
    let frames = sides[0].asset.metadata.frame_count.unwrap_or(0) as i64;
    let count = sides.len();
    let stage = NodeRef::<leptos::html::Div>::new();

    // Photos: wheel zooms about the pointer, drag pans; both apply to every side.
    let drag = StoredValue::new(None::<(f64, f64, f64, f64)>);
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        if media != MediaType::Image {
            return;
        }
        ev.prevent_default();
        let factor = if ev.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
        shared.zoom.update(|z| *z = (*z * factor).clamp(0.25, 16.0));
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if media == MediaType::Image && mode.get_untracked() != Mode::Wipe {
            let (x, y) = shared.pan.get_untracked();
            drag.set_value(Some((f64::from(ev.client_x()), f64::from(ev.client_y()), x, y)));
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if let Some((sx, sy, x0, y0)) = drag.get_value() {
            shared
                .pan
                .set((x0 + f64::from(ev.client_x()) - sx, y0 + f64::from(ev.client_y()) - sy));
        }
    };
    let on_up = move |_| drag.set_value(None);

    // Videos: one transport. Keys: space plays/pauses, ←/→ step a frame.
    #[cfg(feature = "hydrate")]
    {
        let keys = window_event_listener(leptos::ev::keydown, move |ev: leptos::web_sys::KeyboardEvent| {
            if crate::components::review::dom::typing(ev.target()) {
                return;
            }
            match ev.code().as_str() {
                "Space" if media == MediaType::Video => {
                    ev.prevent_default();
                    shared.playing.update(|p| *p = !*p);
                }
                "ArrowRight" if media == MediaType::Video => {
                    ev.prevent_default();
                    shared.playing.set(false);
                    shared.frame.update(|f| *f = (*f + 1).min((frames - 1).max(0)));
                }
                "ArrowLeft" if media == MediaType::Video => {
                    ev.prevent_default();
                    shared.playing.set(false);
                    shared.frame.update(|f| *f = (*f - 1).max(0));
                }
                "Equal" | "NumpadAdd" if media == MediaType::Image => {
                    shared.zoom.update(|z| *z = (*z * 1.25).min(16.0))
                }
                "Minus" | "NumpadSubtract" if media == MediaType::Image => {
                    shared.zoom.update(|z| *z = (*z / 1.25).max(0.25))
                }
                _ => {}
            }
        });
        on_cleanup(move || keys.remove());
    }

    let layered = move || mode.get() != Mode::SideBySide;
    let panes = sides
        .iter()
        .enumerate()
        .map(|(i, side)| view! { <Pane side=side.clone() index=i shared mode/> })
        .collect_view();
    let infos = sides
        .iter()
        .enumerate()
        .map(|(i, side)| view! { <SideInfo side=side.clone() index=i shared media/> })
        .collect_view();

    view! {
        <div class="compare" data-test-id="compare" data-media-type=media.as_str() data-mode=move || mode.get().as_str()>
            <div class="compare-toolbar">
                <div class="segmented" role="group" aria-label="Layout">
                    <button type="button" class="small" class:active=move || mode.get() == Mode::SideBySide
                        data-test-id="mode-side" on:click=move |_| mode.set(Mode::SideBySide)>"Side by side"</button>
                    {two.then(|| view! {
                        <button type="button" class="small" class:active=move || mode.get() == Mode::Overlay
                            data-test-id="mode-overlay" on:click=move |_| mode.set(Mode::Overlay)>"Overlay"</button>
                        <button type="button" class="small" class:active=move || mode.get() == Mode::Wipe
                            data-test-id="mode-wipe" on:click=move |_| mode.set(Mode::Wipe)>"Wipe"</button>
                    })}
                </div>
                {move || (mode.get() == Mode::Overlay).then(|| view! {
                    <label class="small">"Opacity "
                        <input type="range" min="0" max="100" data-test-id="overlay-opacity"
                            prop:value=move || (shared.opacity.get() * 100.0).round().to_string()
                            on:input=move |ev| shared.opacity.set(event_target_value(&ev).parse::<f64>().unwrap_or(50.0) / 100.0)/>
                    </label>
                })}
                {move || (mode.get() == Mode::Wipe).then(|| view! {
                    <label class="small">"Divider "
                        <input type="range" min="0" max="100" step="0.5" data-test-id="wipe-position"
                            prop:value=move || shared.wipe.get().to_string()
                            on:input=move |ev| shared.wipe.set(event_target_value(&ev).parse::<f64>().unwrap_or(50.0))/>
                    </label>
                })}
                {(media == MediaType::Image).then(|| view! {
                    <span class="compare-zoom">
                        <button type="button" class="small ghost" data-test-id="zoom-out" on:click=move |_| shared.zoom.update(|z| *z = (*z / 1.25).max(0.25))>"−"</button>
                        <span data-test-id="zoom-level">{move || format!("{:.0} %", shared.zoom.get() * 100.0)}</span>
                        <button type="button" class="small ghost" data-test-id="zoom-in" on:click=move |_| shared.zoom.update(|z| *z = (*z * 1.25).min(16.0))>"+"</button>
                        <button type="button" class="small ghost" data-test-id="zoom-fit" on:click=move |_| { shared.zoom.set(1.0); shared.pan.set((0.0, 0.0)); }>"Fit"</button>
                    </span>
                })}
                {(media == MediaType::Video).then(|| view! {
                    <span class="compare-transport">
                        <button type="button" class="small ghost" data-test-id="compare-back" on:click=move |_| { shared.playing.set(false); shared.frame.update(|f| *f = (*f - 1).max(0)); }>"◀|"</button>
                        <button type="button" class="small" data-test-id="compare-play" on:click=move |_| shared.playing.update(|p| *p = !*p)>
                            {move || if shared.playing.get() { "Pause" } else { "Play" }}
                        </button>
                        <button type="button" class="small ghost" data-test-id="compare-forward" on:click=move |_| { shared.playing.set(false); shared.frame.update(|f| *f = (*f + 1).min((frames - 1).max(0))); }>"|▶"</button>
                        <span class="timecode" data-test-id="compare-frame">{move || {
                            let f = shared.frame.get();
                            format!("{} · frame {f}", model::timecode::smpte_label(f, rate, model::timecode::is_drop_frame_rate(rate)))
                        }}</span>
                    </span>
                })}
            </div>
            <div class="compare-stage" class:layered=layered node_ref=stage
                style=format!("--sides:{count}")
                on:wheel=on_wheel on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointerleave=on_up>
                {panes}
                {move || (mode.get() == Mode::Wipe).then(|| view! {
                    <div class="wipe-divider" style=move || format!("left:{}%", shared.wipe.get()) aria-hidden="true"></div>
                })}
            </div>
            <div class="compare-info" style=format!("--sides:{count}")>{infos}</div>
        </div>
    }
    .into_any()
}

/// One side's picture or video.
#[component]
fn Pane(side: CompareSide, index: usize, shared: Shared, mode: RwSignal<Mode>) -> impl IntoView {
    let a = &side.asset;
    let (id, version) = (a.id, a.current_version);
    #[cfg(feature = "hydrate")]
    let rate = rate_of(&side);
    let style = move || {
        let m = mode.get();
        let mut s = String::new();
        if m == Mode::Overlay && index == 1 {
            s.push_str(&format!("opacity:{};", shared.opacity.get()));
        }
        if m == Mode::Wipe && index == 1 {
            s.push_str(&format!("clip-path:inset(0 0 0 {}%);", shared.wipe.get()));
        }
        s
    };
    let transform = move || {
        let (x, y) = shared.pan.get();
        format!("transform:translate({x}px,{y}px) scale({})", shared.zoom.get())
    };
    let label = side.label.clone();
    let media = match a.media_type {
        MediaType::Video => {
            let video = NodeRef::<leptos::html::Video>::new();
            // Follow the shared frame: seek to the middle of this side's frame when paused,
            // play together, and pull back any side that drifts by more than a frame.
            #[cfg(feature = "hydrate")]
            {
                Effect::new(move |_| {
                    let playing = shared.playing.get();
                    let Some(v) = video.get() else { return };
                    if playing {
                        let _ = v.play();
                    } else {
                        let _ = v.pause();
                    }
                });
                Effect::new(move |_| {
                    let f = shared.frame.get() + shared.offsets.with(|o| o.get(index).copied().unwrap_or(0));
                    if shared.playing.get_untracked() {
                        return;
                    }
                    if let Some(v) = video.get() {
                        v.set_current_time(Timecode::new(f.max(0), rate).seek_seconds());
                    }
                });
                if index == 0 {
                    // The first side drives the shared frame while playing.
                    let tick = set_interval_with_handle(
                        move || {
                            let Some(v) = video.get_untracked() else { return };
                            if shared.playing.get_untracked() {
                                let f = Timecode::at_time(v.current_time(), rate).frame;
                                shared.frame.set(f);
                                if v.ended() {
                                    shared.playing.set(false);
                                }
                            }
                        },
                        std::time::Duration::from_millis(40),
                    );
                    on_cleanup(move || {
                        if let Ok(t) = tick {
                            t.clear();
                        }
                    });
                } else {
                    Effect::new(move |_| {
                        let f = shared.frame.get() + shared.offsets.with(|o| o.get(index).copied().unwrap_or(0));
                        if !shared.playing.get_untracked() {
                            return;
                        }
                        if let Some(v) = video.get_untracked() {
                            let want = Timecode::new(f.max(0), rate).seek_seconds();
                            if (v.current_time() - want).abs()
                                > 1.5 * f64::from(rate.den()) / f64::from(rate.num().max(1))
                            {
                                v.set_current_time(want);
                            }
                        }
                    });
                }
            }
            view! {
                <video node_ref=video src=format!("/api/v1/assets/{id}/proxy?version={version}") muted={ index > 0 }
                    preload="auto" playsinline="true" data-test-id="compare-video"></video>
            }
            .into_any()
        }
        _ => view! {
            <img src=format!("/api/v1/assets/{id}/preview?version={version}") alt=side.label.clone() draggable="false"
                style=transform data-test-id="compare-image"/>
        }
        .into_any(),
    };
    view! {
        <div class="compare-pane" style=style data-test-id="compare-pane" data-label=side.label.clone()>
            {media}
            <span class="pane-label">{label}</span>
        </div>
    }
}

/// Under each side: its name or version, rating stars, a frame offset (videos) and a
/// comment box that notes the current frame.
#[component]
fn SideInfo(side: CompareSide, index: usize, shared: Shared, media: MediaType) -> impl IntoView {
    let id = side.asset.id;
    let version = side.asset.current_version;
    let rating = RwSignal::new(side.review.rating);
    let body = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let rate_to = move |r: i16| {
        let before = rating.get_untracked();
        rating.set(r);
        leptos::task::spawn_local(async move {
            let req = model::review::RatingRequest {
                rating: Some(r),
                picked: None,
                version: Some(version),
            };
            if let Err(e) = crate::api::review::set_rating(id.to_string(), req).await {
                rating.set(before);
                note.set(Some(e.message().to_owned()));
            }
        });
    };
    let post = move || {
        let text = body.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let frame = (media == MediaType::Video).then(|| {
            shared.frame.get_untracked() + shared.offsets.with_untracked(|o| o.get(index).copied().unwrap_or(0))
        });
        let comment = model::review::NewComment {
            body: text,
            frame_in: frame,
            version: Some(version),
            ..Default::default()
        };
        leptos::task::spawn_local(async move {
            match crate::api::review::post_comment(id.to_string(), comment).await {
                Ok(_) => {
                    body.set(String::new());
                    note.set(Some("Comment posted".into()));
                }
                Err(e) => note.set(Some(e.message().to_owned())),
            }
        });
    };
    view! {
        <div class="compare-side-info" data-test-id="compare-side" data-label=side.label.clone()>
            <a href=format!("/assets/{id}") class="side-name">{side.label.clone()}</a>
            <span class="stars" role="group" aria-label="Rating">
                {(1..=5).map(|n: i16| view! {
                    <button type="button" class="star ghost small" class:lit=move || { rating.get() >= n }
                        data-test-id=format!("compare-star-{n}") on:click=move |_| rate_to(if rating.get_untracked() == n { 0 } else { n })>"★"</button>
                }).collect_view()}
            </span>
            {(media == MediaType::Video && index > 0).then(|| view! {
                <label class="small">"Offset "
                    <input type="number" step="1" class="offset" data-test-id="compare-offset"
                        prop:value=move || shared.offsets.with(|o| o.get(index).copied().unwrap_or(0)).to_string()
                        on:change=move |ev| {
                            let n = event_target_value(&ev).parse::<i64>().unwrap_or(0);
                            shared.offsets.update(|o| if let Some(x) = o.get_mut(index) { *x = n; });
                        }/>
                    " frames"
                </label>
            })}
            <form class="compare-comment" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); post(); }>
                <input type="text" maxlength="10000" placeholder="Comment on this side" aria-label="Comment"
                    data-test-id="compare-comment" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))/>
            </form>
            {move || note.get().map(|n| view! { <span class="muted small" role="status" data-test-id="compare-note">{n}</span> })}
        </div>
    }
}
