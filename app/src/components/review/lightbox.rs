//! The photo lightbox: fit and 100 %, zoom by wheel, pinch and keys around the pointer, pan
//! by drag, a loupe, fullscreen, previous/next, a filmstrip of the neighbours and the EXIF
//! panel. The 2048 px preview loads first; the original replaces it once zoomed past it
//! (when the browser can decode the original).

use super::canvas::{DrawTools, Overlay};
use super::{dom, PointerMode, Review};
use crate::components::library::format::metadata_rows;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys;
use model::asset::{AssetSummary, MediaType};
use std::collections::HashMap;

const MAX_ZOOM: f64 = 16.0;
const PREVIEW_EDGE: f64 = 2048.0;

/// Zoom and pan of the photo: `scale` 1 = fitted, translation in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct View {
    scale: f64,
    tx: f64,
    ty: f64,
}

const FIT: View = View {
    scale: 1.0,
    tx: 0.0,
    ty: 0.0,
};

/// Lightbox commands, shared with the keyboard handler.
#[derive(Clone, Copy)]
pub struct LightboxControls {
    frame: NodeRef<html::Div>,
    stage: NodeRef<html::Div>,
    view: RwSignal<View>,
    loupe: RwSignal<bool>,
    exif: RwSignal<bool>,
    pixel_width: f64,
}

impl LightboxControls {
    /// Zooms by `factor` around a point given in client coordinates (the centre when `None`).
    pub fn zoom(&self, factor: f64, at: Option<(f64, f64)>) {
        let Some(frame) = self.frame.get_untracked() else {
            return;
        };
        let r = frame.get_bounding_client_rect();
        let (cx, cy) = at.unwrap_or((r.left() + r.width() / 2.0, r.top() + r.height() / 2.0));
        self.view.update(|v| {
            let next = (v.scale * factor).clamp(1.0, MAX_ZOOM);
            // Keep the picture point under the pointer where it is.
            let (lx, ly) = ((cx - r.left()) / v.scale, (cy - r.top()) / v.scale);
            v.tx -= lx * (next - v.scale);
            v.ty -= ly * (next - v.scale);
            v.scale = next;
            if next <= 1.0 {
                *v = FIT;
            }
        });
    }

    /// Fit the whole photo.
    pub fn fit(&self) {
        self.view.set(FIT);
    }

    /// One photo pixel per screen pixel, centred.
    pub fn actual_size(&self) {
        let Some(frame) = self.frame.get_untracked() else {
            return;
        };
        let fitted = f64::from(frame.offset_width()).max(1.0);
        let ratio = window().device_pixel_ratio().max(1.0);
        let target = (self.pixel_width / fitted / ratio).clamp(1.0, MAX_ZOOM);
        self.view.set(FIT);
        self.zoom(target, None);
    }

    /// Fit ↔ 100 %.
    pub fn toggle_zoom(&self) {
        if self.view.get_untracked().scale > 1.0 {
            self.fit();
        } else {
            self.actual_size();
        }
    }

    /// Toggle the loupe.
    pub fn toggle_loupe(&self) {
        self.loupe.update(|l| *l = !*l);
    }

    /// Toggle the EXIF panel.
    pub fn toggle_exif(&self) {
        self.exif.update(|e| *e = !*e);
    }

    /// Zoom and pan as a review session shares them (pan as a fraction of the picture box).
    pub fn session_view(&self) -> (f64, f64, f64) {
        let v = self.view.get();
        let (w, h) = self.frame.get_untracked().map_or((1.0, 1.0), |f| {
            (
                f64::from(f.offset_width()).max(1.0),
                f64::from(f.offset_height()).max(1.0),
            )
        });
        (v.scale, v.tx / w, v.ty / h)
    }

    /// Shows the presenter's zoom and pan.
    pub fn apply_session(&self, zoom: f64, pan_x: f64, pan_y: f64) {
        let (w, h) = self.frame.get_untracked().map_or((1.0, 1.0), |f| {
            (
                f64::from(f.offset_width()).max(1.0),
                f64::from(f.offset_height()).max(1.0),
            )
        });
        self.view.set(View {
            scale: zoom.clamp(1.0, MAX_ZOOM),
            tx: pan_x * w,
            ty: pan_y * h,
        });
    }

    /// Fullscreen the stage.
    pub fn fullscreen(&self) {
        if let Some(el) = self.stage.get_untracked() {
            dom::toggle_fullscreen(&el);
        }
    }
}

fn browser_decodes(mime: Option<&str>) -> bool {
    matches!(
        mime,
        Some("image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/avif" | "image/bmp")
    )
}

/// The lightbox.
#[component]
pub fn Lightbox(neighbours: StoredValue<Vec<AssetSummary>>) -> impl IntoView {
    let review = Review::get();
    let asset = review.asset.get_value();
    let id = asset.id;
    let (w, h) = (asset.metadata.width.unwrap_or(4), asset.metadata.height.unwrap_or(3));
    let current = asset
        .versions
        .iter()
        .find(|v| v.number == asset.current_version)
        .cloned();
    let has_preview = current
        .as_ref()
        .is_some_and(|v| v.derivatives.iter().any(|d| d == "preview.jpg"));
    let full_ok = browser_decodes(current.as_ref().and_then(|v| v.mime.as_deref()));
    // A guest's link may not serve originals: then the preview is as far as zoom goes.
    let originals = review.guest.with_value(|g| {
        g.as_ref()
            .is_none_or(|g| g.download == model::share::ShareDownload::Original)
    });
    let preview_src = review.file_url(if has_preview || !originals {
        "preview"
    } else {
        "original"
    });
    let full_src = review.file_url(if originals { "original" } else { "preview" });
    let full_ok = full_ok && originals;
    let controls = LightboxControls {
        frame: NodeRef::new(),
        stage: NodeRef::new(),
        view: RwSignal::new(FIT),
        loupe: RwSignal::new(false),
        exif: RwSignal::new(false),
        pixel_width: f64::from(w),
    };
    provide_context(controls);
    super::keys::install_lightbox(controls);
    // Review session: the presenter shares zoom and pan; followers show them.
    Effect::new(move |_| {
        if !super::session::presenting(review) {
            return;
        }
        let (zoom, pan_x, pan_y) = controls.session_view();
        super::session::publish(
            review,
            model::live::SessionState {
                asset_id: Some(id),
                zoom,
                pan_x,
                pan_y,
                ..Default::default()
            },
        );
    });
    Effect::new(move |_| {
        let Some(s) = super::session::followed(review) else {
            return;
        };
        if !super::session::follow_asset(review, &s.state) {
            controls.apply_session(s.state.zoom, s.state.pan_x, s.state.pan_y);
        }
    });
    let view_state = controls.view;
    // Past the preview's resolution, show the original (once; it stays).
    let full = RwSignal::new(false);
    let preview_edge = PREVIEW_EDGE.min(f64::from(w.max(h)));
    Effect::new(move |_| {
        let v = view_state.get();
        if full.get_untracked() || !full_ok || !has_preview {
            return;
        }
        if let Some(frame) = controls.frame.get_untracked() {
            let shown = f64::from(frame.offset_width()) * v.scale * window().device_pixel_ratio();
            if shown > preview_edge * f64::from(w) / f64::from(w.max(h)) {
                full.set(true);
            }
        }
    });
    let src = {
        let (p, f) = (preview_src.clone(), full_src.clone());
        move || if full.get() { f.clone() } else { p.clone() }
    };

    // Pan by drag, pinch with two pointers.
    let pointers: StoredValue<HashMap<i32, (f64, f64)>> = StoredValue::new(HashMap::new());
    let down = move |ev: web_sys::PointerEvent| {
        if review.mode.get_untracked() != PointerMode::Idle {
            return;
        }
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), (f64::from(ev.client_x()), f64::from(ev.client_y())));
        });
        if let Some(el) = controls.stage.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let at = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let before = pointers.with_value(|p| p.clone());
        let Some(prev) = before.get(&ev.pointer_id()).copied() else {
            return;
        };
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), at);
        });
        if before.len() >= 2 {
            let other = before.iter().find(|(k, _)| **k != ev.pointer_id()).map(|(_, v)| *v);
            if let Some(o) = other {
                let d0 = ((prev.0 - o.0).powi(2) + (prev.1 - o.1).powi(2)).sqrt();
                let d1 = ((at.0 - o.0).powi(2) + (at.1 - o.1).powi(2)).sqrt();
                if d0 > 1.0 {
                    controls.zoom(d1 / d0, Some(((at.0 + o.0) / 2.0, (at.1 + o.1) / 2.0)));
                }
            }
        } else if view_state.get_untracked().scale > 1.0 {
            view_state.update(|v| {
                v.tx += at.0 - prev.0;
                v.ty += at.1 - prev.1;
            });
        }
    };
    let up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
    };
    let wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        // Trackpad pinches arrive as wheel events with ctrl held; both zoom.
        let factor = (-ev.delta_y() * if ev.ctrl_key() { 0.01 } else { 0.002 }).exp();
        controls.zoom(factor, Some((f64::from(ev.client_x()), f64::from(ev.client_y()))));
    };
    // The loupe: 2.5× the current magnification, following the pointer.
    let loupe_at = RwSignal::new(None::<(f64, f64, f64, f64)>);
    let loupe_move = move |ev: web_sys::MouseEvent| {
        if !controls.loupe.get_untracked() {
            return;
        }
        let Some(frame) = controls.frame.get_untracked() else {
            return;
        };
        let el: &web_sys::Element = frame.unchecked_ref();
        let (x, y) = dom::normalised(el, f64::from(ev.client_x()), f64::from(ev.client_y()));
        let stage = controls.stage.get_untracked().map(|s| s.get_bounding_client_rect());
        let (sx, sy) = stage.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        loupe_at.set(
            ((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
                .then(|| (x, y, f64::from(ev.client_x()) - sx, f64::from(ev.client_y()) - sy)),
        );
    };
    let loupe_src = full_src.clone();
    let loupe_preview = preview_src.clone();
    let loupe = move || {
        let (x, y, px, py) = loupe_at.get()?;
        controls.loupe.get().then_some(())?;
        let frame = controls.frame.get()?;
        let zoom = view_state.get().scale * 2.5;
        let (fw, fh) = (
            f64::from(frame.offset_width()) * zoom,
            f64::from(frame.offset_height()) * zoom,
        );
        let img = if full_ok {
            loupe_src.clone()
        } else {
            loupe_preview.clone()
        };
        Some(view! {
            <div class="loupe" data-test-id="loupe" style=format!(
                "left:{px:.0}px;top:{py:.0}px;background-image:url({img});background-size:{fw:.0}px {fh:.0}px;background-position:{:.0}px {:.0}px",
                90.0 - x * fw, 90.0 - y * fh
            )></div>
        })
    };
    let rows = metadata_rows(&asset.metadata);
    let photos: Vec<AssetSummary> =
        neighbours.with_value(|n| n.iter().filter(|a| a.media_type == MediaType::Image).cloned().collect());
    view! {
        <div class="lightbox" data-test-id="lightbox">
            <div
                class="stage"
                node_ref=controls.stage
                class:zoomed={move || view_state.get().scale > 1.0}
                class:loupe-on=move || controls.loupe.get()
                data-test-id="lightbox-stage"
                data-zoom=move || format!("{:.3}", view_state.get().scale)
                data-full-resolution=move || full.get().to_string()
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up
                on:pointercancel=up
                on:wheel=wheel
                on:mousemove=loupe_move
                on:mouseleave=move |_| loupe_at.set(None)
            >
                <div
                    class="frame-box"
                    node_ref=controls.frame
                    on:pointermove=move |ev| super::live::pointer_moved(review, &ev)
                    on:pointerleave=move |_| super::live::send_cursor(review, None)
                    style=move || {
                        let v = view_state.get();
                        format!(
                            "aspect-ratio:{w}/{h};--ar:{};transform:translate({:.1}px,{:.1}px) scale({:.4})",
                            f64::from(w) / f64::from(h.max(1)), v.tx, v.ty, v.scale
                        )
                    }
                >
                    <img src=src alt=asset.name.clone() draggable="false" data-test-id="lightbox-image"/>
                    <Overlay/>
                </div>
                {loupe}
            </div>
            <div class="controls" data-test-id="lightbox-controls">
                <button type="button" class="tool" title="Fit (Z)" data-test-id="zoom-fit" on:click=move |_| controls.fit()>"Fit"</button>
                <button type="button" class="tool" title="100 % (Z)" data-test-id="zoom-100" on:click=move |_| controls.actual_size()>"100%"</button>
                <button type="button" class="tool" title="Zoom out (−)" data-test-id="zoom-out" on:click=move |_| controls.zoom(1.0 / 1.25, None)>"−"</button>
                <span class="small zoom-label" data-test-id="zoom-label">{move || {
                    let pct = controls.frame.get().map_or(100.0, |f| {
                        view_state.get().scale * f64::from(f.offset_width()) * window().device_pixel_ratio() / f64::from(w.max(1)) * 100.0
                    });
                    format!("{pct:.0}%")
                }}</span>
                <button type="button" class="tool" title="Zoom in (+)" data-test-id="zoom-in" on:click=move |_| controls.zoom(1.25, None)>"+"</button>
                <button type="button" class="tool" class:on=move || controls.loupe.get() title="Loupe (L)" data-test-id="loupe-toggle" on:click=move |_| controls.toggle_loupe()>"🔍"</button>
                <button type="button" class="tool" class:on=move || controls.exif.get() title="Info (I)" data-test-id="exif-toggle" on:click=move |_| controls.toggle_exif()>"ⓘ"</button>
                <button type="button" class="tool" title="Fullscreen (F)" data-test-id="fullscreen" on:click=move |_| controls.fullscreen()>"⛶"</button>
            </div>
            <Show when=move || review.mode.get() == PointerMode::Draw>
                <DrawTools/>
            </Show>
            <Show when=move || controls.exif.get()>
                <dl class="meta-list exif panel" data-test-id="exif-panel">
                    {rows.iter().map(|(k, v)| view! { <dt>{*k}</dt><dd>{v.clone()}</dd> }).collect_view()}
                </dl>
            </Show>
            <nav class="neighbours" data-test-id="neighbours" aria-label="Photos in this folder">
                {photos.into_iter().map(|n| {
                    let here = n.id == id;
                    view! {
                        <a href=format!("/assets/{}", n.id) class:current=here data-test-id="neighbour" data-name=n.name.clone() title=n.name.clone()>
                            {n.has_thumbnail.then(|| view! { <img src=format!("/api/v1/assets/{}/thumbnail?size=256", n.id) alt="" loading="lazy"/> })}
                        </a>
                    }
                }).collect_view()}
            </nav>
        </div>
    }
    .into_any()
}
