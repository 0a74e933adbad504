use crate::support::{code, db, user, TestResult};
use domain::{members, projects};
use model::dto::ProjectPatch;
use model::{ErrorCode, Role};

#[tokio::test]
async fn creator_owns_the_project_and_sees_it_listed() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "  Spring campaign ", "Stills and spots").await?;
    assert_eq!(p.name, "Spring campaign");
    assert_eq!(p.role, Role::Owner);
    assert_eq!(p.member_count, 1);
    let listed = projects::list(&mut conn, ana.user_id()).await?;
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), vec![p.id]);
    Ok(())
}

#[tokio::test]
async fn non_members_get_not_found_for_every_operation() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let eve = user(&mut conn, "eve@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Secret", "").await?;
    assert!(projects::list(&mut conn, eve.user_id()).await?.is_empty());
    assert_eq!(
        code(projects::get(&mut conn, eve.user_id(), p.id).await),
        ErrorCode::NotFound
    );
    let rename = ProjectPatch {
        name: Some("Mine".into()),
        ..Default::default()
    };
    assert_eq!(
        code(projects::update(&mut conn, eve.user_id(), p.id, &rename).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(projects::delete(&mut conn, eve.user_id(), p.id).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(members::list(&mut conn, eve.user_id(), p.id).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(members::add(&mut conn, eve.user_id(), p.id, "eve@example.com", Role::Owner).await),
        ErrorCode::NotFound
    );
    Ok(())
}

#[tokio::test]
async fn editors_rename_owners_archive_and_delete() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let ed = user(&mut conn, "ed@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Spot", "").await?;
    members::add(&mut conn, ana.user_id(), p.id, "ed@example.com", Role::Editor).await?;

    let rename = ProjectPatch {
        name: Some("Spot v2".into()),
        description: Some("30s cut".into()),
        ..Default::default()
    };
    let renamed = projects::update(&mut conn, ed.user_id(), p.id, &rename).await?;
    assert_eq!(
        (renamed.name.as_str(), renamed.description.as_str()),
        ("Spot v2", "30s cut")
    );

    let archive = ProjectPatch {
        archived: Some(true),
        ..Default::default()
    };
    assert_eq!(
        code(projects::update(&mut conn, ed.user_id(), p.id, &archive).await),
        ErrorCode::Forbidden
    );
    assert!(
        projects::update(&mut conn, ana.user_id(), p.id, &archive)
            .await?
            .archived
    );

    let empty = ProjectPatch {
        name: Some("   ".into()),
        ..Default::default()
    };
    assert_eq!(
        code(projects::update(&mut conn, ana.user_id(), p.id, &empty).await),
        ErrorCode::InvalidInput
    );

    assert_eq!(
        code(projects::delete(&mut conn, ed.user_id(), p.id).await),
        ErrorCode::Forbidden
    );
    projects::delete(&mut conn, ana.user_id(), p.id).await?;
    assert_eq!(
        code(projects::get(&mut conn, ana.user_id(), p.id).await),
        ErrorCode::NotFound
    );
    Ok(())
}
