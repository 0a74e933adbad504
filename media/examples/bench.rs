//! Figures for `bench/`: `bench thumbs FILE…`, `bench exif FILE…`, `bench video FILE`.
//! Prints one `key=value` line per figure (parsed by the bench scripts).

use media::photo::{self, PhotoLimits};
use media::{probe, video, Process};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn thumbs(files: Vec<PathBuf>) {
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let start = Instant::now();
    let queue = std::sync::Mutex::new(files.clone());
    let failed = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some(f) = next else { break };
                if photo::render(&f, None, PhotoLimits::default()).is_err() {
                    failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    println!("files={}", files.len());
    println!("failed={}", failed.into_inner());
    println!("seconds={secs:.3}");
    println!("files_per_second={:.2}", files.len() as f64 / secs);
    println!("peak_rss_mib={:.1}", peak_rss_kib() as f64 / 1024.0);
}

fn exif(files: Vec<PathBuf>) {
    let start = Instant::now();
    let mut with_exif = 0;
    for f in &files {
        if let Ok(file) = std::fs::File::open(f) {
            if media::exif::read(&mut std::io::BufReader::new(file)).is_ok() {
                with_exif += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("files={}", files.len());
    println!("with_exif={with_exif}");
    println!("seconds={secs:.3}");
    println!("files_per_second={:.1}", files.len() as f64 / secs);
}

async fn video_pipeline(input: &Path) -> anyhow::Result<()> {
    let p = Process::per_core();
    let work = tempfile::tempdir()?;
    let t = Instant::now();
    let probe = probe::probe_file(&p, input).await?;
    println!("probe_seconds={:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    video::poster(
        &p,
        input,
        &work.path().join("poster.jpg"),
        &probe,
        video::poster_time(probe.duration_seconds),
    )
    .await?;
    println!("poster_seconds={:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    video::filmstrip(&p, input, &work.path().join("filmstrip.jpg"), &probe).await?;
    println!("filmstrip_seconds={:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    video::proxy(&p, input, &work.path().join("proxy.mp4"), &probe, &mut |_| {}).await?;
    println!("proxy_seconds={:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    video::waveform(&p, input, &probe).await?;
    println!("waveform_seconds={:.3}", t.elapsed().as_secs_f64());
    println!("peak_rss_mib={:.1}", peak_rss_kib() as f64 / 1024.0);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    match what.as_str() {
        "thumbs" => thumbs(files),
        "exif" => exif(files),
        "video" => {
            let input = files.first().ok_or_else(|| anyhow::anyhow!("bench video FILE"))?;
            tokio::runtime::Runtime::new()?.block_on(video_pipeline(input))?;
        }
        _ => anyhow::bail!("usage: bench thumbs|exif|video FILE…"),
    }
    Ok(())
}
