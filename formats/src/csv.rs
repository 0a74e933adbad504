//! The comment CSV: one row per comment and reply, in reading order, with timecodes for
//! clips and pin positions for photos; spreadsheet-safe (cells that a spreadsheet would run
//! as a formula are quoted with a leading `'`).

/// One comment as a CSV row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// 1-based number of the thread (replies share their parent's).
    pub thread: usize,
    /// Whether it is a reply.
    pub reply: bool,
    /// Version it is on.
    pub version: i32,
    /// SMPTE in (clips).
    pub timecode_in: Option<String>,
    /// SMPTE out of a range.
    pub timecode_out: Option<String>,
    /// Frame in (0-based).
    pub frame_in: Option<i64>,
    /// Frame out.
    pub frame_out: Option<i64>,
    /// Pin x (0–1, photos).
    pub x: Option<f32>,
    /// Pin y.
    pub y: Option<f32>,
    /// Author's name.
    pub author: String,
    /// The text.
    pub text: String,
    /// Has a drawing.
    pub drawing: bool,
    /// `open` or `resolved`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
}

const HEADER: [&str; 14] = [
    "Thread",
    "Reply",
    "Version",
    "Timecode In",
    "Timecode Out",
    "Frame In",
    "Frame Out",
    "X",
    "Y",
    "Author",
    "Comment",
    "Drawing",
    "Status",
    "Created",
];

// Cells starting like a formula are run by spreadsheets (CSV injection): make them text.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The CSV of `rows`.
pub fn write(rows: &[Row]) -> Result<String, ::csv::Error> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in rows {
        w.write_record([
            r.thread.to_string(),
            if r.reply { "yes".into() } else { String::new() },
            r.version.to_string(),
            opt(r.timecode_in.clone()),
            opt(r.timecode_out.clone()),
            opt(r.frame_in.map(|f| f.to_string())),
            opt(r.frame_out.map(|f| f.to_string())),
            opt(r.x.map(|v| format!("{v:.4}"))),
            opt(r.y.map(|v| format!("{v:.4}"))),
            cell(&r.author),
            cell(&r.text),
            if r.drawing { "yes".into() } else { String::new() },
            r.status.clone(),
            r.created_at.clone(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
