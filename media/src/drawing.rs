//! Drawings rendered on the server with the same [`model::annotation::draw`] the browser uses:
//! piet-svg writes SVG, resvg rasterises it. Exports burn these into frame grabs.

use image::{ImageBuffer, Rgba, RgbaImage};
use model::annotation::{draw, Annotation};

/// Why a drawing could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DrawingError {
    /// Zero or absurd dimensions.
    #[error("cannot render a drawing at {0}×{1}")]
    Size(u32, u32),
    /// piet, usvg or resvg refused.
    #[error("rendering the drawing failed: {0}")]
    Render(String),
}

const MAX_SIDE: u32 = 16_384;

/// The drawing as SVG at `width` × `height` pixels.
pub fn to_svg(annotation: &Annotation, width: u32, height: u32) -> Result<String, DrawingError> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(DrawingError::Size(width, height));
    }
    let mut rc = piet_svg::RenderContext::new(piet::kurbo::Size::new(f64::from(width), f64::from(height)));
    draw(&mut rc, annotation, f64::from(width), f64::from(height));
    piet::RenderContext::finish(&mut rc).map_err(|e| DrawingError::Render(e.to_string()))?;
    let mut svg = Vec::new();
    rc.write(&mut svg).map_err(|e| DrawingError::Render(e.to_string()))?;
    String::from_utf8(svg).map_err(|e| DrawingError::Render(e.to_string()))
}

/// The drawing as a transparent RGBA image of `width` × `height`.
pub fn rasterise(annotation: &Annotation, width: u32, height: u32) -> Result<RgbaImage, DrawingError> {
    let svg = to_svg(annotation, width, height)?;
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
        .map_err(|e| DrawingError::Render(e.to_string()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).ok_or(DrawingError::Size(width, height))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    let mut out: RgbaImage = ImageBuffer::new(width, height);
    for (dst, src) in out.pixels_mut().zip(pixmap.pixels()) {
        let c = src.demultiply();
        *dst = Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Ok(out)
}

/// Paints the drawing over `frame` (a decoded frame grab or photo), in place.
pub fn burn_into(frame: &mut RgbaImage, annotation: &Annotation) -> Result<(), DrawingError> {
    let layer = rasterise(annotation, frame.width(), frame.height())?;
    image::imageops::overlay(frame, &layer, 0, 0);
    Ok(())
}

/// A picture for a report: `jpeg` decoded, shrunk to at most `max_width` pixels wide, the
/// drawing (if any) burned in, encoded again as JPEG. Returns the bytes and the size.
pub fn burn_jpeg(
    jpeg: &[u8],
    annotation: Option<&Annotation>,
    max_width: u32,
) -> Result<(Vec<u8>, u32, u32), DrawingError> {
    let decoded = image::load_from_memory(jpeg).map_err(|e| DrawingError::Render(e.to_string()))?;
    let decoded = if decoded.width() > max_width {
        decoded.resize(max_width, u32::MAX, image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    let mut frame = decoded.to_rgba8();
    if let Some(a) = annotation {
        burn_into(&mut frame, a)?;
    }
    let rgb = image::DynamicImage::ImageRgba8(frame).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(|e| DrawingError::Render(e.to_string()))?;
    Ok((out, rgb.width(), rgb.height()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::annotation::{Pt, Shape, Tool};

    fn fixture() -> Annotation {
        let shape = |tool, color: &str, points| Shape {
            tool,
            color: color.into(),
            width: 0.01,
            points,
        };
        Annotation {
            shapes: vec![
                shape(Tool::Rect, "#ff0000", vec![Pt(0.1, 0.1, 0.5), Pt(0.5, 0.5, 0.5)]),
                shape(Tool::Arrow, "#0000ff", vec![Pt(0.6, 0.8, 0.5), Pt(0.9, 0.2, 0.5)]),
                shape(
                    Tool::Freehand,
                    "#00ff00",
                    (0..=20).map(|i| Pt(0.1 + f64::from(i) * 0.02, 0.9, 1.0)).collect(),
                ),
                shape(Tool::Ellipse, "#ffffff", vec![Pt(0.55, 0.05, 0.5), Pt(0.95, 0.15, 0.5)]),
            ],
        }
    }

    fn px(img: &RgbaImage, x: f64, y: f64) -> [u8; 4] {
        let (w, h) = (f64::from(img.width()), f64::from(img.height()));
        img.get_pixel((x * w) as u32, (y * h) as u32).0
    }

    #[test]
    fn a_fixture_drawing_lands_on_the_right_pixels() {
        let img = rasterise(&fixture(), 400, 200).unwrap_or_else(|e| panic!("{e}"));
        // The rectangle's left edge is red and opaque; its inside stays transparent.
        assert_eq!(px(&img, 0.1, 0.3), [255, 0, 0, 255]);
        assert_eq!(px(&img, 0.3, 0.3)[3], 0);
        // The arrow's head sits at its end point, blue.
        let tip = px(&img, 0.885, 0.23);
        assert_eq!((tip[2], tip[3]), (255, 255), "{tip:?}");
        // The freehand stroke (full pressure) is a filled green band along y = 0.9.
        for x in [0.12, 0.2, 0.3, 0.48] {
            assert_eq!(px(&img, x, 0.9), [0, 255, 0, 255], "at x={x}");
        }
        assert_eq!(px(&img, 0.3, 0.8)[3], 0);
        // The ellipse's top is white at the middle of its box, its corners are empty.
        assert_eq!(px(&img, 0.75, 0.05), [255, 255, 255, 255]);
        assert_eq!(px(&img, 0.56, 0.06)[3], 0);
        // Nothing was drawn in an empty corner.
        assert_eq!(px(&img, 0.02, 0.02), [0, 0, 0, 0]);
    }

    #[test]
    fn scales_with_the_picture() {
        let small = rasterise(&fixture(), 200, 100).unwrap_or_else(|e| panic!("{e}"));
        let big = rasterise(&fixture(), 1600, 800).unwrap_or_else(|e| panic!("{e}"));
        for (x, y) in [(0.1, 0.3), (0.3, 0.9), (0.75, 0.05)] {
            assert_eq!(px(&small, x, y)[3], 255, "small at {x},{y}");
            assert_eq!(px(&big, x, y)[3], 255, "big at {x},{y}");
        }
    }

    #[test]
    fn burns_into_a_frame() {
        let mut frame = RgbaImage::from_pixel(320, 180, Rgba([10, 10, 10, 255]));
        burn_into(&mut frame, &fixture()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(px(&frame, 0.1, 0.3), [255, 0, 0, 255]);
        assert_eq!(px(&frame, 0.3, 0.3), [10, 10, 10, 255]);
        assert!(matches!(rasterise(&fixture(), 0, 10), Err(DrawingError::Size(0, 10))));
    }
}
