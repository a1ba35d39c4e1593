//! What drawing an SVG will cost, estimated from its tree before any pixel is drawn.
//!
//! resvg cannot be interrupted, and a few hundred bytes of SVG can keep it busy for minutes
//! (five Gaussian blurs over a filter region 21 times the drawing's size; 20,000 translucent
//! circles each the size of the page). So the tree is weighed first: every pixel each path,
//! layer, image and filter primitive touches at the size the SVG is printed at, each pixel
//! weighted by what resvg 0.49 was measured to spend on it (nanoseconds on one core of the
//! development machine, release build). A drawing over [`MAX_DRAW_COST`] is not drawn (the
//! PDF sets its alt text, with a warning). The budget is an estimate from the tree, not a
//! time limit: a time limit would make the same book print differently on a slower machine,
//! and builds are reproducible.

use resvg::usvg::{self, filter::Kind, Node};

/// What a drawing may cost: 3 s of resvg on one core. A full page at 300 dpi is about 4
/// megapixels: this is hundreds of full-page fills, or two full-page blurs.
pub const MAX_DRAW_COST: f64 = 3.0e9;
/// Filling or stroking a path, per pixel of its box (translucent and antialiased).
const FILL: f64 = 6.0;
/// A layer (a group with opacity, a mask, a clip or filters): allocated and composited.
const LAYER: f64 = 30.0;
/// A Gaussian blur or drop shadow, per pixel of the filter region, whatever its deviation
/// (measured: 4.3 s for one blur of a 12-megapixel region).
const BLUR: f64 = 350.0;
/// Any other filter primitive, per pixel of the region (and per pixel of its window for a
/// morphology or convolution).
const PRIMITIVE: f64 = 15.0;
/// Noise and lighting, per pixel (and per octave of noise).
const SYNTHESIS: f64 = 100.0;
/// The largest layer or filter region resvg would allocate, in pixels (4 bytes each).
pub const MAX_LAYER_PIXELS: f64 = 64.0e6;

/// Why a drawing is refused, or `None` when it is within budget. `scale` is printed pixels
/// per SVG user unit.
pub fn too_costly(tree: &usvg::Tree, scale: f64) -> Option<String> {
    let cost = Cost::of(tree, scale);
    let megapixels = |px: f64| px / 1e6;
    if cost.largest_layer > MAX_LAYER_PIXELS {
        return Some(format!(
            "needs a {:.0}-megapixel layer to draw (a filter region or group far larger than the drawing; at most {:.0})",
            megapixels(cost.largest_layer),
            megapixels(MAX_LAYER_PIXELS)
        ));
    }
    (cost.total > MAX_DRAW_COST).then(|| {
        format!(
            "would take about {:.0} s to draw (at most {:.0} s): simplify it (fewer or smaller filters and blurs, fewer overlapping shapes) or export it as a PNG",
            cost.total / 1e9,
            MAX_DRAW_COST / 1e9
        )
    })
}

struct Cost {
    /// Printed pixels per square user unit.
    scale2: f64,
    /// The drawing's area in user units: a shape is clipped to it.
    canvas: f64,
    total: f64,
    largest_layer: f64,
}

impl Cost {
    /// The cost of `tree` drawn at `scale` printed pixels per user unit.
    fn of(tree: &usvg::Tree, scale: f64) -> Cost {
        let mut cost = Cost {
            scale2: scale * scale,
            canvas: f64::from(tree.size().width()) * f64::from(tree.size().height()),
            total: 0.0,
            largest_layer: 0.0,
        };
        cost.group(tree.root());
        cost
    }

    /// Printed pixels of an area of `rect` in canvas units, clipped to the canvas.
    fn clipped(&self, rect: usvg::Rect) -> f64 {
        let area = f64::from(rect.width()) * f64::from(rect.height());
        area.min(self.canvas) * self.scale2
    }

    fn group(&mut self, g: &usvg::Group) {
        // A group drawn on a layer of its own: allocated, drawn and composited.
        let layered = g.should_isolate() || !g.filters().is_empty();
        if layered {
            let layer = g.abs_layer_bounding_box();
            // Filter regions may reach far beyond the canvas, and resvg draws them whole.
            let px = f64::from(layer.width()) * f64::from(layer.height()) * self.scale2;
            self.largest_layer = self.largest_layer.max(px);
            self.total += LAYER * px;
            for filter in g.filters() {
                for primitive in filter.primitives() {
                    self.total += px * primitive_weight(primitive.kind());
                }
            }
        }
        if let Some(clip) = g.clip_path() {
            self.group(clip.root());
        }
        if let Some(mask) = g.mask() {
            self.group(mask.root());
        }
        for node in g.children() {
            match node {
                Node::Group(child) => self.group(child),
                Node::Path(path) => {
                    let bbox = path.abs_stroke_bounding_box();
                    // Filled, and stroked: each pass touches the box.
                    let passes = f64::from(u8::from(path.fill().is_some()))
                        + f64::from(u8::from(path.stroke().is_some()));
                    self.total += FILL * self.clipped(bbox) * passes.max(1.0);
                }
                Node::Image(image) => {
                    let drawn = self.clipped(image.abs_bounding_box());
                    self.total += FILL * drawn;
                    if let usvg::ImageKind::SVG(tree) = image.kind() {
                        // The nested drawing at the size it is drawn.
                        let own = f64::from(tree.size().width()) * f64::from(tree.size().height());
                        let nested = Cost::of(tree, (drawn / own.max(1.0)).sqrt());
                        self.total += nested.total;
                        self.largest_layer = self.largest_layer.max(nested.largest_layer);
                    }
                }
                Node::Text(text) => self.group(text.flattened()),
            }
        }
    }
}

/// The cost per pixel of the filter region of one primitive.
fn primitive_weight(kind: &Kind) -> f64 {
    match kind {
        Kind::GaussianBlur(_) | Kind::DropShadow(_) => BLUR,
        // Every pixel of the window for every pixel.
        Kind::Morphology(m) => {
            let side = |r: f32| 2.0 * f64::from(r).ceil() + 1.0;
            PRIMITIVE * side(m.radius_x().get()) * side(m.radius_y().get())
        }
        Kind::ConvolveMatrix(c) => {
            PRIMITIVE * f64::from(c.matrix().columns()) * f64::from(c.matrix().rows())
        }
        Kind::Turbulence(t) => SYNTHESIS * f64::from(t.num_octaves().max(1)),
        Kind::DiffuseLighting(_) | Kind::SpecularLighting(_) => SYNTHESIS,
        _ => PRIMITIVE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).expect("parses")
    }

    #[test]
    fn an_ordinary_diagram_is_within_budget() {
        let mut shapes = String::new();
        for i in 0..500 {
            let (x, y) = (i % 25 * 20, i / 25 * 20);
            shapes.push_str(&format!(
                "<rect x='{x}' y='{y}' width='18' height='18' fill='#369' opacity='0.5'/>"
            ));
        }
        let svg = format!(
            "<svg xmlns='http://www.w3.org/2000/svg' width='500' height='400'>\
             <filter id='s'><feGaussianBlur stdDeviation='3'/></filter>\
             <g filter='url(#s)'>{shapes}</g></svg>"
        );
        // Printed 5 in wide at 300 dpi.
        assert_eq!(too_costly(&tree(&svg), 1500.0 / 500.0), None);
    }

    #[test]
    fn huge_blur_regions_and_piles_of_page_sized_shapes_are_refused() {
        let blur = "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='400'>\
            <filter id='b' x='-1000%' y='-1000%' width='2100%' height='2100%'>\
            <feGaussianBlur stdDeviation='500'/><feGaussianBlur stdDeviation='500'/>\
            <feGaussianBlur stdDeviation='500'/><feGaussianBlur stdDeviation='500'/>\
            <feGaussianBlur stdDeviation='500'/></filter>\
            <rect width='400' height='400' filter='url(#b)'/></svg>";
        let why = too_costly(&tree(blur), 3.0).expect("refused");
        assert!(why.contains("layer"), "{why}");
        let circles: String = (0..20_000)
            .map(|i| {
                format!(
                    "<circle cx='{}' cy='200' r='300' fill-opacity='0.1'/>",
                    i % 400
                )
            })
            .collect();
        let pile = format!(
            "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='400'>{circles}</svg>"
        );
        let why = too_costly(&tree(&pile), 3.0).expect("refused");
        assert!(why.contains("to draw"), "{why}");
    }
}
