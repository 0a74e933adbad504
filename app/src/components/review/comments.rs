//! The comment list: ordered by timecode, filtered (open/resolved, mine, by person), threads
//! with replies, edit/delete/resolve, reactions. Clicking a comment seeks to its frame and
//! shows its drawing and pin.

use super::composer::Composer;
use super::export::CommentExport;
use super::Review;
use crate::api::review::{delete_comment, edit_comment, react_comment, resolve_comment};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::permission::{allows, Ownership};
use model::review::{CommentDto, CommentPatch, REACTIONS};
use model::{Action, CommentId, UserId};

#[derive(Clone, Copy, PartialEq, Eq)]
enum StateFilter {
    Open,
    Resolved,
    All,
}

/// The comments panel.
#[component]
pub fn Comments() -> impl IntoView {
    let review = Review::get();
    let show = RwSignal::new(StateFilter::All);
    let mine = RwSignal::new(false);
    let person = RwSignal::new(None::<UserId>);
    // Comments belong to a version: the one on screen's, or every version's.
    let shown = review.asset.with_value(|a| a.current_version);
    let several = review.asset.with_value(|a| a.versions.len() > 1);
    let all_versions = RwSignal::new(false);
    let threads = Memo::new(move |_| {
        let (s, m, p, all) = (show.get(), mine.get(), person.get(), all_versions.get());
        review.comments.with(|list| {
            list.iter()
                .filter(|c| c.parent_id.is_none())
                .filter(|c| all || c.version == shown)
                .filter(|c| match s {
                    StateFilter::Open => !c.resolved,
                    StateFilter::Resolved => c.resolved,
                    StateFilter::All => true,
                })
                .filter(|c| !m || c.author.id == review.me)
                .filter(|c| p.is_none_or(|p| c.author.id == p))
                .map(|c| c.id)
                .collect::<Vec<_>>()
        })
    });
    // The export takes the panel's filters.
    let export_resolved = Signal::derive(move || match show.get() {
        StateFilter::Open => Some(false),
        StateFilter::Resolved => Some(true),
        StateFilter::All => None,
    });
    let export_author = Signal::derive(move || {
        let who = if mine.get() { Some(review.me) } else { person.get() };
        who.and_then(|id| {
            review
                .people
                .with_value(|ps| ps.iter().find(|p| p.id == id).map(|p| p.name.clone()))
        })
    });
    let count = move || {
        let all = all_versions.get();
        review.comments.with(|l| {
            l.iter()
                .filter(|c| c.parent_id.is_none() && (all || c.version == shown))
                .count()
        })
    };
    view! {
        <section class="comments panel" data-test-id="comments">
            <div class="comments-head">
                <h2>"Comments "<span class="muted" data-test-id="comment-count">{count}</span></h2>
                <div class="filters">
                    {several.then(|| view! {
                        <label class="small check"><input type="checkbox" data-test-id="all-versions"
                            prop:checked=move || all_versions.get() on:change=move |ev| all_versions.set(event_target_checked(&ev))/>
                            {format!("All versions (showing v{shown})")}</label>
                    })}
                    <select aria-label="Show" data-test-id="filter-state" on:change=move |ev| show.set(match event_target_value(&ev).as_str() {
                        "open" => StateFilter::Open,
                        "resolved" => StateFilter::Resolved,
                        _ => StateFilter::All,
                    })>
                        <option value="all">"All"</option>
                        <option value="open">"Open"</option>
                        <option value="resolved">"Resolved"</option>
                    </select>
                    <select aria-label="By" data-test-id="filter-person" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        mine.set(v == "mine");
                        person.set(v.parse().ok().map(UserId));
                    }>
                        <option value="">"Everyone"</option>
                        <option value="mine">"Mine"</option>
                        {review.people.get_value().into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                    </select>
                    {(!review.is_guest()).then(|| view! { <CommentExport resolved=export_resolved author=export_author version=shown/> })}
                </div>
            </div>
            {review.can(Action::Comment).then(|| view! { <Composer parent=None/> })}
            <ol class="comment-list" data-test-id="comment-list">
                <For each=move || threads.get() key=|id| *id let:id>
                    <Thread id/>
                </For>
            </ol>
            <Show when=move || threads.with(Vec::is_empty)>
                <p class="muted small" data-test-id="no-comments">"No comments here yet."</p>
            </Show>
        </section>
    }
    .into_any()
}

#[component]
fn Thread(id: CommentId) -> impl IntoView {
    let review = Review::get();
    let replying = RwSignal::new(false);
    let replies = Memo::new(move |_| {
        review.comments.with(|l| {
            l.iter()
                .filter(|c| c.parent_id == Some(id))
                .map(|c| c.id)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <li class="thread">
            <Item id/>
            <ol class="replies">
                <For each=move || replies.get() key=|id| *id let:reply>
                    <li><Item id=reply/></li>
                </For>
            </ol>
            {review.can(Action::Comment).then(|| view! {
                <Show when=move || replying.get() fallback=move || view! {
                    <button type="button" class="ghost small" data-test-id="reply" on:click=move |_| replying.set(true)>"Reply"</button>
                }>
                    <Composer parent=Some(id) done=Callback::new(move |_| replying.set(false))/>
                </Show>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn Item(id: CommentId) -> impl IntoView {
    let review = Review::get();
    let comment = Memo::new(move |_| review.comments.with(|l| l.iter().find(|c| c.id == id).cloned()));
    let editing = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let run =
        move |fut: std::pin::Pin<Box<dyn std::future::Future<Output = Result<CommentDto, crate::error::AppError>>>>| {
            spawn_local(async move {
                match fut.await {
                    Ok(c) => {
                        review.upsert(c);
                        review.error.set(None);
                    }
                    Err(e) => review.fail(e.message().to_owned()),
                }
            })
        };
    let remove = move |_| {
        spawn_local(async move {
            match delete_comment(id.to_string()).await {
                Ok(()) => review
                    .comments
                    .update(|l| l.retain(|c| c.id != id && c.parent_id != Some(id))),
                Err(e) => review.fail(e.message().to_owned()),
            }
        })
    };
    move || {
        comment.get().map(|c| {
            let own = if c.author.id == review.me { Ownership::Mine } else { Ownership::NotMine };
            let can_edit = allows(review.role, Action::EditComment, own);
            let can_delete = allows(review.role, Action::DeleteComment, own);
            let can_comment = review.can(Action::Comment);
            // Guests reply; reactions and resolving are the team's.
            let can_react = can_comment && !review.is_guest();
            let when = c.frame_in.map(|f| {
                let label = move || review.label(f);
                let end = c.frame_out.map(|o| move || format!(" – {}", review.label(o)));
                view! { <span class="tc" data-test-id="comment-timecode">{label}{end}</span> }
            });
            let top = c.parent_id.is_none();
            let open = c.clone();
            let resolved = c.resolved;
            let body = c.body.clone();
            view! {
                <article class="comment" class:resolved=resolved class:active=move || review.active.get() == Some(id)
                    data-test-id="comment" data-frame=c.frame_in.map(|f| f.to_string()) data-author=c.author.name.clone()
                    on:click=move |_| review.open_comment(&open)>
                    <header>
                        <strong>{c.author.name.clone()}</strong>
                        {c.guest.then(|| view! {
                            <span class="badge small" data-test-id="guest-badge"
                                title=c.via_link.as_ref().map(|l| format!("A guest, through the review link “{l}”"))>
                                {match &c.via_link { Some(l) => format!("guest · {l}"), None => "guest".to_owned() }}
                            </span>
                        })}
                        {when}
                        {c.x.map(|_| view! { <span class="muted small" title="Pinned on the picture">"📍"</span> })}
                        {c.annotation.as_ref().map(|_| view! { <span class="muted small" title="Has a drawing" data-test-id="has-drawing">"✎"</span> })}
                        {c.private.then(|| view! { <span class="badge small" title="Only the team sees this">"team"</span> })}
                        <time class="muted small">{c.created_at.format("%b %-d %H:%M").to_string()}</time>
                    </header>
                    <Show when=move || editing.get() fallback={
                        let html = c.body_html.clone();
                        move || view! { <div class="body" data-test-id="comment-body" inner_html=html.clone()></div> }
                    }>
                        <textarea class="edit" data-test-id="edit-input" prop:value=move || text.get()
                            on:click=|ev| ev.stop_propagation()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <button type="button" class="primary small" data-test-id="save-edit" on:click=move |ev| {
                            ev.stop_propagation();
                            editing.set(false);
                            run(Box::pin(edit_comment(id.to_string(), CommentPatch { body: Some(text.get_untracked()), ..Default::default() })));
                        }>"Save"</button>
                    </Show>
                    <footer on:click=|ev| ev.stop_propagation()>
                        <span class="reactions">
                            {c.reactions.iter().map(|r| {
                                let emoji = r.emoji.clone();
                                view! {
                                    <button type="button" class="reaction" class:mine=r.mine disabled=!can_react data-test-id="reaction"
                                        on:click=move |_| run(Box::pin(react_comment(id.to_string(), emoji.clone())))>
                                        {r.emoji.clone()}" "{r.count}
                                    </button>
                                }
                            }).collect_view()}
                            {can_react.then(|| view! {
                                <details class="react-picker">
                                    <summary data-test-id="add-reaction" title="React">"☺+"</summary>
                                    {REACTIONS.into_iter().map(|e| view! {
                                        <button type="button" class="reaction" data-test-id="react-option"
                                            on:click=move |_| run(Box::pin(react_comment(id.to_string(), e.to_owned())))>{e}</button>
                                    }).collect_view()}
                                </details>
                            })}
                        </span>
                        {(top && can_react).then(|| view! {
                            <button type="button" class="ghost small" data-test-id="resolve"
                                on:click=move |_| run(Box::pin(resolve_comment(id.to_string(), !resolved)))>
                                {if resolved { "Reopen" } else { "Resolve" }}
                            </button>
                        })}
                        {can_edit.then(|| view! {
                            <button type="button" class="ghost small" data-test-id="edit"
                                on:click=move |_| { text.set(body.clone()); editing.set(true); }>"Edit"</button>
                        })}
                        {can_delete.then(|| view! {
                            <button type="button" class="ghost small danger" data-test-id="delete" on:click=remove>"Delete"</button>
                        })}
                    </footer>
                </article>
            }
            .into_any()
        })
    }
}
