//! Stills: decode by content with limits, colour-manage to sRGB, orient, and render the
//! thumbnails (256, 512, 1024 px long edge), a 2048 px preview and a tiny placeholder, as
//! JPEG without any metadata (so GPS never leaks into a derivative).

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use std::io::{BufRead, Cursor, Seek};
use std::path::Path;

/// The long edges of the rendered sizes, with their derivative names.
pub const SIZES: [(u32, &str); 4] = [
    (2048, "preview.jpg"),
    (1024, "thumb-1024.jpg"),
    (512, "thumb-512.jpg"),
    (256, "thumb-256.jpg"),
];

/// Long edge of the blurred placeholder.
pub const PLACEHOLDER_EDGE: u32 = 16;

/// Defences against decompression bombs.
#[derive(Clone, Copy, Debug)]
pub struct PhotoLimits {
    /// Most pixels an image may have (width × height).
    pub max_pixels: u64,
    /// Most memory a decoder may allocate, bytes.
    pub max_alloc: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        PhotoLimits {
            max_pixels: 200_000_000,
            max_alloc: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// One rendered size.
#[derive(Clone, Debug)]
pub struct Rendition {
    /// Derivative name, e.g. `thumb-256.jpg`.
    pub name: &'static str,
    /// JPEG bytes.
    pub bytes: Vec<u8>,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// What rendering a still produced.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Width as displayed (after orientation).
    pub width: u32,
    /// Height as displayed.
    pub height: u32,
    /// Preview and thumbnails, largest first.
    pub renditions: Vec<Rendition>,
    /// A 16 px JPEG.
    pub placeholder: Vec<u8>,
    /// Whether an embedded ICC profile was converted to sRGB.
    pub color_managed: bool,
}

/// Why a still could not be rendered (the message is shown to people).
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file is not a decodable image.
    #[error("the image could not be decoded: {0}")]
    Decode(String),
    /// Over the pixel or memory limit.
    #[error("the image is too large to process safely ({0})")]
    TooLarge(String),
    /// Reading or encoding failed.
    #[error("the image could not be rendered: {0}")]
    Render(String),
}

/// Renders `input`. `orientation` overrides the decoder's own (for embedded RAW previews,
/// which carry none); pass `Some(1)` for pixels that are already upright.
pub fn render(input: &Path, orientation: Option<u16>, limits: PhotoLimits) -> Result<Rendered, PhotoError> {
    let reader = ImageReader::open(input).map_err(|e| PhotoError::Decode(e.to_string()))?;
    render_from(reader, orientation, limits)
}

/// [`render`] from bytes in memory (the fuzz harness; small inputs).
pub fn render_bytes(bytes: &[u8], orientation: Option<u16>, limits: PhotoLimits) -> Result<Rendered, PhotoError> {
    render_from(ImageReader::new(Cursor::new(bytes)), orientation, limits)
}

fn render_from<R: BufRead + Seek>(
    reader: ImageReader<R>,
    orientation: Option<u16>,
    limits: PhotoLimits,
) -> Result<Rendered, PhotoError> {
    let mut reader = reader
        .with_guessed_format()
        .map_err(|e| PhotoError::Decode(e.to_string()))?;
    let mut l = Limits::default();
    l.max_alloc = Some(limits.max_alloc);
    l.max_image_width = Some(100_000);
    l.max_image_height = Some(100_000);
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(PhotoError::TooLarge(format!(
            "{w}×{h} is over {} megapixels",
            limits.max_pixels / 1_000_000
        )));
    }
    let icc = decoder.icc_profile().ok().flatten();
    let own_orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let orientation = match orientation {
        Some(o) => Orientation::from_exif(o.clamp(1, 8) as u8).unwrap_or(Orientation::NoTransforms),
        None => own_orientation,
    };
    let img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    let mut rgb = flatten(img);
    let color_managed = match icc {
        Some(profile) => to_srgb(&mut rgb, &profile),
        None => false,
    };
    let (sw, sh) = rgb.dimensions();
    let mut renditions = Vec::with_capacity(SIZES.len());
    let mut source = rgb;
    for (edge, name) in SIZES {
        let scaled = fit(&source, edge)?;
        let oriented = orient(DynamicImage::ImageRgb8(scaled.clone()), orientation);
        renditions.push(Rendition {
            name,
            bytes: jpeg(&oriented, 85)?,
            width: oriented.width(),
            height: oriented.height(),
        });
        source = scaled;
    }
    let tiny = orient(DynamicImage::ImageRgb8(fit(&source, PLACEHOLDER_EDGE)?), orientation);
    let placeholder = jpeg(&tiny, 60)?;
    let (width, height) = if matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    ) {
        (sh, sw)
    } else {
        (sw, sh)
    };
    Ok(Rendered {
        width,
        height,
        renditions,
        placeholder,
        color_managed,
    })
}

fn classify(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(l) => PhotoError::TooLarge(l.to_string()),
        other => PhotoError::Decode(other.to_string()),
    }
}

/// To 8-bit RGB; transparency is composited over white (thumbnails are JPEG).
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (dst, src) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(src[3]);
        for c in 0..3 {
            dst[c] = ((u16::from(src[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    out
}

/// Converts pixels from an embedded ICC profile to sRGB. Profiles qcms cannot use (CMYK,
/// broken) leave the pixels as they are.
fn to_srgb(rgb: &mut RgbImage, icc: &[u8]) -> bool {
    let Some(input) = qcms::Profile::new_from_slice(icc, false) else {
        return false;
    };
    let output = qcms::Profile::new_sRGB();
    let Some(transform) = qcms::Transform::new(&input, &output, qcms::DataType::RGB8, qcms::Intent::Perceptual) else {
        return false;
    };
    transform.apply(rgb.as_mut());
    true
}

/// Scales down so the long edge is at most `edge` (never up).
fn fit(src: &RgbImage, edge: u32) -> Result<RgbImage, PhotoError> {
    let (w, h) = src.dimensions();
    if w.max(h) <= edge {
        return Ok(src.clone());
    }
    let (dw, dh) = if w >= h {
        (
            edge,
            ((u64::from(h) * u64::from(edge) + u64::from(w) / 2) / u64::from(w)).max(1) as u32,
        )
    } else {
        (
            ((u64::from(w) * u64::from(edge) + u64::from(h) / 2) / u64::from(h)).max(1) as u32,
            edge,
        )
    };
    let from = ImageRef::new(w, h, src.as_raw(), PixelType::U8x3).map_err(|e| PhotoError::Render(e.to_string()))?;
    let mut to = FirImage::new(dw, dh, PixelType::U8x3);
    Resizer::new()
        .resize(
            &from,
            &mut to,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| PhotoError::Render(e.to_string()))?;
    RgbImage::from_raw(dw, dh, to.into_vec()).ok_or_else(|| PhotoError::Render("resize produced a short buffer".into()))
}

fn orient(mut img: DynamicImage, o: Orientation) -> DynamicImage {
    img.apply_orientation(o);
    img
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| PhotoError::Render(e.to_string()))?;
    Ok(out)
}
