//! Active or idle: five minutes without input (or a hidden tab) is idle.

use super::{with_state, Live};
use leptos::prelude::*;
use model::live::{ClientMessage, PresenceState};
use std::time::Duration;

const IDLE_AFTER_MS: f64 = 5.0 * 60.0 * 1000.0;

thread_local! {
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_INPUT: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn hidden() -> bool {
    document().hidden()
}

/// Starts watching input once per page.
pub(super) fn install(live: Live) {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    LAST_INPUT.with(|t| t.set(now()));
    let touch = move || {
        LAST_INPUT.with(|t| t.set(now()));
        if with_state(|s| s.idle) {
            check(live);
        }
    };
    for ev in ["pointermove", "pointerdown", "keydown", "wheel"] {
        let handle = window_event_listener_untyped(ev, move |_| touch());
        std::mem::forget(handle);
    }
    let vis = window_event_listener_untyped("visibilitychange", move |_| check(live));
    std::mem::forget(vis);
    let tick = set_interval_with_handle(move || check(live), Duration::from_secs(15));
    std::mem::forget(tick);
}

fn check(live: Live) {
    let idle = hidden() || now() - LAST_INPUT.with(std::cell::Cell::get) > IDLE_AFTER_MS;
    let changed = with_state(|s| std::mem::replace(&mut s.idle, idle) != idle);
    if changed {
        announce(live);
    }
}

/// Tells every subscribed project whether this page is active or idle.
pub(super) fn announce(live: Live) {
    let (idle, projects): (bool, Vec<_>) = with_state(|s| (s.idle, s.subs.keys().copied().collect()));
    let state = if idle {
        PresenceState::Idle
    } else {
        PresenceState::Active
    };
    for project_id in projects {
        live.send(&ClientMessage::Presence { project_id, state });
    }
}
