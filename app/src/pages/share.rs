//! `/s/:token`: a review link as its guest sees it — no account. A password and/or the
//! reviewer's name first, then what the link covers, viewed in place.

use crate::api::shares::{open_share, ShareView, UnlockShare};
use crate::components::errors::ActionError;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::asset::MediaType;
use model::share::{ShareDownload, SharedAsset};
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
    let Some(assets) = view.assets else {
        return view! { <Unlock token info=view.info unlock/> }.into_any();
    };
    let open = RwSignal::new(None::<SharedAsset>);
    let download = info.download;
    let cards = assets
        .items
        .into_iter()
        .map(|a| {
            let src = format!("/api/v1/s/{token}/assets/{}/thumbnail?size=512", a.id);
            let pick = a.clone();
            view! {
                <button type="button" class="share-card" data-test-id="share-card" data-name=a.name.clone()
                    on:click=move |_| open.set(Some(pick.clone()))>
                    <img src=src alt="" loading="lazy"/>
                    <span>{a.name.clone()}</span>
                </button>
            }
        })
        .collect_view();
    let t = token.clone();
    view! {
        <div class="page-head">
            <div>
                <p class="crumbs">"Review link"</p>
                <h1 data-test-id="share-name">{info.name.clone()}</h1>
            </div>
            {info.guest_name.clone().map(|n| view! { <p class="muted" data-test-id="share-guest">"Reviewing as " <strong>{n}</strong></p> })}
        </div>
        <p class="muted">{format!("{} item{}", assets.total, if assets.total == 1 { "" } else { "s" })}
            {info.expires_at.map(|e| format!(" · open until {}", e.format("%Y-%m-%d %H:%M UTC")))}</p>
        <div class="share-grid" data-test-id="share-grid">{cards}</div>
        {move || open.get().map(|a| view! { <Viewer token=t.clone() asset=a download close=Callback::new(move |_| open.set(None))/> })}
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

/// One asset, large: the preview of a photo, the proxy of a video or audio.
#[component]
fn Viewer(token: String, asset: SharedAsset, download: ShareDownload, close: Callback<()>) -> impl IntoView {
    let base = format!("/api/v1/s/{token}/assets/{}", asset.id);
    let media = match asset.media_type {
        MediaType::Image => view! { <img src=format!("{base}/preview") alt=asset.name.clone() data-test-id="share-preview"/> }.into_any(),
        _ => view! {
            <video src=format!("{base}/proxy") poster=format!("{base}/poster") controls=true playsinline=true data-test-id="share-video"></video>
        }
        .into_any(),
    };
    let file = if asset.media_type == MediaType::Image {
        "preview"
    } else {
        "proxy"
    };
    let link = match download {
        ShareDownload::None => None,
        ShareDownload::Proxy => Some((format!("{base}/{file}?download=true"), "Download")),
        ShareDownload::Original => Some((format!("{base}/original"), "Download original")),
    };
    view! {
        <div class="share-viewer" role="dialog" aria-label=asset.name.clone() data-test-id="share-viewer">
            <div class="share-viewer-bar">
                <strong>{asset.name.clone()}</strong>
                {link.map(|(href, label)| view! { <a class="button small" href=href data-test-id="share-download">{label}</a> })}
                <button type="button" class="small ghost" on:click=move |_| close.run(()) data-test-id="share-close">"Close"</button>
            </div>
            {media}
        </div>
    }
}
