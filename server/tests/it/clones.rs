//! Deep clones through the REST API: a folder with a subfolder, a video with two versions and
//! a threaded comment with a drawing, a rated photo, a manual and a smart collection, copied
//! into another project by a job: same structure under new ids, references pointing at the
//! copies, stored files present; a second run of the job adds nothing; a clone of a clone is
//! one deeper; copying a folder into itself and copying without the right roles are refused.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

async fn items(app: &TestApp, path: &str, who: &As) -> anyhow::Result<Vec<Value>> {
    let r = app.get(path, who).await?;
    anyhow::ensure!(r.status == StatusCode::OK, "{path}: {}", r.text);
    let list = if r.body.is_array() {
        r.body.clone()
    } else {
        r.body["items"].clone()
    };
    Ok(list.as_array().cloned().unwrap_or_default())
}

fn id_of<'a>(list: &'a [Value], name: &str) -> &'a str {
    list.iter()
        .find(|i| i["name"] == name)
        .and_then(|i| i["id"].as_str())
        .unwrap_or_default()
}

/// Counts of (folders, assets, comments on `a.mp4`, collections) in a project.
async fn census(app: &TestApp, project: &str, who: &As) -> anyhow::Result<(usize, usize, usize, usize)> {
    let folders = items(app, &format!("/api/v1/projects/{project}/folders"), who).await?;
    let assets = items(app, &format!("/api/v1/projects/{project}/assets"), who).await?;
    let mut comments = 0;
    for a in assets.iter().filter(|a| a["name"] == "a.mp4") {
        let id = a["id"].as_str().unwrap_or_default();
        comments += items(app, &format!("/api/v1/assets/{id}/comments"), who).await?.len();
    }
    let cols = items(app, &format!("/api/v1/projects/{project}/collections"), who).await?;
    Ok((folders.len(), assets.len(), comments, cols.len()))
}

#[tokio::test]
async fn a_folder_with_versions_comments_and_collections_is_cloned_once() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let source = app.project("Shoot", &owner).await?;
    let target = app.project("Edit", &owner).await?;
    app.add_member(&owner, &source, "vic@example.com", "viewer").await?;

    let folder = |name: &str, parent: Option<&str>| {
        let body = json!({"name": name, "parent_id": parent});
        let path = format!("/api/v1/projects/{source}/folders");
        let (app, owner) = (&app, &owner);
        async move {
            let r = app.post(&path, body, owner).await?;
            anyhow::ensure!(r.status == StatusCode::CREATED, "folder: {}", r.text);
            anyhow::Ok(r.body["id"].as_str().unwrap_or_default().to_owned())
        }
    };
    let day = folder("Day 1", None).await?;
    let selects = folder("Selects", Some(&day)).await?;
    let dir = tempfile::tempdir()?;
    let clip1 = std::fs::read(mf::video(dir.path(), "a1.mp4", 1, "160x120", true)?)?;
    let clip2 = std::fs::read(mf::video(dir.path(), "a2.mp4", 2, "160x120", false)?)?;
    let a = upload(&app, &owner, &source, "a.mp4", &clip1, &[("folder_id", &day)]).await?;
    app.run_jobs().await?;
    upload(&app, &owner, &source, "a.mp4", &clip2, &[("asset_id", &a)]).await?;
    let photo = std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?;
    let p = upload(&app, &owner, &source, "p.jpg", &photo, &[("folder_id", &selects)]).await?;
    let q = upload(&app, &owner, &source, "q.jpg", &photo, &[]).await?;
    let loose = upload(&app, &owner, &source, "loose.jpg", &photo, &[]).await?;

    // Not ready yet: refused.
    let clone = format!("/api/v1/projects/{source}/clone");
    let body = json!({"target_project_id": target, "folder_ids": [day]});
    let r = app.post(&clone, body, &owner).await?;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "not_ready"), "{}", r.text);
    app.run_jobs().await?;

    let drawing = json!({"shapes": [{"tool": "rect", "color": "#ff0000", "width": 0.01, "points": [[0.1, 0.1, 0.5], [0.6, 0.6, 0.5]]}]});
    let top = app
        .post(
            &format!("/api/v1/assets/{a}/comments"),
            json!({"body": "Trim the head", "frame_in": 5, "annotation": drawing}),
            &owner,
        )
        .await?;
    assert_eq!(top.status, StatusCode::CREATED, "{}", top.text);
    let top_id = top.body["id"].as_str().unwrap_or_default().to_owned();
    let reply = app
        .post(
            &format!("/api/v1/assets/{a}/comments"),
            json!({"body": "Done", "parent_id": top_id}),
            &owner,
        )
        .await?;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/assets/{p}/rating"),
            Some(json!({"rating": 4})),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cols = format!("/api/v1/projects/{source}/collections");
    let picks = app
        .post(&cols, json!({"name": "Picks", "kind": "manual"}), &owner)
        .await?;
    let picks = picks.body["id"].as_str().unwrap_or_default().to_owned();
    let r = app
        .post(
            &format!("/api/v1/collections/{picks}/items"),
            json!({"asset_ids": [q, p]}),
            &owner,
        )
        .await?;
    assert!(r.status.is_success(), "{}", r.text);
    let smart = app
        .post(&cols, json!({"name": "Day 1 clips", "kind": "smart", "filter": {"all": [{"field": "folder", "op": "eq", "value": day}]}}), &owner)
        .await?;
    assert_eq!(smart.status, StatusCode::CREATED, "{}", smart.text);
    let smart = smart.body["id"].as_str().unwrap_or_default().to_owned();

    // Roles: a viewer of the source may not copy into a project they are not in, nor into
    // one where they cannot upload.
    let body = json!({"target_project_id": target, "folder_ids": [day], "collection_ids": [picks, smart],
                      "include": {"comments": true, "drawings": true, "ratings": true, "metadata": true}});
    let r = app.post(&clone, body.clone(), &viewer).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let own = json!({"target_project_id": source, "asset_ids": [q]});
    assert_eq!(app.post(&clone, own, &viewer).await?.status, StatusCode::FORBIDDEN);
    let r = app.post(&clone, json!({"target_project_id": target}), &owner).await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "nothing chosen: {}", r.text);

    let r = app.post(&clone, body, &owner).await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let clone_id = r.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(r.body["state"], "queued");
    assert_eq!(
        r.body["counts"],
        json!({"folders": 2, "assets": 3, "versions": 4, "comments": 2, "collections": 2}),
        "a and p from the folders, q from Picks; not loose.jpg"
    );
    app.run_jobs().await?;
    let done = app.get(&format!("/api/v1/clones/{clone_id}"), &owner).await?;
    assert_eq!(
        (done.body["state"].as_str(), done.body["progress"].as_i64()),
        (Some("done"), Some(100)),
        "{}",
        done.text
    );

    // Same structure, new ids.
    let folders = items(&app, &format!("/api/v1/projects/{target}/folders"), &owner).await?;
    let (new_day, new_selects) = (id_of(&folders, "Day 1"), id_of(&folders, "Selects"));
    assert!(!new_day.is_empty() && new_day != day && new_selects != selects);
    let sel = folders
        .iter()
        .find(|f| f["name"] == "Selects")
        .cloned()
        .unwrap_or_default();
    assert_eq!(sel["parent_id"], new_day);
    let assets = items(&app, &format!("/api/v1/projects/{target}/assets"), &owner).await?;
    let mut names: Vec<&str> = assets.iter().filter_map(|a| a["name"].as_str()).collect();
    names.sort();
    assert_eq!(names, ["a.mp4", "p.jpg", "q.jpg"]);
    let (na, np, nq) = (
        id_of(&assets, "a.mp4"),
        id_of(&assets, "p.jpg"),
        id_of(&assets, "q.jpg"),
    );
    assert!(na != a && np != p && nq != q);
    let new_a = app.get(&format!("/api/v1/assets/{na}"), &owner).await?.body;
    assert_eq!(new_a["folder_id"], new_day);
    assert_eq!(new_a["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(new_a["current_version"], 2);
    assert_eq!(new_a["status"], "ready", "nothing re-processed: ready at once");
    assert_eq!(new_a["cloned_from"]["source_id"], a.as_str());
    assert_eq!(new_a["cloned_from"]["project_name"], "Shoot");
    assert_eq!(new_a["cloned_from"]["depth"], 1);
    let new_p = app.get(&format!("/api/v1/assets/{np}"), &owner).await?.body;
    assert_eq!(
        (new_p["folder_id"].as_str(), new_p["rating"].as_i64()),
        (Some(new_selects), Some(4))
    );

    // Stored files are there: both versions' originals byte for byte, and derivatives.
    for (n, bytes) in [(1, &clip1), (2, &clip2)] {
        let r = app
            .get(&format!("/api/v1/assets/{na}/original?version={n}"), &owner)
            .await?;
        assert_eq!(r.status, StatusCode::OK, "v{n}: {}", r.text);
        assert!(r.bytes.as_slice() == bytes.as_slice(), "v{n} original differs");
    }
    for what in ["thumbnail", "proxy", "poster"] {
        let r = app.get(&format!("/api/v1/assets/{na}/{what}"), &owner).await?;
        assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.text);
    }

    // Comments: the reply points at the copy of its parent; the drawing came along.
    let notes = items(&app, &format!("/api/v1/assets/{na}/comments"), &owner).await?;
    assert_eq!(notes.len(), 2);
    let new_top = notes
        .iter()
        .find(|c| c["body"] == "Trim the head")
        .cloned()
        .unwrap_or_default();
    let new_reply = notes.iter().find(|c| c["body"] == "Done").cloned().unwrap_or_default();
    assert_ne!(new_top["id"], top_id.as_str());
    assert_eq!(new_reply["parent_id"], new_top["id"]);
    assert_eq!(new_top["annotation"], drawing);
    assert_eq!(new_top["frame_in"], 5);

    // Collections: Picks holds the copies in order; the smart filter names the new folder.
    let new_cols = items(&app, &format!("/api/v1/projects/{target}/collections"), &owner).await?;
    let (new_picks, new_smart) = (id_of(&new_cols, "Picks"), id_of(&new_cols, "Day 1 clips"));
    let held = items(&app, &format!("/api/v1/collections/{new_picks}/assets"), &owner).await?;
    let held: Vec<&str> = held.iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(held, [nq, np]);
    let s = app.get(&format!("/api/v1/collections/{new_smart}"), &owner).await?.body;
    assert_eq!(s["filter"]["all"][0]["value"], new_day);
    let in_smart = items(&app, &format!("/api/v1/collections/{new_smart}/assets"), &owner).await?;
    assert_eq!(id_of(&in_smart, "a.mp4"), na);

    // The source is untouched.
    assert_eq!(census(&app, &source, &owner).await?, (2, 4, 2, 2));
    // Running the job again (as after a crash) writes nothing new.
    let before = census(&app, &target, &owner).await?;
    assert_eq!(before, (2, 3, 2, 2));
    {
        let state = app.state.as_ref().ok_or_else(|| anyhow::anyhow!("no state"))?;
        let mut conn = domain::db::conn(&state.db).await?;
        let job = domain::clones::RunClone {
            clone_id: clone_id.parse()?,
        };
        let queued = domain::jobs::queue::enqueue(&mut conn, &job).await?;
        assert!(queued.is_some(), "a second run was queued");
    }
    assert!(app.run_jobs().await? >= 1);
    assert_eq!(census(&app, &target, &owner).await?, before);
    let again = app.get(&format!("/api/v1/clones/{clone_id}"), &owner).await?;
    assert_eq!(again.body["state"], "done");

    // A clone of the clone inside the target: renamed beside the first, one deeper.
    let inner = format!("/api/v1/projects/{target}/clone");
    let r = app
        .post(
            &inner,
            json!({"target_project_id": target, "folder_ids": [new_day]}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    app.run_jobs().await?;
    let folders = items(&app, &format!("/api/v1/projects/{target}/folders"), &owner).await?;
    let copy = id_of(&folders, "Day 1 copy");
    assert!(!copy.is_empty(), "{folders:?}");
    let assets = items(&app, &format!("/api/v1/projects/{target}/assets"), &owner).await?;
    let deeper = assets
        .iter()
        .find(|x| x["name"] == "a.mp4" && x["folder_id"] == copy)
        .and_then(|x| x["id"].as_str())
        .unwrap_or_default();
    let d = app.get(&format!("/api/v1/assets/{deeper}"), &owner).await?.body;
    assert_eq!(
        (
            d["cloned_from"]["depth"].as_i64(),
            d["cloned_from"]["source_id"].as_str()
        ),
        (Some(2), Some(na))
    );
    assert_eq!(d["rating"], 0);
    let no_notes = items(&app, &format!("/api/v1/assets/{deeper}/comments"), &owner).await?;
    assert!(no_notes.is_empty(), "comments only when asked for");

    // A folder into itself (or a folder inside it) is a cycle: refused, nothing planned.
    let r = app
        .post(
            &inner,
            json!({"target_project_id": target, "target_folder_id": new_selects, "folder_ids": [new_day]}),
            &owner,
        )
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "clone_cycle"),
        "{}",
        r.text
    );
    let listed = items(&app, &format!("/api/v1/projects/{target}/clones"), &owner).await?;
    assert_eq!(listed.len(), 2, "the refused clone left no row");
    let _ = loose;
    Ok(())
}
