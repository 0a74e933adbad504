//! Browser entry point: hydrates the server-rendered page.

/// Called by the generated JS loader once the WASM module is ready.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for end-to-end tests (and curious people) that the page is interactive.
    let _ = js_sys::Reflect::set(&leptos::prelude::window(), &"__dailies_hydrated".into(), &true.into());
}
