//! XMP sidecars for photo catalogues (Lightroom, Capture One, Bridge): `xmp:Rating` (−1 for a
//! reject), `xmp:Label` by colour name, `dc:subject` keywords and `dc:description`; and the
//! same fields read back from a sidecar or from XMP embedded in a file. The reader looks only
//! for these properties, in attribute or element form, and ignores everything else.

use crate::xml::escape;

/// What a sidecar says about a photo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selects {
    /// −1 (reject), 0 (none) or 1–5 stars.
    pub rating: i16,
    /// Colour label name as catalogues write it (`Red`, `Yellow`, `Green`, `Blue`, `Purple`).
    pub label: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Caption.
    pub description: Option<String>,
}

/// The sidecar for `selects`.
pub fn write(selects: &Selects) -> String {
    let mut out = String::from("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    out.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"Dailies\">\n");
    out.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    out.push_str("  <rdf:Description rdf:about=\"\"\n    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n");
    out.push_str(&format!("    xmp:Rating=\"{}\"", selects.rating.clamp(-1, 5)));
    if let Some(label) = &selects.label {
        out.push_str(&format!("\n    xmp:Label=\"{}\"", escape(label)));
    }
    out.push_str(">\n");
    if !selects.keywords.is_empty() {
        out.push_str("   <dc:subject>\n    <rdf:Bag>\n");
        for k in &selects.keywords {
            out.push_str(&format!("     <rdf:li>{}</rdf:li>\n", escape(k)));
        }
        out.push_str("    </rdf:Bag>\n   </dc:subject>\n");
    }
    if let Some(d) = selects.description.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!(
            "   <dc:description>\n    <rdf:Alt>\n     <rdf:li xml:lang=\"x-default\">{}</rdf:li>\n    </rdf:Alt>\n   </dc:description>\n",
            escape(d)
        ));
    }
    out.push_str("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>\n");
    out
}

fn unescape(s: &str) -> String {
    s.replace("&#10;", "\n")
        .replace("&#9;", "\t")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `name="value"` or `<name>value</name>` anywhere in `xml`.
fn property(xml: &str, name: &str) -> Option<String> {
    let attribute = format!("{name}=\"");
    if let Some(i) = xml.find(&attribute) {
        let rest = &xml[i + attribute.len()..];
        return rest.find('"').map(|end| unescape(&rest[..end]));
    }
    let open = format!("<{name}>");
    let i = xml.find(&open)?;
    let rest = &xml[i + open.len()..];
    rest.find(&format!("</{name}>")).map(|end| unescape(rest[..end].trim()))
}

/// The `rdf:li` items inside `<name>…</name>`.
fn items(xml: &str, name: &str) -> Vec<String> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let Some(start) = xml.find(&open) else {
        return Vec::new();
    };
    let Some(len) = xml[start..].find(&close) else {
        return Vec::new();
    };
    let block = &xml[start..start + len];
    block
        .split("<rdf:li")
        .skip(1)
        .filter_map(|piece| {
            let body = &piece[piece.find('>')? + 1..];
            Some(unescape(body[..body.find("</rdf:li>")?].trim()))
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether `bytes` look like an XMP packet or sidecar (not a picture).
pub fn looks_like_xmp(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<?xpacket")
        || head.starts_with("<x:xmpmeta")
        || (head.starts_with("<?xml") && head.contains("xmpmeta"))
}

/// The selects of the first XMP packet embedded in `bytes` (a file's head: JPEG APP1, the
/// TIFF tag of RAW files, PNG iTXt and HEIC items all hold the packet as plain text), if
/// there is one and it says anything.
pub fn embedded(bytes: &[u8]) -> Option<Selects> {
    const OPEN: &[u8] = b"<x:xmpmeta";
    const CLOSE: &[u8] = b"</x:xmpmeta>";
    let start = bytes.windows(OPEN.len()).position(|w| w == OPEN)?;
    let len = bytes[start..].windows(CLOSE.len()).position(|w| w == CLOSE)? + CLOSE.len();
    let selects = read(&String::from_utf8_lossy(&bytes[start..start + len]));
    (selects != Selects::default()).then_some(selects)
}

/// The selects an XMP packet carries (fields it lacks are left empty).
pub fn read(xml: &str) -> Selects {
    let rating = property(xml, "xmp:Rating")
        .and_then(|r| r.trim().parse::<f32>().ok())
        .map_or(0, |r| (r.round() as i16).clamp(-1, 5));
    Selects {
        rating,
        label: property(xml, "xmp:Label").filter(|l| !l.trim().is_empty()),
        keywords: items(xml, "dc:subject"),
        description: items(xml, "dc:description").into_iter().next(),
    }
}
