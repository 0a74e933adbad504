//! Content sniffing on real files (copied fixtures, see tests/fixtures/README.md), on
//! hand-built headers, and — when it is present — on the whole shared corpus.

use media::sniff::{sniff, Format, MediaKind, HEAD_LEN};
use std::path::Path;

fn head_of(path: &Path) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(path)?;
    Ok(bytes[..bytes.len().min(HEAD_LEN)].to_vec())
}

fn fixture(name: &str) -> std::io::Result<Vec<u8>> {
    head_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name))
}

#[test]
fn real_files_are_recognised_by_content() -> std::io::Result<()> {
    let cases = [
        ("exif.jpg", Format::Jpeg),
        ("exif.png", Format::Png),
        ("exif.webp", Format::WebP),
        ("exif.tif", Format::Tiff),
        ("yaminabe.tif", Format::Tiff),
        ("exif.heic", Format::Heif),
        ("compatible-brands.heic", Format::Heif),
        ("exif.avif", Format::Avif),
        ("canon-r6.cr3.head", Format::Cr3),
        ("fujifilm_x_t1_01.raf.meta", Format::Raf),
        ("compatible-brands.mov", Format::Mov),
        ("sony-a7-xavc.MP4", Format::Mp4),
        ("crash_add_large", Format::Mp4),
        ("mka.mka", Format::Matroska),
    ];
    for (name, want) in cases {
        assert_eq!(sniff(&fixture(name)?), Some(want), "{name}");
    }
    Ok(())
}

#[test]
fn names_do_not_matter_and_impostors_are_refused() -> std::io::Result<()> {
    // A PNG with no image data still has a PNG signature: sniffing says PNG, decoding refuses it.
    assert_eq!(sniff(&fixture("text-only.png")?), Some(Format::Png));
    // A PNG renamed .jpg is a PNG.
    let png = fixture("exif.png")?;
    assert_eq!(sniff(&png), Some(Format::Png));
    assert_eq!(sniff(b"<!DOCTYPE html><html><body>not a jpeg</body></html>"), None);
    assert_eq!(sniff(b"PK\x03\x04zip archive"), None);
    assert_eq!(sniff(b""), None);
    assert_eq!(sniff(b"\xFF"), None);
    assert_eq!(sniff(b"RIFF\0\0\0\0JUNK"), None);
    assert_eq!(sniff(b"\0\0\0\x10ftypzzzz\0\0\0\0"), None, "unknown brands are not MP4");
    Ok(())
}

fn tiff_with(entries: &[(u16, u16, u32, u32)], little: bool) -> Vec<u8> {
    // Header, IFD0 at 8, string data after the IFD.
    let mut b: Vec<u8> = if little {
        b"II*\0\x08\0\0\0".to_vec()
    } else {
        b"MM\0*\0\0\0\x08".to_vec()
    };
    let u16b = |v: u16| if little { v.to_le_bytes() } else { v.to_be_bytes() };
    let u32b = |v: u32| if little { v.to_le_bytes() } else { v.to_be_bytes() };
    b.extend(u16b(entries.len() as u16));
    for (tag, typ, count, value) in entries {
        b.extend(u16b(*tag));
        b.extend(u16b(*typ));
        b.extend(u32b(*count));
        if *typ == 3 && *count == 1 {
            b.extend(u16b(*value as u16));
            b.extend([0, 0]);
        } else {
            b.extend(u32b(*value));
        }
    }
    b.extend([0, 0, 0, 0]);
    b
}

#[test]
fn tiff_based_raws_are_told_apart_from_tiffs() {
    let make_at = |make: &str, extra: &[(u16, u16, u32, u32)], little: bool| {
        let n = 1 + extra.len() as u32;
        let data_offset = 8 + 2 + 12 * n + 4;
        let mut entries = vec![(0x010F, 2, make.len() as u32 + 1, data_offset)];
        entries.extend_from_slice(extra);
        entries.sort_by_key(|e| e.0);
        let mut b = tiff_with(&entries, little);
        b.extend(make.as_bytes());
        b.push(0);
        b
    };
    let sub_ifds = (0x014A, 4, 1, 1000);
    let preview = (0x00FE, 4, 1, 1);
    let packed = (0x0103, 3, 1, 65535);
    assert_eq!(
        sniff(&make_at("NIKON CORPORATION", &[sub_ifds], true)),
        Some(Format::Nef)
    );
    assert_eq!(
        sniff(&make_at("NIKON CORPORATION", &[sub_ifds], false)),
        Some(Format::Nef)
    );
    assert_eq!(sniff(&make_at("SONY", &[preview], true)), Some(Format::Arw));
    assert_eq!(
        sniff(&make_at("PENTAX Corporation", &[packed], true)),
        Some(Format::Pef)
    );
    // A Lightroom TIFF export of a Nikon photo: full-resolution IFD0, no SubIFDs.
    assert_eq!(
        sniff(&make_at("NIKON CORPORATION", &[(0x0103, 3, 1, 1)], true)),
        Some(Format::Tiff)
    );
    let mut dng = tiff_with(&[(0x010F, 2, 4, 0), (0xC612, 1, 4, 0x0001_0401)], true);
    dng.extend(b"xxxx");
    assert_eq!(sniff(&dng), Some(Format::Dng));
    let mut cr2 = b"II*\0\x10\0\0\0CR\x02\0".to_vec();
    cr2.resize(64, 0);
    assert_eq!(sniff(&cr2), Some(Format::Cr2));
    assert_eq!(sniff(b"IIU\0\x18\0\0\0"), Some(Format::Rw2));
    assert_eq!(sniff(b"IIRO\x08\0\0\0"), Some(Format::Orf));
    // A truncated TIFF header still sniffs as TIFF (decoding will say what is wrong).
    assert_eq!(sniff(b"II*\0\xff\xff\xff\xff"), Some(Format::Tiff));
}

#[test]
fn audio_and_other_containers() {
    let mut wav = b"RIFF\x24\0\0\0WAVEfmt ".to_vec();
    wav.resize(44, 0);
    assert_eq!(sniff(&wav), Some(Format::Wav));
    assert_eq!(sniff(b"fLaC\0\0\0\x22"), Some(Format::Flac));
    assert_eq!(sniff(b"OggS\0\x02"), Some(Format::Ogg));
    assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0"), Some(Format::Mp3));
    assert_eq!(sniff(b"\xFF\xFB\x90\x64"), Some(Format::Mp3));
    assert_eq!(sniff(b"\xFF\xF1\x50\x80"), Some(Format::Aac));
    assert_eq!(sniff(b"FORM\0\0\0\0AIFFCOMM"), Some(Format::Aiff));
    assert_eq!(
        sniff(b"\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0"),
        Some(Format::M4a)
    );
    assert_eq!(sniff(b"\x06\x0E\x2B\x34\x02\x05\x01\x01\x0d\x01"), Some(Format::Mxf));
    let mut ts = vec![0u8; 400];
    ts[0] = 0x47;
    ts[188] = 0x47;
    assert_eq!(sniff(&ts), Some(Format::MpegTs));
    assert_eq!(Format::Wav.kind(), MediaKind::Audio);
    assert_eq!(Format::Mxf.kind(), MediaKind::Video);
    assert!(Format::Cr3.is_raw() && !Format::Tiff.is_raw());
}

/// Every file of the shared corpus whose extension names a format we know must sniff as that
/// format (files in crash/bad/invalid folders excepted: they may be anything).
#[test]
fn the_shared_corpus_sniffs_as_its_extensions_say() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !root.is_dir() {
        println!(
            "shared corpus absent at {}: sweep not run (the fixture tests above still ran)",
            root.display()
        );
        return Ok(());
    }
    let mut stack = vec![root.clone()];
    let (mut checked, mut mismatches) = (0, Vec::new());
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .to_lowercase();
            if ["crash", "/bad/", "invalid", "broken", "corrupt", "/x", "fail"]
                .iter()
                .any(|w| rel.contains(w))
            {
                continue;
            }
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let want = match ext.as_str() {
                "jpg" | "jpeg" => Format::Jpeg,
                "png" => Format::Png,
                "gif" => Format::Gif,
                "webp" => Format::WebP,
                "heic" | "heif" => Format::Heif,
                "avif" => Format::Avif,
                "mov" => Format::Mov,
                "mkv" | "mka" => Format::Matroska,
                "webm" => Format::WebM,
                _ => continue,
            };
            checked += 1;
            let got = sniff(&head_of(&path)?);
            // Mozilla's test suite ships a PNG named .jpg on purpose.
            if rel.ends_with("mozilla/jpg-size-6x6.jpg") {
                assert_eq!(got, Some(Format::Png), "{rel} is a PNG in disguise");
                continue;
            }
            // An .mp4 may be a QuickTime file and vice versa; a .mov may carry MP4 brands.
            let ok = got == Some(want) || (want == Format::Mov && got == Some(Format::Mp4));
            if !ok {
                mismatches.push(format!("{rel}: {got:?}, expected {want:?}"));
            }
        }
    }
    println!("sniffed {checked} corpus files");
    assert!(checked > 100, "the corpus sweep found only {checked} files");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    Ok(())
}
