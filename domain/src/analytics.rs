//! A project's analytics for its members: uploads and comments per day, review turnaround,
//! open comments per asset, comment density along each discussed video's timeline, photo
//! selection, and (for those who may make them) share-link use. Read-only SQL over the
//! tables the rest of the app writes; nothing is collected for it.

use crate::authz::authorize;
use crate::error::DomainResult;
use chrono::{Duration, NaiveDate, Utc};
use diesel::sql_types::{BigInt, Bool, Date, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::analytics::{AnalyticsDto, Day, Density, LinkUse, OpenComments, Selection, Turnaround};
use model::permission::{Action, Ownership};
use model::{ApiError, AssetId, ProjectId, UserId};
use std::collections::HashMap;
use uuid::Uuid;

/// Slices of a timeline in the density heatmap.
pub const BUCKETS: usize = 40;

/// The analytics of `project` over the last `days` days (7 to 365).
pub async fn project(
    conn: &mut AsyncPgConnection,
    user: UserId,
    project: ProjectId,
    days: i64,
) -> DomainResult<AnalyticsDto> {
    let role = authorize(conn, user, project, Action::View, Ownership::NotMine).await?;
    if !(7..=365).contains(&days) {
        return Err(ApiError::invalid("days must be between 7 and 365").into());
    }
    let today = Utc::now().date_naive();
    let first = today - Duration::days(days - 1);
    let since = first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    Ok(AnalyticsDto {
        days: activity(conn, project, first, today).await?,
        turnaround: turnaround(conn, project, since).await?,
        open_comments: open_comments(conn, project).await?,
        density: density(conn, project).await?,
        selection: selection(conn, project).await?,
        links: if role.can(Action::Upload) {
            Some(links(conn, project).await?)
        } else {
            None
        },
    })
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn activity(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    first: NaiveDate,
    last: NaiveDate,
) -> DomainResult<Vec<Day>> {
    let per_day = |sql: &'static str| {
        diesel::sql_query(sql)
            .bind::<SqlUuid, _>(project.0)
            .bind::<Date, _>(first)
    };
    let uploads: Vec<Count> = per_day(
        "SELECT (v.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
           FROM asset_versions v JOIN assets a ON a.id = v.asset_id
          WHERE a.project_id = $1 AND a.trashed_at IS NULL AND v.created_at >= $2::date
          GROUP BY 1",
    )
    .load(conn)
    .await?;
    let comments: Vec<Count> = per_day(
        "SELECT (c.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
           FROM comments c JOIN assets a ON a.id = c.asset_id
          WHERE a.project_id = $1 AND a.trashed_at IS NULL AND c.created_at >= $2::date
          GROUP BY 1",
    )
    .load(conn)
    .await?;
    let index = |rows: Vec<Count>| rows.into_iter().map(|c| (c.day, c.n)).collect::<HashMap<_, _>>();
    let (uploads, comments) = (index(uploads), index(comments));
    Ok(first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| Day {
            date,
            uploads: uploads.get(&date).copied().unwrap_or(0),
            comments: comments.get(&date).copied().unwrap_or(0),
        })
        .collect())
}

#[derive(QueryableByName)]
struct Timing {
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    to_comment: Option<f64>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    to_approval: Option<f64>,
}

async fn turnaround(
    conn: &mut AsyncPgConnection,
    project: ProjectId,
    since: chrono::DateTime<Utc>,
) -> DomainResult<Turnaround> {
    let rows: Vec<Timing> = diesel::sql_query(
        "SELECT extract(epoch FROM (SELECT min(c.created_at) FROM comments c WHERE c.asset_id = a.id) - a.created_at)::float8 / 3600 AS to_comment,
                extract(epoch FROM LEAST(
                    (SELECT min(p.created_at) FROM approvals p WHERE p.asset_id = a.id),
                    (SELECT min(g.created_at) FROM guest_verdicts g WHERE g.asset_id = a.id AND g.verdict = 'approved')
                ) - a.created_at)::float8 / 3600 AS to_approval
           FROM assets a
          WHERE a.project_id = $1 AND a.trashed_at IS NULL AND a.created_at >= $2",
    )
    .bind::<SqlUuid, _>(project.0)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let mut to_comment: Vec<f64> = rows.iter().filter_map(|r| r.to_comment).map(|h| h.max(0.0)).collect();
    let mut to_approval: Vec<f64> = rows.iter().filter_map(|r| r.to_approval).map(|h| h.max(0.0)).collect();
    Ok(Turnaround {
        uploaded: rows.len() as i64,
        commented: to_comment.len() as i64,
        median_hours_to_first_comment: median(&mut to_comment),
        approved: to_approval.len() as i64,
        median_hours_to_approval: median(&mut to_approval),
    })
}

/// How many of `marks` (frames) fall in each of [`BUCKETS`] equal slices of `frames`.
pub fn buckets(marks: &[i64], frames: i64) -> Vec<i64> {
    let mut out = vec![0; BUCKETS];
    for &f in marks {
        let slot = (f.clamp(0, frames - 1) as i128 * BUCKETS as i128 / frames.max(1) as i128) as usize;
        out[slot.min(BUCKETS - 1)] += 1;
    }
    out
}

/// The median, or `None` of nothing.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

#[derive(QueryableByName)]
struct OpenRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    open: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

async fn open_comments(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<OpenComments>> {
    let rows: Vec<OpenRow> = diesel::sql_query(
        "SELECT a.id, a.name, count(*) FILTER (WHERE c.resolved_at IS NULL) AS open, count(*) AS total
           FROM comments c JOIN assets a ON a.id = c.asset_id
          WHERE a.project_id = $1 AND a.trashed_at IS NULL AND c.parent_id IS NULL
          GROUP BY a.id, a.name
         HAVING count(*) FILTER (WHERE c.resolved_at IS NULL) > 0
          ORDER BY open DESC, a.name
          LIMIT 20",
    )
    .bind::<SqlUuid, _>(project.0)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenComments {
            asset_id: AssetId(r.id),
            name: r.name,
            open: r.open,
            total: r.total,
        })
        .collect())
}

#[derive(QueryableByName)]
struct Mark {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    frames: Option<i64>,
    #[diesel(sql_type = BigInt)]
    frame: i64,
}

async fn density(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<Density>> {
    // The 12 videos with the most time-coded comments on their current version, and those
    // comments' frames.
    let marks: Vec<Mark> = diesel::sql_query(
        "WITH top AS (
             SELECT a.id, count(*) AS n
               FROM assets a JOIN comments c ON c.asset_id = a.id AND c.version = a.current_version
              WHERE a.project_id = $1 AND a.trashed_at IS NULL AND a.media_type = 'video'
                AND c.parent_id IS NULL AND c.frame_in IS NOT NULL
              GROUP BY a.id ORDER BY n DESC, a.id LIMIT 12)
         SELECT a.id, a.name, (v.metadata->>'frame_count')::bigint AS frames, c.frame_in AS frame
           FROM top JOIN assets a ON a.id = top.id
           JOIN asset_versions v ON v.asset_id = a.id AND v.number = a.current_version
           JOIN comments c ON c.asset_id = a.id AND c.version = a.current_version
          WHERE c.parent_id IS NULL AND c.frame_in IS NOT NULL
          ORDER BY top.n DESC, a.id",
    )
    .bind::<SqlUuid, _>(project.0)
    .load(conn)
    .await?;
    let mut videos: Vec<(Uuid, String, i64, Vec<i64>)> = Vec::new();
    for m in marks {
        if videos.last().is_none_or(|v| v.0 != m.id) {
            videos.push((m.id, m.name, m.frames.unwrap_or(0), Vec::new()));
        }
        if let Some(v) = videos.last_mut() {
            v.3.push(m.frame);
        }
    }
    let out = videos
        .into_iter()
        .map(|(id, name, known, marks)| {
            // A comment past the known end (or no known length) stretches the timeline.
            let frames = marks.iter().map(|f| f + 1).fold(known, i64::max).max(1);
            Density {
                asset_id: AssetId(id),
                name,
                frames,
                buckets: buckets(&marks, frames),
            }
        })
        .collect();
    Ok(out)
}

#[derive(QueryableByName)]
struct Rated {
    #[diesel(sql_type = SmallInt)]
    rating: i16,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    picked: i64,
}

async fn selection(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Selection> {
    let rows: Vec<Rated> = diesel::sql_query(
        "SELECT rating, count(*) AS n, count(*) FILTER (WHERE picked) AS picked
           FROM assets WHERE project_id = $1 AND trashed_at IS NULL AND media_type = 'image'
          GROUP BY rating",
    )
    .bind::<SqlUuid, _>(project.0)
    .load(conn)
    .await?;
    let mut by_rating = vec![0; 7];
    let mut out = Selection::default();
    for r in rows {
        if let Some(slot) = by_rating.get_mut((r.rating + 1).clamp(0, 6) as usize) {
            *slot += r.n;
        }
        out.photos += r.n;
        out.picked += r.picked;
    }
    out.by_rating = by_rating;
    Ok(out)
}

#[derive(QueryableByName)]
struct LinkRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    views: i64,
    #[diesel(sql_type = BigInt)]
    guests: i64,
    #[diesel(sql_type = BigInt)]
    comments: i64,
    #[diesel(sql_type = Bool)]
    active: bool,
}

async fn links(conn: &mut AsyncPgConnection, project: ProjectId) -> DomainResult<Vec<LinkUse>> {
    let rows: Vec<LinkRow> = diesel::sql_query(
        "SELECT s.name, s.views,
                (SELECT count(*) FROM share_guests g WHERE g.share_id = s.id) AS guests,
                (SELECT count(*) FROM comments c JOIN share_guests g ON g.id = c.guest_id WHERE g.share_id = s.id) AS comments,
                s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now()) AS active
           FROM share_links s WHERE s.project_id = $1
          ORDER BY s.views DESC, s.created_at DESC LIMIT 50",
    )
    .bind::<SqlUuid, _>(project.0)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LinkUse {
            name: r.name,
            views: r.views,
            guests: r.guests,
            comments: r.comments,
            active: r.active,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_even_and_empty_lists() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn marks_fall_in_their_slice_of_the_timeline() {
        let b = buckets(&[0, 1, 99, 50], 100);
        assert_eq!(b.len(), BUCKETS);
        assert_eq!((b[0], b[20], b[BUCKETS - 1]), (2, 1, 1));
        assert_eq!(b.iter().sum::<i64>(), 4);
    }
}
