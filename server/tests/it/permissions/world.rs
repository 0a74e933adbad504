//! The world the permission test runs in: a project with one member of each role, a
//! stranger, the instance admin, an invited account, a guest holding an unlocked share
//! link, and one of everything a route can act on (several of what a route destroys).

use super::Who;
use crate::media_files as mf;
use crate::support::{As, TestApp};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;

pub struct World {
    pub app: TestApp,
    pub who: HashMap<Who, As>,
    /// The guest's share cookie (`dailies_guest_…=…`).
    pub guest_cookie: String,
    pub vars: HashMap<&'static str, String>,
    _media: tempfile::TempDir,
}

impl World {
    /// `text` with every `{NAME}` replaced.
    pub fn fill(&self, text: &str) -> anyhow::Result<String> {
        let mut out = text.to_owned();
        for (k, v) in &self.vars {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        anyhow::ensure!(
            !out.contains("{A") && !out.contains("{P") && !out.contains("{C") && !out.contains("_ID}"),
            "unfilled placeholder in {out}"
        );
        Ok(out)
    }

    pub fn var(&self, k: &str) -> &str {
        self.vars.get(k).map(String::as_str).unwrap_or_default()
    }
}

async fn ok(app: &TestApp, method: Method, path: &str, body: Value, who: &As) -> anyhow::Result<Value> {
    let body = (!body.is_null()).then_some(body);
    let r = app.send(method.clone(), path, body, who).await?;
    anyhow::ensure!(r.status.is_success(), "{method} {path}: {} {}", r.status, r.text);
    Ok(r.body)
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

pub async fn build() -> anyhow::Result<World> {
    let app = TestApp::new().await?;
    let media = tempfile::tempdir()?;
    let mut who = HashMap::new();
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    // The first account is the instance admin.
    let people = [
        (Who::Admin, "admin@example.com", ""),
        (Who::Owner, "owner@example.com", ""),
        (Who::Editor, "editor@example.com", "EDITOR_ID"),
        (Who::Commenter, "commenter@example.com", ""),
        (Who::Viewer, "viewer@example.com", ""),
        (Who::Stranger, "stranger@example.com", ""),
        (Who::Invitee, "invitee@example.com", ""),
    ];
    for (w, email, var) in people {
        let (session, user) = app.signup(email, email).await?;
        who.insert(w, session);
        if !var.is_empty() {
            vars.insert(var, user);
        }
    }
    who.insert(Who::Anonymous, As::Anonymous);
    let owner = who[&Who::Owner].clone();
    let commenter = who[&Who::Commenter].clone();
    let admin = who[&Who::Admin].clone();
    for (var, email) in [
        ("EXTRA", "extra@example.com"),
        ("EXTRA_REMOVE", "extra2@example.com"),
        ("EXTRA_REMOVE_FN", "extra3@example.com"),
    ] {
        let (_, user) = app.signup(email, email).await?;
        vars.insert(var, user);
    }

    // Projects: the one most routes use, and one per route that ends or gives one away.
    let team = |p: String, roles: [&'static str; 3]| {
        let app = &app;
        let owner = owner.clone();
        async move {
            for (email, role) in ["editor@example.com", "commenter@example.com", "viewer@example.com"]
                .into_iter()
                .zip(roles)
            {
                app.add_member(&owner, &p, email, role).await?;
            }
            anyhow::Ok(p)
        }
    };
    let roles = ["editor", "commenter", "viewer"];
    let p = team(app.project("Feature", &owner).await?, roles).await?;
    for email in ["extra@example.com", "extra2@example.com", "extra3@example.com"] {
        app.add_member(&owner, &p, email, "viewer").await?;
    }
    vars.insert("P", p.clone());
    for var in ["P_DELETE", "P_DELETE_FN", "P_TRANSFER", "P_TRANSFER_FN", "P_ARCHIVE"] {
        let q = team(app.project(var, &owner).await?, roles).await?;
        vars.insert(var, q);
    }
    // Clones need upload rights in the target: everyone there is an editor.
    let target = team(app.project("Target", &owner).await?, ["editor"; 3]).await?;
    vars.insert("P_TARGET", target.clone());

    // Assets.
    let photo = std::fs::read(mf::photo(media.path(), "still.jpg", &[])?)?;
    let clip = std::fs::read(mf::video(media.path(), "clip.mp4", 4, "320x240", true)?)?;
    for var in ["A", "A_VERSIONS", "A_VERSIONS_FN", "A_TRASH", "A_TRASHED", "A_PURGE"] {
        let asset = upload(&app, &owner, &p, &format!("{var}.jpg"), &photo, &[]).await?;
        vars.insert(var, asset);
    }
    let v = upload(&app, &owner, &p, "clip.mp4", &clip, &[]).await?;
    vars.insert("V", v.clone());
    for var in ["A_VERSIONS", "A_VERSIONS_FN"] {
        upload(&app, &owner, &p, "v2.jpg", &photo, &[("asset_id", &vars[var])]).await?;
    }
    app.run_jobs().await?;
    let trashed = json!({"asset_ids": [vars["A_TRASHED"], vars["A_PURGE"]]});
    ok(&app, Method::POST, "/api/v1/assets/bulk/delete", trashed, &owner).await?;

    // Library objects.
    let folders = format!("/api/v1/projects/{p}/folders");
    for var in ["FOLDER", "FOLDER_DELETE"] {
        let f = ok(&app, Method::POST, &folders, json!({"name": var}), &owner).await?;
        vars.insert(var, id(&f));
    }
    let collections = format!("/api/v1/projects/{p}/collections");
    for var in ["COLLECTION", "COLLECTION_DELETE", "COLLECTION_DELETE_FN"] {
        let c = ok(
            &app,
            Method::POST,
            &collections,
            json!({"name": var, "kind": "manual"}),
            &owner,
        )
        .await?;
        vars.insert(var, id(&c));
    }
    let items = format!("/api/v1/collections/{}/items", vars["COLLECTION"]);
    ok(&app, Method::POST, &items, json!({"asset_ids": [v]}), &owner).await?;
    let fields = format!("/api/v1/projects/{p}/fields");
    for var in ["FIELD", "FIELD_DELETE", "FIELD_DELETE_FN"] {
        let f = ok(
            &app,
            Method::POST,
            &fields,
            json!({"label": var, "kind": "text"}),
            &owner,
        )
        .await?;
        vars.insert(var, id(&f));
    }

    // Comments by the commenter (their own, for the author rules).
    let comments = format!("/api/v1/assets/{}/comments", vars["A"]);
    for var in ["COMMENT", "COMMENT_DELETE", "COMMENT_DELETE_FN"] {
        let c = ok(&app, Method::POST, &comments, json!({"body": var}), &commenter).await?;
        vars.insert(var, id(&c));
    }

    // Share links; the guest unlocks the first.
    let mut share_token = String::new();
    for var in ["SHARE", "SHARE_REVOKE", "SHARE_REVOKE_FN"] {
        let body = json!({"project_id": p, "asset_ids": [vars["A"]], "password": "open sesame",
            "comments": true, "approvals": true});
        let s = ok(&app, Method::POST, "/api/v1/shares", body, &owner).await?;
        vars.insert(var, id(&s));
        if share_token.is_empty() {
            share_token = s["token"].as_str().unwrap_or_default().to_owned();
        }
    }
    anyhow::ensure!(!share_token.is_empty(), "the share has no token");
    vars.insert("SHARE_TOKEN", share_token.clone());
    let unlock = app
        .post(
            &format!("/api/v1/s/{share_token}/unlock"),
            json!({"name": "Ana", "password": "open sesame"}),
            &As::Anonymous,
        )
        .await?;
    anyhow::ensure!(unlock.status == StatusCode::OK, "unlock: {}", unlock.text);
    let guest_cookie = unlock
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("dailies_guest_"))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned();
    anyhow::ensure!(!guest_cookie.is_empty(), "no guest cookie");

    // Webhooks, invitations.
    let hooks = format!("/api/v1/projects/{p}/webhooks");
    for var in ["WEBHOOK", "WEBHOOK_DELETE", "WEBHOOK_DELETE_FN"] {
        let w = ok(
            &app,
            Method::POST,
            &hooks,
            json!({"url": format!("http://127.0.0.1:9/{var}")}),
            &owner,
        )
        .await?;
        vars.insert(var, id(&w["webhook"]));
    }
    let invitations = format!("/api/v1/projects/{p}/invitations");
    for (var, email) in [
        ("INVITE", "someone@example.com"),
        ("INVITE_REVOKE", "someone2@example.com"),
        ("INVITE_REVOKE_FN", "someone3@example.com"),
    ] {
        let i = ok(
            &app,
            Method::POST,
            &invitations,
            json!({"email": email, "role": "viewer"}),
            &owner,
        )
        .await?;
        vars.insert(var, id(&i));
    }
    // The invitee is invited to four projects: one per way of accepting.
    for (var, project, token) in [
        ("INVITE_MINE", "P_DELETE", false),
        ("INVITE_MINE_FN", "P_DELETE_FN", false),
        ("INVITE_TOKEN", "P_TRANSFER", true),
        ("INVITE_TOKEN_FN", "P_TRANSFER_FN", true),
    ] {
        let path = format!("/api/v1/projects/{}/invitations", vars[project]);
        let i = ok(
            &app,
            Method::POST,
            &path,
            json!({"email": "invitee@example.com", "role": "viewer"}),
            &owner,
        )
        .await?;
        if token {
            let (t, _) = crate::invitations::link_for(&app, &admin, "invitee@example.com").await?;
            vars.insert(var, t);
        } else {
            vars.insert(var, id(&i));
        }
    }

    // Exports (one finished, two to cancel), a clone, tokens, a job, uploads.
    let exports = format!("/api/v1/projects/{p}/exports");
    let body = json!({"asset_ids": [vars["A"]], "presets": ["jpeg-1080-square"]});
    let e = ok(&app, Method::POST, &exports, body.clone(), &owner).await?;
    vars.insert("EXPORT", e[0]["id"].as_str().unwrap_or_default().to_owned());
    let clone = json!({"target_project_id": target, "asset_ids": [vars["A"]]});
    let c = ok(
        &app,
        Method::POST,
        &format!("/api/v1/projects/{p}/clone"),
        clone,
        &owner,
    )
    .await?;
    vars.insert("CLONE", id(&c));
    app.run_jobs().await?;
    for var in ["EXPORT_CANCEL", "EXPORT_CANCEL_FN"] {
        let e = ok(&app, Method::POST, &exports, body.clone(), &owner).await?;
        vars.insert(var, e[0]["id"].as_str().unwrap_or_default().to_owned());
    }
    let stranger = who[&Who::Stranger].clone();
    for var in ["TOKEN", "TOKEN_FN"] {
        let t = ok(&app, Method::POST, "/api/v1/tokens", json!({"name": var}), &stranger).await?;
        vars.insert(var, id(&t["token"]));
    }
    // A queued job: the admin rules cancel it, then retry it.
    let jobs = ok(
        &app,
        Method::GET,
        "/api/v1/admin/jobs?state=queued",
        Value::Null,
        &admin,
    )
    .await?;
    let job = jobs
        .as_array()
        .and_then(|j| j.first())
        .map(|j| j["id"].to_string())
        .unwrap_or_default();
    anyhow::ensure!(!job.is_empty(), "no queued job: {jobs}");
    vars.insert("JOB", job);
    for var in ["UPLOAD", "UPLOAD_DELETE"] {
        let meta = crate::uploads::metadata(&format!("{var}.jpg"), &p, &[]);
        let r = crate::uploads::create(&app, &owner, 10, &meta).await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "upload: {}", r.text);
        let location = r.headers["location"].to_str()?;
        vars.insert(var, location.rsplit('/').next().unwrap_or_default().to_owned());
    }
    vars.insert("TUS_META", crate::uploads::metadata("new.jpg", &p, &[]));
    Ok(World {
        app,
        who,
        guest_cookie,
        vars,
        _media: media,
    })
}
