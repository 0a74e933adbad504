//! `/projects/:id/analytics`: charts of a project's review — uploads and comments per day,
//! turnaround, open comments per asset, comment heatmaps along each video's timeline (over
//! its filmstrip), photo selection, share-link use. Drawn as SVG on the server.

use crate::api::analytics::get_analytics;
use crate::api::projects::get_project;
use crate::components::errors::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::analytics::{AnalyticsDto, Day, Density, Selection};

/// The analytics page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let days = move || query.read().get("days").and_then(|d| d.parse().ok()).unwrap_or(30i64);
    let project = Resource::new(id, get_project);
    let data = Resource::new(move || (id(), days()), |(id, days)| get_analytics(id, days));
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading analytics…"</p> }>
            {move || Suspend::new(async move {
                match (project.await, data.await) {
                    (Ok(p), Ok(a)) => {
                        let pid = p.id.to_string();
                        let span = days();
                        view! {
                            <Title text=format!("Analytics · {} · Dailies", p.name)/>
                            <div class="page-head">
                                <div>
                                    <p class="crumbs"><a href="/projects">"Projects"</a> " / " <a href=format!("/projects/{pid}")>{p.name.clone()}</a></p>
                                    <h1>"Analytics"</h1>
                                </div>
                                <nav class="chip-row" aria-label="Period">
                                    {[7i64, 30, 90, 365].into_iter().map(|d| view! {
                                        <a class="chip" class:active=d == span href=format!("/projects/{pid}/analytics?days={d}")>{format!("{d} days")}</a>
                                    }).collect_view()}
                                </nav>
                            </div>
                            <Charts a/>
                        }.into_any()
                    }
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Charts(a: AnalyticsDto) -> impl IntoView {
    let t = a.turnaround.clone();
    let hours = |h: Option<f64>| {
        h.map_or_else(
            || "—".to_owned(),
            |h| {
                if h < 48.0 {
                    format!("{h:.1} h")
                } else {
                    format!("{:.1} days", h / 24.0)
                }
            },
        )
    };
    view! {
        <div class="analytics">
            <section class="panel wide">
                <h2>"Uploads and comments per day"</h2>
                <Activity days=a.days.clone()/>
                <p class="legend small"><span class="swatch uploads"></span>" uploads (versions) " <span class="swatch comments"></span>" comments"</p>
            </section>
            <section class="panel">
                <h2>"Review turnaround"</h2>
                <dl class="stats" data-test-id="turnaround">
                    <dt>"Uploaded"</dt><dd data-test-id="uploaded">{t.uploaded}</dd>
                    <dt>"Commented"</dt><dd data-test-id="commented">{t.commented}</dd>
                    <dt>"Upload → first comment (median)"</dt><dd data-test-id="to-comment">{hours(t.median_hours_to_first_comment)}</dd>
                    <dt>"Approved"</dt><dd data-test-id="approved">{t.approved}</dd>
                    <dt>"Upload → approval (median)"</dt><dd data-test-id="to-approval">{hours(t.median_hours_to_approval)}</dd>
                </dl>
            </section>
            <section class="panel">
                <h2>"Photo selection"</h2>
                <SelectionChart s=a.selection.clone()/>
            </section>
            <section class="panel wide">
                <h2>"Open comments per asset"</h2>
                {if a.open_comments.is_empty() {
                    view! { <p class="muted" data-test-id="no-open">"No open comments."</p> }.into_any()
                } else {
                    let most = a.open_comments.iter().map(|o| o.total).max().unwrap_or(1).max(1);
                    view! {
                        <ul class="hbars" data-test-id="open-comments">
                            {a.open_comments.iter().map(|o| view! {
                                <li data-test-id="open-row" data-name=o.name.clone() data-open=o.open>
                                    <a href=format!("/assets/{}", o.asset_id)>{o.name.clone()}</a>
                                    <span class="hbar" title=format!("{} open of {}", o.open, o.total)>
                                        <span class="all" style=format!("width:{}%", o.total * 100 / most)></span>
                                        <span class="open" style=format!("width:{}%", o.open * 100 / most)></span>
                                    </span>
                                    <span class="small muted">{format!("{} open / {}", o.open, o.total)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="panel wide">
                <h2>"Where comments gather on the timeline"</h2>
                {if a.density.is_empty() {
                    view! { <p class="muted">"No time-coded comments on videos yet."</p> }.into_any()
                } else {
                    a.density.iter().cloned().map(|d| view! { <Heatmap d/> }).collect_view().into_any()
                }}
            </section>
            {a.links.clone().map(|links| view! {
                <section class="panel wide">
                    <h2>"Review links"</h2>
                    {if links.is_empty() {
                        view! { <p class="muted">"No review links yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="members" data-test-id="link-use">
                                <thead><tr><th>"Link"</th><th>"Views"</th><th>"Guests"</th><th>"Guest comments"</th><th></th></tr></thead>
                                <tbody>{links.into_iter().map(|l| view! {
                                    <tr data-test-id="link-row" data-views=l.views>
                                        <td>{l.name}</td><td>{l.views}</td><td>{l.guests}</td><td>{l.comments}</td>
                                        <td>{if l.active { "" } else { "ended" }}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }}
                </section>
            })}
        </div>
    }
}

/// Paired bars per day, on a scale of the busiest day.
#[component]
fn Activity(days: Vec<Day>) -> impl IntoView {
    let (w, h) = (720.0f64, 160.0f64);
    let most = days.iter().map(|d| d.uploads.max(d.comments)).max().unwrap_or(0).max(1) as f64;
    let slot = w / days.len().max(1) as f64;
    let bar = (slot * 0.4).max(1.0);
    let total_up: i64 = days.iter().map(|d| d.uploads).sum();
    let total_co: i64 = days.iter().map(|d| d.comments).sum();
    let label = format!("{total_up} uploads and {total_co} comments over {} days", days.len());
    let first = days
        .first()
        .map(|d| d.date.format("%b %-d").to_string())
        .unwrap_or_default();
    let last = days
        .last()
        .map(|d| d.date.format("%b %-d").to_string())
        .unwrap_or_default();
    view! {
        <svg class="chart" viewBox=format!("0 0 {w} {}", h + 18.0) role="img" aria-label=label.clone() data-test-id="activity-chart"
             data-uploads=total_up data-comments=total_co>
            <line x1="0" x2=w y1=h y2=h class="axis"/>
            {days.iter().enumerate().map(|(i, d)| {
                let x = i as f64 * slot + slot * 0.1;
                let hu = d.uploads as f64 / most * (h - 4.0);
                let hc = d.comments as f64 / most * (h - 4.0);
                let tip = format!("{}: {} uploads, {} comments", d.date, d.uploads, d.comments);
                view! {
                    <g>
                        <title>{tip}</title>
                        <rect class="uploads" x=x y=h - hu width=bar height=hu/>
                        <rect class="comments" x=x + bar y=h - hc width=bar height=hc/>
                    </g>
                }
            }).collect_view()}
            <text x="0" y=h + 14.0 class="tick">{first}</text>
            <text x=w y=h + 14.0 class="tick" text-anchor="end">{last}</text>
            <text x="0" y="10" class="tick">{format!("max {most} a day")}</text>
        </svg>
        <p class="small muted">{label}</p>
    }
}

/// Photos per rating, rejects to five stars, with the shares that matter.
#[component]
fn SelectionChart(s: Selection) -> impl IntoView {
    if s.photos == 0 {
        return view! { <p class="muted">"No photos yet."</p> }.into_any();
    }
    let share = |n: i64| format!("{:.0} %", n as f64 * 100.0 / s.photos as f64);
    let at = |i: usize| s.by_rating.get(i).copied().unwrap_or(0);
    let most = s.by_rating.iter().copied().max().unwrap_or(1).max(1) as f64;
    let names = ["reject", "none", "★", "★★", "★★★", "★★★★", "★★★★★"];
    view! {
        <svg class="chart" viewBox="0 0 350 150" role="img" aria-label="Photos per rating" data-test-id="selection-chart">
            {names.iter().enumerate().map(|(i, name)| {
                let n = at(i);
                let hh = n as f64 / most * 110.0;
                let x = i as f64 * 50.0 + 5.0;
                view! {
                    <g data-rating=i as i64 - 1 data-count=n>
                        <title>{format!("{name}: {n}")}</title>
                        <rect class=if i == 0 { "reject" } else { "rating" } x=x y=120.0 - hh width="40" height=hh/>
                        <text x=x + 20.0 y="136" class="tick" text-anchor="middle">{name.to_string()}</text>
                        <text x=x + 20.0 y=116.0 - hh class="tick" text-anchor="middle">{n}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <p class="small" data-test-id="selection-shares">
            {format!("{} photos · 5 stars {} · rejects {} · picked {}", s.photos, share(at(6)), share(at(0)), share(s.picked))}
        </p>
    }
    .into_any()
}

/// A video's filmstrip with its comments as a heat strip along it.
#[component]
fn Heatmap(d: Density) -> impl IntoView {
    let most = d.buckets.iter().copied().max().unwrap_or(1).max(1) as f64;
    let n = d.buckets.len().max(1) as f64;
    let total: i64 = d.buckets.iter().sum();
    view! {
        <div class="heatmap" data-test-id="heatmap" data-name=d.name.clone() data-total=total>
            <a href=format!("/assets/{}", d.asset_id) class="small">{d.name.clone()}</a>
            <span class="small muted">{format!(" · {total} comments over {} frames", d.frames)}</span>
            <div class="heat-track" style=format!("background-image:url(/api/v1/assets/{}/filmstrip)", d.asset_id)>
                <svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=format!("comment density along {}", d.name)>
                    {d.buckets.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| view! {
                        <rect class="heat" x=i as f64 * 100.0 / n y="0" width=100.0 / n height="10"
                              fill-opacity=format!("{:.2}", 0.25 + 0.7 * *c as f64 / most) data-bucket=i data-count=*c>
                            <title>{format!("{c} comment(s)")}</title>
                        </rect>
                    }).collect_view()}
                </svg>
            </div>
        </div>
    }
}
