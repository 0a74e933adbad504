//! The one way Dailies runs external programs: bounded concurrency, a timeout, the child
//! killed when the caller goes away, output captured with a size cap, and a typed error.

use std::ffi::OsStr;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use tokio::sync::Semaphore;

/// Runs external programs, at most `permits` at a time.
#[derive(Clone, Debug)]
pub struct Process {
    permits: Arc<Semaphore>,
    max_output: usize,
}

/// What a finished program printed.
#[derive(Debug)]
pub struct ProcessOutput {
    /// Standard output (up to the cap).
    pub stdout: Vec<u8>,
    /// Standard error (up to the cap).
    pub stderr: Vec<u8>,
}

/// Why running a program failed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// The program is not installed (or not on `PATH`).
    #[error("{program} is not installed")]
    NotFound {
        /// The program.
        program: String,
    },
    /// Starting or talking to it failed.
    #[error("running {program}: {source}")]
    Io {
        /// The program.
        program: String,
        /// The cause.
        source: std::io::Error,
    },
    /// It ran longer than allowed and was killed.
    #[error("{program} timed out after {seconds} s")]
    Timeout {
        /// The program.
        program: String,
        /// The limit.
        seconds: u64,
    },
    /// It exited unsuccessfully.
    #[error("{program} failed ({status}): {stderr}")]
    Failed {
        /// The program.
        program: String,
        /// Exit status.
        status: String,
        /// The tail of its standard error.
        stderr: String,
    },
}

/// Where streamed standard output goes.
pub type Sink<'a> = &'a mut (dyn FnMut(&[u8]) + Send);

impl Process {
    /// A runner allowing `permits` programs at once (at least one), capturing up to
    /// `max_output` bytes of each stream.
    pub fn new(permits: usize, max_output: usize) -> Process {
        Process {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            max_output,
        }
    }

    /// A runner sized to the machine: one program per core.
    pub fn per_core() -> Process {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Process::new(cores, 64 * 1024 * 1024)
    }

    /// Runs `program` with `args`, waiting for a permit first; kills it after `timeout`
    /// or when the returned future is dropped.
    pub async fn run<I, S>(&self, program: &str, args: I, timeout: Duration) -> Result<ProcessOutput, ProcessError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_inner(program, args, timeout, None).await
    }

    /// Like [`Process::run`], but hands standard output to `sink` as it arrives instead of
    /// keeping it (for output of any size: PCM for waveforms, `-progress` lines).
    pub async fn run_streaming<I, S>(
        &self,
        program: &str,
        args: I,
        timeout: Duration,
        sink: Sink<'_>,
    ) -> Result<ProcessOutput, ProcessError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_inner(program, args, timeout, Some(sink)).await
    }

    async fn run_inner<I, S>(
        &self,
        program: &str,
        args: I,
        timeout: Duration,
        sink: Option<Sink<'_>>,
    ) -> Result<ProcessOutput, ProcessError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let io = |source| ProcessError::Io {
            program: program.to_owned(),
            source,
        };
        let _permit = self.permits.acquire().await.map_err(|e| io(std::io::Error::other(e)))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ProcessError::NotFound {
                    program: program.to_owned(),
                },
                _ => io(e),
            })?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(io(std::io::Error::other("no pipes")));
        };
        let cap = self.max_output;
        let work = async {
            let out = async {
                match sink {
                    Some(sink) => read_into(stdout, sink).await.map(|()| Vec::new()),
                    None => read_capped(stdout, cap).await,
                }
            };
            let (out, err, status) = tokio::join!(out, read_capped(stderr, cap), child.wait());
            Ok::<_, ProcessError>((status.map_err(io)?, out.map_err(io)?, err.map_err(io)?))
        };
        let (status, stdout, stderr) =
            tokio::time::timeout(timeout, work)
                .await
                .map_err(|_| ProcessError::Timeout {
                    program: program.to_owned(),
                    seconds: timeout.as_secs(),
                })??;
        if !status.success() {
            let text = String::from_utf8_lossy(&stderr);
            let tail: String = text
                .chars()
                .rev()
                .take(2000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            return Err(ProcessError::Failed {
                program: program.to_owned(),
                status: status.to_string(),
                stderr: tail.trim().to_owned(),
            });
        }
        Ok(ProcessOutput { stdout, stderr })
    }
}

/// Reads a stream to its end, handing every chunk to `sink`.
async fn read_into(
    mut reader: impl tokio::io::AsyncRead + Unpin,
    sink: &mut (dyn FnMut(&[u8]) + Send),
) -> std::io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        sink(&buf[..n]);
    }
}

/// Reads a stream to its end, keeping the first `cap` bytes; the rest is read and dropped so
/// a chatty program never blocks on a full pipe.
async fn read_capped(mut reader: impl tokio::io::AsyncRead + Unpin, cap: usize) -> std::io::Result<Vec<u8>> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            return Ok(kept);
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[tokio::test]
    async fn captures_output() -> Result<(), ProcessError> {
        let p = Process::new(2, 1024);
        let out = p
            .run("sh", ["-c", "printf hello; printf oops >&2"], Duration::from_secs(5))
            .await?;
        assert_eq!(
            (out.stdout.as_slice(), out.stderr.as_slice()),
            (&b"hello"[..], &b"oops"[..])
        );
        Ok(())
    }

    #[tokio::test]
    async fn failures_carry_status_and_stderr() {
        let p = Process::new(1, 1024);
        match p
            .run("sh", ["-c", "echo broken >&2; exit 3"], Duration::from_secs(5))
            .await
        {
            Err(ProcessError::Failed { status, stderr, .. }) => {
                assert!(status.contains('3'), "{status}");
                assert_eq!(stderr, "broken");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(matches!(
            p.run("no-such-program-dailies", ["x"], Duration::from_secs(5)).await,
            Err(ProcessError::NotFound { .. })
        ));
    }

    #[tokio::test]
    async fn slow_programs_are_killed_at_the_timeout() {
        let p = Process::new(1, 1024);
        let start = Instant::now();
        let r = p.run("sleep", ["30"], Duration::from_millis(300)).await;
        assert!(matches!(r, Err(ProcessError::Timeout { .. })), "{r:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn output_is_capped() -> Result<(), ProcessError> {
        let p = Process::new(1, 10);
        let out = p
            .run("sh", ["-c", "head -c 100000 /dev/zero"], Duration::from_secs(5))
            .await?;
        assert_eq!(out.stdout.len(), 10);
        Ok(())
    }

    #[tokio::test]
    async fn concurrency_is_bounded_by_the_permits() -> Result<(), ProcessError> {
        let p = Process::new(2, 1024);
        let start = Instant::now();
        let runs = (0..4).map(|_| p.run("sleep", ["0.4"], Duration::from_secs(5)));
        for r in futures::future::join_all(runs).await {
            r?;
        }
        // Four 0.4 s sleeps two at a time take at least 0.8 s.
        assert!(start.elapsed() >= Duration::from_millis(780), "{:?}", start.elapsed());
        Ok(())
    }
}
