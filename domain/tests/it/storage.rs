//! The same storage behaviour on local disk and on a real S3-compatible server.

use crate::support::TestResult;
use bytes::Bytes;
use domain::storage::{ObjectKey, Storage, StorageConfig, StorageError};
use domain::testing::TestS3;
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// 20 MiB + a bit of pseudo-random bytes, delivered in odd-sized chunks.
fn big_stream() -> (Vec<u8>, impl futures::Stream<Item = std::io::Result<Bytes>>) {
    let mut data = vec![0u8; 20 * 1024 * 1024 + 12_345];
    let mut x: u32 = 2_463_534_242;
    for b in &mut data {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = (x & 0xff) as u8;
    }
    let chunks: Vec<std::io::Result<Bytes>> = data.chunks(777_777).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    (data, futures::stream::iter(chunks))
}

async fn behaves(storage: &Storage) -> TestResult {
    let asset = Uuid::new_v4();
    let original = ObjectKey::Original { asset, version: 1 };
    assert_eq!(storage.size(&original).await?, None);

    let (data, stream) = big_stream();
    let stored = storage.put_stream(&original, stream).await?;
    assert_eq!(stored.size, data.len() as u64);
    assert_eq!(stored.sha256, hex(&Sha256::digest(&data)));
    assert_eq!(storage.size(&original).await?, Some(data.len() as u64));

    let (size, stream) = storage.get_stream(&original).await?;
    assert_eq!(size, data.len() as u64);
    let chunks: Vec<Bytes> = stream.try_collect().await?;
    let back: Vec<u8> = chunks.concat();
    assert!(back == data, "the object read back differs");

    let range = storage.get_range(&original, 10_000_000..10_000_100).await?;
    assert_eq!(range.as_ref(), &data[10_000_000..10_000_100]);

    let copy = ObjectKey::Original { asset, version: 2 };
    storage.copy(&original, &copy).await?;
    assert_eq!(storage.size(&copy).await?, Some(data.len() as u64));

    let thumb = ObjectKey::Derivative {
        asset,
        version: 1,
        name: "thumb-256.webp".into(),
    };
    storage.put_bytes(&thumb, Bytes::from_static(b"RIFF....WEBP")).await?;
    assert_eq!(storage.get_range(&thumb, 8..12).await?.as_ref(), b"WEBP");

    storage.delete(&original).await?;
    storage.delete(&original).await?;
    assert_eq!(storage.size(&original).await?, None);
    assert!(matches!(
        storage.get_stream(&original).await,
        Err(StorageError::NotFound(_))
    ));

    // A failing input aborts the write and leaves nothing behind.
    let failing = futures::stream::iter(vec![
        Ok(Bytes::from(vec![1u8; 1024])),
        Err(std::io::Error::other("client went away")),
    ]);
    let broken = ObjectKey::Staging { upload: Uuid::new_v4() };
    assert!(matches!(
        storage.put_stream(&broken, failing).await,
        Err(StorageError::Input(_))
    ));
    assert_eq!(storage.size(&broken).await?, None);

    storage.check().await?;
    Ok(())
}

#[tokio::test]
async fn local_storage_streams_hashes_ranges_copies_and_deletes() -> TestResult {
    let dir = tempfile::tempdir()?;
    let storage = Storage::open(&StorageConfig::Local(dir.path().join("objects")))?;
    behaves(&storage).await
}

#[tokio::test]
async fn s3_storage_streams_hashes_ranges_copies_and_deletes() -> TestResult {
    let s3 = TestS3::start().await?;
    let storage = Storage::open(&s3.config)?;
    behaves(&storage).await
}

#[tokio::test]
async fn an_unreachable_s3_server_is_a_clear_error() -> TestResult {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let config = StorageConfig::parse(
        "s3://nowhere/prefix",
        Some(format!("http://127.0.0.1:{port}")),
        None,
        Some("k".into()),
        Some("s".into()),
    )?;
    let storage = Storage::open(&config)?;
    let err = storage
        .check()
        .await
        .err()
        .ok_or_else(|| anyhow::anyhow!("the check should fail"))?;
    assert!(matches!(err, StorageError::Store { .. }), "{err:?}");
    Ok(())
}

#[test]
fn storage_urls_parse() -> TestResult {
    assert_eq!(
        StorageConfig::parse("file:///srv/objects", None, None, None, None)?,
        StorageConfig::Local("/srv/objects".into())
    );
    match StorageConfig::parse(
        "s3://media/dailies/",
        Some("http://minio:9000".into()),
        None,
        None,
        None,
    )? {
        StorageConfig::S3 {
            bucket, prefix, region, ..
        } => assert_eq!(
            (bucket.as_str(), prefix.as_str(), region.as_str()),
            ("media", "dailies", "us-east-1")
        ),
        other => anyhow::bail!("parsed as {other:?}"),
    }
    assert!(StorageConfig::parse("ftp://x", None, None, None, None).is_err());
    assert!(StorageConfig::parse("s3:///x", None, None, None, None).is_err());
    Ok(())
}
