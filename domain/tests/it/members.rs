use crate::support::{code, db, user, TestResult};
use domain::{members, projects};
use model::{ErrorCode, Role};

#[tokio::test]
async fn owner_adds_member_by_email_who_then_sees_the_project() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let ben = user(&mut conn, "ben@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Shoot", "").await?;
    let m = members::add(&mut conn, ana.user_id(), p.id, " BEN@example.com ", Role::Commenter).await?;
    assert_eq!((m.user_id, m.role), (ben.user_id(), Role::Commenter));
    let seen = projects::get(&mut conn, ben.user_id(), p.id).await?;
    assert_eq!(seen.role, Role::Commenter);
    assert_eq!(seen.member_count, 2);
    assert_eq!(
        code(members::add(&mut conn, ana.user_id(), p.id, "ben@example.com", Role::Viewer).await),
        ErrorCode::AlreadyMember
    );
    assert_eq!(
        code(members::add(&mut conn, ana.user_id(), p.id, "nobody@example.com", Role::Viewer).await),
        ErrorCode::NotFound
    );
    Ok(())
}

#[tokio::test]
async fn viewer_cannot_manage_members() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let vic = user(&mut conn, "vic@example.com").await?;
    user(&mut conn, "cat@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Shoot", "").await?;
    members::add(&mut conn, ana.user_id(), p.id, "vic@example.com", Role::Viewer).await?;
    assert_eq!(
        code(members::add(&mut conn, vic.user_id(), p.id, "cat@example.com", Role::Viewer).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(members::change_role(&mut conn, vic.user_id(), p.id, vic.user_id(), Role::Owner).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(members::remove(&mut conn, vic.user_id(), p.id, ana.user_id()).await),
        ErrorCode::Forbidden
    );
    // …but anyone may leave.
    members::remove(&mut conn, vic.user_id(), p.id, vic.user_id()).await?;
    assert_eq!(
        code(projects::get(&mut conn, vic.user_id(), p.id).await),
        ErrorCode::NotFound
    );
    Ok(())
}

#[tokio::test]
async fn the_last_owner_can_be_neither_demoted_nor_removed() -> TestResult {
    let (_db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let ben = user(&mut conn, "ben@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Shoot", "").await?;
    assert_eq!(
        code(members::change_role(&mut conn, ana.user_id(), p.id, ana.user_id(), Role::Editor).await),
        ErrorCode::LastOwner
    );
    assert_eq!(
        code(members::remove(&mut conn, ana.user_id(), p.id, ana.user_id()).await),
        ErrorCode::LastOwner
    );

    members::add(&mut conn, ana.user_id(), p.id, "ben@example.com", Role::Editor).await?;
    members::change_role(&mut conn, ana.user_id(), p.id, ben.user_id(), Role::Owner).await?;
    let demoted = members::change_role(&mut conn, ben.user_id(), p.id, ana.user_id(), Role::Viewer).await?;
    assert_eq!(demoted.role, Role::Viewer);
    assert_eq!(
        code(members::remove(&mut conn, ben.user_id(), p.id, ben.user_id()).await),
        ErrorCode::LastOwner
    );
    let listed = members::list(&mut conn, ana.user_id(), p.id).await?;
    assert_eq!(
        listed.iter().map(|m| m.role).collect::<Vec<_>>(),
        vec![Role::Owner, Role::Viewer]
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_demotions_keep_one_owner() -> TestResult {
    let (db, mut conn) = db().await?;
    let ana = user(&mut conn, "ana@example.com").await?;
    let ben = user(&mut conn, "ben@example.com").await?;
    let p = projects::create(&mut conn, ana.user_id(), "Shoot", "").await?;
    members::add(&mut conn, ana.user_id(), p.id, "ben@example.com", Role::Owner).await?;
    let (mut c1, mut c2) = (db.pool.get().await?, db.pool.get().await?);
    let (r1, r2) = tokio::join!(
        members::change_role(&mut c1, ana.user_id(), p.id, ben.user_id(), Role::Editor),
        members::change_role(&mut c2, ben.user_id(), p.id, ana.user_id(), Role::Editor),
    );
    assert!(r1.is_ok() != r2.is_ok(), "exactly one demotion must win: {r1:?} {r2:?}");
    let owners = members::list(&mut conn, ana.user_id(), p.id).await?;
    assert_eq!(owners.iter().filter(|m| m.role == Role::Owner).count(), 1);
    Ok(())
}
