//! Metadata written as Markdown: pandoc reads `rights` and `description` (any metadata
//! text) as Markdown, so `rights: "© 2019 X<br/>[CC BY](https://...)"` is a line break and a
//! link, not those characters. They are read here with the chapters' reader, once, into
//! inlines (paragraphs become line breaks); the plain strings keep their text for the
//! places that want text (the OPF's `dc:rights`, the PDF's Subject).

use crate::model::visit::{visit_inline_mut, visit_inlines_mut, VisitMut};
use crate::model::{plain_text, Block, Inline, LinkTarget, Metadata};

/// `markdown` as one run of inlines: paragraphs (and lines of raw HTML blocks) separated by
/// line breaks; block structure (lists, headings) read for its text.
pub fn inlines(markdown: &str) -> Vec<Inline> {
    let parsed = super::convert::parse(markdown, 1);
    let mut out = Vec::new();
    for block in &parsed.blocks {
        let mut run = Vec::new();
        block_inlines(block, &mut run);
        if run.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        out.extend(run);
    }
    resolve_links(&mut out);
    out
}

fn block_inlines(block: &Block, out: &mut Vec<Inline>) {
    match block {
        Block::Paragraph(inl) => out.extend(inl.iter().cloned()),
        Block::Heading(h) => out.extend(h.content.iter().cloned()),
        Block::Html { content, .. } | Block::BlockQuote(content) => {
            for (i, b) in content.iter().enumerate() {
                if i > 0 {
                    out.push(Inline::LineBreak);
                }
                block_inlines(b, out);
            }
        }
        Block::List(list) => {
            for (i, item) in list.items.iter().enumerate() {
                if i > 0 {
                    out.push(Inline::LineBreak);
                }
                for b in &item.blocks {
                    block_inlines(b, out);
                }
            }
        }
        Block::CodeBlock { text, .. } => out.push(Inline::Code(text.trim_end().to_string())),
        Block::Figure(f) => out.push(Inline::Text(f.alt.clone())),
        // Tables, scene breaks: nothing a line of metadata could say.
        _ => {}
    }
}

/// Metadata has no chapters to link to: a link is external when it names a scheme
/// (`https:`, `mailto:`), else its text only. Raw HTML (`<br/>`) is replaced by what it says
/// as plain inlines: the pages that show metadata set inlines, not HTML.
fn resolve_links(inlines: &mut Vec<Inline>) {
    struct Links;
    impl VisitMut for Links {
        fn visit_inlines_mut(&mut self, inlines: &mut Vec<Inline>) {
            if inlines.iter().any(|i| matches!(i, Inline::RawHtml { .. })) {
                *inlines = std::mem::take(inlines)
                    .into_iter()
                    .flat_map(|i| match i {
                        Inline::RawHtml { content, .. } => content,
                        other => vec![other],
                    })
                    .collect();
            }
            visit_inlines_mut(self, inlines)
        }
        fn visit_inline_mut(&mut self, i: &mut Inline) {
            if let Inline::Link {
                target: target @ LinkTarget::Unresolved(_),
                ..
            } = i
            {
                if let LinkTarget::Unresolved(raw) = target {
                    let scheme = raw.split_once(':').is_some_and(|(s, _)| {
                        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic())
                    });
                    if scheme {
                        *target = LinkTarget::External(raw.clone());
                    }
                }
            }
            visit_inline_mut(self, i)
        }
    }
    Links.visit_inlines_mut(inlines)
}

/// Fills `rights_inlines` and `description_inlines` from the Markdown in `rights` and
/// `description`, which then hold their plain text (line breaks as spaces, no markup).
pub fn render_metadata(meta: &mut Metadata) {
    for (text, rich) in [
        (&mut meta.rights, &mut meta.rights_inlines),
        (&mut meta.description, &mut meta.description_inlines),
    ] {
        if let Some(source) = text.as_deref() {
            *rich = inlines(source);
            let plain = plain_text(rich);
            let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
            *text = (!plain.is_empty()).then_some(plain);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_with_html_and_a_link_are_read_as_markdown() {
        let mut m = Metadata {
            rights: Some(
                "© 2019 A. Autor<br/>Lizenz: [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)"
                    .into(),
            ),
            description: Some("A *fine* book.\n\nSecond paragraph.".into()),
            ..Metadata::default()
        };
        render_metadata(&mut m);
        assert_eq!(
            m.rights.as_deref(),
            Some("© 2019 A. Autor Lizenz: CC BY-SA 4.0")
        );
        assert_eq!(
            m.description.as_deref(),
            Some("A fine book. Second paragraph.")
        );
        let links: Vec<LinkTarget> = m
            .rights_inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Link { target, .. } => Some(target.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            links,
            [LinkTarget::External(
                "https://creativecommons.org/licenses/by-sa/4.0/".into()
            )]
        );
        assert!(m.description_inlines.contains(&Inline::LineBreak));
    }
}
