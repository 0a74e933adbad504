//! The review screen: the viewer (frame-accurate player or photo lightbox) with its drawing
//! layer and pins, the review bar (rating, label, status, approvals) and the comments.
//!
//! Shared state lives in one [`Review`] context of signals; the keyboard is handled in one
//! place ([`keys`]) and dispatched by physical key code.

mod bar;
mod canvas;
mod comments;
mod composer;
pub mod dom;
mod export;
pub mod keys;
mod lightbox;
mod live;
mod player;
mod session;
mod timeline;
mod versions;

use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use model::annotation::{Annotation, Tool, PALETTE, WIDTHS};
use model::asset::{AssetDto, MediaType};
use model::review::{CommentDto, GuestReview, Person, ReviewDto, ReviewPage};
use model::timecode::{clip_start, TimeDisplay, Timecode};
use model::{Action, CommentId, Rational, Role, UserId};

/// What a click on the picture does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointerMode {
    /// Nothing (pan, in the lightbox).
    Idle,
    /// Place a pin (click) or a rectangle (drag).
    Pin,
    /// Draw with the current tool.
    Draw,
}

/// A pin or rectangle being placed for the next comment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DraftPin {
    /// Normalised position.
    pub x: f64,
    /// Normalised position.
    pub y: f64,
    /// Rectangle size (`None` for a point).
    pub size: Option<(f64, f64)>,
}

/// The review screen's shared state.
#[derive(Clone, Copy)]
pub struct Review {
    /// The asset.
    pub asset: StoredValue<AssetDto>,
    /// The caller's role.
    pub role: Role,
    /// The caller.
    pub me: UserId,
    /// Members, for mentions and filters.
    pub people: StoredValue<Vec<Person>>,
    /// Rating, label, status, approvals.
    pub review: RwSignal<ReviewDto>,
    /// Comments, ordered by frame.
    pub comments: RwSignal<Vec<CommentDto>>,
    /// The comment whose drawing and pin are shown.
    pub active: RwSignal<Option<CommentId>>,
    /// The frame on screen (videos).
    pub frame: RwSignal<i64>,
    /// A seek the player should perform (set by comments, markers, keys).
    pub seek: RwSignal<Option<i64>>,
    /// Whether the video plays.
    pub playing: RwSignal<bool>,
    /// A request to pause (typing a comment).
    pub pause: Trigger,
    /// In point (I).
    pub in_point: RwSignal<Option<i64>>,
    /// Out point (O).
    pub out_point: RwSignal<Option<i64>>,
    /// How positions are shown.
    pub display: RwSignal<TimeDisplay>,
    /// First number of the frame counter (e.g. 1001).
    pub start_frame: RwSignal<i64>,
    /// What pointer input on the picture does.
    pub mode: RwSignal<PointerMode>,
    /// The drawing for the next comment.
    pub draft: RwSignal<Annotation>,
    /// Undone shapes (redo stack).
    pub redo: RwSignal<Vec<model::annotation::Shape>>,
    /// Current drawing tool.
    pub tool: RwSignal<Tool>,
    /// Current colour.
    pub color: RwSignal<String>,
    /// Current stroke width.
    pub width: RwSignal<f64>,
    /// The pin for the next comment.
    pub pin: RwSignal<Option<DraftPin>>,
    /// The frame the comment being typed is about (captured when typing starts).
    pub captured: RwSignal<Option<i64>>,
    /// A failed action's message, shown until the next success.
    pub error: RwSignal<Option<String>>,
    /// The shortcut overlay.
    pub help: RwSignal<bool>,
    /// The project.
    pub project: model::ProjectId,
    /// Other people's pointers on this asset.
    pub cursors: RwSignal<Vec<live::Remote>>,
    /// Other people's playheads on this asset.
    pub playheads: RwSignal<Vec<live::Remote>>,
    /// Whether others see this person's pointer (a per-user choice, remembered).
    pub share_cursor: RwSignal<bool>,
    /// Whether this screen follows the review session's presenter.
    pub following: RwSignal<bool>,
    /// News about the asset itself (a new version processing or ready).
    pub note: RwSignal<Option<String>>,
    /// The newest live event the page's data includes.
    pub last_event_id: i64,
    /// Set for a share-link guest: media and comments go through the link.
    pub guest: StoredValue<Option<GuestReview>>,
}

impl Review {
    fn new(page: &ReviewPage) -> Review {
        Review {
            asset: StoredValue::new(page.asset.clone()),
            role: page.role,
            me: page.me,
            people: StoredValue::new(page.people.clone()),
            review: RwSignal::new(page.review.clone()),
            comments: RwSignal::new(page.comments.clone()),
            active: RwSignal::new(None),
            frame: RwSignal::new(0),
            seek: RwSignal::new(None),
            playing: RwSignal::new(false),
            pause: Trigger::new(),
            in_point: RwSignal::new(None),
            out_point: RwSignal::new(None),
            display: RwSignal::new(TimeDisplay::Timecode),
            start_frame: RwSignal::new(0),
            mode: RwSignal::new(PointerMode::Idle),
            draft: RwSignal::new(Annotation::default()),
            redo: RwSignal::new(Vec::new()),
            tool: RwSignal::new(Tool::Arrow),
            color: RwSignal::new(PALETTE[0].to_owned()),
            width: RwSignal::new(WIDTHS[1]),
            pin: RwSignal::new(None),
            captured: RwSignal::new(None),
            error: RwSignal::new(None),
            help: RwSignal::new(false),
            project: page.asset.project_id,
            cursors: RwSignal::new(Vec::new()),
            playheads: RwSignal::new(Vec::new()),
            // Guests have no live connection to share a pointer through.
            share_cursor: RwSignal::new(page.guest.is_none()),
            following: RwSignal::new(true),
            note: RwSignal::new(None),
            last_event_id: page.last_event_id,
            guest: StoredValue::new(page.guest.clone()),
        }
    }

    /// The review context (inside the review screen).
    pub fn get() -> Review {
        expect_context::<Review>()
    }

    /// Whether the caller may do `action` (controls are hidden otherwise). A share-link
    /// guest may view, and comment where the link allows it; nothing else.
    pub fn can(&self, action: Action) -> bool {
        match self.guest.with_value(|g| g.as_ref().map(|g| g.comments)) {
            Some(comments) => action == Action::View || (action == Action::Comment && comments),
            None => self.role.can(action),
        }
    }

    /// Whether a share-link guest is reviewing.
    pub fn is_guest(&self) -> bool {
        self.guest.with_value(Option::is_some)
    }

    /// The URL of the asset's `file` (`proxy`, `preview`, …) on screen: the member route at
    /// the version on screen, or the link's route (always the current version) for guests.
    pub fn file_url(&self, file: &str) -> String {
        let (id, version) = self.asset.with_value(|a| (a.id, a.current_version));
        match self.guest.with_value(|g| g.as_ref().map(|g| g.token.clone())) {
            Some(token) => format!("/api/v1/s/{token}/assets/{id}/{file}"),
            None => format!("/api/v1/assets/{id}/{file}?version={version}"),
        }
    }

    /// Video, image or audio.
    pub fn media(&self) -> MediaType {
        self.asset.with_value(|a| a.media_type)
    }

    /// The frame rate (videos with a known rate).
    pub fn rate(&self) -> Option<Rational> {
        self.asset.with_value(|a| a.metadata.frame_rate)
    }

    /// Frames in the clip (at least 1).
    pub fn frame_count(&self) -> i64 {
        self.asset
            .with_value(|a| a.metadata.frame_count.unwrap_or(1).max(1) as i64)
    }

    /// The label of `frame` in the current display mode.
    pub fn label(&self, frame: i64) -> String {
        let Some(rate) = self.rate() else {
            return frame.to_string();
        };
        let (start, drop) = self
            .asset
            .with_value(|a| clip_start(a.metadata.start_timecode.as_deref(), rate));
        Timecode::new(frame, rate).label(self.display.get(), start, drop, self.start_frame.get())
    }

    /// Shows `message` as the screen's error.
    pub fn fail(&self, message: impl Into<String>) {
        self.error.set(Some(message.into()));
    }

    /// Puts a new or changed comment in its place in the list.
    pub fn upsert(&self, comment: CommentDto) {
        self.comments.update(|list| {
            match list.iter_mut().find(|c| c.id == comment.id) {
                Some(slot) => *slot = comment,
                None => list.push(comment),
            }
            list.sort_by(|a, b| {
                (a.frame_in.is_some(), a.frame_in, a.created_at).cmp(&(b.frame_in.is_some(), b.frame_in, b.created_at))
            });
        });
    }

    /// Seeks the player to `frame` and shows `comment`'s drawing.
    pub fn open_comment(&self, comment: &CommentDto) {
        self.active.set(Some(comment.id));
        if let Some(f) = comment.frame_in {
            self.seek.set(Some(f));
        }
    }

    /// The annotations to paint now: the draft while drawing, else the active comment's
    /// drawing when the playhead is on its frame (or range).
    pub fn visible_annotation(&self) -> Option<Annotation> {
        if self.mode.get() == PointerMode::Draw || !self.draft.with(Annotation::is_empty) {
            return Some(self.draft.get());
        }
        let active = self.active.get()?;
        let frame = self.frame.get();
        self.comments.with(|list| {
            let c = list.iter().find(|c| c.id == active)?;
            let on_frame = match (c.frame_in, c.frame_out) {
                (Some(i), Some(o)) => (i..=o).contains(&frame),
                (Some(i), None) => i == frame,
                _ => true,
            };
            on_frame.then(|| c.annotation.clone()).flatten()
        })
    }
}

/// The review screen for a loaded page.
#[component]
pub fn ReviewScreen(page: ReviewPage) -> impl IntoView {
    let review = Review::new(&page);
    provide_context(review);
    let media = review.media();
    let neighbours = StoredValue::new(page.neighbours.clone());
    keys::install(review, neighbours);
    let viewer = match media {
        MediaType::Video
            if page
                .asset
                .versions
                .iter()
                .any(|v| v.derivatives.iter().any(|d| d == "proxy.mp4")) =>
        {
            view! { <player::Player filmstrip=page.filmstrip.clone() waveform=page.waveform.clone()/> }.into_any()
        }
        MediaType::Image => view! { <lightbox::Lightbox neighbours/> }.into_any(),
        _ => view! { <NotPlayable/> }.into_any(),
    };
    let project = page.asset.project_id.to_string();
    let guest = page.guest.clone();
    // Live updates, in the browser only (effects do not run on the server). Guests have no
    // live connection; their screen polls the link's comments instead.
    Effect::new(move |done: Option<()>| {
        if done.is_none() {
            if review.is_guest() {
                live::poll_guest_comments(review);
            } else {
                live::connect(review);
            }
        }
    });
    let (project_id, asset_id, me) = (review.project, page.asset.id, review.me);
    let crumbs = match &guest {
        Some(g) => view! {
            <a href=format!("/s/{}", g.token) data-test-id="back-to-link">{g.link_name.clone()}</a>
            " / "
            <span data-test-id="asset-name">{page.asset.name.clone()}</span>
        }
        .into_any(),
        None => view! {
            <a href=format!("/projects/{project}") data-test-id="back-to-project">{page.project_name.clone()}</a>
            " / "
            <span data-test-id="asset-name">{page.asset.name.clone()}</span>
            <versions::VersionSwitcher asset=page.asset.clone() current=page.current_version can_edit=review.can(Action::Upload)/>
        }
        .into_any(),
    };
    let side_extras = match &guest {
        Some(g) => {
            use model::share::ShareDownload;
            let (file, label) = match (g.download, media) {
                (ShareDownload::None, _) => (None, ""),
                (ShareDownload::Original, _) => (Some("original"), "Download original"),
                (ShareDownload::Proxy, MediaType::Image) => (Some("preview?download=true"), "Download"),
                (ShareDownload::Proxy, _) => (Some("proxy?download=true"), "Download"),
            };
            view! {
                <p class="muted small" data-test-id="guest-banner">"Reviewing as " <strong>{g.name.clone()}</strong>
                    {(!g.comments).then_some(" · this link takes no comments")}</p>
                {file.map(|f| view! { <a class="button small" href=review.file_url(f) data-test-id="share-download">{label}</a> })}
                {g.approvals.then(|| view! { <bar::GuestVerdictBar token=g.token.clone()/> })}
                {g.watermark.then_some(view! { <p class="muted small" data-test-id="watermark-note">"What this link shows carries a watermark."</p> })}
                {g.watermark_pending.then(|| {
                    // The marked copy is being burned (a job): look again shortly.
                    Effect::new(move |_| set_timeout(
                        || { if let Some(w) = leptos::web_sys::window() { let _ = w.location().reload(); } },
                        std::time::Duration::from_secs(3),
                    ));
                    view! { <p class="notice" role="status" data-test-id="watermark-pending">"Preparing the watermarked copy… the page reloads by itself."</p> }
                })}
            }
            .into_any()
        }
        None => view! {
            <session::SessionBar/>
            <bar::ReviewBar/>
            <label class="small share-cursor">
                <input type="checkbox" data-test-id="share-cursor" prop:checked=move || review.share_cursor.get()
                    on:change=move |ev| live::set_share_cursor(review, event_target_checked(&ev))/>
                " Show my pointer to others"
            </label>
        }
        .into_any(),
    };
    view! {
        <div class="review" data-test-id="review-screen" data-media-type=media.as_str()>
            <div class="review-main">
                <div class="review-head">
                    <p class="crumbs">{crumbs}</p>
                    {guest.is_none().then(|| view! { <crate::components::live::Presence project=project_id asset=asset_id me=me/> })}
                    <button type="button" class="ghost small" on:click=move |_| review.help.update(|h| *h = !*h) data-test-id="shortcuts-button">
                        "Shortcuts (?)"
                    </button>
                </div>
                {move || review.note.get().map(|n| view! {
                    <p class="note small" role="status" data-test-id="version-note">{n}
                        " " <a href="" class="small">"Reload"</a>
                    </p>
                })}
                {viewer}
                {move || review.error.get().map(|e| view! {
                    <p class="error-text" role="alert" data-test-id="review-error">{e}
                        <button type="button" class="ghost small" on:click=move |_| review.error.set(None)>"×"</button>
                    </p>
                })}
            </div>
            <aside class="review-side">
                {side_extras}
                <comments::Comments/>
            </aside>
            <keys::HelpOverlay/>
        </div>
    }
    .into_any()
}

#[component]
fn NotPlayable() -> impl IntoView {
    let review = Review::get();
    let asset = review.asset.get_value();
    let audio = asset.media_type == MediaType::Audio;
    view! {
        <div class="stage-empty panel" data-test-id="not-playable">
            {if audio {
                view! { <audio controls src=review.file_url(if review.is_guest() { "proxy" } else { "original" })></audio> }.into_any()
            } else {
                view! { <p class="muted">{format!("This version is {} — the player appears once the web proxy is ready.", asset.status.as_str())}</p> }.into_any()
            }}
        </div>
    }
    .into_any()
}

/// Loads and shows the review screen of asset `id`.
#[component]
pub fn ReviewLoader(id: String, version: Option<i32>) -> impl IntoView {
    let page = Resource::new(
        move || (id.clone(), version),
        |(id, version)| crate::api::review::load_review_page(id, version),
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <leptos_meta::Title text=format!("{} · Dailies", page.asset.name)/>
                        <ReviewScreen page/>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
