//! `/s/:token`: a review link as its guest sees it — no account. A password and/or the
//! reviewer's name first, then what the link covers, viewed in place.

use crate::api::shares::{load_shared_review, open_share, ShareView, UnlockShare};
use crate::components::errors::ActionError;
use crate::components::review::ReviewScreen;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::asset::MediaType;
use model::share::ShareDownload;
use model::ErrorCode;

/// The guest's page.
#[component]
pub fn SharePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let unlock = ServerAction::<UnlockShare>::new();
    let view = Resource::new(move || (token(), unlock.version().get()), |(t, _)| open_share(t));
    view! {
        <Title text="Review link · Dailies"/>
        <Suspense fallback=|| view! { <p class="muted">"Opening the link…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(v) => view! { <Shared token=token() view=v unlock/> }.into_any(),
                    Err(error) => view! { <Closed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A link that cannot be opened: revoked, expired or unknown, said plainly.
#[component]
fn Closed(error: AppError) -> impl IntoView {
    let title = match error.code() {
        ErrorCode::Gone => "This review link is no longer available",
        ErrorCode::NotFound => "There is no such review link",
        _ => "This review link could not be opened",
    };
    view! {
        <div class="panel notice" data-test-id="share-closed">
            <h1>{title}</h1>
            <p>{error.message().to_owned()}</p>
            <p class="muted">"Ask the person who sent it for a new link."</p>
        </div>
    }
}

#[component]
fn Shared(token: String, view: ShareView, unlock: ServerAction<UnlockShare>) -> impl IntoView {
    let info = view.info.clone();
    // The review screen attributes comments to the name given here, so every link asks for it
    // first (links without a password ask only for the name).
    let Some(assets) = view.assets.filter(|_| info.unlocked) else {
        return view! { <Unlock token info=view.info unlock/> }.into_any();
    };
    let cards = assets
        .items
        .into_iter()
        .map(|a| {
            let src = format!("/api/v1/s/{token}/assets/{}/thumbnail?size=512", a.id);
            view! {
                <a class="share-card" href=format!("/s/{token}/assets/{}", a.id) data-test-id="share-card" data-name=a.name.clone()>
                    <img src=src alt="" loading="lazy" on:error=crate::components::review::dom::retry_image/>
                    <span>{a.name.clone()}</span>
                    {(a.media_type != MediaType::Image).then(|| view! { <span class="badge small">{a.media_type.as_str()}</span> })}
                </a>
            }
        })
        .collect_view();
    view! {
        <div class="page-head">
            <div>
                <p class="crumbs">"Review link"</p>
                <h1 data-test-id="share-name">{info.name.clone()}</h1>
            </div>
            {info.guest_name.clone().map(|n| view! { <p class="muted" data-test-id="share-guest">"Reviewing as " <strong>{n}</strong></p> })}
        </div>
        <p class="muted">{format!("{} item{}", assets.total, if assets.total == 1 { "" } else { "s" })}
            {info.expires_at.map(|e| format!(" · open until {}", e.format("%Y-%m-%d %H:%M UTC")))}
            {match (info.comments, info.download) {
                (true, ShareDownload::None) => " · open one to comment on it",
                (true, _) => " · open one to comment on it or download it",
                (false, ShareDownload::None) => "",
                (false, _) => " · open one to download it",
            }}</p>
        <div class="share-grid" data-test-id="share-grid">{cards}</div>
    }
    .into_any()
}

#[component]
fn Unlock(token: String, info: model::share::ShareInfo, unlock: ServerAction<UnlockShare>) -> impl IntoView {
    view! {
        <section class="panel narrow" data-test-id="share-unlock">
            <h1>{info.name.clone()}</h1>
            <p class="muted">{if info.has_password {
                "This review link is protected. Enter its password and your name; your comments will carry your name."
            } else {
                "Enter your name; your comments will carry it."
            }}</p>
            <ActionForm action=unlock attr:class="stack">
                <input type="hidden" name="token" value=token/>
                {info.has_password.then(|| view! {
                    <label>"Password" <input type="password" name="password" required autocomplete="off" data-test-id="share-password"/></label>
                })}
                <label>"Your name" <input type="text" name="name" required maxlength="100" data-test-id="share-guest-name"/></label>
                <label>"E-mail (optional)" <input type="email" name="email" maxlength="254" data-test-id="share-guest-email"/></label>
                <button type="submit" class="primary" data-test-id="share-open">"Open"</button>
            </ActionForm>
            <ActionError value=unlock.value()/>
        </section>
    }
}

/// `/s/:token/assets/:id`: one asset of the link on the review screen — the members' player
/// or lightbox, comments and drawings — with the guest's permissions.
#[component]
pub fn SharedReviewPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| {
        let p = params.read();
        (p.get("token").unwrap_or_default(), p.get("id").unwrap_or_default())
    });
    let page = Resource::new(move || key.get(), |(token, id)| load_shared_review(token, id));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <Title text=format!("{} · Review link", page.asset.name)/>
                        <ReviewScreen page/>
                    }.into_any(),
                    Err(error) if error.code() == ErrorCode::Unauthenticated => {
                        let token = key.get_untracked().0;
                        view! {
                            <div class="panel notice" data-test-id="share-locked">
                                <h1>"Open the review link first"</h1>
                                <p>{error.message().to_owned()}</p>
                                <a class="button" href=format!("/s/{token}")>"Go to the link"</a>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <Closed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
