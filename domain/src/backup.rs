//! Backups. [`backup`] writes, into a folder: the database (`pg_dump`, custom format), a
//! manifest of every stored object (path, size, SHA-256) and — when storage is the local
//! file system — the objects themselves; for S3 the bucket keeps the objects and the
//! manifest records what the database refers to. [`restore`] loads the database back
//! (refusing a database that has accounts unless told to replace it), puts the objects back
//! (or, for S3, checks they are there) and checks every one against the manifest.
//!
//! The database is dumped first: objects written after it are extra, never missing.

use crate::storage::{ObjectKey, Storage};
use anyhow::Context;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures::StreamExt;
use media::Process;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// Longest a dump or restore of the database may take.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(6 * 3600);

/// One stored object in the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Its path in the store.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// What a backup holds (`backup.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Format of the folder.
    pub format: u32,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Objects in the manifest.
    pub objects: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Whether the objects themselves are in the folder (local storage) or only listed.
    pub objects_copied: bool,
}

fn files(dir: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    (
        dir.join("database.dump"),
        dir.join("objects.jsonl"),
        dir.join("objects"),
        dir.join("backup.json"),
    )
}

/// A manifest path as a relative path that cannot leave the folder it is joined to.
fn safe_relative(path: &str) -> anyhow::Result<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.split('/') {
        anyhow::ensure!(
            !part.is_empty() && part != "." && part != ".." && !part.contains('\\'),
            "the manifest names an unsafe path: {path}"
        );
        out.push(part);
    }
    Ok(out)
}

/// Backs the database at `url` and the objects in `storage` up into `dir` (created; must be
/// empty).
pub async fn backup(url: &str, storage: &Storage, tools: &Process, dir: &Path) -> anyhow::Result<Summary> {
    tokio::fs::create_dir_all(dir).await?;
    anyhow::ensure!(
        tokio::fs::read_dir(dir).await?.next_entry().await?.is_none(),
        "{} is not empty; back up into a new folder",
        dir.display()
    );
    let (dump, manifest, objects, summary) = files(dir);
    let dump_arg = dump.display().to_string();
    tools
        .run(
            "pg_dump",
            [
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                &dump_arg,
                "--dbname",
                url,
            ],
            DATABASE_TIMEOUT,
        )
        .await
        .context("dumping the database")?;
    let copy = storage.is_local();
    let mut list = tokio::fs::File::create(&manifest).await?;
    let (mut count, mut bytes) = (0u64, 0u64);
    for (path, _) in storage.list_all().await? {
        let key = ObjectKey::Listed { path: path.clone() };
        let (_, mut stream) = storage.get_stream(&key).await?;
        let mut out = if copy {
            let target = objects.join(safe_relative(&path)?);
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            Some(tokio::fs::File::create(&target).await?)
        } else {
            None
        };
        let (mut hasher, mut size) = (Sha256::new(), 0u64);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            hasher.update(&chunk);
            size += chunk.len() as u64;
            if let Some(f) = out.as_mut() {
                f.write_all(&chunk).await?;
            }
        }
        if let Some(mut f) = out {
            f.flush().await?;
        }
        let entry = ManifestEntry {
            path,
            size,
            sha256: crate::storage::hex(&hasher.finalize()),
        };
        list.write_all(format!("{}\n", serde_json::to_string(&entry)?).as_bytes())
            .await?;
        count += 1;
        bytes += size;
    }
    list.flush().await?;
    let made = Summary {
        format: 1,
        created_at: chrono::Utc::now().to_rfc3339(),
        objects: count,
        bytes,
        objects_copied: copy,
    };
    tokio::fs::write(&summary, serde_json::to_vec_pretty(&made)?).await?;
    Ok(made)
}

/// Restores the backup in `dir` into the database at `url` and into `storage`. A database
/// with accounts is only overwritten when `replace` is set.
pub async fn restore(
    url: &str,
    storage: &Storage,
    tools: &Process,
    dir: &Path,
    replace: bool,
) -> anyhow::Result<Summary> {
    let (dump, manifest, objects, summary) = files(dir);
    let made: Summary = serde_json::from_slice(&tokio::fs::read(&summary).await.context("reading backup.json")?)
        .context("backup.json is not a Dailies backup summary")?;
    anyhow::ensure!(
        made.format == 1,
        "backup format {} is not known to this version",
        made.format
    );
    let accounts = {
        let mut conn = AsyncPgConnection::establish(url)
            .await
            .context("connecting to the database")?;
        diesel::sql_query("SELECT count(*) AS n FROM users")
            .get_result::<Count>(&mut conn)
            .await
            .map_or(0, |c| c.n)
    };
    anyhow::ensure!(
        accounts == 0 || replace,
        "the database has {accounts} accounts; restore with --replace to overwrite it"
    );
    let dump_arg = dump.display().to_string();
    tools
        .run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                url,
                &dump_arg,
            ],
            DATABASE_TIMEOUT,
        )
        .await
        .context("restoring the database")?;
    crate::db::migrate(url)
        .await
        .context("migrating the restored database")?;
    let text = tokio::fs::read_to_string(&manifest)
        .await
        .context("reading objects.jsonl")?;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: ManifestEntry = serde_json::from_str(line).context("a manifest line is not an object entry")?;
        let key = ObjectKey::Listed {
            path: entry.path.clone(),
        };
        if made.objects_copied {
            let file = tokio::fs::File::open(objects.join(safe_relative(&entry.path)?))
                .await
                .with_context(|| format!("{} is missing from the backup", entry.path))?;
            let stored = storage
                .put_stream(&key, tokio_util::io::ReaderStream::with_capacity(file, 1024 * 1024))
                .await?;
            anyhow::ensure!(
                stored.sha256 == entry.sha256 && stored.size == entry.size,
                "{} differs from the manifest (the backup is damaged)",
                entry.path
            );
        } else {
            let size = storage.size(&key).await?;
            anyhow::ensure!(
                size == Some(entry.size),
                "{} is missing from the bucket or has another size",
                entry.path
            );
        }
    }
    Ok(made)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_cannot_leave_the_backup() {
        assert!(safe_relative("assets/a/v1/original").is_ok());
        for bad in ["../etc/passwd", "assets/../../x", "/abs", "a//b", "a\\b", "."] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
    }
}
