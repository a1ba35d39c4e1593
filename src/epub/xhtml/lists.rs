//! Lists: ordered, bulleted, tight or loose, and task lists with their checkboxes.

use crate::model::{Block, List};

use super::ChapterWriter;

impl ChapterWriter<'_> {
    pub(super) fn list(&mut self, list: &List) {
        let tag = if list.start.is_some() { "ol" } else { "ul" };
        self.out.push('<');
        self.out.push_str(tag);
        if let Some(start) = list.start.filter(|&s| s != 1) {
            self.attr("start", &start.to_string());
        }
        if list.start.is_some() && list.numbering != crate::model::Numbering::Decimal {
            self.attr("type", list.numbering.html_type());
        }
        if list.items.iter().any(|i| i.task.is_some()) {
            self.attr("class", "tasks");
        }
        self.out.push_str(">\n");
        for (i, item) in list.items.iter().enumerate() {
            self.path.push(i);
            self.out.push_str("<li");
            if item.task.is_some() {
                self.attr("class", "task");
            }
            self.out.push('>');
            let checkbox = item.task.map(checkbox);
            self.item_blocks(&item.blocks, list.tight, checkbox);
            self.out.push_str("</li>\n");
            self.path.pop();
        }
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// An item's content: in a tight list paragraphs are bare text; a task's checkbox goes
    /// inside the first paragraph so it sits on the same line.
    pub(super) fn item_blocks(&mut self, blocks: &[Block], tight: bool, mut prefix: Option<&str>) {
        for (k, block) in blocks.iter().enumerate() {
            self.enter_block(k, block);
            match block {
                Block::Paragraph(inlines) if tight => {
                    self.out.push_str(prefix.take().unwrap_or(""));
                    self.start_text();
                    self.inlines(inlines);
                    self.end_text();
                }
                Block::Paragraph(inlines) => {
                    self.out.push_str("<p>");
                    self.out.push_str(prefix.take().unwrap_or(""));
                    self.start_text();
                    self.inlines(inlines);
                    self.end_text();
                    self.out.push_str("</p>\n");
                }
                other => {
                    if let Some(prefix) = prefix.take() {
                        self.out.push_str(prefix);
                    }
                    self.block(other);
                }
            }
            self.leave_block();
        }
        if let Some(prefix) = prefix {
            self.out.push_str(prefix);
        }
    }
}

fn checkbox(checked: bool) -> &'static str {
    if checked {
        "<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/> "
    } else {
        "<input type=\"checkbox\" disabled=\"disabled\" aria-label=\"Not done\"/> "
    }
}
