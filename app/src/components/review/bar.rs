//! The review bar: star rating, pick/reject, colour label, review status and approvals.
//! Changes show at once and roll back (with a visible message) if the server refuses.

use super::Review;
use crate::api::review::{approve, set_label, set_rating, set_status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::review::{ColorLabel, RatingRequest, ReviewDto, ReviewStatus, REJECTED};
use model::share::Verdict;
use model::Action;

/// Applies `change` to the shown state now, sends `call`, and keeps the server's answer — or
/// puts the old state back and says why.
fn optimistic<F>(review: Review, change: impl FnOnce(&mut ReviewDto), call: F)
where
    F: std::future::Future<Output = Result<ReviewDto, crate::error::AppError>> + 'static,
{
    let before = review.review.get_untracked();
    review.review.update(change);
    spawn_local(async move {
        match call.await {
            Ok(state) => {
                review.review.set(state);
                review.error.set(None);
            }
            Err(e) => {
                review.review.set(before);
                review.fail(format!("Not saved: {}", e.message()));
            }
        }
    });
}

/// Sets the rating and/or pick flag of the version on screen.
pub fn rate(review: Review, request: RatingRequest) {
    let asset = review.asset.with_value(|a| a.id.to_string());
    let request = RatingRequest {
        version: Some(review.asset.with_value(|a| a.current_version)),
        ..request
    };
    optimistic(
        review,
        |r| {
            if let Some(n) = request.rating {
                r.rating = n;
                if n == REJECTED {
                    r.picked = false;
                }
            }
            if request.picked == Some(true) {
                r.picked = true;
                if r.rating == REJECTED {
                    r.rating = 0;
                }
            }
        },
        set_rating(asset, request),
    );
}

/// Sets or clears the colour label.
pub fn label(review: Review, label: Option<ColorLabel>) {
    let asset = review.asset.with_value(|a| a.id.to_string());
    optimistic(review, |r| r.label = label, set_label(asset, label));
}

fn status(review: Review, status: ReviewStatus) {
    let asset = review.asset.with_value(|a| a.id.to_string());
    let version = Some(review.asset.with_value(|a| a.current_version));
    optimistic(review, |r| r.status = status, set_status(asset, status, version));
}

/// The bar.
#[component]
pub fn ReviewBar() -> impl IntoView {
    let review = Review::get();
    let can_rate = review.can(Action::Rate);
    let me = review.me;
    let version = review.asset.with_value(|a| a.current_version);
    let approved_by_me = move || {
        review
            .review
            .with(|r| r.approvals.iter().any(|a| a.user.id == me && a.version == version))
    };
    let toggle_approval = move |_| {
        let asset = review.asset.with_value(|a| a.id.to_string());
        let approving = !approved_by_me();
        optimistic(
            review,
            |r| {
                if approving {
                    r.status = ReviewStatus::Approved;
                }
            },
            approve(asset, approving),
        );
    };
    view! {
        <section class="review-bar panel" data-test-id="review-bar"
            data-rating=move || review.review.get().rating
            data-status=move || review.review.get().status.as_str()
            data-label=move || review.review.get().label.map_or("", ColorLabel::as_str)>
            <div class="row">
                <div class="stars" role="radiogroup" aria-label="Rating" data-test-id="stars">
                    {(1..=5i16).map(|n| view! {
                        <button type="button" class="star" class:on={move || review.review.get().rating >= n}
                            disabled=!can_rate aria-label=format!("{n} stars") data-test-id=format!("star-{n}")
                            on:click=move |_| {
                                let same = review.review.get_untracked().rating == n;
                                rate(review, RatingRequest { rating: Some(if same { 0 } else { n }), picked: None, version: None });
                            }>"★"</button>
                    }).collect_view()}
                </div>
                <button type="button" class="tool flag" class:on=move || review.review.get().picked disabled=!can_rate
                    title="Pick (P)" data-test-id="pick" on:click=move |_| rate(review, RatingRequest { rating: None, picked: Some(!review.review.get_untracked().picked), version: None })>"⚑"</button>
                <button type="button" class="tool flag reject" class:on=move || review.review.get().rating == REJECTED disabled=!can_rate
                    title="Reject (X)" data-test-id="reject" on:click=move |_| rate(review, RatingRequest { rating: Some(if review.review.get_untracked().rating == REJECTED { 0 } else { REJECTED }), picked: None, version: None })>"✕"</button>
                <div class="labels" data-test-id="labels">
                    {ColorLabel::ALL.into_iter().map(|l| view! {
                        <button type="button" class=format!("label-dot {}", l.as_str()) class:on=move || review.review.get().label == Some(l)
                            disabled=!can_rate title=l.as_str() data-test-id=format!("label-{}", l.as_str())
                            on:click=move |_| {
                                let same = review.review.get_untracked().label == Some(l);
                                label(review, (!same).then_some(l));
                            }></button>
                    }).collect_view()}
                </div>
            </div>
            <div class="row">
                {if can_rate {
                    view! {
                        <select data-test-id="status" aria-label="Review status" on:change=move |ev| {
                            if let Some(s) = ReviewStatus::parse(&event_target_value(&ev)) { status(review, s) }
                        }>
                            {ReviewStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.as_str() selected=move || review.review.get().status == s>{s.label()}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class=move || if approved_by_me() { "secondary" } else { "primary" }
                            data-test-id="approve" on:click=toggle_approval>
                            {move || if approved_by_me() { "Approved ✓ (withdraw)" } else { "Approve" }}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <span class=move || format!("badge status-{}", review.review.get().status.as_str()) data-test-id="status-badge">
                            {move || review.review.get().status.label()}
                        </span>
                    }.into_any()
                }}
            </div>
            <ul class="approvals small" data-test-id="approvals">
                {move || review.review.get().approvals.into_iter().map(|a| view! {
                    <li>"✓ "{a.user.name}" approved v"{a.version}" · "{a.created_at.format("%Y-%m-%d %H:%M").to_string()}</li>
                }).collect_view()}
                {move || review.review.get().guest_verdicts.into_iter().map(|g| view! {
                    <li class=format!("verdict {}", g.verdict.as_str()) data-test-id="guest-verdict">
                        {if g.verdict == Verdict::Approved { "✓ " } else { "✎ " }}
                        <strong>{g.name}</strong>{g.email.map(|e| format!(" <{e}>"))}" "{g.verdict.label()}" v"{g.version}
                        " · via “"{g.link_name}"” · "{g.created_at.format("%Y-%m-%d %H:%M").to_string()}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// A share-link guest's verdict on the version on screen: approve or ask for changes (links
/// that allow it), shown with the status it leads to.
#[component]
pub fn GuestVerdictBar(token: String) -> impl IntoView {
    let review = Review::get();
    let mine = move || review.review.with(|r| r.guest_verdicts.first().map(|v| v.verdict));
    let token = StoredValue::new(token);
    let choose = move |verdict: Verdict| {
        let asset = review.asset.with_value(|a| a.id.to_string());
        let next = (mine() != Some(verdict)).then_some(verdict);
        optimistic(
            review,
            |r| {
                if let Some(v) = next {
                    r.status = match v {
                        Verdict::Approved => ReviewStatus::Approved,
                        Verdict::ChangesRequested => ReviewStatus::ChangesRequested,
                    };
                }
            },
            crate::api::shares::guest_verdict(token.get_value(), asset, next),
        );
    };
    view! {
        <section class="review-bar panel" data-test-id="guest-verdict-bar"
            data-status=move || review.review.get().status.as_str()>
            <div class="row">
                <button type="button" class=move || if mine() == Some(Verdict::Approved) { "secondary" } else { "primary" }
                    data-test-id="guest-approve" aria-pressed=move || (mine() == Some(Verdict::Approved)).to_string()
                    on:click=move |_| choose(Verdict::Approved)>
                    {move || if mine() == Some(Verdict::Approved) { "Approved ✓ (withdraw)" } else { "Approve" }}
                </button>
                <button type="button" class=move || if mine() == Some(Verdict::ChangesRequested) { "secondary" } else { "" }
                    data-test-id="guest-request-changes" aria-pressed=move || (mine() == Some(Verdict::ChangesRequested)).to_string()
                    on:click=move |_| choose(Verdict::ChangesRequested)>
                    {move || if mine() == Some(Verdict::ChangesRequested) { "Changes requested ✎ (withdraw)" } else { "Request changes" }}
                </button>
                <span class=move || format!("badge status-{}", review.review.get().status.as_str()) data-test-id="status-badge">
                    {move || review.review.get().status.label()}
                </span>
            </div>
        </section>
    }
}
