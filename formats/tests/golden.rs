//! Every writer pinned by a golden file (`UPDATE_GOLDEN=1` rewrites them; read the diff), on a
//! 29.97 drop-frame clip with markers either side of a minute boundary and a 25 fps clip
//! starting at 10:00:00:00; the EDL and Avid readers give back what the writers wrote.

use formats::{avid, csv, edl, fcpxml, xmeml, Clip, Color, Marker};
use model::rational::Rational;
use std::path::PathBuf;

fn rate(num: u32, den: u32) -> Rational {
    Rational::new(num, den).unwrap_or(Rational::FALLBACK_RATE)
}

/// 29.97 DF, starting at 00:00:00;00, 2 minutes long.
fn drop_frame() -> Clip {
    Clip {
        name: "interview A&B.mov".into(),
        rate: rate(30000, 1001),
        start: 0,
        drop: true,
        frames: 3597,
        size: Some((1920, 1080)),
    }
}

/// 25 fps, starting at 10:00:00:00, 20 seconds.
fn pal() -> Clip {
    Clip {
        name: "ad_spot.mp4".into(),
        rate: rate(25, 1),
        start: 10 * 3600 * 25,
        drop: false,
        frames: 500,
        size: Some((1280, 720)),
    }
}

fn markers() -> Vec<Marker> {
    vec![
        Marker {
            frame_in: 1799,
            frame_out: None,
            author: "Ana".into(),
            text: "Last frame before the minute: too dark".into(),
            color: Color::Blue,
        },
        Marker {
            frame_in: 1800,
            frame_out: Some(1829),
            author: "Olga Owner".into(),
            text: "From 00:01:00;02 — trim <this> & \"that\"\nsecond line | piped".into(),
            color: Color::Green,
        },
        Marker {
            frame_in: 0,
            frame_out: None,
            author: "Ed".into(),
            text: "First frame".into(),
            color: Color::Red,
        },
    ]
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn resolve_edl() {
    check("drop_frame.edl", &edl::write(&drop_frame(), &markers()));
    check("pal.edl", &edl::write(&pal(), &markers()[..1]));
}

#[test]
fn premiere_xml() {
    check("drop_frame.xml", &xmeml::write(&drop_frame(), &markers()));
}

#[test]
fn fcpxml_markers() {
    check("drop_frame.fcpxml", &fcpxml::write(&drop_frame(), &markers()));
    check("pal.fcpxml", &fcpxml::write(&pal(), &markers()[..2]));
}

#[test]
fn avid_locators() {
    check("drop_frame.txt", &avid::write(&drop_frame(), &markers()));
    check("pal.txt", &avid::write(&pal(), &markers()[..1]));
}

#[test]
fn comment_csv() -> Result<(), ::csv::Error> {
    let rows = vec![
        csv::Row {
            thread: 1,
            version: 2,
            timecode_in: Some("00:00:59;29".into()),
            frame_in: Some(1799),
            author: "Ana".into(),
            text: "Too dark, \"really\"\nsee frame".into(),
            drawing: true,
            status: "open".into(),
            created_at: "2026-12-06T10:00:00Z".into(),
            ..Default::default()
        },
        csv::Row {
            thread: 1,
            reply: true,
            version: 2,
            author: "Olga Owner".into(),
            text: "=HYPERLINK(\"http://evil\")".into(),
            status: "open".into(),
            created_at: "2026-12-06T10:05:00Z".into(),
            ..Default::default()
        },
        csv::Row {
            thread: 2,
            version: 1,
            x: Some(0.25),
            y: Some(0.5),
            author: "Ed".into(),
            text: "Pin on the photo".into(),
            status: "resolved".into(),
            created_at: "2026-12-06T11:00:00Z".into(),
            ..Default::default()
        },
    ];
    check("comments.csv", &csv::write(&rows)?);
    Ok(())
}

/// What a line-based format can carry of a marker: the text on one line.
fn flattened(markers: &[Marker]) -> Vec<Marker> {
    markers
        .iter()
        .map(|m| Marker {
            text: m.one_line(),
            ..m.clone()
        })
        .collect()
}

#[test]
fn resolve_edl_round_trips() -> Result<(), formats::ParseError> {
    for clip in [drop_frame(), pal()] {
        let read = edl::read(&clip, &edl::write(&clip, &markers()))?;
        let mut expected = flattened(&markers());
        expected[1].text = expected[1].text.replace('|', "/");
        assert_eq!(read, expected, "{}", clip.name);
    }
    Ok(())
}

#[test]
fn avid_locators_round_trip() -> Result<(), formats::ParseError> {
    for clip in [drop_frame(), pal()] {
        let read = avid::read(&clip, &avid::write(&clip, &markers()))?;
        assert_eq!(read, flattened(&markers()), "{}", clip.name);
    }
    Ok(())
}

#[test]
fn readers_name_the_bad_line() {
    let clip = drop_frame();
    let err = edl::read(
        &clip,
        "TITLE: x\n001  001  V  C  00:00:01;00 00:00:01;01 00:01:00;00 00:01:00;01\n |C:ResolveColorBlue |M:x |D:1\n",
    );
    assert_eq!(
        err.map_err(|e| e.line),
        Err(2),
        "00:01:00;00 does not exist in drop-frame"
    );
    let err = edl::read(
        &clip,
        "001  001  V  C  00:00:01;00 00:00:01;01 00:00:01;00 00:00:01;01\n",
    );
    assert_eq!(err.map_err(|e| e.line), Err(1));
    let err = avid::read(&clip, "Ana\t00:00:01;00\tV1\n");
    assert_eq!(err.map_err(|e| e.line), Err(1));
    let err = avid::read(&clip, "Ana\t00:00:01;00\tV1\tred\tok\t1\nBo\t99:99\tV1\tred\tbad\t1\n");
    assert_eq!(err.map_err(|e| e.line), Err(2));
}

#[test]
fn xmp_sidecar() {
    use formats::xmp::{self, Selects};
    let selects = Selects {
        rating: 4,
        label: Some("Red".into()),
        keywords: vec!["hero".into(), "Instagram & web".into()],
        description: Some("Golden hour <west> pier".into()),
    };
    let written = xmp::write(&selects);
    check("hero.xmp", &written);
    assert_eq!(xmp::read(&written), selects, "what is written reads back");
    let reject = Selects {
        rating: -1,
        ..Default::default()
    };
    check("reject.xmp", &xmp::write(&reject));
    assert_eq!(xmp::read(&xmp::write(&reject)), reject);
    assert!(xmp::looks_like_xmp(written.as_bytes()));
    assert!(!xmp::looks_like_xmp(b"\xff\xd8\xff\xe0JFIF"));
}

#[test]
fn xmp_as_lightroom_writes_it() {
    // Lightroom Classic's sidecar shape: element-form keywords, attribute rating and label.
    let lightroom = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="3" xmp:Label="Green">
   <dc:subject><rdf:Bag><rdf:li>beach</rdf:li><rdf:li>sunset</rdf:li></rdf:Bag></dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"#;
    let s = formats::xmp::read(lightroom);
    assert_eq!(
        (s.rating, s.label.as_deref(), s.keywords.len(), s.description),
        (3, Some("Green"), 2, None)
    );
    let element = "<x:xmpmeta><rdf:Description><xmp:Rating>5</xmp:Rating></rdf:Description></x:xmpmeta>";
    assert_eq!(formats::xmp::read(element).rating, 5);
}

#[test]
fn xmp_embedded_in_a_jpeg_is_found() {
    use formats::xmp::{self, Selects};
    let selects = Selects {
        rating: 2,
        label: Some("Blue".into()),
        ..Default::default()
    };
    // SOI, an APP1 segment with Adobe's namespace and the packet, then more of the file.
    let mut jpeg = vec![0xff, 0xd8, 0xff, 0xe1, 0x00, 0x00];
    jpeg.extend_from_slice(b"http://ns.adobe.com/xap/1.0/\0");
    jpeg.extend_from_slice(xmp::write(&selects).as_bytes());
    jpeg.extend_from_slice(&[0xff, 0xdb, 0x00, 0x43, 0x00]);
    assert_eq!(xmp::embedded(&jpeg), Some(selects));
    // A packet saying nothing, an unclosed one and none at all give nothing.
    assert_eq!(xmp::embedded(xmp::write(&Selects::default()).as_bytes()), None);
    assert_eq!(xmp::embedded(b"\xff\xd8<x:xmpmeta xmp:Rating=\"5\""), None);
    assert_eq!(xmp::embedded(b"\xff\xd8\xff\xe0JFIF"), None);
}
