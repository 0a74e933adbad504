//! Comments out and markers back in through the REST API: the PDF report of a clip with three
//! comments (one drawn on) shows the drawing's colour in its frame grab (pages rendered to
//! pictures by poppler); CSV, Resolve EDL, Premiere XML, FCPXML and Avid files carry the
//! comments with their timecodes and the panel's filters; an exported EDL or Avid file
//! imported again gives the same frames and text; bad files, photos and viewers are refused.

use crate::media_files as mf;
use crate::support::{As, Reply, TestApp, TestResult, ORIGIN};
use crate::uploads::upload;
use http::{Method, StatusCode};

use serde_json::{json, Value};
use std::process::Command;

async fn post_text(app: &TestApp, path: &str, body: Vec<u8>, who: &As) -> anyhow::Result<Reply> {
    let headers = [("origin", ORIGIN), ("content-type", "text/plain")];
    app.send_bytes(Method::POST, path, body, false, who, &headers).await
}

/// A thick pure-red rectangle across the middle of the frame.
fn red_box() -> Value {
    json!({"shapes": [{"tool": "rect", "color": "#ff0000", "width": 0.03, "points": [[0.3, 0.3, 0.5], [0.7, 0.7, 0.5]]}]})
}

struct Clip {
    app: TestApp,
    owner: As,
    video: String,
    project: String,
}

async fn clip_with_comments() -> anyhow::Result<Clip> {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Exports", &owner).await?;
    let dir = tempfile::tempdir()?;
    // Grey, so the only saturated red in a grab is the drawing.
    let path = mf::lavfi_clip(dir.path(), "grey.mp4", "color=c=gray:s=320x240:r=25:d=4")?;
    let video = upload(&app, &owner, &project, "grey.mp4", &std::fs::read(&path)?, &[]).await?;
    app.run_jobs().await?;
    let url = format!("/api/v1/assets/{video}/comments");
    let first = app
        .post(&url, json!({"body": "Too flat here", "frame_in": 25}), &owner)
        .await?;
    anyhow::ensure!(first.status == StatusCode::CREATED, "{}", first.text);
    for body in [
        json!({"body": "Box this area", "frame_in": 50, "frame_out": 74, "annotation": red_box()}),
        json!({"body": "Fine <now>", "frame_in": 90}),
        json!({"body": "Agreed", "parent_id": first.body["id"]}),
    ] {
        let r = app.post(&url, body, &owner).await?;
        anyhow::ensure!(r.status == StatusCode::CREATED, "{}", r.text);
    }
    Ok(Clip {
        app,
        owner,
        video,
        project,
    })
}

/// Pixels of `page` (1-based) of the PDF that are clearly red.
fn red_pixels(pdf: &[u8], page: usize) -> anyhow::Result<usize> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf)?;
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&path)
        .arg(&prefix)
        .status()?;
    anyhow::ensure!(status.success(), "pdftoppm failed");
    let png = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .ok_or_else(|| anyhow::anyhow!("no page {page} rendered"))?;
    let picture = image::open(png)?.to_rgb8();
    Ok(picture
        .pixels()
        .filter(|p| p[0] > 180 && p[1] < 80 && p[2] < 80)
        .count())
}

#[tokio::test]
async fn the_pdf_report_shows_each_comment_with_its_drawn_frame() -> TestResult {
    let c = clip_with_comments().await?;
    let r = c
        .app
        .get(
            &format!("/api/v1/assets/{}/comments/export?format=pdf", c.video),
            &c.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert!(r.headers["content-disposition"]
        .to_str()?
        .contains("grey v1 comments.pdf"));
    assert!(r.bytes.starts_with(b"%PDF-"));
    // The cover has no red; the comments' page has the red box burned into a grab.
    assert_eq!(red_pixels(&r.bytes, 1)?, 0);
    let red = red_pixels(&r.bytes, 2)?;
    assert!(red > 200, "the drawing's red in the frame grab: {red} pixels");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &r.bytes)?;
    let text = String::from_utf8(Command::new("pdftotext").arg(&path).arg("-").output()?.stdout)?;
    for needle in [
        "grey.mp4",
        "Project: Exports",
        "3 comments",
        "#1 · 00:00:01:00",
        "Too flat here",
        "Olga Owner: Agreed",
        "#2 · 00:00:02:00 – 00:00:02:24",
        "Fine <now>",
    ] {
        assert!(text.contains(needle), "{needle:?} not in the report:\n{text}");
    }
    // Only open threads, by filter: the resolved one is left out.
    let r = c
        .app
        .get(
            &format!("/api/v1/assets/{}/comments/export?format=pdf&resolved=true", c.video),
            &c.owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    std::fs::write(&path, &r.bytes)?;
    let text = String::from_utf8(Command::new("pdftotext").arg(&path).arg("-").output()?.stdout)?;
    assert!(text.contains("0 comments"), "{text}");
    Ok(())
}

#[tokio::test]
async fn marker_files_carry_the_comments_and_come_back_in() -> TestResult {
    let c = clip_with_comments().await?;
    let get = |q: &str| format!("/api/v1/assets/{}/comments/export?{q}", c.video);
    let text = |r: &crate::support::Reply| String::from_utf8_lossy(&r.bytes).into_owned();

    let csv = c.app.get(&get("format=csv"), &c.owner).await?;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert!(csv.headers["content-type"].to_str()?.starts_with("text/csv"));
    let lines: Vec<String> = text(&csv).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 5, "a header, three threads and a reply: {lines:?}");
    assert!(
        lines[1].starts_with("1,,1,00:00:01:00,,25,,,,Olga Owner,Too flat here,,open,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("1,yes,1,"),
        "the reply under its thread: {}",
        lines[2]
    );

    let edl = c.app.get(&get("format=edl"), &c.owner).await?;
    assert_eq!(edl.status, StatusCode::OK);
    let edl_text = text(&edl);
    assert!(edl_text.contains("FCM: NON-DROP FRAME"));
    assert!(
        edl_text.contains("00:00:02:00 00:00:02:01 00:00:02:00 00:00:02:01"),
        "{edl_text}"
    );
    assert!(edl_text.contains("|M:Olga Owner: Box this area |D:25"), "{edl_text}");
    assert!(
        edl_text.contains("|M:Olga Owner: Too flat here ↳ Olga Owner: Agreed |D:1"),
        "replies ride along: {edl_text}"
    );
    for (format, needle) in [
        ("xmeml", "<in>50</in>\n      <out>75</out>"),
        (
            "fcpxml",
            "<marker start=\"2s\" duration=\"1s\" value=\"Olga Owner: Box this area\"",
        ),
        ("avid", "Olga Owner\t00:00:03:15\tV1\tblue\tFine <now>\t1"),
    ] {
        let r = c.app.get(&get(&format!("format={format}")), &c.owner).await?;
        assert_eq!(r.status, StatusCode::OK, "{format}: {}", r.text);
        assert!(text(&r).contains(needle), "{format}:\n{}", text(&r));
    }
    // The panel's filters: by author, by state.
    let r = c.app.get(&get("format=avid&author=nobody"), &c.owner).await?;
    assert_eq!(text(&r), "");
    let r = c.app.get(&get("format=bogus"), &c.owner).await?;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_input"));

    // Round trips: the EDL and the Avid file back in give the same frames and text.
    let before: Vec<Value> = c
        .app
        .get(&format!("/api/v1/assets/{}/comments", c.video), &c.owner)
        .await?
        .body
        .as_array()
        .cloned()
        .unwrap_or_default();
    let import = |format: &str| format!("/api/v1/assets/{}/comments/import?format={format}", c.video);
    let plain_edl = c.app.get(&get("format=edl"), &c.owner).await?;
    for (format, file) in [
        ("edl", plain_edl.bytes.clone()),
        ("avid", c.app.get(&get("format=avid"), &c.owner).await?.bytes),
    ] {
        let r = post_text(&c.app, &import(format), file, &c.owner).await?;
        assert_eq!(r.status, StatusCode::CREATED, "{format}: {}", r.text);
        let made = r.body.as_array().cloned().unwrap_or_default();
        let key = |c: &Value| (c["frame_in"].clone(), c["frame_out"].clone());
        let threads: Vec<&Value> = before.iter().filter(|c| c["parent_id"].is_null()).collect();
        assert_eq!(
            made.iter().map(key).collect::<Vec<_>>(),
            threads.iter().map(|c| key(c)).collect::<Vec<_>>(),
            "{format}"
        );
        assert_eq!(made[1]["body"], "Box this area");
        assert_eq!(made[2]["body"], "Fine <now>");
        assert_eq!(
            made[0]["body"], "Too flat here ↳ Olga Owner: Agreed",
            "{format}: the reply comes back in the text"
        );
    }

    // Refused: junk (naming the line), nothing written; a photo; a viewer.
    let r = post_text(&c.app, &import("edl"), b"TITLE: x\nnot an event\n".to_vec(), &c.owner).await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{}",
        r.text
    );
    assert!(r.text.contains("line 2"), "{}", r.text);
    let r = post_text(
        &c.app,
        &import("avid"),
        b"Ana\t00:00:09:00\tV1\tred\tpast the end\t1\n".to_vec(),
        &c.owner,
    )
    .await?;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("marker 1"), "{}", r.text);
    let after = c
        .app
        .get(&format!("/api/v1/assets/{}/comments", c.video), &c.owner)
        .await?;
    assert_eq!(
        after.body.as_array().map(Vec::len),
        Some(before.len() + 6),
        "nothing half-written"
    );

    let (viewer, _) = c.app.signup("vic@example.com", "Vic Viewer").await?;
    c.app
        .add_member(&c.owner, &c.project, "vic@example.com", "viewer")
        .await?;
    let r = post_text(&c.app, &import("edl"), plain_edl.bytes.clone(), &viewer).await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = c.app.get(&get("format=edl"), &viewer).await?;
    assert_eq!(r.status, StatusCode::OK, "viewers may export");

    let dir = tempfile::tempdir()?;
    let photo = upload(
        &c.app,
        &c.owner,
        &c.project,
        "p.jpg",
        &std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?,
        &[],
    )
    .await?;
    let r = c
        .app
        .get(&format!("/api/v1/assets/{photo}/comments/export?format=edl"), &c.owner)
        .await?;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "invalid_input"),
        "{}",
        r.text
    );
    let r = c
        .app
        .get(&format!("/api/v1/assets/{photo}/comments/export?format=csv"), &c.owner)
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    Ok(())
}
