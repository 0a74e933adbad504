//! Object storage: local files by default, or any S3-compatible service, behind one
//! `Storage` over `object_store`. Writes stream (multipart on S3) with a running SHA-256, so
//! memory stays bounded whatever the size.

mod error;
mod keys;
mod staging;

pub use error::StorageError;
pub use keys::ObjectKey;
pub use staging::{Appended, InputEnd, Staged};

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Where objects live, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageConfig {
    /// A directory on this machine.
    Local(PathBuf),
    /// An S3-compatible bucket.
    S3 {
        /// Bucket name.
        bucket: String,
        /// Key prefix inside the bucket (may be empty).
        prefix: String,
        /// Endpoint URL for non-AWS services (MinIO, s3s-fs, …).
        endpoint: Option<String>,
        /// Region.
        region: String,
        /// Access key id.
        access_key: Option<String>,
        /// Secret key.
        secret_key: Option<String>,
    },
}

/// What a streamed write stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// Bytes written.
    pub size: u64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
}

/// The one way to read and write objects.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    backend: Backend,
    prefix: object_store::path::Path,
    description: String,
}

/// The concrete store, for what `ObjectStore` does not cover (appends, multipart parts).
#[derive(Clone, Debug)]
enum Backend {
    /// The root directory.
    Local(PathBuf),
    /// The S3 client.
    S3(Arc<object_store::aws::AmazonS3>),
}

/// Multipart chunk size: S3 needs at least 5 MiB per part except the last.
const CHUNK: usize = 8 * 1024 * 1024;

impl StorageConfig {
    /// Parses `file:///dir` or `s3://bucket/prefix` (S3 settings from the arguments).
    pub fn parse(
        url: &str,
        endpoint: Option<String>,
        region: Option<String>,
        access_key: Option<String>,
        secret_key: Option<String>,
    ) -> Result<StorageConfig, StorageError> {
        if let Some(dir) = url.strip_prefix("file://") {
            return Ok(StorageConfig::Local(PathBuf::from(dir)));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(StorageError::Config("s3:// needs a bucket name".into()));
            }
            return Ok(StorageConfig::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
                endpoint,
                region: region.unwrap_or_else(|| "us-east-1".into()),
                access_key,
                secret_key,
            });
        }
        Err(StorageError::Config(format!(
            "unsupported storage URL {url:?}: use file:///path or s3://bucket/prefix"
        )))
    }
}

impl Storage {
    /// Opens the configured store (creating the local directory if needed).
    pub fn open(config: &StorageConfig) -> Result<Storage, StorageError> {
        match config {
            StorageConfig::Local(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StorageError::Config(format!("creating {}: {e}", dir.display())))?;
                let store = LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| StorageError::Config(e.to_string()))?
                    .with_automatic_cleanup(true);
                Ok(Storage {
                    store: Arc::new(store),
                    backend: Backend::Local(dir.clone()),
                    prefix: object_store::path::Path::default(),
                    description: format!("file://{}", dir.display()),
                })
            }
            StorageConfig::S3 {
                bucket,
                prefix,
                endpoint,
                region,
                access_key,
                secret_key,
            } => {
                let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket).with_region(region);
                // Fail within seconds when the store is down: a request waiting minutes on
                // retries holds a connection and tells the person nothing. (Set before
                // `with_allow_http`, which writes into these client options.)
                b = b
                    .with_retry(object_store::RetryConfig {
                        max_retries: 3,
                        retry_timeout: std::time::Duration::from_secs(15),
                        ..Default::default()
                    })
                    .with_client_options(
                        object_store::ClientOptions::new().with_connect_timeout(std::time::Duration::from_secs(5)),
                    );
                if let Some(e) = endpoint {
                    b = b
                        .with_endpoint(e)
                        .with_allow_http(e.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                if let (Some(k), Some(s)) = (access_key, secret_key) {
                    b = b.with_access_key_id(k).with_secret_access_key(s);
                }
                let store = Arc::new(b.build().map_err(|e| StorageError::Config(e.to_string()))?);
                Ok(Storage {
                    store: store.clone(),
                    backend: Backend::S3(store),
                    prefix: object_store::path::Path::from(prefix.as_str()),
                    description: format!("s3://{bucket}/{prefix}"),
                })
            }
        }
    }

    /// Where the objects are, for logs.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// The file behind a key, when storage is local (lets ffmpeg read originals in place).
    pub fn local_path(&self, key: &ObjectKey) -> Result<PathBuf, StorageError> {
        match &self.backend {
            Backend::Local(root) => Ok(key.path().parts().fold(root.clone(), |p, part| p.join(part.as_ref()))),
            Backend::S3(_) => Err(StorageError::Config("not local storage".into())),
        }
    }

    fn full(&self, key: &ObjectKey) -> object_store::path::Path {
        let path = key.path();
        if self.prefix.as_ref().is_empty() {
            path
        } else {
            self.prefix.parts().chain(path.parts()).collect()
        }
    }

    fn err(&self, key: &ObjectKey, source: object_store::Error) -> StorageError {
        match source {
            object_store::Error::NotFound { .. } => StorageError::NotFound(key.path().to_string()),
            source => StorageError::Store {
                key: key.path().to_string(),
                source,
            },
        }
    }

    /// Stores a small object in one request.
    pub async fn put_bytes(&self, key: &ObjectKey, bytes: Bytes) -> Result<Stored, StorageError> {
        let stored = Stored {
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        };
        self.store
            .put(&self.full(key), PutPayload::from(bytes))
            .await
            .map_err(|e| self.err(key, e))?;
        Ok(stored)
    }

    /// Streams `data` into `key` (multipart, 8 MiB parts, at most two in flight), computing
    /// its size and SHA-256. On failure the partial upload is aborted.
    pub async fn put_stream<S>(&self, key: &ObjectKey, data: S) -> Result<Stored, StorageError>
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send,
    {
        let upload = self
            .store
            .put_multipart(&self.full(key))
            .await
            .map_err(|e| self.err(key, e))?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, CHUNK);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        futures::pin_mut!(data);
        while let Some(chunk) = data.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(StorageError::Input(e));
                }
            };
            if let Err(e) = writer.wait_for_capacity(2).await {
                let _ = writer.abort().await;
                return Err(self.err(key, e));
            }
            hasher.update(&chunk);
            size += chunk.len() as u64;
            writer.put(chunk);
        }
        writer.finish().await.map_err(|e| self.err(key, e))?;
        Ok(Stored {
            size,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// The whole object as a stream of chunks, with its size.
    pub async fn get_stream(
        &self,
        key: &ObjectKey,
    ) -> Result<(u64, impl Stream<Item = Result<Bytes, StorageError>> + use<>), StorageError> {
        let result = self.store.get(&self.full(key)).await.map_err(|e| self.err(key, e))?;
        let size = result.meta.size;
        let name = key.path().to_string();
        let stream = result.into_stream().map_err(move |source| StorageError::Store {
            key: name.clone(),
            source,
        });
        Ok((size, stream))
    }

    /// A byte range of the object as a stream (HTTP Range responses of any size).
    pub async fn get_range_stream(
        &self,
        key: &ObjectKey,
        range: Range<u64>,
    ) -> Result<impl Stream<Item = Result<Bytes, StorageError>> + use<>, StorageError> {
        let result = self.get_result(key, range).await?;
        let name = key.path().to_string();
        Ok(result.into_stream().map_err(move |source| StorageError::Store {
            key: name.clone(),
            source,
        }))
    }

    /// A byte range of the object (for HTTP Range requests and file sniffing).
    pub async fn get_range(&self, key: &ObjectKey, range: Range<u64>) -> Result<Bytes, StorageError> {
        let result = self.get_result(key, range).await?;
        result.bytes().await.map_err(|e| self.err(key, e))
    }

    async fn get_result(&self, key: &ObjectKey, range: Range<u64>) -> Result<object_store::GetResult, StorageError> {
        let opts = GetOptions {
            range: Some(GetRange::Bounded(range)),
            ..GetOptions::default()
        };
        self.store
            .get_opts(&self.full(key), opts)
            .await
            .map_err(|e| self.err(key, e))
    }

    /// A small object whole (an index, a waveform), or `None` when it is missing or larger
    /// than `max` bytes — callers never hold a big object in memory.
    pub async fn get_small(&self, key: &ObjectKey, max: u64) -> Result<Option<Bytes>, StorageError> {
        match self.size(key).await? {
            Some(size) if size <= max => Ok(Some(self.get_range(key, 0..size).await?)),
            _ => Ok(None),
        }
    }

    /// The object's size, or `None` when it does not exist.
    pub async fn size(&self, key: &ObjectKey) -> Result<Option<u64>, StorageError> {
        match self.store.head(&self.full(key)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.err(key, e)),
        }
    }

    /// Deletes an object; deleting a missing object is not an error.
    pub async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        match self.store.delete(&self.full(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.err(key, e)),
        }
    }

    /// Deletes every object under `key`'s path (e.g. an asset's folder); returns how many.
    pub async fn delete_all_under(&self, key: &ObjectKey) -> Result<u64, StorageError> {
        use futures::StreamExt;
        let prefix = self.full(key);
        let mut listing = self.store.list(Some(&prefix));
        let mut deleted = 0;
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| self.err(key, e))?;
            match self.store.delete(&meta.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => deleted += 1,
                Err(e) => return Err(self.err(key, e)),
            }
        }
        Ok(deleted)
    }

    /// Copies an object inside the store (server-side where the store supports it).
    pub async fn copy(&self, from: &ObjectKey, to: &ObjectKey) -> Result<(), StorageError> {
        self.store
            .copy(&self.full(from), &self.full(to))
            .await
            .map_err(|e| self.err(from, e))
    }

    /// Every object under `key`'s path: its path relative to that one, and its size, sorted.
    async fn listing(&self, key: &ObjectKey) -> Result<Vec<(String, u64)>, StorageError> {
        use futures::StreamExt;
        let prefix = self.full(key);
        let mut listing = self.store.list((!prefix.as_ref().is_empty()).then_some(&prefix));
        let mut out = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| self.err(key, e))?;
            let rest: Option<Vec<String>> = meta
                .location
                .prefix_match(&prefix)
                .map(|parts| parts.map(|p| p.as_ref().to_owned()).collect());
            if let Some(rest) = rest {
                out.push((rest.join("/"), meta.size));
            }
        }
        out.sort();
        Ok(out)
    }

    /// The paths of every object under `key`'s path, relative to it (e.g. `original`,
    /// `thumb-256.webp`).
    pub async fn names_under(&self, key: &ObjectKey) -> Result<Vec<String>, StorageError> {
        Ok(self.listing(key).await?.into_iter().map(|(name, _)| name).collect())
    }

    /// Copies the object `name` (as [`Storage::names_under`] gives it) from under `from`'s
    /// path to the same place under `to`'s, server-side where the store supports it.
    /// Copying again overwrites with the same bytes.
    pub async fn copy_under(&self, from: &ObjectKey, to: &ObjectKey, name: &str) -> Result<(), StorageError> {
        let within = |key: &ObjectKey| -> object_store::path::Path {
            self.full(key)
                .parts()
                .chain(object_store::path::Path::from(name).parts())
                .collect()
        };
        self.store
            .copy(&within(from), &within(to))
            .await
            .map_err(|e| self.err(from, e))
    }

    /// Whether objects live on the local file system (a backup then copies them).
    pub fn is_local(&self) -> bool {
        matches!(self.backend, Backend::Local(_))
    }

    /// Every object's path (relative to the store's prefix, as [`ObjectKey::Listed`] takes
    /// it) and size, sorted; uploads in progress and health probes are left out.
    pub async fn list_all(&self) -> Result<Vec<(String, u64)>, StorageError> {
        let mut all = self.listing(&ObjectKey::Listed { path: String::new() }).await?;
        all.retain(|(path, _)| !path.starts_with("staging/") && !path.starts_with("health/"));
        Ok(all)
    }

    /// Writes, reads back and deletes a small probe object.
    pub async fn check(&self) -> Result<(), StorageError> {
        let key = ObjectKey::HealthProbe;
        self.put_bytes(&key, Bytes::from_static(b"ok")).await?;
        let back = self.get_range(&key, 0..2).await?;
        if back.as_ref() != b"ok" {
            return Err(StorageError::Config(
                "the health probe read back different bytes".into(),
            ));
        }
        self.delete(&key).await
    }
}

/// Lowercase hex of bytes (digests in the database and in ETags).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
