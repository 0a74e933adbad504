//! The asset grid, virtualised: only the rows in view (plus a margin) exist in the DOM, pages
//! of assets are fetched as they scroll into view, and while anything is uploading or
//! processing the loaded pages are refreshed every two seconds so progress and thumbnails
//! appear without a reload.

use super::Filters;
use crate::api::assets::list_assets;
use leptos::prelude::*;
use model::asset::AssetPage;
use std::collections::{HashMap, HashSet};

/// Assets per fetched page.
pub const PAGE: i64 = 120;
const GRID_ROW: f64 = 228.0;
const LIST_ROW: f64 = 64.0;
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "used when measuring in the browser")
)]
const MIN_CARD: f64 = 196.0;
/// Rows rendered above and below the viewport.
const MARGIN_ROWS: usize = 3;

#[derive(Clone, Copy)]
struct Layout {
    cols: usize,
    first_row: usize,
    rows_in_view: usize,
}

/// The grid (or list) of one filtered view of a project.
#[component]
pub fn AssetGrid(
    project: String,
    filters: Filters,
    first: AssetPage,
    selected: RwSignal<Option<String>>,
    picked: RwSignal<Vec<String>>,
    refresh: RwSignal<u32>,
    can_upload: bool,
    can_rate: bool,
) -> impl IntoView {
    let list = filters.list;
    let derived = filters.derived();
    let row_h = if list { LIST_ROW } else { GRID_ROW };
    let total = RwSignal::new(first.total);
    let pages = RwSignal::new(HashMap::from([(0i64, first.items)]));
    let in_flight = StoredValue::new(HashSet::<i64>::new());
    let layout = RwSignal::new(Layout {
        cols: if list { 1 } else { 4 },
        first_row: 0,
        rows_in_view: 6,
    });
    let viewport = NodeRef::<leptos::html::Div>::new();

    let fetch = {
        let project = project.clone();
        let filters = filters.clone();
        move |page: i64| {
            if in_flight.with_value(|s| s.contains(&page)) {
                return;
            }
            in_flight.update_value(|s| {
                s.insert(page);
            });
            let (project, filters) = (project.clone(), filters.clone());
            leptos::task::spawn_local(async move {
                let result = list_assets(project, filters, page * PAGE, PAGE).await;
                in_flight.update_value(|s| {
                    s.remove(&page);
                });
                if let Ok(p) = result {
                    total.set(p.total);
                    pages.update(|m| {
                        m.insert(page, p.items);
                    });
                }
            });
        }
    };

    // Every loaded page again (after a change that may move assets in, out or around).
    let reload_all = {
        let fetch = fetch.clone();
        move || {
            let loaded: Vec<i64> = pages.with_untracked(|m| m.keys().copied().collect());
            for page in loaded {
                fetch(page);
            }
        }
    };

    // A bulk edit elsewhere on the page asks for fresh pages.
    {
        let reload_all = reload_all.clone();
        Effect::new(move |prev: Option<u32>| {
            let n = refresh.get();
            if prev.is_some_and(|p| p != n) {
                reload_all();
            }
            n
        });
    }

    // Which indices are in view.
    let range = Memo::new(move |_| {
        let l = layout.get();
        let start = l.first_row.saturating_sub(MARGIN_ROWS) * l.cols;
        let end = ((l.first_row + l.rows_in_view + MARGIN_ROWS) * l.cols).min(total.get().max(0) as usize);
        start..end.max(start)
    });

    // Fetch pages that come into view.
    {
        let fetch = fetch.clone();
        Effect::new(move |_| {
            let r = range.get();
            if r.is_empty() {
                return;
            }
            let loaded: HashSet<i64> = pages.with(|m| m.keys().copied().collect());
            for page in (r.start as i64 / PAGE)..=((r.end as i64 - 1) / PAGE) {
                if !loaded.contains(&page) {
                    fetch(page);
                }
            }
        });
    }

    // Measure the viewport (client only) and keep the layout in step with it.
    #[cfg(feature = "hydrate")]
    {
        let measure = move || {
            if let Some(el) = viewport.get_untracked() {
                let width = f64::from(el.client_width()).max(1.0);
                let height = f64::from(el.client_height()).max(row_h);
                let cols = if list {
                    1
                } else {
                    ((width / MIN_CARD).floor() as usize).max(1)
                };
                let first_row = (f64::from(el.scroll_top()) / row_h).floor() as usize;
                let rows_in_view = (height / row_h).ceil() as usize + 1;
                layout.set(Layout {
                    cols,
                    first_row,
                    rows_in_view,
                });
            }
        };
        Effect::new(move |_| measure());
        let handle = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || handle.remove());
    }

    // Rate the selected card from the keyboard: 0–5 stars, X rejects (as in the review screen).
    #[cfg(not(feature = "hydrate"))]
    let _ = (can_rate, derived);
    #[cfg(feature = "hydrate")]
    {
        let keys = window_event_listener(leptos::ev::keydown, move |ev: leptos::web_sys::KeyboardEvent| {
            if !can_rate
                || ev.ctrl_key()
                || ev.meta_key()
                || ev.alt_key()
                || crate::components::review::dom::typing(ev.target())
            {
                return;
            }
            let Some(id) = selected.get_untracked() else { return };
            let code = ev.code();
            let many = picked.with_untracked(|p| p.len() > 1);
            let rating: i16 = match code.as_str() {
                "KeyX" => model::review::REJECTED,
                d if d.starts_with("Digit") => match d[5..].parse::<i16>() {
                    Ok(n @ 0..=5) => n,
                    _ => return,
                },
                _ => return,
            };
            ev.prevent_default();
            if many {
                let ids = picked.get_untracked();
                pages.update(|m| {
                    m.values_mut()
                        .flatten()
                        .filter(|a| ids.contains(&a.id.to_string()))
                        .for_each(|a| a.rating = rating)
                });
                leptos::task::spawn_local(async move {
                    let _ =
                        crate::api::organise::bulk_edit(ids, crate::api::organise::BulkChange::Rating { rating }).await;
                    refresh.update(|n| *n += 1);
                });
                return;
            }
            let set = move |r: i16| {
                pages.update(|m| {
                    for a in m.values_mut().flatten() {
                        if a.id.to_string() == id {
                            a.rating = r;
                        }
                    }
                })
            };
            let before = pages.with_untracked(|m| {
                m.values()
                    .flatten()
                    .find(|a| a.id.to_string() == selected.get_untracked().unwrap_or_default())
                    .map(|a| a.rating)
            });
            let asset = selected.get_untracked().unwrap_or_default();
            let set_for = set.clone();
            set(rating);
            leptos::task::spawn_local(async move {
                let request = model::review::RatingRequest {
                    rating: Some(rating),
                    picked: None,
                    version: None,
                };
                if crate::api::review::set_rating(asset, request).await.is_err() {
                    set_for(before.unwrap_or(0));
                }
            });
        });
        on_cleanup(move || keys.remove());
    }

    // Live: new assets, processing progress, ready/failed and review changes as they happen.
    #[cfg(feature = "hydrate")]
    if let Ok(project_id) = project.parse::<model::ProjectId>() {
        let reload_all = reload_all.clone();
        let live = crate::live::Live::get();
        let since = Some(first.last_event_id);
        let sub = live.subscribe(project_id, None, since, move |msg| {
            use model::live::{kind, ServerMessage};
            match msg {
                // Copies arrive all at once.
                ServerMessage::Event(e) if e.kind == kind::CLONE_FINISHED => reload_all(),
                ServerMessage::Event(e) => {
                    let Some(asset) = e.asset_id else { return };
                    let edit = |f: &dyn Fn(&mut model::asset::AssetSummary)| {
                        pages.update(|m| m.values_mut().flatten().filter(|a| a.id == asset).for_each(f))
                    };
                    match e.kind.as_str() {
                        kind::RATING_CHANGED
                        | kind::LABEL_CHANGED
                        | kind::STATUS_CHANGED
                        | kind::ASSET_UPDATED
                        | kind::COMMENT_CREATED
                        | kind::COMMENT_UPDATED
                        | kind::COMMENT_DELETED
                        | kind::COMMENT_RESOLVED
                            if derived =>
                        {
                            reload_all()
                        }
                        kind::ASSET_DELETED | kind::ASSET_RESTORED | kind::ASSET_UPDATED => reload_all(),
                        kind::ASSET_PROGRESS => {
                            let p = e.payload["progress"].as_i64().unwrap_or(0) as i16;
                            let phase = e.payload["phase"].as_str().unwrap_or("").to_owned();
                            edit(&|a| {
                                a.status = model::asset::VersionState::Processing;
                                a.progress = p;
                                a.phase = phase.clone();
                            });
                        }
                        kind::RATING_CHANGED | kind::LABEL_CHANGED | kind::STATUS_CHANGED | kind::APPROVAL_CHANGED => {
                            if let Ok(r) =
                                serde_json::from_value::<model::review::ReviewDto>(e.payload["review"].clone())
                            {
                                edit(&|a| {
                                    a.rating = r.rating;
                                    a.label = r.label;
                                    a.review_status = r.status;
                                });
                            }
                        }
                        kind::ASSET_CREATED | kind::VERSION_CREATED | kind::ASSET_READY | kind::ASSET_FAILED => {
                            reload_all()
                        }
                        _ => {}
                    }
                }
                ServerMessage::Refetch { .. } => reload_all(),
                _ => {}
            }
        });
        let sub = StoredValue::new_local(Some(sub));
        on_cleanup(move || sub.update_value(|s| drop(s.take())));
    }

    // Refresh on a timer while uploads are in flight (their bytes are not events), or while
    // anything processes and live updates are unavailable.
    #[cfg(feature = "hydrate")]
    {
        let activity = RwSignal::new(0u32);
        let bump = move |_| activity.update(|n| *n = n.wrapping_add(1));
        let h1 = window_event_listener_untyped("dailies:upload-activity", bump);
        let h2 = window_event_listener_untyped("dailies:upload-complete", bump);
        let reload_all = reload_all.clone();
        let busy_until = StoredValue::new(0u32);
        // Without live updates, everything is refreshed every third tick (6 s).
        let polls = StoredValue::new(0u32);
        let tick = set_interval_with_handle(
            move || {
                let live = crate::live::Live::get().is_live();
                let in_progress = pages.with_untracked(|m| {
                    m.values().flatten().any(|a| match a.status {
                        model::asset::VersionState::Uploading => true,
                        model::asset::VersionState::Processing => !live,
                        _ => false,
                    })
                });
                let recent = activity.get_untracked();
                let active_upload = busy_until.with_value(|b| *b != recent);
                busy_until.set_value(recent);
                if in_progress
                    || active_upload
                    || (!live
                        && polls
                            .try_update_value(|n| {
                                *n += 1;
                                *n % 3 == 0
                            })
                            .unwrap_or(false))
                {
                    reload_all();
                }
            },
            std::time::Duration::from_secs(2),
        );
        on_cleanup(move || {
            h1.remove();
            h2.remove();
            if let Ok(t) = tick {
                t.clear();
            }
        });
    }

    let on_scroll = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = viewport.get_untracked() {
            let first_row = (f64::from(el.scroll_top()) / row_h).floor() as usize;
            layout.update(|l| {
                if l.first_row != first_row {
                    l.first_row = first_row;
                }
            });
        }
    };

    let group_by = filters.group.clone();
    // In a collection, cards can be dragged into a new order (manual ones; smart ones refuse).
    let reorder = (!filters.collection.is_empty()).then(|| {
        let collection = filters.collection.clone();
        let reload_all = reload_all.clone();
        Callback::new(move |(dragged, before): (String, String)| {
            let (collection, reload_all) = (collection.clone(), reload_all.clone());
            leptos::task::spawn_local(async move {
                if crate::api::organise::reorder_collection(collection, dragged, before)
                    .await
                    .is_ok()
                {
                    reload_all();
                }
            });
        })
    });
    let cards = move || {
        let l = layout.get();
        let r = range.get();
        pages.with(|m| {
            let at = |i: usize| m.get(&(i as i64 / PAGE)).and_then(|p| p.get(i % PAGE as usize));
            r.map(|i| {
                let item = at(i).cloned();
                let group = item.as_ref().and_then(|a| {
                    let g = group_label(&group_by, a)?;
                    let prev = i.checked_sub(1).and_then(at).and_then(|p| group_label(&group_by, p));
                    (prev.as_ref() != Some(&g)).then_some(g)
                });
                let (row, col) = (i / l.cols, i % l.cols);
                let style = format!(
                    "top:{}px;left:{}%;width:{}%;height:{}px",
                    row as f64 * row_h,
                    col as f64 * 100.0 / l.cols as f64,
                    100.0 / l.cols as f64,
                    row_h
                );
                (i, item, style, group)
            })
            .collect::<Vec<_>>()
        })
    };

    // Click: select one; Ctrl/Cmd-click: toggle; Shift-click: the range from the last click.
    let anchor = StoredValue::new(None::<usize>);
    let on_pick = Callback::new(move |(index, id, shift, toggle): (usize, String, bool, bool)| {
        selected.set(Some(id.clone()));
        match (shift, toggle, anchor.get_value()) {
            (true, _, Some(from)) => {
                let (lo, hi) = (from.min(index), from.max(index));
                let ids: Vec<String> = pages.with_untracked(|m| {
                    (lo..=hi)
                        .filter_map(|i| m.get(&(i as i64 / PAGE)).and_then(|p| p.get(i % PAGE as usize)))
                        .map(|a| a.id.to_string())
                        .collect()
                });
                picked.update(|p| {
                    for id in ids {
                        if !p.contains(&id) {
                            p.push(id);
                        }
                    }
                });
            }
            (_, true, _) => {
                anchor.set_value(Some(index));
                picked.update(|p| {
                    if let Some(at) = p.iter().position(|x| *x == id) {
                        p.remove(at);
                    } else {
                        p.push(id);
                    }
                });
            }
            _ => {
                anchor.set_value(Some(index));
                picked.set(vec![id]);
            }
        }
    });

    let project_id = project.parse::<model::ProjectId>().ok();
    view! {
        <p class="library-count muted" data-test-id="asset-count">
            {move || match total.get() {
                0 => String::new(),
                1 => "1 item".to_owned(),
                n => format!("{n} items"),
            }}
        </p>
        {move || (total.get() == 0).then(|| view! {
            <div class="empty-library" data-test-id="empty-library">
                <div class="drop-illustration" aria-hidden="true"></div>
                <p>"No media here yet."</p>
                <p class="muted">
                    {if can_upload { "Drop files or folders here, or use Upload." } else { "Footage and stills will appear here as thumbnails." }}
                </p>
            </div>
        })}
        <div class="grid-viewport" class:list=list node_ref=viewport on:scroll=on_scroll data-test-id="asset-grid">
            <div class="grid-canvas" style=move || {
                let l = layout.get();
                let rows = (total.get().max(0) as usize).div_ceil(l.cols.max(1));
                format!("height:{}px", rows as f64 * row_h)
            }>
                {move || cards().into_iter().map(|(i, item, style, group)| match item {
                    Some(a) => match group {
                        Some(g) => view! { <super::card::AssetCard asset=a style selected picked index=i on_pick list project=project_id group=g/> }.into_any(),
                        None => match reorder {
                            Some(r) => view! { <super::card::AssetCard asset=a style selected picked index=i on_pick list project=project_id reorder=r/> }.into_any(),
                            None => view! { <super::card::AssetCard asset=a style selected picked index=i on_pick list project=project_id/> }.into_any(),
                        },
                    },
                    None => view! { <div class="cell" style=style><div class="card skeleton"></div></div> }.into_any(),
                }).collect_view()}
            </div>
        </div>
    }
}

/// The heading of `a`'s group when the view is grouped by `by` (`rating`, `status`, …).
fn group_label(by: &str, a: &model::asset::AssetSummary) -> Option<String> {
    Some(match by {
        "rating" => match a.rating {
            -1 => "Rejected".to_owned(),
            0 => "No rating".to_owned(),
            r => "★".repeat(r as usize),
        },
        "status" => a.review_status.label().to_owned(),
        "label" => a.label.map_or("No label".to_owned(), |l| l.as_str().to_owned()),
        "media_type" => a.media_type.as_str().to_owned(),
        _ => return None,
    })
}
