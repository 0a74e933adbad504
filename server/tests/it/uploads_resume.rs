//! Resuming after cut connections: random cut points, byte-identical originals, on local
//! storage and on a real S3 server (s3s-fs).

use crate::support::{As, TestApp, TestResult};
use crate::uploads::{create, location, metadata};
use domain::settings::Settings;
use sha2::{Digest, Sha256};

/// Sends `data[from..]` as one PATCH over a real connection, cutting it after `cut` bytes
/// (the connection is dropped mid-body). Returns the server's offset afterwards.
async fn cut_patch(
    client: &reqwest::Client,
    base: &str,
    url: &str,
    token: &str,
    data: &[u8],
    cut: Option<usize>,
) -> anyhow::Result<u64> {
    let head = client
        .head(format!("{base}{url}"))
        .header("tus-resumable", "1.0.0")
        .bearer_auth(token)
        .send()
        .await?;
    let from: usize = head.headers()["upload-offset"].to_str()?.parse()?;
    let rest = bytes::Bytes::copy_from_slice(&data[from..]);
    let send_len = cut.map_or(rest.len(), |c| c.min(rest.len()));
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = {
        let mut v: Vec<Result<bytes::Bytes, std::io::Error>> = rest[..send_len]
            .chunks(64 * 1024)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect();
        if cut.is_some() {
            v.push(Err(std::io::Error::other("connection cut")));
        }
        v
    };
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    let _ = client
        .patch(format!("{base}{url}"))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", from.to_string())
        .header("content-type", "application/offset+octet-stream")
        .header("content-length", rest.len().to_string())
        .bearer_auth(token)
        .body(body)
        .send()
        .await;
    // The server notices the cut when its read fails and commits what arrived: wait until
    // the offset stops moving.
    let mut last = u64::MAX;
    let mut still = 0;
    for _ in 0..200 {
        let h = client
            .head(format!("{base}{url}"))
            .header("tus-resumable", "1.0.0")
            .bearer_auth(token)
            .send()
            .await?;
        let now: u64 = h.headers()["upload-offset"].to_str()?.parse()?;
        still = if now == last { still + 1 } else { 0 };
        if still >= 4 || (cut.is_none() && now as usize == data.len()) {
            return Ok(now);
        }
        last = now;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::bail!("the upload offset never settled")
}

async fn resume_suite(app: TestApp) -> TestResult {
    use rand::{Rng, RngCore, SeedableRng};
    let (owner, _) = app.signup("owner@example.com", "Owner").await?;
    let project = app.project("Shoot", &owner).await?;
    let token = app
        .post("/api/v1/tokens", serde_json::json!({"name": "t"}), &owner)
        .await?;
    let token = token.body["secret"].as_str().unwrap_or_default().to_owned();
    let base = app.listen().await?;
    let seed: u64 = rand::thread_rng().gen();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // 21 MiB and a bit: several S3 parts plus a tail.
    let mut data = vec![0u8; 21 * 1024 * 1024 + 12_345];
    rng.fill_bytes(&mut data);
    let r = create(
        &app,
        &As::Bearer(token.clone()),
        data.len(),
        &metadata("big.bin", &project, &[]),
    )
    .await?;
    let url = location(&r)?;
    let asset = r.headers["dailies-asset-id"].to_str()?.to_owned();
    let client = reqwest::Client::new();
    let mut cuts = 0;
    let mut last = 0u64;
    let mut kept_partial = 0;
    while last < data.len() as u64 {
        let cut = (cuts < 6).then(|| rng.gen_range(1..6 * 1024 * 1024));
        let now = cut_patch(&client, &base, &url, &token, &data, cut).await?;
        assert!(now >= last, "seed {seed}: the offset went back from {last} to {now}");
        if cut.is_some() && now > last {
            kept_partial += 1;
        }
        last = now;
        cuts += 1;
    }
    assert!(
        kept_partial >= 3,
        "seed {seed}: only {kept_partial} of 6 cut requests kept their bytes"
    );
    assert_eq!(last, data.len() as u64);
    app.run_jobs().await?;
    let a = app.get(&format!("/api/v1/assets/{asset}"), &owner).await?;
    let want = domain::uploads::hex(&Sha256::digest(&data));
    assert_eq!(a.body["versions"][0]["sha256"], want, "seed {seed}");
    // The content is not media, so the version fails, but the original is kept byte for byte.
    assert_eq!(a.body["status"], "failed");
    let original = client
        .get(format!("{base}/api/v1/assets/{asset}/original"))
        .bearer_auth(&token)
        .send()
        .await?
        .bytes()
        .await?;
    assert_eq!(
        domain::uploads::hex(&Sha256::digest(&original)),
        want,
        "seed {seed}: the original differs"
    );
    Ok(())
}

#[tokio::test]
async fn cut_connections_resume_byte_identical_on_local_storage() -> TestResult {
    resume_suite(TestApp::new().await?).await
}

#[tokio::test]
async fn cut_connections_resume_byte_identical_on_s3() -> TestResult {
    let s3 = domain::testing::TestS3::start().await?;
    resume_suite(TestApp::with_storage(&s3.config, Settings::default()).await?).await
}
