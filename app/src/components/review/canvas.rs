//! The layer over the picture: drawings painted with piet (piet-web, the same
//! `model::annotation::draw` the server uses), numbered pins and rectangles as DOM, and the
//! pointer input that places pins and draws shapes. Everything is in coordinates normalised
//! to the picture, so it lands in the same place at any window size or zoom.

use super::dom;
use super::{DraftPin, PointerMode, Review};
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use model::annotation::{draw, Annotation, Pt, Shape, Tool};
use model::CommentId;

/// Paints `annotation` on `canvas`, sized to its box at the device pixel ratio.
fn paint(canvas: &web_sys::HtmlCanvasElement, annotation: Option<&Annotation>) {
    let ratio = window().device_pixel_ratio().max(1.0);
    let (w, h) = (
        (f64::from(canvas.client_width()) * ratio).round().max(1.0),
        (f64::from(canvas.client_height()) * ratio).round().max(1.0),
    );
    if f64::from(canvas.width()) != w || f64::from(canvas.height()) != h {
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
    }
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, w, h);
    if let Some(a) = annotation {
        let mut rc = piet_web::WebRenderContext::new(ctx, window());
        draw(&mut rc, a, w, h);
        let _ = piet::RenderContext::finish(&mut rc);
    }
}

/// A pin shown on the picture: its number in the comment list and its place.
#[derive(Clone, PartialEq)]
struct PinView {
    id: CommentId,
    number: usize,
    x: f64,
    y: f64,
    size: Option<(f64, f64)>,
    resolved: bool,
}

/// The overlay. Place it inside the element that has exactly the picture's box.
#[component]
pub fn Overlay() -> impl IntoView {
    let review = Review::get();
    let canvas = NodeRef::<html::Canvas>::new();
    let layer = NodeRef::<html::Div>::new();
    // Repaint when the drawing, the frame, the active comment or the window size changes.
    let size = RwSignal::new(0u32);
    let resize = window_event_listener(leptos::ev::resize, move |_| size.update(|s| *s += 1));
    on_cleanup(move || resize.remove());
    Effect::new(move |_| {
        size.track();
        let annotation = review.visible_annotation();
        if let Some(c) = canvas.get() {
            paint(&c, annotation.as_ref());
        }
    });
    // Shapes in progress (pointer id, shape index).
    let drag: StoredValue<Option<(i32, (f64, f64))>> = StoredValue::new(None);
    let point = move |ev: &web_sys::PointerEvent| -> Option<(f64, f64)> {
        let el: web_sys::Element = layer.get()?.unchecked_into();
        Some(dom::normalised(&el, f64::from(ev.client_x()), f64::from(ev.client_y())))
    };
    let pressure = |ev: &web_sys::PointerEvent| {
        if ev.pointer_type() == "pen" {
            f64::from(ev.pressure())
        } else {
            0.5
        }
    };
    let down = move |ev: web_sys::PointerEvent| {
        let mode = review.mode.get_untracked();
        if mode == PointerMode::Idle || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        let Some((x, y)) = point(&ev) else { return };
        if let Some(el) = layer.get() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        review.pause.notify();
        if review.captured.get_untracked().is_none() {
            review.captured.set(Some(review.frame.get_untracked()));
        }
        drag.set_value(Some((ev.pointer_id(), (x, y))));
        match mode {
            PointerMode::Pin => review.pin.set(Some(DraftPin { x, y, size: None })),
            PointerMode::Draw => {
                let tool = review.tool.get_untracked();
                let p = Pt(x, y, pressure(&ev));
                let points = if tool == Tool::Freehand { vec![p] } else { vec![p, p] };
                review.redo.set(Vec::new());
                review.draft.update(|d| {
                    d.shapes.push(Shape {
                        tool,
                        color: review.color.get_untracked(),
                        width: review.width.get_untracked(),
                        points,
                    })
                });
            }
            PointerMode::Idle => {}
        }
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let Some((id, (x0, y0))) = drag.get_value() else { return };
        if id != ev.pointer_id() {
            return;
        }
        let Some((x, y)) = point(&ev) else { return };
        match review.mode.get_untracked() {
            PointerMode::Pin => {
                let (w, h) = ((x - x0).abs(), (y - y0).abs());
                let size = (w > 0.01 || h > 0.01).then_some((w, h));
                review.pin.set(Some(DraftPin {
                    x: x.min(x0).clamp(0.0, 1.0),
                    y: y.min(y0).clamp(0.0, 1.0),
                    size,
                }));
            }
            PointerMode::Draw => review.draft.update(|d| {
                if let Some(shape) = d.shapes.last_mut() {
                    let p = Pt(x, y, pressure(&ev));
                    if shape.tool == Tool::Freehand {
                        shape.points.push(p);
                    } else if let Some(end) = shape.points.last_mut() {
                        *end = p;
                    }
                }
            }),
            PointerMode::Idle => {}
        }
    };
    let up = move |ev: web_sys::PointerEvent| {
        if drag.get_value().is_some_and(|(id, _)| id == ev.pointer_id()) {
            drag.set_value(None);
            // Quantise as the server will, so what is on screen is what gets stored.
            review.draft.update(|d| {
                if let Some(last) = d.shapes.pop() {
                    d.shapes.push(last.normalised());
                }
            });
        }
    };
    let pins = Memo::new(move |_| {
        let frame = review.frame.get();
        let video = review.rate().is_some();
        review.comments.with(|list| {
            list.iter()
                .filter(|c| c.parent_id.is_none() && c.x.is_some())
                .enumerate()
                .filter(|(_, c)| {
                    !video
                        || match (c.frame_in, c.frame_out) {
                            (Some(i), Some(o)) => (i..=o).contains(&frame),
                            (Some(i), None) => i == frame,
                            _ => true,
                        }
                })
                .map(|(i, c)| PinView {
                    id: c.id,
                    number: i + 1,
                    x: c.x.unwrap_or(0.0),
                    y: c.y.unwrap_or(0.0),
                    size: c.w.zip(c.h),
                    resolved: c.resolved,
                })
                .collect::<Vec<_>>()
        })
    });
    let pct = |v: f64| format!("{:.3}%", v * 100.0);
    view! {
        <canvas node_ref=canvas class="draw-canvas" data-test-id="draw-canvas"></canvas>
        <div
            node_ref=layer
            class="pointer-layer"
            class:active=move || review.mode.get() != PointerMode::Idle
            data-test-id="pointer-layer"
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointercancel=up
        >
            <For each=move || pins.get() key=|p| (p.id, p.number, p.resolved) let:p>
                {
                    let id = p.id;
                    let style = match p.size {
                        Some((w, h)) => format!("left:{};top:{};width:{};height:{}", pct(p.x), pct(p.y), pct(w), pct(h)),
                        None => format!("left:{};top:{}", pct(p.x), pct(p.y)),
                    };
                    view! {
                        <button
                            type="button"
                            class=if p.size.is_some() { "pin rect" } else { "pin" }
                            class:resolved=p.resolved
                            class:active=move || review.active.get() == Some(id)
                            style=style
                            data-test-id="pin"
                            on:pointerdown=|ev| ev.stop_propagation()
                            on:click=move |_| {
                                let c = review.comments.with_untracked(|l| l.iter().find(|c| c.id == id).cloned());
                                if let Some(c) = c { review.open_comment(&c) }
                            }
                        >
                            <span>{p.number}</span>
                        </button>
                    }
                }
            </For>
            {move || review.pin.get().map(|p| {
                let style = match p.size {
                    Some((w, h)) => format!("left:{};top:{};width:{};height:{}", pct(p.x), pct(p.y), pct(w), pct(h)),
                    None => format!("left:{};top:{}", pct(p.x), pct(p.y)),
                };
                view! { <span class=if p.size.is_some() { "pin rect draft" } else { "pin draft" } style=style data-test-id="draft-pin"><span>"+"</span></span> }
            })}
        </div>
        <div class="cursor-layer"><super::live::Cursors/></div>
    }
    .into_any()
}

/// The drawing toolbar: tools, colours, widths, undo, redo, clear.
#[component]
pub fn DrawTools() -> impl IntoView {
    let review = Review::get();
    let undo = move || {
        review.draft.update(|d| {
            if let Some(s) = d.shapes.pop() {
                review.redo.update(|r| r.push(s));
            }
        })
    };
    let redo = move || {
        if let Some(s) = review.redo.try_update(|r| r.pop()).flatten() {
            review.draft.update(|d| d.shapes.push(s));
        }
    };
    view! {
        <div class="draw-tools" data-test-id="draw-tools">
            {Tool::ALL.into_iter().map(|t| view! {
                <button type="button" class="tool" class:on=move || review.tool.get() == t
                    data-test-id=format!("tool-{}", t.as_str()) title=t.as_str()
                    on:click=move |_| { review.tool.set(t); review.mode.set(PointerMode::Draw); }>
                    {match t { Tool::Arrow => "↗", Tool::Line => "╱", Tool::Rect => "▭", Tool::Ellipse => "◯", Tool::Freehand => "✎" }}
                </button>
            }).collect_view()}
            <span class="sep"></span>
            {model::annotation::PALETTE.into_iter().map(|c| view! {
                <button type="button" class="swatch" class:on=move || review.color.get() == c style=format!("background:{c}")
                    title=c data-test-id="swatch" on:click=move |_| review.color.set(c.to_owned())></button>
            }).collect_view()}
            <span class="sep"></span>
            {model::annotation::WIDTHS.into_iter().enumerate().map(|(i, w)| view! {
                <button type="button" class="tool" class:on=move || review.width.get() == w title=format!("width {}", i + 1)
                    on:click=move |_| review.width.set(w)>
                    <span class="dot" style=format!("width:{0}px;height:{0}px", 4 + i * 4)></span>
                </button>
            }).collect_view()}
            <span class="sep"></span>
            <button type="button" class="tool" title="Undo (Ctrl+Z)" data-test-id="draw-undo" on:click=move |_| undo()>"↶"</button>
            <button type="button" class="tool" title="Redo (Ctrl+Shift+Z)" data-test-id="draw-redo" on:click=move |_| redo()>"↷"</button>
            <button type="button" class="tool" title="Clear" data-test-id="draw-clear"
                on:click=move |_| { review.draft.set(Annotation::default()); review.redo.set(Vec::new()); }>"⌫"</button>
        </div>
    }
    .into_any()
}
