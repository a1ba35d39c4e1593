//! Tables: columns laid out by their content (CSS's automatic table layout), booktabs
//! rules, the header repeated on each page; a table too wide at its least widths is set
//! smaller, down to [`MIN_TABLE_SCALE`], with a warning.

use crate::model::{Align as ColumnAlign, Inline, Table};

use super::super::paginate::VItem;
use super::super::paragraph::{flatten, serif, Align, Line, ParaSpec, TextStyle};
use super::{ChapterBuilder, Env};
use crate::fonts::Style;

/// Tables: relative size, cell padding (ems), rule thicknesses (points).
const TABLE_SCALE: f32 = 0.9;
const CELL_PADDING: f32 = 0.6;
const HEAVY_RULE: f32 = 0.6;
const LIGHT_RULE: f32 = 0.4;

/// A table too wide for the measure even at its columns' least widths is set smaller, down
/// to this part of its size.
pub const MIN_TABLE_SCALE: f32 = 0.75;

/// A column's least width (its widest word) and its widest content on one line, padding
/// included, as CSS 2.1's automatic table layout measures them (17.5.2.2).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Extent {
    min: f32,
    max: f32,
}

/// Column widths for `measure`: each column's widest content when all fit; else each gets its
/// least width and the room left is shared in proportion to how much more each would take
/// (`max - min`), as browsers do; when even the least widths overflow, they are scaled to the
/// measure (and words must break).
fn column_widths(columns: &[Extent], measure: f32) -> Vec<f32> {
    let min: f32 = columns.iter().map(|c| c.min).sum();
    let max: f32 = columns.iter().map(|c| c.max).sum();
    if max <= measure {
        columns.iter().map(|c| c.max).collect()
    } else if min <= measure {
        let room = measure - min;
        let wants = (max - min).max(f32::EPSILON);
        columns
            .iter()
            .map(|c| c.min + (c.max - c.min) * room / wants)
            .collect()
    } else {
        columns.iter().map(|c| c.min * measure / min).collect()
    }
}

/// Whether every cell of a row is empty (a header row Markdown needs and the table does not).
fn is_empty_row(row: &[Vec<Inline>]) -> bool {
    row.iter()
        .all(|cell| crate::model::plain_text(cell).trim().is_empty())
}

impl ChapterBuilder<'_, '_> {
    /// The columns' extents at `size`.
    fn extents(&mut self, t: &Table, ncols: usize, size: f32) -> Vec<Extent> {
        let pad = CELL_PADDING * size;
        let mut columns = vec![
            Extent {
                min: size * 2.0,
                max: size * 2.0,
            };
            ncols
        ];
        let header_style = serif(Style::Bold, size);
        let body_style = serif(Style::Regular, size);
        let rows = std::iter::once((&t.header, &header_style))
            .chain(t.rows.iter().map(|r| (r, &body_style)));
        for (row, style) in rows {
            for (c, cell) in row.iter().enumerate() {
                let mut toks = Vec::new();
                flatten(cell, style, &self.chapter, &mut toks);
                // A little slack so that rounding never breaks a cell that fits.
                let min = self.setter.min_width(&toks) + pad + 0.5;
                let max = self.setter.natural_width(&toks) + pad + 0.5;
                columns[c].min = columns[c].min.max(min);
                columns[c].max = columns[c].max.max(max);
            }
        }
        columns
    }

    pub(super) fn table(&mut self, t: &Table, env: Env) {
        let ncols = t
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(t.header.len()))
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let mut size = env.size * TABLE_SCALE;
        let mut columns = self.extents(t, ncols, size);
        let full = size;
        let least = |columns: &[Extent]| columns.iter().map(|c| c.min).sum::<f32>();
        if least(&columns) > env.measure {
            // Widths go with the size (padding and all, nearly): shrink until the least
            // widths fit, or to the floor.
            let floor = full * MIN_TABLE_SCALE;
            for _ in 0..4 {
                let next = (size * env.measure / least(&columns)).max(floor);
                size = (next * 100.0).floor() / 100.0;
                columns = self.extents(t, ncols, size.max(floor));
                if least(&columns) <= env.measure || size <= floor {
                    break;
                }
            }
            size = size.max(floor);
            let still_wide = least(&columns) > env.measure;
            let warning = wide_table(t, &self.source, size / full, still_wide);
            self.setter.warnings.push(warning);
        }
        let leading = env.leading * size / env.size;
        let pad = CELL_PADDING * size;
        let header_style = serif(Style::Bold, size);
        let body_style = serif(Style::Regular, size);
        let toks = |cell: &[Inline], style: &TextStyle, chapter: &str| {
            let mut out = Vec::new();
            flatten(cell, style, chapter, &mut out);
            out
        };
        let widths = column_widths(&columns, env.measure);
        let rows = std::iter::once((&t.header, &header_style))
            .chain(t.rows.iter().map(|r| (r, &body_style)));
        let table_width: f32 = widths.iter().sum();
        let rule = |b: &mut Self, thickness: f32, break_after: bool| {
            b.items.push(VItem::Rule {
                x: env.x,
                width: table_width,
                thickness,
                height: leading * 0.5,
                break_after,
            });
        };
        let head_start = self.items.len();
        rule(self, HEAVY_RULE, false);
        let nrows = t.rows.len();
        for (r, (row, style)) in rows.enumerate() {
            if r == 0 && is_empty_row(row) {
                continue;
            }
            let mut cells: Vec<Vec<Line>> = Vec::new();
            let mut x = 0.0;
            for (c, width) in widths.iter().enumerate() {
                let align = match t.align.get(c) {
                    Some(ColumnAlign::Center) => Align::Center,
                    _ => Align::Left,
                };
                // Words break only in a column narrower than its widest word.
                let spec = ParaSpec {
                    indent: 0.0,
                    align,
                    hyphenate: self.body.hyphenate && *width + 0.01 < columns[c].min,
                };
                let cell = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                let mut lines =
                    self.setter
                        .set(&toks(cell, style, &self.chapter), &spec, width - pad);
                if matches!(t.align.get(c), Some(ColumnAlign::Right)) {
                    for l in &mut lines {
                        let dx = width - pad - l.width;
                        l.shift(dx.max(0.0));
                    }
                }
                for l in &mut lines {
                    l.shift(x + pad / 2.0);
                }
                cells.push(lines);
                x += width;
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut merged = Line {
                    ascent: size * 0.9,
                    descent: size * 0.25,
                    width: table_width,
                    ..Line::default()
                };
                for cell in &mut cells {
                    if let Some(l) = cell.get_mut(k) {
                        merged.runs.append(&mut l.runs);
                        merged.links.append(&mut l.links);
                        merged.images.append(&mut l.images);
                        merged.ascent = merged.ascent.max(l.ascent);
                    }
                }
                let last_of_row = k + 1 == height;
                // Keep the header with the first row, and the closing rule with the last.
                let ok = last_of_row && r > 0 && r < nrows;
                self.line(env.x, merged, leading, ok);
            }
            if r == 0 {
                rule(self, LIGHT_RULE, false);
                // A page the table continues on opens with the header again: its rules and
                // lines (not its anchors or notes, which belong where it was first set).
                let head = self.items[head_start..]
                    .iter()
                    .filter(|it| !matches!(it, VItem::Anchor(_) | VItem::Insert(_)))
                    .cloned()
                    .collect();
                self.items.push(VItem::TableHeader(head));
            } else if r == nrows {
                rule(self, HEAVY_RULE, true);
            }
        }
        if nrows == 0 && !is_empty_row(&t.header) {
            rule(self, HEAVY_RULE, true);
        }
        if self.items[head_start..]
            .iter()
            .any(|it| matches!(it, VItem::TableHeader(_)))
        {
            self.items.push(VItem::TableEnd);
        }
    }
}

/// The warning for a table set smaller than the text around it.
fn wide_table(
    t: &Table,
    source: &std::path::Path,
    scale: f32,
    still_wide: bool,
) -> crate::diagnostic::Diagnostic {
    use crate::diagnostic::{Code, Diagnostic, Location};
    let location = match t.line {
        0 => Location::file(source),
        line => Location::at(source, line, 1),
    };
    let percent = (scale * 100.0).round();
    let message = if still_wide {
        format!("a table too wide for the page even at {percent}% of its size: words in its narrowest columns break")
    } else {
        format!("a table too wide for the page at its size: set at {percent}%")
    };
    Diagnostic::warning(Code::WideTable, location, message).with_help(
        "shorten its longest words (long identifiers, URLs), split it into two tables, or widen the measure (`[pdf] trim-size`, `font-size`)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ext(min: f32, max: f32) -> Extent {
        Extent { min, max }
    }

    #[test]
    fn columns_take_their_content_then_share_by_what_they_want() {
        // All fit: each its widest content.
        assert_eq!(
            column_widths(&[ext(10.0, 30.0), ext(5.0, 20.0)], 100.0),
            vec![30.0, 20.0]
        );
        // Not at their widest: least widths, then the room by want (20 and 60 wanted).
        let w = column_widths(&[ext(10.0, 30.0), ext(20.0, 80.0)], 70.0);
        assert!(
            (w[0] - 20.0).abs() < 1e-3 && (w[1] - 50.0).abs() < 1e-3,
            "{w:?}"
        );
        // Each column at least its widest word.
        let w = column_widths(&[ext(40.0, 40.0), ext(10.0, 300.0), ext(30.0, 31.0)], 100.0);
        assert!(w[0] >= 40.0 && w[2] >= 30.0 && w[1] >= 10.0, "{w:?}");
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 1e-3);
        // Too wide even at the least: scaled to the measure.
        let w = column_widths(&[ext(60.0, 90.0), ext(60.0, 70.0)], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 1e-3, "{w:?}");
    }
}
