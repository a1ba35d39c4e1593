//! Tables: header cells with their scope, body rows, column alignment as classes.

use crate::model::{Align, Inline, Table};

use super::ChapterWriter;

impl ChapterWriter<'_> {
    pub(super) fn table(&mut self, table: &Table) {
        self.out.push_str("<table>\n");
        if let Some(caption) = &table.caption {
            self.out.push_str("<caption>");
            self.inlines(caption);
            self.out.push_str("</caption>\n");
        }
        if !table.header.is_empty() {
            self.out.push_str("<thead>\n");
            self.row(&table.header, &table.align, "th");
            self.out.push_str("</thead>\n");
        }
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.row(row, &table.align, "td");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    pub(super) fn row(&mut self, cells: &[Vec<Inline>], align: &[Align], tag: &str) {
        self.out.push_str("<tr>");
        for (i, cell) in cells.iter().enumerate() {
            self.out.push('<');
            self.out.push_str(tag);
            if tag == "th" {
                self.attr("scope", "col");
            }
            if let Some(class) = align.get(i).copied().and_then(align_class) {
                self.attr("class", class);
            }
            self.out.push('>');
            self.inlines(cell);
            self.out.push_str(&format!("</{tag}>"));
        }
        self.out.push_str("</tr>\n");
    }
}

fn align_class(align: Align) -> Option<&'static str> {
    match align {
        Align::None => None,
        Align::Left => Some("align-left"),
        Align::Center => Some("align-center"),
        Align::Right => Some("align-right"),
    }
}
