//! Rendering: the breaker's breaks -> justified lines of positioned glyphs.

use super::super::document::Glyph;
use super::super::linebreak::{adjustment_ratio, line_start_after, Hang, Item, FIL, FORCED_BREAK};
use super::bidi::visual_order;
use super::items::{Content, Prepared};
use super::line::{Line, LineImage, LineLink, Run};
use super::style::TextStyle;
use super::{Align, Setter};

impl Setter<'_> {
    /// Lines from the breaks, with the glyphs of `p` each line holds.
    pub(super) fn render(
        &self,
        p: &Prepared,
        breaks: &[usize],
        full_measure: f32,
        align: Align,
        hang: Hang,
    ) -> Vec<Line> {
        let mut lines = Vec::with_capacity(breaks.len());
        let mut start = 0;
        for (k, &b) in breaks.iter().enumerate() {
            let hung = if k < hang.lines { hang.width } else { 0.0 };
            let measure = full_measure - hung;
            let forced =
                matches!(p.items.get(b), Some(Item::Penalty { cost, .. }) if *cost <= FORCED_BREAK);
            // Justified lines fill the measure; a paragraph's last line (and any line that
            // ends short) keeps its natural spaces, but shrinks them if the breaker chose so.
            let mut r = adjustment_ratio(&p.items, start, b, measure);
            let justified = align == Align::Justify && !forced && r.is_finite();
            if !r.is_finite() || (r > 0.0 && (forced || align != Align::Justify)) {
                r = 0.0;
            }
            let r = r.max(-1.0) as f32;
            let hyphen_end = ends_in_hyphen(p, b);
            let mut line = Line {
                // Where the line's first word starts in the text (in logical order).
                source: (start..b.min(p.items.len())).find_map(|j| match &p.contents[j] {
                    Content::Glyphs { source, .. } => source.map(|s| s as usize),
                    _ => None,
                }),
                ..Line::default()
            };
            let mut x = 0.0;
            for j in visual_order(p, start..b.min(p.items.len())) {
                match (&p.items[j], &p.contents[j]) {
                    (Item::Box { width }, Content::Glyphs { style, glyphs, .. }) => {
                        let glyphs = p.glyphs(*glyphs).iter().cloned();
                        self.append(&mut line, &p.styles[*style], x, glyphs);
                        x += width;
                    }
                    (Item::Box { width }, Content::Image(image)) => {
                        line.ascent = line.ascent.max(image.height - image.drop);
                        line.descent = line.descent.max(image.drop);
                        line.images.push(LineImage {
                            x,
                            ..(**image).clone()
                        });
                        x += width;
                    }
                    (Item::Box { width }, _) => x += width,
                    (
                        Item::Glue {
                            width,
                            stretch,
                            shrink,
                        },
                        content,
                    ) => {
                        let adv = if *stretch >= FIL {
                            *width
                        } else if r > 0.0 {
                            width + r * stretch
                        } else {
                            width + r * shrink
                        };
                        if let Content::Space { style, glyph } = content {
                            let mut g = glyph.clone();
                            g.advance = adv;
                            self.append(&mut line, &p.styles[*style], x, [g]);
                        }
                        x += adv;
                    }
                    _ => {}
                }
            }
            if let Some(Content::Hyphen { style, glyphs }) = p.contents.get(b) {
                let glyphs = p.glyphs(*glyphs).iter().cloned();
                self.append(&mut line, &p.styles[*style], x, glyphs);
            }
            // The width the line fills, as the breaker counted it: a break's width (a hyphen,
            // less what of it hangs; minus the hang of a glyph before a space) is added,
            // so a glyph hanging into the margin is not.
            if let Some(Item::Penalty { width, .. }) = p.items.get(b) {
                x += width;
            }
            line.width = x + hung;
            line.justified = justified;
            line.measure = full_measure;
            line.hyphenated = hyphen_end;
            let dx = hung
                + match align {
                    Align::Center => ((measure - x) / 2.0).max(0.0),
                    _ => 0.0,
                };
            line.shift(dx);
            if line.ascent == 0.0 {
                // An empty line still takes the height of the text around it.
                if let Some(s) = p.styles.first() {
                    let f = self.shaper.fonts().get(s.face);
                    line.ascent = f.ascender * s.size;
                    line.descent = f.descender * s.size;
                }
            }
            // Lines are kept until the book is written: without the room their vectors grew
            // into (up to twice what they hold).
            for run in &mut line.runs {
                run.glyphs.shrink_to_fit();
            }
            line.runs.shrink_to_fit();
            lines.push(line);
            start = line_start_after(&p.items, b);
        }
        lines
    }

    /// Adds glyphs at `x` to the line, extending the last run when the style matches.
    fn append(
        &self,
        line: &mut Line,
        style: &TextStyle,
        x: f32,
        glyphs: impl IntoIterator<Item = Glyph>,
    ) {
        let face = self.shaper.fonts().get(style.face);
        line.ascent = line.ascent.max(face.ascender * style.size + style.rise);
        line.descent = line.descent.max(face.descender * style.size - style.rise);
        let same = line.runs.last().is_some_and(|r| {
            r.face == style.face && r.size == style.size && r.rise == style.rise && {
                let end: f32 = r.x + r.glyphs.iter().map(|g| g.advance).sum::<f32>();
                (end - x).abs() < 0.001
            }
        });
        if !same {
            line.runs.push(Run {
                face: style.face,
                size: style.size,
                x,
                rise: style.rise,
                glyphs: Vec::new(),
                colour: None,
            });
        }
        let Some(run) = line.runs.last_mut() else {
            return;
        };
        let before = run.glyphs.len();
        run.glyphs.extend(glyphs);
        let width: f32 = run.glyphs[before..].iter().map(|g| g.advance).sum();
        if let Some(target) = &style.link {
            match line.links.last_mut() {
                // Pointers first: comparing an 80 KB URL for each box was quadratic.
                Some(l)
                    if (l.x1 - x).abs() < 0.001 && (l.target.is(target) || l.target == *target) =>
                {
                    l.x1 = x + width
                }
                _ => line.links.push(LineLink {
                    x0: x,
                    x1: x + width,
                    target: target.clone(),
                }),
            }
        }
    }
}

/// Whether a line ending at break `b` ends in a hyphen: one inserted there, or the author's
/// ("to-morrow") before a flagged break. Either carries half a word over to the next line
/// (and, at a recto's foot, over the page turn); a dash does not.
fn ends_in_hyphen(p: &Prepared, b: usize) -> bool {
    match (p.items.get(b), p.contents.get(b)) {
        (_, Some(Content::Hyphen { .. })) => true,
        (Some(Item::Penalty { flagged: true, .. }), _) => b
            .checked_sub(1)
            .and_then(|k| match &p.contents[k] {
                Content::Glyphs { glyphs, .. } => {
                    p.glyphs(*glyphs).iter().rev().find(|g| !g.text.is_empty())
                }
                _ => None,
            })
            .is_some_and(|g| g.text.ends_with(['-', '\u{2010}'])),
        _ => false,
    }
}
