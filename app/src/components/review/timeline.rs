//! The timeline under the player: playhead, in/out range, comment markers (ranges drawn as
//! spans; click to seek), a filmstrip preview on hover, and the audio waveform.

use super::dom;
use super::Review;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use model::asset::FilmstripIndex;

/// One marker on the timeline.
#[derive(Clone, PartialEq)]
struct Marker {
    id: model::CommentId,
    frame: i64,
    end: Option<i64>,
    resolved: bool,
    author: String,
    text: String,
}

/// The timeline.
#[component]
pub fn Timeline(filmstrip: Option<FilmstripIndex>, waveform: Vec<u8>) -> impl IntoView {
    let review = Review::get();
    let count = review.frame_count();
    let strip_url = review.file_url("filmstrip");
    let track = NodeRef::<html::Div>::new();
    let hover = RwSignal::new(None::<f64>);
    let pct = move |f: i64| f as f64 / count.max(1) as f64 * 100.0;
    let frame_at = move |ev: &web_sys::MouseEvent| -> Option<(f64, i64)> {
        let el: web_sys::Element = track.get()?.unchecked_into();
        let (x, _) = dom::normalised(&el, f64::from(ev.client_x()), f64::from(ev.client_y()));
        let x = x.clamp(0.0, 1.0);
        Some((x, ((x * count as f64).floor() as i64).min(count - 1)))
    };
    let markers = Memo::new(move |_| {
        review.comments.with(|list| {
            list.iter()
                .filter(|c| c.parent_id.is_none())
                .filter_map(|c| {
                    Some(Marker {
                        id: c.id,
                        frame: c.frame_in?,
                        end: c.frame_out,
                        resolved: c.resolved,
                        author: c.author.name.clone(),
                        text: c.body.chars().take(80).collect(),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let strip = filmstrip.clone();
    let preview = move || {
        let x = hover.get()?;
        let index = strip.as_ref()?;
        let rate = review.rate()?;
        let seconds = x * count as f64 * f64::from(rate.den()) / f64::from(rate.num());
        let tile = index.timestamps.iter().rposition(|t| *t <= seconds + 1e-6).unwrap_or(0) as u32;
        let (col, row) = (tile % index.columns.max(1), tile / index.columns.max(1));
        let frame = ((x * count as f64).floor() as i64).min(count - 1);
        Some(view! {
            <div class="strip-preview" data-test-id="filmstrip-preview" style=format!("left:{:.2}%", x * 100.0)>
                <div style=format!(
                    "width:{}px;height:{}px;background-image:url({strip_url});background-position:-{}px -{}px",
                    index.tile_width, index.tile_height, col * index.tile_width, row * index.tile_height
                )></div>
                <span>{review.label(frame)}</span>
            </div>
        })
    };
    let bars = waveform.len().max(1);
    let wave_path = waveform
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = f64::from(*v) / 255.0 * 20.0;
            format!("M{i} {:.2}V{:.2}", 20.0 - h, 20.0 + h)
        })
        .collect::<String>();
    let has_wave = !waveform.is_empty();
    view! {
        <div class="timeline" data-test-id="timeline">
            <div
                class="track"
                node_ref=track
                data-test-id="timeline-track"
                on:mousemove=move |ev| hover.set(frame_at(&ev).map(|(x, _)| x))
                on:mouseleave=move |_| hover.set(None)
                on:click=move |ev| if let Some((_, f)) = frame_at(&ev) { review.seek.set(Some(f)) }
            >
                {move || {
                    let (i, o) = (review.in_point.get(), review.out_point.get());
                    (i.is_some() || o.is_some()).then(|| {
                        let a = i.unwrap_or(0);
                        let b = o.unwrap_or(count - 1).max(a);
                        view! { <div class="inout" data-test-id="in-out" style=format!("left:{:.3}%;width:{:.3}%", pct(a), pct(b + 1) - pct(a))></div> }
                    })
                }}
                <div class="played" style=move || format!("width:{:.3}%", pct(review.frame.get()))></div>
                <For each=move || markers.get() key=|m| (m.id, m.frame, m.end, m.resolved) let:m>
                    {
                        let (frame, id) = (m.frame, m.id);
                        let style = match m.end {
                            Some(e) => format!("left:{:.3}%;width:{:.3}%", pct(frame), (pct(e + 1) - pct(frame)).max(0.4)),
                            None => format!("left:{:.3}%", pct(frame)),
                        };
                        view! {
                            <button
                                type="button"
                                class=if m.end.is_some() { "marker range" } else { "marker" }
                                class:resolved=m.resolved
                                class:active=move || review.active.get() == Some(id)
                                style=style
                                title=format!("{}: {}", m.author, m.text)
                                data-test-id="comment-marker"
                                data-frame=frame
                                on:click=move |ev| {
                                    ev.stop_propagation();
                                    review.active.set(Some(id));
                                    review.seek.set(Some(frame));
                                }
                            ></button>
                        }
                    }
                </For>
                <For each=move || review.playheads.get() key=|p| (p.user, p.x as i64) let:p>
                    <div class="remote-playhead" data-test-id="remote-playhead" data-user-id=p.user.to_string()
                        data-frame=p.x as i64 title=format!("{} is here", p.name)
                        style=format!("left:{:.3}%;--hue:{}", pct(p.x as i64), crate::components::live::hue(p.user))></div>
                </For>
                <div class="playhead" data-test-id="playhead" style=move || format!("left:{:.3}%", pct(review.frame.get()))></div>
                {preview}
            </div>
            {has_wave.then(|| view! {
                <svg class="waveform" data-test-id="waveform" viewBox=format!("0 0 {bars} 40") preserveAspectRatio="none" aria-hidden="true">
                    <path d=wave_path.clone()></path>
                </svg>
            })}
        </div>
    }
    .into_any()
}
