//! Opening, reading and reopening the socket.

use super::{with_state, LinkStatus, Live};
use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::JsCast;
use model::live::ServerMessage;
use std::time::Duration;

/// Delays before each reconnection attempt: all within three seconds of a drop.
const BACKOFF_MS: [u64; 5] = [150, 400, 800, 1500, 3000];
/// Failed attempts in a row after which sockets are taken to be blocked (pages poll).
const BLOCKED_AFTER: u32 = 3;

fn url() -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/api/v1/ws", location.host().ok()?))
}

/// Opens the socket unless it is open or opening.
pub(super) fn ensure(live: Live) {
    let busy = with_state(|s| s.socket.is_some());
    if busy {
        return;
    }
    let Some(url) = url() else { return };
    let ws = match web_sys::WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => {
            retry(live);
            return;
        }
    };
    if live.status.get_untracked() != LinkStatus::Offline {
        live.status.set(if with_state(|s| s.ever_opened) {
            LinkStatus::Reconnecting
        } else {
            LinkStatus::Connecting
        });
    }
    super::idle::install(live);

    let on_open = Closure::<dyn FnMut()>::new(move || {
        with_state(|s| s.open = true);
        let projects: Vec<_> = with_state(|s| s.subs.keys().copied().collect());
        for p in projects {
            live.send_subscribe(p);
        }
        // A fresh subscription counts as active; only an idle page needs to say otherwise.
        if with_state(|s| s.idle) {
            super::idle::announce(live);
        }
    });
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let Some(text) = ev.data().as_string() else { return };
        // Live (and the backoff reset) once the server answers, not merely on open: a proxy
        // that accepts and drops connections must not make the client reconnect in a loop.
        if live.status.get_untracked() != LinkStatus::Live {
            with_state(|s| {
                s.attempts = 0;
                s.ever_opened = true;
            });
            live.status.set(LinkStatus::Live);
        }
        match serde_json::from_str::<ServerMessage>(&text) {
            Ok(msg) => live.dispatch(msg),
            Err(e) => leptos::logging::warn!("live: unreadable message: {e}"),
        }
    });
    let on_close = Closure::<dyn FnMut()>::new(move || {
        with_state(|s| {
            s.socket = None;
            s.open = false;
        });
        retry(live);
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    // The socket lives as long as the page; so do its handlers.
    on_open.forget();
    on_message.forget();
    on_close.forget();
    with_state(|s| s.socket = Some(ws));
}

fn retry(live: Live) {
    let (attempts, wanted) = with_state(|s| (s.attempts, !s.subs.is_empty()));
    if !wanted {
        live.status.set(LinkStatus::Idle);
        return;
    }
    with_state(|s| s.attempts += 1);
    live.status.set(if attempts + 1 >= BLOCKED_AFTER {
        LinkStatus::Offline
    } else {
        LinkStatus::Reconnecting
    });
    let delay = BACKOFF_MS[(attempts as usize).min(BACKOFF_MS.len() - 1)];
    set_timeout(move || ensure(live), Duration::from_millis(delay));
}
