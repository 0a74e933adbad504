//! `/assets/:id`: the review screen of one asset.

use crate::components::review::ReviewLoader;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The review page (`?version=N` shows an older version); rebuilt when the id or version
/// changes (previous/next photo).
#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = Memo::new(move |_| query.read().get("version").and_then(|v| v.parse::<i32>().ok()));
    move || view! { <ReviewLoader id=id.get() version=version.get()/> }
}
