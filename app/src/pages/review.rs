//! `/assets/:id`: the review screen of one asset.

use crate::components::review::ReviewLoader;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The review page; rebuilt when the id changes (previous/next photo).
#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    move || view! { <ReviewLoader id=id.get()/> }
}
