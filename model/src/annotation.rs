//! Drawings on a frame or photo: vector shapes in coordinates normalised to the displayed
//! picture (0..1 on both axes), and the one [`draw`] function that paints them on any piet
//! `RenderContext` — a browser canvas (piet-web) or, on the server, SVG (piet-svg).

use piet::kurbo::{BezPath, Ellipse, Line, Point, Rect, Vec2};
use piet::{Color, RenderContext};
use serde::{Deserialize, Serialize};

/// The drawing tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// A line with a filled head at its end.
    Arrow,
    /// A straight line.
    Line,
    /// A rectangle outline between two corners.
    Rect,
    /// An ellipse inscribed in the rectangle between two corners.
    Ellipse,
    /// A pressure-sensitive stroke, rendered as a filled outline.
    Freehand,
}

impl Tool {
    /// Every tool, in toolbar order.
    pub const ALL: [Tool; 5] = [Tool::Arrow, Tool::Line, Tool::Rect, Tool::Ellipse, Tool::Freehand];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Arrow => "arrow",
            Tool::Line => "line",
            Tool::Rect => "rect",
            Tool::Ellipse => "ellipse",
            Tool::Freehand => "freehand",
        }
    }
}

/// A point: `x`, `y` normalised to the picture, `p` pen pressure 0..1 (0.5 for a mouse).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pt(pub f64, pub f64, pub f64);

/// One shape of a drawing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    /// The tool that drew it.
    pub tool: Tool,
    /// `#rrggbb`.
    pub color: String,
    /// Stroke width as a fraction of the picture's width (0.001..0.05).
    pub width: f64,
    /// Start and end for arrow/line/rect/ellipse; every sample for freehand.
    pub points: Vec<Pt>,
}

/// A drawing: its shapes in the order drawn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The shapes.
    pub shapes: Vec<Shape>,
}

/// The colours offered in the toolbar (the first is the default).
pub const PALETTE: [&str; 6] = ["#ff3b30", "#ffcc00", "#34c759", "#0a84ff", "#ffffff", "#000000"];

/// The stroke widths offered in the toolbar, as fractions of the picture width.
pub const WIDTHS: [f64; 3] = [0.003, 0.006, 0.012];

const MAX_SHAPES: usize = 500;
const MAX_POINTS: usize = 20_000;

/// Rounds a coordinate to 1/10000 so stored drawings are compact and compare exactly.
pub fn quantise(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

impl Shape {
    /// A shape with its coordinates quantised and clamped to a margin around the picture.
    pub fn normalised(mut self) -> Shape {
        for p in &mut self.points {
            *p = Pt(
                quantise(p.0.clamp(-0.5, 1.5)),
                quantise(p.1.clamp(-0.5, 1.5)),
                quantise(p.2.clamp(0.0, 1.0)),
            );
        }
        self.width = quantise(self.width.clamp(0.001, 0.05));
        self
    }
}

/// Why a drawing was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadAnnotation {
    /// More shapes or points than a drawing may hold.
    #[error("the drawing is too large ({0})")]
    TooLarge(&'static str),
    /// A colour that is not `#rrggbb`.
    #[error("colour must be #rrggbb, got {0:?}")]
    Color(String),
    /// A shape with the wrong number of points, or a coordinate that is not a number.
    #[error("a {0} needs {1}")]
    Points(&'static str, &'static str),
}

impl Annotation {
    /// Checks limits and shape arity and quantises every coordinate.
    pub fn validated(self) -> Result<Annotation, BadAnnotation> {
        if self.shapes.len() > MAX_SHAPES {
            return Err(BadAnnotation::TooLarge("at most 500 shapes"));
        }
        if self.shapes.iter().map(|s| s.points.len()).sum::<usize>() > MAX_POINTS {
            return Err(BadAnnotation::TooLarge("at most 20000 points"));
        }
        let mut shapes = Vec::with_capacity(self.shapes.len());
        for shape in self.shapes {
            if parse_hex(&shape.color).is_none() {
                return Err(BadAnnotation::Color(shape.color));
            }
            let finite = shape
                .points
                .iter()
                .all(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite())
                && shape.width.is_finite();
            if !finite {
                return Err(BadAnnotation::Points(shape.tool.as_str(), "finite coordinates"));
            }
            match (shape.tool, shape.points.len()) {
                (Tool::Freehand, n) if n >= 1 => {}
                (Tool::Freehand, _) => return Err(BadAnnotation::Points("freehand stroke", "at least one point")),
                (_, 2) => {}
                (tool, _) => return Err(BadAnnotation::Points(tool.as_str(), "exactly two points")),
            }
            shapes.push(shape.normalised());
        }
        Ok(Annotation { shapes })
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

/// `#rrggbb` as a piet colour.
pub fn parse_hex(hex: &str) -> Option<Color> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some(Color::rgb8(byte(0)?, byte(2)?, byte(4)?))
}

/// Paints `annotation` on a `width` × `height` picture.
pub fn draw<R: RenderContext>(rc: &mut R, annotation: &Annotation, width: f64, height: f64) {
    let at = |p: &Pt| Point::new(p.0 * width, p.1 * height);
    for shape in &annotation.shapes {
        let Some(color) = parse_hex(&shape.color) else { continue };
        let brush = rc.solid_brush(color);
        let stroke = (shape.width * width).max(1.0);
        match (shape.tool, shape.points.as_slice()) {
            (Tool::Line, [a, b]) => rc.stroke(Line::new(at(a), at(b)), &brush, stroke),
            (Tool::Arrow, [a, b]) => {
                let (a, b) = (at(a), at(b));
                let (head, len) = arrow_head(a, b, stroke);
                // The shaft stops inside the head so its square end never pokes past the tip.
                rc.stroke(Line::new(a, b - unit(b - a) * len * 0.5), &brush, stroke);
                rc.fill(head, &brush);
            }
            (Tool::Rect, [a, b]) => rc.stroke(Rect::from_points(at(a), at(b)), &brush, stroke),
            (Tool::Ellipse, [a, b]) => rc.stroke(Ellipse::from_rect(Rect::from_points(at(a), at(b))), &brush, stroke),
            (Tool::Freehand, points) if !points.is_empty() => {
                let pts: Vec<(Point, f64)> = points.iter().map(|p| (at(p), radius(stroke, p.2))).collect();
                rc.fill(freehand_outline(&pts), &brush);
            }
            _ => {}
        }
    }
}

fn unit(v: Vec2) -> Vec2 {
    let len = v.hypot();
    if len < 1e-9 {
        Vec2::new(1.0, 0.0)
    } else {
        v / len
    }
}

fn arrow_head(a: Point, b: Point, stroke: f64) -> (BezPath, f64) {
    let dir = unit(b - a);
    let normal = Vec2::new(-dir.y, dir.x);
    let len = (stroke * 4.0).max(10.0).min((b - a).hypot().max(1.0));
    let base = b - dir * len;
    let mut path = BezPath::new();
    path.move_to(b);
    path.line_to(base + normal * len * 0.5);
    path.line_to(base - normal * len * 0.5);
    path.close_path();
    (path, len)
}

// Pressure 0 still leaves a visible line; full pressure doubles a mouse stroke.
fn radius(stroke: f64, pressure: f64) -> f64 {
    stroke * (0.25 + 0.75 * pressure.clamp(0.0, 1.0))
}

/// The filled outline of a variable-width stroke: a quadrilateral per segment (its ends as wide
/// as the pressure at each sample) and a disc at every sample for round caps and joins. Every
/// piece winds the same way, so the non-zero fill is their union even where the stroke crosses
/// itself.
fn freehand_outline(points: &[(Point, f64)]) -> BezPath {
    let mut path = BezPath::new();
    let mut piece = |pts: &[Point]| {
        let area: f64 = (0..pts.len())
            .map(|i| {
                let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
                a.x * b.y - b.x * a.y
            })
            .sum();
        let ordered: Vec<Point> = if area < 0.0 {
            pts.iter().rev().copied().collect()
        } else {
            pts.to_vec()
        };
        for (i, p) in ordered.iter().enumerate() {
            if i == 0 {
                path.move_to(*p);
            } else {
                path.line_to(*p);
            }
        }
        path.close_path();
    };
    for pair in points.windows(2) {
        let [(a, ra), (b, rb)] = [pair[0], pair[1]];
        let d = unit(b - a);
        let n = Vec2::new(-d.y, d.x);
        piece(&[a + n * ra, b + n * rb, b - n * rb, a - n * ra]);
    }
    for &(c, r) in points {
        // A 16-gon is indistinguishable from a circle at stroke sizes and keeps one winding rule.
        let disc: Vec<Point> = (0..16)
            .map(|i| {
                let t = f64::from(i) * std::f64::consts::TAU / 16.0;
                c + Vec2::new(t.cos(), t.sin()) * r
            })
            .collect();
        piece(&disc);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(tool: Tool, points: Vec<Pt>) -> Shape {
        Shape {
            tool,
            color: "#ff3b30".into(),
            width: 0.006,
            points,
        }
    }

    #[test]
    fn validation_quantises_and_checks_arity() {
        let a = Annotation {
            shapes: vec![shape(Tool::Arrow, vec![Pt(0.123456, 2.0, 0.5), Pt(0.5, 0.5, 0.5)])],
        };
        let v = a.validated().unwrap_or_default();
        assert_eq!(v.shapes[0].points[0], Pt(0.1235, 1.5, 0.5));
        let bad = Annotation {
            shapes: vec![shape(Tool::Rect, vec![Pt(0.1, 0.1, 0.5)])],
        };
        assert_eq!(
            bad.validated(),
            Err(BadAnnotation::Points("rect", "exactly two points"))
        );
        let mut colour = shape(Tool::Line, vec![Pt(0.0, 0.0, 0.5), Pt(1.0, 1.0, 0.5)]);
        colour.color = "red\"/><script>".into();
        assert!(matches!(
            Annotation { shapes: vec![colour] }.validated(),
            Err(BadAnnotation::Color(_))
        ));
        let nan = shape(Tool::Line, vec![Pt(f64::NAN, 0.0, 0.5), Pt(1.0, 1.0, 0.5)]);
        assert!(Annotation { shapes: vec![nan] }.validated().is_err());
    }

    #[test]
    fn json_is_compact_and_round_trips() {
        let a = Annotation {
            shapes: vec![shape(Tool::Freehand, vec![Pt(0.1, 0.2, 0.3), Pt(0.4, 0.5, 0.6)])],
        };
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(
            json,
            r##"{"shapes":[{"tool":"freehand","color":"#ff3b30","width":0.006,"points":[[0.1,0.2,0.3],[0.4,0.5,0.6]]}]}"##
        );
        assert_eq!(serde_json::from_str::<Annotation>(&json).ok(), Some(a));
    }

    #[test]
    fn draws_on_the_null_renderer_without_panicking() {
        let mut rc = piet::NullRenderContext::new();
        let a = Annotation {
            shapes: Tool::ALL
                .iter()
                .map(|t| shape(*t, vec![Pt(0.1, 0.1, 0.5), Pt(0.1, 0.1, 0.5)]))
                .chain([shape(Tool::Freehand, vec![Pt(0.5, 0.5, 1.0)])])
                .collect(),
        };
        draw(&mut rc, &a, 640.0, 360.0);
    }
}
