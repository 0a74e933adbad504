//! Schema hygiene: every foreign key is indexed, every migration reverts cleanly, and
//! `schema/` matches the database.

use crate::support::TestResult;
use diesel::sql_types::{Integer, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::testing::TestDb;

#[derive(QueryableByName, Debug)]
#[expect(dead_code, reason = "read through Debug in the failure message")]
struct Unindexed {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
}

#[tokio::test]
async fn every_foreign_key_is_indexed() -> TestResult {
    let db = TestDb::new().await?;
    let mut conn = AsyncPgConnection::establish(&db.url).await?;
    // A foreign key is covered when some index starts with exactly its columns.
    let missing: Vec<Unindexed> = diesel::sql_query(
        "SELECT c.conrelid::regclass::text AS table_name, c.conname::text AS constraint_name
         FROM pg_constraint c
         WHERE c.contype = 'f'
           AND NOT EXISTS (
             SELECT 1 FROM pg_index i
             WHERE i.indrelid = c.conrelid
               AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
               AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey)",
    )
    .load(&mut conn)
    .await?;
    assert!(missing.is_empty(), "foreign keys without an index: {missing:?}");
    Ok(())
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = Integer)]
    n: i32,
}

#[tokio::test]
async fn migrations_revert_cleanly_and_reapply() -> TestResult {
    let url = TestDb::empty().await?;
    let ran = domain::db::migrate(&url).await?;
    assert!(ran >= 2);
    let reverted = domain::db::revert_all(&url).await?;
    assert_eq!(reverted, ran);
    let mut conn = AsyncPgConnection::establish(&url).await?;
    let left: Vec<Count> = diesel::sql_query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await?;
    assert_eq!(left[0].n, 0, "down.sql files left tables behind");
    assert_eq!(domain::db::migrate(&url).await?, ran);
    Ok(())
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[tokio::test]
async fn schema_rs_matches_the_database() -> TestResult {
    let db = TestDb::new().await?;
    let mut conn = AsyncPgConnection::establish(&db.url).await?;
    let mut actual: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await?;
    actual.sort();
    let schema_rs = [
        include_str!("../../src/schema/accounts.rs"),
        include_str!("../../src/schema/library.rs"),
        include_str!("../../src/schema/review.rs"),
        include_str!("../../src/schema/delivery.rs"),
    ]
    .concat();
    let mut declared = Vec::new();
    let mut table = None;
    for line in schema_rs.lines().map(str::trim) {
        if let Some(rest) = line.strip_suffix('{').map(str::trim) {
            if let Some((name, _)) = rest.split_once(" (") {
                table = Some(name.to_owned());
                continue;
            }
        }
        if line == "}" {
            table = None;
        } else if let (Some(t), Some((col, _))) = (&table, line.split_once(" -> ")) {
            declared.push(Column {
                table_name: t.clone(),
                column_name: col.to_owned(),
            });
        }
    }
    declared.sort();
    assert_eq!(declared, actual);
    Ok(())
}
