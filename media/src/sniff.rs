//! Telling a file's type from its first bytes, never from its name.
//!
//! Give [`sniff`] the head of the file (the first [`HEAD_LEN`] bytes, or all of a shorter
//! file). It recognises the image, camera-RAW, video and audio containers Dailies ingests and
//! returns `None` for anything else (HTML pretending to be a JPEG, archives, text, …).

/// How many leading bytes [`sniff`] wants.
pub const HEAD_LEN: usize = 64 * 1024;

/// What kind of media a format holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// A still image (camera RAW included).
    Image,
    /// Moving pictures, usually with sound.
    Video,
    /// Sound only.
    Audio,
}

/// The formats Dailies recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    Heif,
    Avif,
    /// Canon CR2.
    Cr2,
    /// Canon CR3.
    Cr3,
    /// Nikon NEF.
    Nef,
    /// Sony ARW.
    Arw,
    /// Adobe DNG.
    Dng,
    /// Fujifilm RAF.
    Raf,
    /// Olympus ORF.
    Orf,
    /// Panasonic RW2.
    Rw2,
    /// Pentax PEF.
    Pef,
    /// MPEG-4 (mp4, m4v, 3gp).
    Mp4,
    /// QuickTime.
    Mov,
    /// Matroska (mkv, mka).
    Matroska,
    WebM,
    Avi,
    /// MPEG transport stream.
    MpegTs,
    Mxf,
    Wav,
    Aiff,
    Mp3,
    Flac,
    Ogg,
    Aac,
    /// MPEG-4 audio (m4a).
    M4a,
}

impl Format {
    /// Image, video or audio.
    pub fn kind(self) -> MediaKind {
        use Format::*;
        match self {
            Jpeg | Png | Gif | WebP | Bmp | Tiff | Heif | Avif | Cr2 | Cr3 | Nef | Arw | Dng | Raf | Orf | Rw2
            | Pef => MediaKind::Image,
            Mp4 | Mov | Matroska | WebM | Avi | MpegTs | Mxf => MediaKind::Video,
            Wav | Aiff | Mp3 | Flac | Ogg | Aac | M4a => MediaKind::Audio,
        }
    }

    /// Whether it is a camera RAW format.
    pub fn is_raw(self) -> bool {
        use Format::*;
        matches!(self, Cr2 | Cr3 | Nef | Arw | Dng | Raf | Orf | Rw2 | Pef)
    }

    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        use Format::*;
        match self {
            Jpeg => "image/jpeg",
            Png => "image/png",
            Gif => "image/gif",
            WebP => "image/webp",
            Bmp => "image/bmp",
            Tiff => "image/tiff",
            Heif => "image/heif",
            Avif => "image/avif",
            Cr2 => "image/x-canon-cr2",
            Cr3 => "image/x-canon-cr3",
            Nef => "image/x-nikon-nef",
            Arw => "image/x-sony-arw",
            Dng => "image/x-adobe-dng",
            Raf => "image/x-fuji-raf",
            Orf => "image/x-olympus-orf",
            Rw2 => "image/x-panasonic-rw2",
            Pef => "image/x-pentax-pef",
            Mp4 => "video/mp4",
            Mov => "video/quicktime",
            Matroska => "video/x-matroska",
            WebM => "video/webm",
            Avi => "video/x-msvideo",
            MpegTs => "video/mp2t",
            Mxf => "application/mxf",
            Wav => "audio/wav",
            Aiff => "audio/aiff",
            Mp3 => "audio/mpeg",
            Flac => "audio/flac",
            Ogg => "audio/ogg",
            Aac => "audio/aac",
            M4a => "audio/mp4",
        }
    }
}

/// The format of a file whose first bytes are `head`, if Dailies can ingest it.
pub fn sniff(head: &[u8]) -> Option<Format> {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"\xFF\xD8\xFF") {
        return Some(Format::Jpeg);
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Some(Format::Gif);
    }
    if at(0, b"RIFF") {
        return match head.get(8..12) {
            Some(b"WEBP") => Some(Format::WebP),
            Some(b"WAVE") => Some(Format::Wav),
            Some(b"AVI ") => Some(Format::Avi),
            _ => None,
        };
    }
    if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        return Some(Format::Aiff);
    }
    if at(0, b"FUJIFILMCCD-RAW ") {
        return Some(Format::Raf);
    }
    if at(0, b"IIRO") || at(0, b"IIRS") || at(0, b"MMOR") {
        return Some(Format::Orf);
    }
    if at(0, b"IIU\0") {
        return Some(Format::Rw2);
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        return Some(tiff_family(head));
    }
    if at(0, b"BM") && bmp_header_plausible(head) {
        return Some(Format::Bmp);
    }
    if at(4, b"ftyp") {
        return iso_bmff(head);
    }
    // QuickTime files from old cameras start with other atoms.
    if head.len() >= 8
        && [&b"moov"[..], b"mdat", b"wide", b"free", b"skip", b"pnot"]
            .iter()
            .any(|a| at(4, a))
    {
        return Some(Format::Mov);
    }
    if at(0, b"\x1A\x45\xDF\xA3") {
        let window = &head[..head.len().min(64)];
        return Some(if window.windows(4).any(|w| w == b"webm") {
            Format::WebM
        } else {
            Format::Matroska
        });
    }
    if at(0, b"\x06\x0E\x2B\x34\x02\x05\x01\x01") {
        return Some(Format::Mxf);
    }
    if head.len() >= 376 && head[0] == 0x47 && head[188] == 0x47 {
        return Some(Format::MpegTs);
    }
    if at(0, b"fLaC") {
        return Some(Format::Flac);
    }
    if at(0, b"OggS") {
        return Some(Format::Ogg);
    }
    if at(0, b"ID3") {
        return Some(Format::Mp3);
    }
    if let [0xFF, second, ..] = head {
        // ADTS AAC: sync 0xFFF, layer 00. MPEG audio: sync 0xFFE, layer != 00.
        if second & 0xF6 == 0xF0 {
            return Some(Format::Aac);
        }
        if second & 0xE0 == 0xE0 && second & 0x06 != 0 {
            return Some(Format::Mp3);
        }
    }
    None
}

fn bmp_header_plausible(head: &[u8]) -> bool {
    // Reserved fields are zero and the DIB header has a known size.
    let reserved_zero = head.get(6..10) == Some(&[0, 0, 0, 0]);
    let dib = head.get(14..18).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    reserved_zero && matches!(dib, Some(12 | 40 | 52 | 56 | 64 | 108 | 124))
}

/// ISO base media (MP4, MOV, HEIF, AVIF, CR3): decided by the major and compatible brands.
fn iso_bmff(head: &[u8]) -> Option<Format> {
    let size = head
        .get(0..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)?;
    // A head shorter than 16 bytes would cross `clamp`'s bounds and panic (found by the photo
    // fuzzer; fuzz/regressions/photo/crash-89df…).
    let limit = head.len().min(4096);
    let end = if limit < 16 { 16 } else { size.clamp(16, limit) };
    let major = head.get(8..12)?;
    let compatible = head.get(16..end).unwrap_or_default().chunks_exact(4);
    let brands: Vec<&[u8]> = std::iter::once(major).chain(compatible).collect();
    let has = |b: &[u8]| brands.contains(&b);
    if has(b"crx ") {
        return Some(Format::Cr3);
    }
    if has(b"avif") || has(b"avis") {
        return Some(Format::Avif);
    }
    if [
        &b"heic"[..],
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
    ]
    .iter()
    .any(|b| has(b))
    {
        return Some(Format::Heif);
    }
    if major == b"M4A " || major == b"M4B " {
        return Some(Format::M4a);
    }
    if has(b"qt  ") {
        return Some(Format::Mov);
    }
    let mp4 = [
        &b"isom"[..],
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VP",
        b"dash",
        b"XAVC",
        b"MSNV",
        b"f4v ",
    ];
    if mp4.iter().any(|b| has(b)) || major.starts_with(b"3g") {
        return Some(Format::Mp4);
    }
    None
}

/// TIFF and the RAW formats built on it: decided from IFD0's Make and DNGVersion tags.
fn tiff_family(head: &[u8]) -> Format {
    if head.get(8..11) == Some(b"CR\x02") {
        return Format::Cr2;
    }
    let little = head.starts_with(b"II");
    let u16_at = |o: usize| {
        head.get(o..o + 2).map(|b| {
            if little {
                u16::from_le_bytes([b[0], b[1]])
            } else {
                u16::from_be_bytes([b[0], b[1]])
            }
        })
    };
    let u32_at = |o: usize| {
        head.get(o..o + 4).map(|b| {
            if little {
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            } else {
                u32::from_be_bytes([b[0], b[1], b[2], b[3]])
            }
        })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else {
        return Format::Tiff;
    };
    let Some(count) = u16_at(ifd) else { return Format::Tiff };
    let mut make = String::new();
    // A TIFF exported from a raw converter keeps the camera's Make, so Make alone is not
    // enough: a RAW's IFD0 is a reduced-resolution preview, points to SubIFDs, or uses a
    // compression no ordinary TIFF writer does.
    let mut raw_hint = false;
    for i in 0..usize::from(count.min(512)) {
        let entry = ifd + 2 + i * 12;
        match u16_at(entry) {
            Some(0xC612) => return Format::Dng,
            Some(0x014A) => raw_hint = true,
            Some(0x00FE) => raw_hint |= u32_at(entry + 8).is_some_and(|v| v & 1 == 1 || (!little && v >> 16 == 1)),
            Some(0x0103) => {
                let c = u16_at(entry + 8).unwrap_or(1);
                raw_hint |= !matches!(c, 1 | 5 | 6 | 7 | 8 | 32773 | 32946 | 34712);
            }
            Some(0x010F) => {
                let len = u32_at(entry + 4).unwrap_or(0) as usize;
                let bytes = if len <= 4 {
                    head.get(entry + 8..entry + 8 + len)
                } else {
                    u32_at(entry + 8).and_then(|o| head.get(o as usize..(o as usize).saturating_add(len.min(64))))
                };
                make = String::from_utf8_lossy(bytes.unwrap_or_default())
                    .trim_end_matches('\0')
                    .to_ascii_uppercase();
            }
            None => break,
            _ => {}
        }
    }
    if !raw_hint {
        return Format::Tiff;
    }
    if make.starts_with("NIKON") {
        Format::Nef
    } else if make.starts_with("SONY") {
        Format::Arw
    } else if make.starts_with("PENTAX") || make.starts_with("RICOH IMAGING") {
        Format::Pef
    } else {
        Format::Tiff
    }
}
