//! The frame-accurate player over the web proxy.
//!
//! Positions are integer frames at the clip's rational rate. A seek goes to the middle of the
//! frame (so decoder rounding cannot land on a neighbour) and the frame on screen is confirmed
//! by `requestVideoFrameCallback`'s `mediaTime`, never by reading `currentTime` back.

use super::canvas::{DrawTools, Overlay};
use super::timeline::Timeline;
use super::{dom, PointerMode, Review};
use leptos::html;
use leptos::prelude::*;
use leptos::web_sys;
use model::asset::FilmstripIndex;
use model::timecode::{clip_start, nominal_fps, parse_smpte, TimeDisplay, Timecode};
use std::time::Duration;

mod playback;
use playback::{play_or_mute, reseek_if_unpresented};

/// Playback speeds offered (J/K/L shuttles separately, up to 8×).
const SPEEDS: [f64; 6] = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0];

/// Player commands, shared with the keyboard handler.
#[derive(Clone, Copy)]
pub struct Controls {
    video: NodeRef<html::Video>,
    stage: NodeRef<html::Div>,
    /// Shuttle speed: 0 stopped, ±1, ±2, ±4, ±8 (negative = reverse).
    shuttle: RwSignal<i32>,
    speed: RwSignal<f64>,
    looping: RwSignal<bool>,
    muted: RwSignal<bool>,
    reverse: StoredValue<Option<IntervalHandle>>,
    /// The frame a seek went to, until it is presented (paused seeks only).
    pending: StoredValue<Option<i64>>,
}

impl Controls {
    fn el(&self) -> Option<web_sys::HtmlVideoElement> {
        self.video.get_untracked()
    }

    /// Play or pause.
    pub fn toggle(&self) {
        self.stop_reverse();
        if let Some(v) = self.el() {
            if v.paused() {
                v.set_playback_rate(self.speed.get_untracked());
                let _ = v.play();
            } else {
                let _ = v.pause();
            }
        }
        self.shuttle.set(0);
    }

    /// Pause (and stop shuttling).
    pub fn pause(&self) {
        self.stop_reverse();
        self.shuttle.set(0);
        if let Some(v) = self.el() {
            let _ = v.pause();
        }
    }

    fn stop_reverse(&self) {
        if let Some(h) = self.reverse.try_update_value(Option::take).flatten() {
            h.clear();
        }
    }

    /// J (reverse) or L (forward): start, or double up to 8×.
    pub fn shuttle(&self, forward: bool, review: Review) {
        let now = self.shuttle.get_untracked();
        let next = match (forward, now) {
            (true, n) if n > 0 => (n * 2).min(8),
            (true, _) => 1,
            (false, n) if n < 0 => (n * 2).max(-8),
            (false, _) => -1,
        };
        self.pause();
        self.shuttle.set(next);
        if next > 0 {
            if let Some(v) = self.el() {
                v.set_playback_rate(f64::from(next));
                let _ = v.play();
            }
        } else if let Some(rate) = review.rate() {
            // Browsers cannot play backwards: step back on a timer instead.
            let per_tick = ((rate.as_f64() * f64::from(-next) / 10.0).round() as i64).max(1);
            let handle = set_interval_with_handle(
                move || {
                    let f = review.frame.get_untracked() - per_tick;
                    review.seek.set(Some(f.max(0)));
                },
                Duration::from_millis(100),
            );
            if let Ok(h) = handle {
                self.reverse.set_value(Some(h));
            }
        }
    }

    /// Seeks to frame `f` now (not through the `seek` signal's effect, which runs later: two
    /// quick steps would both start from the old frame).
    pub fn seek_to(&self, f: i64, review: Review) {
        let (Some(v), Some(rate)) = (self.el(), review.rate()) else {
            return;
        };
        let f = f.clamp(0, review.frame_count() - 1);
        self.pending.set_value(Some(f));
        v.set_current_time(Timecode::new(f, rate).seek_seconds());
        review.frame.set(f);
    }

    /// Step `by` frames (paused), from the frame last asked for.
    pub fn step(&self, by: i64, review: Review) {
        self.pause();
        let from = self.pending.get_value().unwrap_or_else(|| review.frame.get_untracked());
        self.seek_to(from + by, review);
    }

    /// Toggle loop between the in and out points (or the whole clip).
    pub fn toggle_loop(&self) {
        self.looping.update(|l| *l = !*l);
    }

    /// Toggle mute.
    pub fn toggle_mute(&self) {
        self.muted.update(|m| *m = !*m);
    }

    /// Toggle fullscreen on the player.
    pub fn fullscreen(&self) {
        if let Some(el) = self.stage.get_untracked() {
            dom::toggle_fullscreen(&el);
        }
    }
}

/// The video player with its controls and timeline.
#[component]
pub fn Player(filmstrip: Option<FilmstripIndex>, waveform: Vec<u8>) -> impl IntoView {
    let review = Review::get();
    let asset = review.asset.get_value();
    let (w, h) = (asset.metadata.width.unwrap_or(16), asset.metadata.height.unwrap_or(9));
    let rate = asset.metadata.frame_rate;
    let controls = Controls {
        video: NodeRef::new(),
        stage: NodeRef::new(),
        shuttle: RwSignal::new(0),
        speed: RwSignal::new(1.0),
        looping: RwSignal::new(false),
        muted: RwSignal::new(false),
        reverse: StoredValue::new(None),
        pending: StoredValue::new(None),
    };
    provide_context(controls);
    super::keys::install_player(review, controls);
    let presented = RwSignal::new(-1i64);
    let retried = StoredValue::new((-1i64, 0u8));
    let volume = RwSignal::new(1.0f64);

    // Follow every presented frame, for as long as the player exists.
    fn follow(video: web_sys::HtmlVideoElement, review: Review, presented: RwSignal<i64>, controls: Controls) {
        let v = video.clone();
        dom::on_next_frame(&video, move |media_time| {
            let Some(rate) = review.rate() else { return };
            if presented
                .try_set(Timecode::from_media_time(media_time, rate).frame)
                .is_some()
            {
                return; // unmounted
            }
            let f = presented.get_untracked();
            // While a paused seek is in flight, a callback for another frame is stale (the frame
            // before the seek, presented late or twice): taking it as the position would make
            // the next step start from there. Seen on a loaded 2-core machine: → then ← ←
            // landed one frame short.
            let settled = match controls.pending.get_value() {
                Some(target) if v.paused() => target == f,
                _ => true,
            };
            if settled {
                controls.pending.set_value(None);
                review.frame.set(f);
            }
            if controls.looping.get_untracked() && !v.paused() {
                let end = review.out_point.get_untracked().unwrap_or(review.frame_count() - 1);
                if f >= end {
                    review.seek.set(Some(review.in_point.get_untracked().unwrap_or(0)));
                }
            }
            follow(v, review, presented, controls);
        });
    }
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        match controls.video.get() {
            Some(v) => {
                follow(v, review, presented, controls);
                true
            }
            None => false,
        }
    });
    // Seeks requested anywhere (keys, comments, markers, the timeline).
    Effect::new(move |_| {
        let Some(target) = review.seek.get() else { return };
        review.seek.set(None);
        controls.seek_to(target, review);
    });
    Effect::new(move |_| {
        review.pause.track();
        if review.playing.get_untracked() || controls.shuttle.get_untracked() != 0 {
            controls.pause();
        }
    });
    Effect::new(move |_| {
        let (muted, volume) = (controls.muted.get(), volume.get());
        if let Some(v) = controls.video.get() {
            v.set_muted(muted);
            v.set_volume(volume);
        }
    });
    Effect::new(move |_| {
        let speed = controls.speed.get();
        if let Some(v) = controls.video.get() {
            if controls.shuttle.get_untracked() <= 1 {
                v.set_playback_rate(speed);
            }
        }
    });
    on_cleanup(move || controls.stop_reverse());
    session_sync(review, controls);

    let jump_text = RwSignal::new(String::new());
    let jump = move || {
        let Some(rate) = rate else { return };
        let text = jump_text.get_untracked();
        let text = text.trim();
        let (start, _) = review
            .asset
            .with_value(|a| clip_start(a.metadata.start_timecode.as_deref(), rate));
        let frame = match review.display.get_untracked() {
            TimeDisplay::Timecode => parse_smpte(text, rate).ok().map(|(abs, _)| abs - start),
            TimeDisplay::Frames => text.parse::<i64>().ok().map(|n| n - review.start_frame.get_untracked()),
            TimeDisplay::Seconds => text.parse::<f64>().ok().map(|s| Timecode::at_time(s, rate).frame),
        };
        match frame {
            Some(f) if (0..review.frame_count()).contains(&f) => {
                review.error.set(None);
                controls.pause();
                review.seek.set(Some(f));
            }
            _ => review.fail(format!("“{text}” is not a position in this clip")),
        }
        jump_text.set(String::new());
    };
    let editing = RwSignal::new(false);
    let fps_label = rate.map(|r| {
        let v = r.as_f64();
        if r.den() == 1 {
            format!("{v} fps")
        } else {
            format!("{v:.3} fps")
        }
    });
    let drop_label = rate.map(|r| {
        let (_, drop) = review
            .asset
            .with_value(|a| clip_start(a.metadata.start_timecode.as_deref(), r));
        if drop {
            "DF"
        } else {
            "NDF"
        }
    });
    let nominal = rate.map_or(25, nominal_fps);
    let frame_total = review.frame_count();
    view! {
        <div class="player" data-test-id="player" data-frame=move || review.frame.get() data-presented-frame=move || presented.get()
            data-frame-count=frame_total data-playing=move || review.playing.get().to_string()>
            <div class="stage" node_ref=controls.stage>
                <div class="frame-box" style=format!("aspect-ratio:{w}/{h};--ar:{}", f64::from(w) / f64::from(h.max(1)))
                    on:pointermove=move |ev| super::live::pointer_moved(review, &ev)
                    on:pointerleave=move |_| super::live::send_cursor(review, None)>
                    <video
                        node_ref=controls.video
                        src=review.file_url("proxy")
                        poster=review.file_url("poster")
                        preload="auto"
                        playsinline=true
                        data-test-id="player-video"
                        on:play=move |_| { controls.pending.set_value(None); review.playing.set(true) }
                        on:seeked=move |_| reseek_if_unpresented(review, controls, presented, retried)
                        on:pause=move |_| review.playing.set(false)
                        on:ended=move |_| {
                            if controls.looping.get_untracked() {
                                review.seek.set(Some(review.in_point.get_untracked().unwrap_or(0)));
                                if let Some(v) = controls.video.get_untracked() { let _ = v.play(); }
                            }
                        }
                        on:click=move |_| if review.mode.get_untracked() == PointerMode::Idle { controls.toggle() }
                    ></video>
                    <Overlay/>
                </div>
            </div>
            <Timeline filmstrip waveform/>
            <div class="controls" data-test-id="player-controls">
                <button type="button" class="tool" title="Previous frame (←)" data-test-id="step-back" on:click=move |_| controls.step(-1, review)>"⏮"</button>
                <button type="button" class="tool play" title="Play/pause (Space, K)" data-test-id="play"
                    on:click=move |_| controls.toggle()>{move || if review.playing.get() { "⏸" } else { "▶" }}</button>
                <button type="button" class="tool" title="Next frame (→)" data-test-id="step-forward" on:click=move |_| controls.step(1, review)>"⏭"</button>
                <div class="timecode">
                    <input
                        class="tc-input"
                        data-test-id="timecode-input"
                        aria-label="Position (type a timecode, frame or seconds and press Enter)"
                        prop:value=move || if editing.get() { jump_text.get() } else { review.label(review.frame.get()) }
                        on:focus=move |_| { editing.set(true); jump_text.set(review.label(review.frame.get_untracked())); }
                        on:blur=move |_| editing.set(false)
                        on:input=move |ev| jump_text.set(event_target_value(&ev))
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            if ev.key() == "Enter" || ev.key() == "Escape" {
                                ev.prevent_default();
                                if ev.key() == "Enter" { jump(); }
                                editing.set(false);
                                // Hand the keyboard back to the player's shortcuts.
                                let _ = event_target::<web_sys::HtmlInputElement>(&ev).blur();
                            }
                        }
                    />
                    <span class="muted small" data-test-id="timecode-total">{move || format!(" / {}", review.label(frame_total - 1))}</span>
                </div>
                <select class="small" data-test-id="time-display" aria-label="Time display"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(m) = TimeDisplay::ALL.into_iter().find(|m| m.as_str() == v) { review.display.set(m) }
                    }>
                    {TimeDisplay::ALL.into_iter().map(|m| view! {
                        <option value=m.as_str() selected=move || review.display.get() == m>{match m {
                            TimeDisplay::Timecode => "Timecode",
                            TimeDisplay::Frames => "Frames",
                            TimeDisplay::Seconds => "Seconds",
                        }}</option>
                    }).collect_view()}
                </select>
                <Show when=move || review.display.get() == TimeDisplay::Frames>
                    <label class="small">"from "
                        <input type="number" class="start-frame" data-test-id="start-frame" min="0"
                            prop:value=move || review.start_frame.get().to_string()
                            on:change=move |ev| review.start_frame.set(event_target_value(&ev).parse().unwrap_or(0))/>
                    </label>
                </Show>
                <span class="muted small">{fps_label}" "{drop_label}</span>
                <span class="grow"></span>
                <span class="small shuttle" data-test-id="shuttle">{move || match controls.shuttle.get() {
                    0 => String::new(),
                    n if n < 0 => format!("◀◀ {}×", -n),
                    n => format!("▶▶ {n}×"),
                }}</span>
                <select class="small" data-test-id="speed" aria-label="Speed"
                    on:change=move |ev| controls.speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                    {SPEEDS.into_iter().map(|s| view! { <option value=s.to_string() selected=s == 1.0>{format!("{s}×")}</option> }).collect_view()}
                </select>
                <button type="button" class="tool" class:on=move || review.in_point.get().is_some() title="Set in point (I)" data-test-id="set-in"
                    on:click=move |_| review.in_point.set(Some(review.frame.get_untracked()))>"I"</button>
                <button type="button" class="tool" class:on=move || review.out_point.get().is_some() title="Set out point (O)" data-test-id="set-out"
                    on:click=move |_| review.out_point.set(Some(review.frame.get_untracked()))>"O"</button>
                <button type="button" class="tool" class:on=move || controls.looping.get() title="Loop (Ctrl+L)" data-test-id="loop"
                    on:click=move |_| controls.toggle_loop()>"⟳"</button>
                <button type="button" class="tool" title="Mute (M)" data-test-id="mute" on:click=move |_| controls.toggle_mute()>
                    {move || if controls.muted.get() { "🔇" } else { "🔊" }}
                </button>
                <input type="range" class="volume" min="0" max="1" step="0.05" aria-label="Volume" data-test-id="volume"
                    prop:value=move || volume.get().to_string()
                    on:input=move |ev| volume.set(event_target_value(&ev).parse().unwrap_or(1.0))/>
                <button type="button" class="tool" title="Fullscreen (F)" data-test-id="fullscreen" on:click=move |_| controls.fullscreen()>"⛶"</button>
            </div>
            <Show when=move || review.mode.get() == PointerMode::Draw>
                <DrawTools/>
            </Show>
            <input type="hidden" data-test-id="nominal-fps" value=nominal/>
        </div>
    }
    .into_any()
}

/// Review session: the presenter shares position, play state, speed, loop and in/out;
/// followers mirror them (to the frame when paused, within half a second when playing).
fn session_sync(review: Review, controls: Controls) {
    let asset = review.asset.with_value(|a| a.id);
    Effect::new(move |_| {
        let state = model::live::SessionState {
            asset_id: Some(asset),
            frame: review.frame.get(),
            playing: review.playing.get(),
            speed: controls.speed.get(),
            looping: controls.looping.get(),
            in_point: review.in_point.get(),
            out_point: review.out_point.get(),
            ..Default::default()
        };
        if super::session::presenting(review) {
            super::session::publish(review, state);
        }
    });
    Effect::new(move |_| {
        let Some(s) = super::session::followed(review) else {
            return;
        };
        let st = s.state;
        if super::session::follow_asset(review, &st) {
            return;
        }
        let Some(v) = controls.el() else { return };
        if controls.speed.get_untracked() != st.speed {
            controls.speed.set(st.speed);
        }
        if controls.looping.get_untracked() != st.looping {
            controls.looping.set(st.looping);
        }
        review.in_point.set(st.in_point);
        review.out_point.set(st.out_point);
        if st.playing {
            let tolerance = review.rate().map_or(12, |r| (r.as_f64() / 2.0).round() as i64);
            if (review.frame.get_untracked() - st.frame).abs() > tolerance {
                controls.seek_to(st.frame, review);
            }
            if v.paused() {
                v.set_playback_rate(st.speed);
                play_or_mute(&v, controls);
            }
        } else {
            // Pausing a playing video leaves it wherever its decoder was (often a frame past
            // the last one presented): seek to the presenter's frame even if it looks equal.
            let was_playing = !v.paused();
            if was_playing {
                controls.pause();
            }
            let at = controls
                .pending
                .get_value()
                .unwrap_or_else(|| review.frame.get_untracked());
            if was_playing || at != st.frame {
                controls.seek_to(st.frame, review);
            }
        }
    });
}
