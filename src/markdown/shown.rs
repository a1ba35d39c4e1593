//! What the finished model shows, walked once with the model's visitor: the characters a
//! writer will draw and the images it will show. The parser's per-file lists say *where* a
//! character or an image was written; these sets say whether it is still in the book (text
//! dropped with a raw element, an image in a skipped draft, an attribute that is not shown are
//! not), so the glyph and image checks see what both writers see.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::model::html::Element;
use crate::model::visit::{self, Visit};
use crate::model::{Block, Chapter, Figure, Inline};

/// Characters and image sources of the chapters, as the writers will see them.
#[derive(Debug, Default)]
pub struct Shown {
    pub chars: HashSet<char>,
    /// (chapter source file, `src` as written).
    pub images: HashSet<(PathBuf, String)>,
}

impl Shown {
    pub fn of(chapters: &[Chapter]) -> Shown {
        let mut walk = Walk {
            shown: Shown::default(),
            source: PathBuf::new(),
        };
        for c in chapters {
            walk.source.clone_from(&c.source);
            walk.visit_chapter(c);
        }
        walk.shown
    }
}

struct Walk {
    shown: Shown,
    source: PathBuf,
}

impl Walk {
    fn text(&mut self, s: &str) {
        self.shown.chars.extend(s.chars().filter(|c| !c.is_ascii()));
    }

    fn image(&mut self, src: &str) {
        self.shown
            .images
            .insert((self.source.clone(), src.trim().to_string()));
    }
}

/// Attributes of raw HTML whose text a reader meets (the rest are addresses and styling).
const SHOWN_ATTRIBUTES: [&str; 3] = ["alt", "title", "aria-label"];

impl<'a> Visit<'a> for Walk {
    fn visit_block(&mut self, b: &'a Block) {
        if let Block::CodeBlock { text, listing, .. } = b {
            self.text(text);
            if let Some(name) = &listing.file_name {
                self.text(name);
            }
        }
        visit::visit_block(self, b)
    }

    fn visit_figure(&mut self, f: &'a Figure) {
        self.image(&f.src);
        self.text(&f.alt);
        if let Some(t) = &f.title {
            self.text(t);
        }
        if let Some(img) = &f.element {
            self.visit_node_element(img);
        }
        visit::visit_figure(self, f)
    }

    fn visit_inline(&mut self, i: &'a Inline) {
        match i {
            Inline::Text(t) | Inline::Code(t) => self.text(t),
            Inline::Image {
                src, alt, title, ..
            } => {
                self.image(src);
                self.text(alt);
                if let Some(t) = title {
                    self.text(t);
                }
            }
            _ => {}
        }
        visit::visit_inline(self, i)
    }

    fn visit_element(&mut self, e: &'a Element) {
        self.visit_node_element(e);
        visit::visit_element(self, e)
    }

    fn visit_html_text(&mut self, text: &'a str) {
        self.text(text)
    }
}

impl Walk {
    /// An element's own attributes: the image it shows and the text it shows.
    fn visit_node_element(&mut self, e: &Element) {
        for (name, value) in &e.attrs {
            if SHOWN_ATTRIBUTES.contains(&name.as_str()) {
                self.text(value);
            } else if e.html && e.name == "img" && name == "src" {
                self.image(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::html::Node;
    use crate::model::Matter;

    fn chapter(blocks: Vec<Block>) -> Chapter {
        Chapter {
            id: "c".into(),
            title: None,
            matter: Matter::Body,
            source: PathBuf::from("c.md"),
            blocks,
            notes: vec![],
            level: 1,
        }
    }

    #[test]
    fn text_code_alt_and_raw_html_are_shown_urls_are_not() {
        let img = Element {
            name: "img".into(),
            html: true,
            attrs: vec![
                ("src".into(), "é.png".into()),
                ("alt".into(), "ñ".into()),
                ("class".into(), "ü".into()),
            ],
            children: vec![],
        };
        let c = chapter(vec![
            Block::Paragraph(vec![
                Inline::Text("ä".into()),
                Inline::Code("ö".into()),
                Inline::Image {
                    src: "a.png".into(),
                    alt: "ß".into(),
                    title: None,
                    size: Default::default(),
                },
            ]),
            Block::CodeBlock {
                language: None,
                text: "→".into(),
                listing: Default::default(),
            },
            Block::Html {
                tree: vec![Node::Element(img)],
                content: vec![],
            },
        ]);
        let shown = Shown::of(std::slice::from_ref(&c));
        for ch in ['ä', 'ö', 'ß', '→', 'ñ'] {
            assert!(shown.chars.contains(&ch), "{ch}");
        }
        assert!(!shown.chars.contains(&'ü'), "a class is not shown");
        assert!(!shown.chars.contains(&'é'), "a file name is not shown");
        assert!(shown
            .images
            .contains(&(PathBuf::from("c.md"), "a.png".into())));
        assert!(shown
            .images
            .contains(&(PathBuf::from("c.md"), "é.png".into())));
    }
}
