//! Review through the REST API: comments on frames, ranges, pins and whole assets; drawings
//! stored exactly; threads, edits, deletes, resolve, reactions, mentions; ratings, labels,
//! status and approvals; the audit log; and the role rules on every route.

use crate::media_files as mf;
use crate::support::{As, TestApp, TestResult};
use crate::uploads::upload;
use http::{Method, StatusCode};
use serde_json::{json, Value};

mod state;

/// A project with a member of every role, a video and a photo, processed.
struct Fixture {
    app: TestApp,
    owner: As,
    editor: As,
    commenter: As,
    viewer: As,
    project: String,
    video: String,
    photo: String,
}

async fn fixture() -> anyhow::Result<Fixture> {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let (editor, _) = app.signup("ed@example.com", "Ed Editor").await?;
    let (commenter, _) = app.signup("cleo@example.com", "Cleo Commenter").await?;
    let (viewer, _) = app.signup("vic@example.com", "Vic Viewer").await?;
    let project = app.project("Review", &owner).await?;
    for (email, role) in [
        ("ed@example.com", "editor"),
        ("cleo@example.com", "commenter"),
        ("vic@example.com", "viewer"),
    ] {
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
    // 29.97 fps with a drop-frame start timecode of 00:59:59;00.
    let clip = dir.path().join("clip.mov");
    mf::run(
        std::process::Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=s=320x180:r=30000/1001:d=4",
            ])
            .args(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"])
            .args(["-timecode", "00:59:59;00"])
            .arg(&clip),
    )?;
    let video = upload(&app, &owner, &project, "clip.mov", &std::fs::read(&clip)?, &[]).await?;
    let photo_path = mf::photo(dir.path(), "still.jpg", &[])?;
    let photo = upload(&app, &owner, &project, "still.jpg", &std::fs::read(photo_path)?, &[]).await?;
    app.run_jobs().await?;
    Ok(Fixture {
        app,
        owner,
        editor,
        commenter,
        viewer,
        project,
        video,
        photo,
    })
}

impl Fixture {
    /// The audit rows about `target`, oldest first.
    async fn audit(&self, target: &str) -> anyhow::Result<Vec<domain::audit::AuditEvent>> {
        let db = self
            .app
            .state
            .as_ref()
            .map(|s| &s.db)
            .ok_or_else(|| anyhow::anyhow!("no state"))?;
        let mut conn = domain::db::conn(db).await?;
        Ok(domain::audit::for_target(&mut conn, target.parse()?).await?)
    }

    async fn comment(&self, asset: &str, body: Value, who: &As) -> anyhow::Result<crate::support::Reply> {
        self.app
            .post(&format!("/api/v1/assets/{asset}/comments"), body, who)
            .await
    }

    async fn put(&self, path: &str, body: Value, who: &As) -> anyhow::Result<crate::support::Reply> {
        self.app.send(Method::PUT, path, Some(body), who).await
    }
}

fn arrow() -> Value {
    json!({"shapes": [
        {"tool": "arrow", "color": "#ff3b30", "width": 0.006, "points": [[0.1, 0.2, 0.5], [0.4, 0.45, 0.5]]},
        {"tool": "freehand", "color": "#0a84ff", "width": 0.003, "points": [[0.5, 0.5, 0.2], [0.52, 0.51, 0.6], [0.55, 0.53, 1.0]]}
    ]})
}

#[tokio::test]
async fn comments_carry_frames_timecodes_pins_and_drawings() -> TestResult {
    let f = fixture().await?;
    let v = &f.video;
    // A range comment with a drawing, on 29.97 DF from 00:59:59;00: 30 frames on is the hour,
    // a tenth minute, which keeps its frame numbers.
    let r = f
        .comment(
            v,
            json!({"body": "Fix the **flicker** here", "frame_in": 30, "frame_out": 60, "annotation": arrow()}),
            &f.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let c = &r.body;
    assert_eq!((c["frame_in"].as_i64(), c["frame_out"].as_i64()), (Some(30), Some(60)));
    assert_eq!(c["timecode_in"], "01:00:00;00");
    assert_eq!(c["timecode_out"], "01:00:01;00");
    assert_eq!(c["annotation"], arrow(), "the drawing comes back exactly as sent");
    assert_eq!(c["body_html"], "Fix the <strong>flicker</strong> here");
    assert_eq!(c["author"]["name"], "Olga Owner");
    assert_eq!(c["resolved"], false);
    let long = f
        .comment(v, json!({"body": "late", "frame_in": 119}), &f.commenter)
        .await?;
    assert_eq!(long.body["timecode_in"], "01:00:02;29");
    // A pin on a video frame, a whole-asset comment.
    let pin = f
        .comment(
            v,
            json!({"body": "this logo", "frame_in": 5, "x": 0.25, "y": 0.75}),
            &f.editor,
        )
        .await?;
    assert_eq!(
        (pin.body["x"].as_f64(), pin.body["y"].as_f64()),
        (Some(0.25), Some(0.75))
    );
    let whole = f.comment(v, json!({"body": "Overall: lovely"}), &f.viewer).await?;
    assert_eq!((whole.status, whole.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let whole = f.comment(v, json!({"body": "Overall: lovely"}), &f.commenter).await?;
    assert_eq!(whole.status, StatusCode::CREATED);
    // Order: whole-asset first, then by frame.
    let list = f.app.get(&format!("/api/v1/assets/{v}/comments"), &f.viewer).await?;
    let bodies: Vec<&str> = list
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["body"].as_str())
        .collect();
    assert_eq!(
        bodies,
        ["Overall: lovely", "this logo", "Fix the **flicker** here", "late"]
    );

    // Bad positions are clear 400s and nothing is written.
    for (body, why) in [
        (json!({"body": "x", "frame_in": 120}), "frames run from 0 to 119"),
        (json!({"body": "x", "frame_in": -1}), "frames run"),
        (json!({"body": "x", "frame_in": 10, "frame_out": 5}), "before frame_in"),
        (json!({"body": "x", "frame_out": 5}), "needs frame_in"),
        (json!({"body": "x", "x": 1.5, "y": 0.5}), "between 0 and 1"),
        (json!({"body": "x", "x": 0.5}), "a pin needs x and y"),
        (json!({"body": "   "}), "write something"),
        (
            json!({"body": "x", "annotation": {"shapes": [{"tool": "rect", "color": "#fff", "width": 0.01, "points": [[0,0,0.5],[1,1,0.5]]}]}}),
            "#rrggbb",
        ),
        (
            json!({"body": "x", "annotation": {"shapes": [{"tool": "rect", "color": "#ffffff", "width": 0.01, "points": [[0,0,0.5]]}]}}),
            "exactly two points",
        ),
        (json!({"body": "x".repeat(10_001)}), "at most 10000"),
    ] {
        let r = f.comment(v, body, &f.owner).await?;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::BAD_REQUEST, "invalid_input"),
            "{why}: {}",
            r.text
        );
        assert!(
            r.body["error"]["message"].as_str().unwrap_or("").contains(why),
            "{why}: {}",
            r.text
        );
    }
    // Photos take pins and rectangles, not frames.
    let p = &f.photo;
    let r = f.comment(p, json!({"body": "x", "frame_in": 0}), &f.owner).await?;
    assert!(r.text.contains("photos have no frames"), "{}", r.text);
    let rect = f
        .comment(
            p,
            json!({"body": "<b>sky</b> too bright", "x": 0.1, "y": 0.1, "w": 0.5, "h": 0.25}),
            &f.commenter,
        )
        .await?;
    assert_eq!(rect.status, StatusCode::CREATED);
    assert_eq!(rect.body["body_html"], "&lt;b&gt;sky&lt;/b&gt; too bright");
    assert_eq!(rect.body["timecode_in"], Value::Null);
    let list = f.app.get(&format!("/api/v1/assets/{v}/comments"), &f.owner).await?;
    assert_eq!(
        list.body.as_array().map(Vec::len),
        Some(4),
        "the refused comments left no rows"
    );
    Ok(())
}

#[tokio::test]
async fn threads_edits_deletes_resolve_reactions_and_mentions() -> TestResult {
    let f = fixture().await?;
    let v = &f.video;
    let top = f
        .comment(v, json!({"body": "Cut earlier?", "frame_in": 12}), &f.commenter)
        .await?;
    let top_id = top.body["id"].as_str().unwrap_or_default().to_owned();
    // A reply mentioning the editor notifies the editor (mention) and the author (reply).
    let reply = f
        .comment(
            v,
            json!({"body": "@ed can you look? cc @nobody", "parent_id": top_id}),
            &f.owner,
        )
        .await?;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["parent_id"], top_id.as_str());
    assert!(reply.body["body_html"]
        .as_str()
        .unwrap_or("")
        .contains(r#"<span class="mention">@ed</span>"#));
    assert!(!reply.body["body_html"]
        .as_str()
        .unwrap_or("")
        .contains(r#"mention">@nobody"#));
    let reply_id = reply.body["id"].as_str().unwrap_or_default().to_owned();
    // A reply to a reply joins the thread.
    let nested = f
        .comment(v, json!({"body": "on it", "parent_id": reply_id}), &f.editor)
        .await?;
    assert_eq!(nested.body["parent_id"], top_id.as_str());
    let ed = f.app.get("/api/v1/notifications", &f.editor).await?;
    assert_eq!(ed.body[0]["kind"], "mention");
    assert_eq!(ed.body[0]["actor"]["name"], "Olga Owner");
    assert_eq!(ed.body[0]["asset_name"], "clip.mov");
    let cleo = f.app.get("/api/v1/notifications", &f.commenter).await?;
    let kinds: Vec<&str> = cleo
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["reply", "reply"], "Cleo hears of both replies to her thread");
    let own = f.app.get("/api/v1/notifications", &f.owner).await?;
    let kinds: Vec<&str> = own
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["reply", "comment"],
        "Ed answered Olga, and Cleo commented on Olga's upload; nobody is notified of their own words"
    );
    let read = f
        .app
        .post("/api/v1/notifications/read", json!({}), &f.commenter)
        .await?;
    assert_eq!(read.body, 2);

    // Edit: the author yes, another commenter no, the owner yes.
    let path = format!("/api/v1/comments/{top_id}");
    let r = f
        .app
        .send(
            Method::PATCH,
            &path,
            Some(json!({"body": "Cut two frames earlier?"})),
            &f.commenter,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["edited_at"].is_string());
    let r = f
        .app
        .send(Method::PATCH, &path, Some(json!({"body": "hijack"})), &f.editor)
        .await?;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = f
        .app
        .send(Method::PATCH, &path, Some(json!({"annotation": arrow()})), &f.owner)
        .await?;
    assert_eq!((r.status, &r.body["annotation"]), (StatusCode::OK, &arrow()));
    let r = f
        .app
        .send(Method::PATCH, &path, Some(json!({"body": "x"})), &f.viewer)
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Resolve and reopen (no body = resolve); viewers cannot.
    let r = f
        .app
        .send(Method::POST, &format!("{path}/resolve"), None, &f.editor)
        .await?;
    assert_eq!(
        (r.status, &r.body["resolved"]),
        (StatusCode::OK, &json!(true)),
        "{}",
        r.text
    );
    assert_eq!(r.body["resolved_by"]["name"], "Ed Editor");
    let r = f
        .app
        .post(&format!("{path}/resolve"), json!({"resolved": false}), &f.commenter)
        .await?;
    assert_eq!(r.body["resolved"], false);
    let r = f.app.post(&format!("{path}/resolve"), json!({}), &f.viewer).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Reactions toggle, per person; only the offered emoji.
    let reactions = format!("{path}/reactions");
    let react = async |who: &As, e: &str| f.app.post(&reactions, json!({"emoji": e}), who).await;
    let id_of =
        async |who: &As| -> anyhow::Result<Value> { Ok(f.app.get("/api/v1/me", who).await?.body["id"].clone()) };
    let (owner_id, editor_id) = (id_of(&f.owner).await?, id_of(&f.editor).await?);
    react(&f.owner, "👍").await?;
    let r = react(&f.editor, "👍").await?;
    assert_eq!(
        r.body["reactions"],
        json!([{"emoji": "👍", "count": 2, "mine": true, "users": [owner_id, editor_id]}])
    );
    let r = react(&f.editor, "👍").await?;
    assert_eq!(
        r.body["reactions"],
        json!([{"emoji": "👍", "count": 1, "mine": false, "users": [owner_id]}])
    );
    let r = react(&f.owner, "<script>").await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = react(&f.viewer, "👍").await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Delete: not someone else's (editor), yes the owner; replies go with the thread.
    let r = f.app.send(Method::DELETE, &path, None, &f.editor).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f.app.send(Method::DELETE, &path, None, &f.owner).await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = f.app.get(&format!("/api/v1/assets/{v}/comments"), &f.owner).await?;
    assert_eq!(list.body, json!([]));
    let r = f.app.send(Method::DELETE, &path, None, &f.owner).await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Every change is in the audit log, in order.
    let events = f.audit(&top_id).await?;
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "comment.create",
            "comment.update",
            "comment.update",
            "comment.resolve",
            "comment.reopen",
            "comment.delete"
        ]
    );
    Ok(())
}
