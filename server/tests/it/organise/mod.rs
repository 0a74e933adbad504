//! Organising through the REST API: smart and manual collections over the filter language,
//! bulk edits in one transaction with an audit row each, the trash, metadata, and search by
//! comment text and misspelled camera models.

mod bulk;
mod collections;
mod custom;
mod search;
mod versions;

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

struct Fixture {
    app: TestApp,
    owner: As,
    commenter: As,
    viewer: As,
    project: String,
    /// Photos 0–3 (photo 0 shot on a Canon, photo 1 on a Nikon), then one clip.
    assets: Vec<String>,
}

async fn fixture() -> anyhow::Result<Fixture> {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (commenter, _) = app.signup("cleo@example.com", "Cleo Commenter").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let project = app.project("Organise", &owner).await?;
    for (email, role) in [("cleo@example.com", "commenter"), ("vic@example.com", "viewer")] {
        let r = app
            .post(
                &format!("/api/v1/projects/{project}/members"),
                json!({"email": email, "role": role}),
                &owner,
            )
            .await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
    }
    let dir = tempfile::tempdir()?;
    let exif: [&[&str]; 4] = [
        &[
            "-Make=Canon",
            "-Model=Canon EOS 5D Mark III",
            "-LensModel=EF24-70mm f/2.8L II USM",
        ],
        &["-Make=NIKON CORPORATION", "-Model=NIKON D850"],
        &[],
        &[],
    ];
    let mut assets = Vec::new();
    for (i, tags) in exif.iter().enumerate() {
        let name = format!("photo-{i}.jpg");
        let path = mf::photo(dir.path(), &name, tags)?;
        assets.push(upload(&app, &owner, &project, &name, &std::fs::read(path)?, &[]).await?);
    }
    let clip = mf::video(dir.path(), "clip.mp4", 1, "320x180", false)?;
    assets.push(upload(&app, &owner, &project, "clip.mp4", &std::fs::read(clip)?, &[]).await?);
    app.run_jobs().await?;
    Ok(Fixture {
        app,
        owner,
        commenter,
        viewer,
        project,
        assets,
    })
}

impl Fixture {
    async fn send(&self, method: Method, path: &str, body: Value, who: &As) -> anyhow::Result<crate::support::Reply> {
        self.app.send(method, path, Some(body), who).await
    }

    async fn names(&self, path: &str) -> anyhow::Result<Vec<String>> {
        let r = self.app.get(path, &self.owner).await?;
        anyhow::ensure!(r.status == StatusCode::OK, "{path}: {}", r.text);
        let body = r.body;
        Ok(body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn audit_count(&self, action: &str) -> anyhow::Result<i64> {
        use diesel::prelude::*;
        use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
        use domain::schema::audit_events;
        let mut conn = AsyncPgConnection::establish(&self.app.db.url).await?;
        Ok(audit_events::table
            .filter(audit_events::action.eq(action))
            .count()
            .get_result(&mut conn)
            .await?)
    }
}
