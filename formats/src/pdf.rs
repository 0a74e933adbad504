//! The comment report as a PDF: a cover (project, asset, version, when, how many comments),
//! then every thread — its frame grab (drawing burned in), timecode, author, status, text and
//! replies — one under another for clips, two to a row (a contact sheet) for photos. A4,
//! Helvetica (WinAnsi: characters outside it print as `?`), JPEG grabs embedded as they are.

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;

/// A JPEG to show: its bytes (embedded as they are) and pixel size.
#[derive(Clone, Debug, PartialEq)]
pub struct Jpeg {
    /// Baseline or progressive JPEG, RGB.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// One thread of the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    /// e.g. `#3 · 00:00:01:00 – 00:00:02:00`.
    pub heading: String,
    /// Author's name.
    pub author: String,
    /// `Open` or `Resolved`.
    pub status: String,
    /// The text.
    pub text: String,
    /// Replies: (author, text).
    pub replies: Vec<(String, String)>,
    /// The frame grab or photo, drawing burned in.
    pub image: Option<Jpeg>,
}

/// How entries are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// One per row (clips).
    #[default]
    List,
    /// Two per row (photos).
    ContactSheet,
}

/// The whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The cover's title (the asset's name).
    pub title: String,
    /// The cover's lines under it (project, version, date, counts).
    pub lines: Vec<String>,
    /// The threads.
    pub entries: Vec<Entry>,
    /// Their layout.
    pub layout: Layout,
}

/// `s` in WinAnsi (Latin-1 plus the typographic marks); anything else becomes `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '…' => 0x85,
            '↳' => b'>',
            _ => b'?',
        })
        .collect()
}

/// `text` broken into lines of at most `width` points at `size` (Helvetica averages about half
/// an em per character; a little under, so lines never overflow).
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let max = ((width / (size * 0.55)).floor() as usize).max(8);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_owned();
            while word.chars().count() > max {
                let head: String = word.chars().take(max).collect();
                word = word.chars().skip(max).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

/// A page being filled.
struct Page {
    content: Content,
    images: Vec<(String, Ref)>,
}

struct Writer {
    pdf: Pdf,
    next: i32,
    pages: Vec<Page>,
    y: f32,
}

impl Writer {
    fn alloc(&mut self) -> Ref {
        self.next += 1;
        Ref::new(self.next)
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            content: Content::new(),
            images: Vec::new(),
        });
        self.y = PAGE_H - MARGIN;
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Room for `height` more points, or a new page.
    fn room(&mut self, height: f32) {
        if self.pages.is_empty() || self.y - height < MARGIN {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, grey: bool, s: &str) {
        let content = &mut self.page().content;
        let shade = if grey { 0.4 } else { 0.0 };
        content.set_fill_rgb(shade, shade, shade);
        content.begin_text();
        content.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        content.next_line(x, y);
        content.show(Str(&win_ansi(s)));
        content.end_text();
    }

    fn image(&mut self, jpeg: &Jpeg, x: f32, y: f32, w: f32, h: f32) {
        let id = self.alloc();
        let mut xobject = self.pdf.image_xobject(id, &jpeg.bytes);
        xobject.filter(Filter::DctDecode);
        xobject.width(jpeg.width as i32);
        xobject.height(jpeg.height as i32);
        xobject.color_space().device_rgb();
        xobject.bits_per_component(8);
        xobject.finish();
        let page = self.page();
        let name = format!("Im{}", page.images.len() + 1);
        page.content.save_state();
        page.content.transform([w, 0.0, 0.0, h, x, y]);
        page.content.x_object(Name(name.as_bytes()));
        page.content.restore_state();
        page.images.push((name, id));
    }

    /// Draws `entry` in a column `x`..`x + width` from the current `y`; returns its height.
    fn entry(&mut self, entry: &Entry, x: f32, width: f32, top: f32) -> f32 {
        let mut y = top;
        if let Some(jpeg) = &entry.image {
            let max_h = if width > 300.0 { 280.0 } else { 180.0 };
            let scale = (width / jpeg.width.max(1) as f32).min(max_h / jpeg.height.max(1) as f32);
            let (w, h) = (jpeg.width as f32 * scale, jpeg.height as f32 * scale);
            self.image(jpeg, x, y - h, w, h);
            y -= h + 12.0;
        }
        self.text(x, y, 11.0, true, false, &entry.heading);
        y -= 14.0;
        self.text(x, y, 9.0, false, true, &format!("{} · {}", entry.author, entry.status));
        y -= 14.0;
        for line in wrap(&entry.text, 10.0, width) {
            self.text(x, y, 10.0, false, false, &line);
            y -= 13.0;
        }
        for (author, text) in &entry.replies {
            for (i, line) in wrap(&format!("{author}: {text}"), 9.0, width - 14.0)
                .into_iter()
                .enumerate()
            {
                let line = if i == 0 { format!("↳ {line}") } else { line };
                self.text(x + 14.0, y, 9.0, false, true, &line);
                y -= 12.0;
            }
        }
        top - y + 16.0
    }

    fn estimate(entry: &Entry, width: f32) -> f32 {
        let image = entry.image.as_ref().map_or(0.0, |j| {
            let max_h = if width > 300.0 { 280.0 } else { 180.0 };
            let scale = (width / j.width.max(1) as f32).min(max_h / j.height.max(1) as f32);
            j.height as f32 * scale + 12.0
        });
        let lines = wrap(&entry.text, 10.0, width).len() as f32 * 13.0;
        let replies: f32 = entry
            .replies
            .iter()
            .map(|(a, t)| wrap(&format!("{a}: {t}"), 9.0, width - 14.0).len() as f32 * 12.0)
            .sum();
        image + 28.0 + lines + replies + 16.0
    }
}

/// The PDF of `report`.
pub fn write(report: &Report) -> Vec<u8> {
    let mut w = Writer {
        pdf: Pdf::new(),
        next: 4,
        pages: Vec::new(),
        y: PAGE_H - MARGIN,
    };
    let (catalog, tree, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    w.pdf.catalog(catalog).pages(tree);
    w.pdf
        .type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    w.pdf
        .type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    // The cover.
    w.new_page();
    w.text(MARGIN, PAGE_H - 160.0, 26.0, true, false, &report.title);
    let mut y = PAGE_H - 195.0;
    for line in &report.lines {
        w.text(MARGIN, y, 12.0, false, true, line);
        y -= 18.0;
    }
    w.new_page();

    let full = PAGE_W - 2.0 * MARGIN;
    match report.layout {
        Layout::List => {
            for entry in &report.entries {
                let need = Writer::estimate(entry, full).min(PAGE_H - 2.0 * MARGIN);
                w.room(need);
                let top = w.y;
                let used = w.entry(entry, MARGIN, full, top);
                w.y -= used;
            }
        }
        Layout::ContactSheet => {
            let col = (full - 20.0) / 2.0;
            for pair in report.entries.chunks(2) {
                let need = pair
                    .iter()
                    .map(|e| Writer::estimate(e, col))
                    .fold(0.0, f32::max)
                    .min(PAGE_H - 2.0 * MARGIN);
                w.room(need);
                let top = w.y;
                let mut used: f32 = 0.0;
                for (i, entry) in pair.iter().enumerate() {
                    used = used.max(w.entry(entry, MARGIN + i as f32 * (col + 20.0), col, top));
                }
                w.y -= used;
            }
        }
    }

    let pages = std::mem::take(&mut w.pages);
    let count = pages.len();
    let mut kids = Vec::with_capacity(count);
    for (n, page) in pages.into_iter().enumerate() {
        let (page_id, content_id) = (w.alloc(), w.alloc());
        kids.push(page_id);
        let mut content = page.content;
        // Page numbers, after the cover.
        if n > 0 {
            content.set_fill_rgb(0.5, 0.5, 0.5);
            content.begin_text();
            content.set_font(Name(b"F1"), 8.0);
            content.next_line(PAGE_W - MARGIN - 40.0, 20.0);
            content.show(Str(format!("{} / {}", n, count - 1).as_bytes()));
            content.end_text();
        }
        w.pdf.stream(content_id, &content.finish());
        let mut p = w.pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        p.parent(tree);
        p.contents(content_id);
        let mut resources = p.resources();
        resources.fonts().pair(Name(b"F1"), regular).pair(Name(b"F2"), bold);
        if !page.images.is_empty() {
            let mut x = resources.x_objects();
            for (name, id) in &page.images {
                x.pair(Name(name.as_bytes()), *id);
            }
        }
    }
    w.pdf.pages(tree).kids(kids).count(count as i32);
    w.pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_breaks_long_ones() {
        let lines = wrap("one two three four five six seven eight nine ten", 10.0, 100.0);
        assert!(lines.iter().all(|l| l.chars().count() <= 18), "{lines:?}");
        assert_eq!(lines.join(" "), "one two three four five six seven eight nine ten");
        let long = wrap(&"x".repeat(50), 10.0, 100.0);
        assert_eq!(long.concat(), "x".repeat(50));
    }

    #[test]
    fn win_ansi_keeps_latin_and_marks_the_rest() {
        assert_eq!(win_ansi("Café – ok"), b"Caf\xe9 \x96 ok".to_vec());
        assert_eq!(win_ansi("日本"), b"??".to_vec());
    }

    #[test]
    fn a_report_is_a_pdf_with_a_page_per_screenful() {
        let entry = Entry {
            heading: "#1 · 00:00:01:00".into(),
            author: "Ana".into(),
            status: "Open".into(),
            text: "Line\n".repeat(30),
            ..Default::default()
        };
        let report = Report {
            title: "clip.mp4".into(),
            lines: vec!["Project: Test".into()],
            entries: vec![entry; 6],
            layout: Layout::List,
        };
        let pdf = write(&report);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        let pages = text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page ").count()
            + text.matches("/Type /Page>").count();
        assert!(pages >= 3, "cover and at least two pages of entries: {pages}");
    }
}
