//! Tables: columns fitted to the measure, booktabs rules, the header repeated on each page.

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

impl ChapterBuilder<'_, '_> {
    pub(super) fn table(&mut self, t: &Table, env: Env) {
        let size = env.size * TABLE_SCALE;
        let leading = env.leading * TABLE_SCALE;
        let pad = CELL_PADDING * size;
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
        let header_style = serif(Style::Bold, size);
        let body_style = serif(Style::Regular, size);
        let toks = |cell: &[Inline], style: &TextStyle, chapter: &str| {
            let mut out = Vec::new();
            flatten(cell, style, chapter, &mut out);
            out
        };
        // Natural column widths, then scaled down to fit the measure.
        let mut natural = vec![size * 2.0; ncols];
        let rows = std::iter::once((&t.header, &header_style))
            .chain(t.rows.iter().map(|r| (r, &body_style)));
        for (row, style) in rows.clone() {
            for (c, cell) in row.iter().enumerate() {
                // A little slack so that rounding never breaks a cell that fits.
                let w = self.setter.natural_width(&toks(cell, style, &self.chapter)) + pad + 0.5;
                natural[c] = natural[c].max(w);
            }
        }
        let total: f32 = natural.iter().sum();
        let widths: Vec<f32> = if total <= env.measure {
            natural
        } else {
            let even = env.measure / ncols as f32;
            // Columns narrower than an even share keep their width; the rest share what is left.
            let small: f32 = natural.iter().filter(|&&w| w <= even).sum();
            let big: f32 = natural.iter().filter(|&&w| w > even).sum();
            let room = env.measure - small;
            natural
                .iter()
                .map(|&w| {
                    if w <= even {
                        w
                    } else {
                        w * room / big.max(1.0)
                    }
                })
                .collect()
        };
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
            if r == 0 && row.is_empty() {
                continue;
            }
            let mut cells: Vec<Vec<Line>> = Vec::new();
            let mut x = 0.0;
            for (c, width) in widths.iter().enumerate() {
                let align = match t.align.get(c) {
                    Some(ColumnAlign::Center) => Align::Center,
                    _ => Align::Left,
                };
                let spec = ParaSpec {
                    indent: 0.0,
                    align,
                    hyphenate: self.body.hyphenate,
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
        if nrows == 0 {
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
