//! Share-link server functions: members make, list and revoke links; guests open and unlock
//! them. Thin over `domain::shares`.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::share::{ShareDownload, ShareDto, ShareInfo, SharedAssets};
use serde::{Deserialize, Serialize};

/// What a new link covers: the chosen assets, a folder (living), or a collection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ShareTarget {
    /// These assets.
    Assets(Vec<String>),
    /// A folder and what is added to it later.
    Folder(String),
    /// A collection, as it is whenever the link is opened.
    Collection(String),
}

/// A new link's password, expiry and permissions, as the share form sets them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareOptions {
    /// A password guests must give (empty: none).
    pub password: Option<String>,
    /// Days until it expires (0 or none: never).
    pub expires_in_days: Option<u32>,
    /// What guests may download.
    pub download: ShareDownload,
    /// Guests may comment.
    pub comments: bool,
    /// Guests see each other's comments.
    pub show_comments: bool,
    /// Guests may approve or request changes.
    pub approvals: bool,
    /// Watermark text (the reviewer's name or e-mail; empty: none).
    pub watermark: Option<String>,
}

/// Makes a link to `target` with `options`.
#[server(input = Json)]
pub async fn create_share(project: String, target: ShareTarget, options: ShareOptions) -> Result<ShareDto, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    let (asset_ids, folder_id, collection_id) = match target {
        ShareTarget::Assets(ids) => (Some(ids), None, None),
        ShareTarget::Folder(id) => (None, Some(id), None),
        ShareTarget::Collection(id) => (None, None, Some(id)),
    };
    let req = model::share::CreateShareRequest {
        project_id: project,
        asset_ids,
        folder_id,
        collection_id,
        name: None,
        password: options.password.filter(|p| !p.is_empty()),
        expires_at: options
            .expires_in_days
            .filter(|d| *d > 0)
            .map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d))),
        download: options.download,
        comments: options.comments,
        show_comments: options.show_comments,
        approvals: options.approvals,
        watermark: options.watermark.filter(|w| !w.trim().is_empty()),
    };
    Ok(domain::shares::create(&mut *conn().await?, caller.id(), &req).await?)
}

/// A project's links, newest first.
#[server]
pub async fn list_shares(project: String) -> Result<Vec<ShareDto>, AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::shares::list(&mut *conn().await?, caller.id(), model::ids::parse_id(&project)?).await?)
}

/// Revokes a link.
#[server]
pub async fn revoke_share(id: String) -> Result<(), AppError> {
    use crate::ssr::{caller, conn};
    let caller = caller().await?;
    Ok(domain::shares::revoke(&mut *conn().await?, caller.id(), model::ids::parse_id(&id)?).await?)
}

/// What a guest's browser sees of a link: always its description, and its assets once it is
/// unlocked (or needs no password).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareView {
    /// The link.
    pub info: ShareInfo,
    /// What it covers, when this browser may see it.
    pub assets: Option<SharedAssets>,
}

/// Opens a link as this browser's guest.
#[server]
pub async fn open_share(token: String) -> Result<ShareView, AppError> {
    use crate::ssr::{conn, open_link_here};
    use domain::shares::guest;
    let mut conn = conn().await?;
    let access = open_link_here(&mut conn, &token).await?;
    let assets = match access.require_unlocked() {
        Ok(()) => Some(guest::assets(&mut conn, &access).await?),
        Err(_) => None,
    };
    Ok(ShareView {
        info: access.info(),
        assets,
    })
}

/// Unlocks a link with its password and the reviewer's name; sets the guest cookie.
#[server]
pub async fn unlock_share(
    token: String,
    password: Option<String>,
    name: String,
    email: Option<String>,
) -> Result<ShareInfo, AppError> {
    use crate::ssr::{client_info, conn, set_guest_cookie};
    use domain::shares::guest;
    let mut conn = conn().await?;
    let req = model::share::UnlockRequest { password, name, email };
    let unlocked = guest::unlock(&mut conn, &token, &req, &client_info().await).await?;
    set_guest_cookie(&guest::cookie_name(unlocked.access.link.id), &unlocked.secret);
    Ok(unlocked.access.info())
}

/// The review screen of one asset the link covers, for this browser's guest.
#[server]
pub async fn load_shared_review(token: String, asset: String) -> Result<model::review::ReviewPage, AppError> {
    use crate::ssr::{conn, open_link_here, state};
    let state = state()?;
    let mut conn = conn().await?;
    let access = open_link_here(&mut conn, &token).await?;
    Ok(domain::shares::review::page(&mut conn, &state.storage, &access, model::ids::parse_id(&asset)?).await?)
}

/// The comments this browser's guest sees on an asset of the link.
#[server]
pub async fn list_shared_comments(token: String, asset: String) -> Result<Vec<model::review::CommentDto>, AppError> {
    use crate::ssr::{conn, open_link_here};
    let mut conn = conn().await?;
    let access = open_link_here(&mut conn, &token).await?;
    Ok(domain::comments::list_for_guest(&mut conn, &access, model::ids::parse_id(&asset)?).await?)
}

/// A guest's comment or reply through the link.
#[server(input = Json)]
pub async fn post_shared_comment(
    token: String,
    asset: String,
    comment: model::review::NewComment,
) -> Result<model::review::CommentDto, AppError> {
    use crate::ssr::{conn, open_link_here};
    let mut conn = conn().await?;
    let access = open_link_here(&mut conn, &token).await?;
    Ok(domain::comments::create_as_guest(&mut conn, &access, model::ids::parse_id(&asset)?, comment).await?)
}

/// A guest's verdict on the current version (`None` withdraws it), through the link.
#[server(input = Json)]
pub async fn guest_verdict(
    token: String,
    asset: String,
    verdict: Option<model::share::Verdict>,
) -> Result<model::review::ReviewDto, AppError> {
    use crate::ssr::{conn, open_link_here};
    let mut conn = conn().await?;
    let access = open_link_here(&mut conn, &token).await?;
    let request = model::share::VerdictRequest { verdict };
    Ok(domain::shares::verdicts::set(&mut conn, &access, model::ids::parse_id(&asset)?, request).await?)
}
