//! Backup and restore: a project with a photo, a clip, a comment and a folder is backed up
//! (database dump, object manifest, objects), restored into an empty database and an empty
//! store, and every table's rows and every object's SHA-256 come back the same; a restore
//! over a database with accounts is refused unless told to replace it.

use crate::media_files as mf;
use crate::support::{TestApp, TestResult};
use crate::uploads::upload;
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::storage::{Storage, StorageConfig};
use http::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = diesel::sql_types::Text)]
    digest: String,
}

/// Every table's rows, as one digest each (rows in a fixed order).
async fn tables(url: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    let names: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load(&mut conn)
    .await?;
    let mut out = BTreeMap::new();
    for Name { name } in names {
        let d: Digest = diesel::sql_query(format!(
            "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM \"{name}\" t"
        ))
        .get_result(&mut conn)
        .await?;
        out.insert(name, d.digest);
    }
    Ok(out)
}

/// Every object's SHA-256 by path.
async fn objects(storage: &Storage) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (path, _) in storage.list_all().await? {
        use futures::StreamExt;
        use sha2::Digest as _;
        let (_, mut s) = storage
            .get_stream(&domain::storage::ObjectKey::Listed { path: path.clone() })
            .await?;
        let mut h = sha2::Sha256::new();
        while let Some(c) = s.next().await {
            h.update(&c?);
        }
        out.insert(path, domain::storage::hex(&h.finalize()));
    }
    Ok(out)
}

#[tokio::test]
async fn a_backup_restores_every_row_and_object() -> TestResult {
    let app = TestApp::new().await?;
    let (owner, _) = app.signup("olga@example.com", "Olga Owner").await?;
    let project = app.project("Archive", &owner).await?;
    let dir = tempfile::tempdir()?;
    let photo = std::fs::read(mf::photo(dir.path(), "p.jpg", &[])?)?;
    let clip = std::fs::read(mf::video(dir.path(), "c.mp4", 1, "160x120", true)?)?;
    let p = upload(&app, &owner, &project, "p.jpg", &photo, &[]).await?;
    upload(&app, &owner, &project, "c.mp4", &clip, &[]).await?;
    app.run_jobs().await?;
    let r = app
        .post(
            &format!("/api/v1/assets/{p}/comments"),
            json!({"body": "<script>keep me</script>"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .post(
            &format!("/api/v1/projects/{project}/folders"),
            json!({"name": "Day 1"}),
            &owner,
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let state = app.state.as_ref().ok_or_else(|| anyhow::anyhow!("no state"))?;
    let out = tempfile::tempdir()?;
    let made = domain::backup::backup(&app.db.url, &state.storage, &state.tools, out.path()).await?;
    assert!(made.objects_copied);
    let before_objects = objects(&state.storage).await?;
    assert_eq!(made.objects as usize, before_objects.len());
    assert!(
        before_objects.keys().any(|k| k.ends_with("/original")),
        "{before_objects:?}"
    );
    // A second backup into the same folder is refused.
    assert!(
        domain::backup::backup(&app.db.url, &state.storage, &state.tools, out.path())
            .await
            .is_err()
    );

    let fresh_db = domain::testing::TestDb::empty().await?;
    let fresh_store_dir = tempfile::tempdir()?;
    let fresh_store = Storage::open(&StorageConfig::Local(fresh_store_dir.path().to_path_buf()))?;
    domain::backup::restore(&fresh_db, &fresh_store, &state.tools, out.path(), false).await?;

    let (before, after) = (tables(&app.db.url).await?, tables(&fresh_db).await?);
    assert!(before.len() > 20, "{before:?}");
    assert_eq!(before, after, "every table comes back row for row");
    assert!(after["comments"].starts_with("1:"), "{}", after["comments"]);
    assert_eq!(
        objects(&fresh_store).await?,
        before_objects,
        "every object comes back byte for byte"
    );

    // A database with accounts is not overwritten by mistake.
    let again = domain::backup::restore(&fresh_db, &fresh_store, &state.tools, out.path(), false).await;
    assert!(again.is_err_and(|e| e.to_string().contains("--replace")));
    domain::backup::restore(&fresh_db, &fresh_store, &state.tools, out.path(), true).await?;
    assert_eq!(tables(&fresh_db).await?, before);

    // A damaged backup is refused, naming the object.
    let first = before_objects.keys().next().cloned().unwrap_or_default();
    std::fs::write(out.path().join("objects").join(&first), b"rot")?;
    let damaged = domain::backup::restore(&fresh_db, &fresh_store, &state.tools, out.path(), true).await;
    assert!(damaged.is_err_and(|e| e.to_string().contains(&first)));
    Ok(())
}
