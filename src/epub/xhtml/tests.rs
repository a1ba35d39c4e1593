use std::path::PathBuf;

use super::*;
use crate::model::{Align, Footnote, Heading, Inline, LinkTarget, List, ListItem, Table};

fn t(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn chapter(id: &str, blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: id.to_string(),
        title: Some(vec![t("Title")]),
        matter: Matter::Body,
        source: PathBuf::from("c.md"),
        blocks,
        notes: vec![],
        level: 1,
    }
}

fn heading(id: &str) -> Block {
    Block::Heading(Heading {
        level: 2,
        id: id.to_string(),
        content: vec![t("H")],
    })
}

/// Renders `c`, with another chapter `other` (holding heading `there`) to link to.
fn render_chapter(c: &Chapter) -> String {
    let other = chapter("other", vec![heading("there")]);
    let mut index = LinkIndex::default();
    index.add(c, format!("{}.xhtml", c.id));
    index.add(&other, "other.xhtml".to_string());
    ChapterWriter::new(c, &index).render("Label")
}

fn render_blocks(blocks: Vec<Block>) -> String {
    render_chapter(&chapter("c", blocks))
}

fn render_inlines(inlines: Vec<Inline>) -> String {
    let html = render_blocks(vec![Block::Paragraph(inlines)]);
    let start = html.find("<p>").expect("a paragraph") + 3;
    let end = html.rfind("</p>").expect("end of paragraph");
    html[start..end].to_string()
}

fn link(target: LinkTarget) -> Inline {
    Inline::Link {
        target,
        title: None,
        content: vec![t("x")],
    }
}

#[test]
fn section_wraps_a_titled_chapter() {
    let html = render_blocks(vec![]);
    assert_eq!(
        html,
        "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"c\">\n<h1>Title</h1>\n</section>\n"
    );
}

#[test]
fn untitled_chapter_has_a_label_and_no_h1() {
    let mut c = chapter("c", vec![Block::Paragraph(vec![t("words")])]);
    c.title = None;
    let html = render_chapter(&c);
    assert!(html.starts_with(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"c\" aria-label=\"Label\">"
    ));
    assert!(!html.contains("<h1"));
}

#[test]
fn section_id_yields_to_a_heading_with_the_same_id() {
    let html = render_blocks(vec![heading("c")]);
    assert!(html.starts_with("<section epub:type=\"chapter\" role=\"doc-chapter\">"));
    assert!(html.contains("<h2 id=\"c\">H</h2>"));
}

#[test]
fn inline_markup() {
    let cases = [
        (Inline::Emphasis(vec![t("a")]), "<em>a</em>"),
        (Inline::Strong(vec![t("a")]), "<strong>a</strong>"),
        (Inline::Strikethrough(vec![t("a")]), "<del>a</del>"),
        (Inline::Superscript(vec![t("a")]), "<sup>a</sup>"),
        (Inline::Subscript(vec![t("a")]), "<sub>a</sub>"),
        (Inline::Code("<a&b>".into()), "<code>&lt;a&amp;b&gt;</code>"),
        (t("\"it's\" <b>"), "&quot;it&#39;s&quot; &lt;b&gt;"),
        (Inline::SoftBreak, "\n"),
        (Inline::LineBreak, "<br/>\n"),
    ];
    for (inline, expected) in cases {
        assert_eq!(render_inlines(vec![inline.clone()]), expected, "{inline:?}");
    }
}

#[test]
fn images_become_their_description() {
    let image = |alt: &str| Inline::Image {
        src: "a.png".into(),
        alt: alt.into(),
        title: None,
        size: Default::default(),
    };
    assert_eq!(
        render_inlines(vec![image("a <map>")]),
        "<span class=\"image-alt\">a &lt;map&gt;</span>"
    );
    assert_eq!(render_inlines(vec![image(" ")]), "");
}

#[test]
fn links_by_target() {
    let external = link(LinkTarget::External("https://e.com/?a=1&b=2".into()));
    assert_eq!(
        render_inlines(vec![external]),
        "<a href=\"https://e.com/?a=1&amp;b=2\">x</a>"
    );
    let script = link(LinkTarget::External("javascript:alert(1)".into()));
    assert_eq!(render_inlines(vec![script]), "x");
    let data = link(LinkTarget::External("data:text/html,hi".into()));
    assert_eq!(render_inlines(vec![data]), "x");
    let unresolved = link(LinkTarget::Unresolved("nowhere.md".into()));
    assert_eq!(render_inlines(vec![unresolved]), "x");
    let internal = |chapter: &str, anchor: Option<&str>| {
        render_inlines(vec![link(LinkTarget::Internal {
            chapter: chapter.into(),
            anchor: anchor.map(String::from),
        })])
    };
    assert_eq!(
        internal("other", Some("there")),
        "<a href=\"other.xhtml#there\">x</a>"
    );
    assert_eq!(internal("other", None), "<a href=\"other.xhtml\">x</a>");
    assert_eq!(
        internal("other", Some("missing")),
        "<a href=\"other.xhtml\">x</a>"
    );
    assert_eq!(internal("c", Some("c")), "<a href=\"#c\">x</a>");
    assert_eq!(internal("gone", Some("there")), "x");
}

#[test]
fn link_titles_are_escaped() {
    let titled = Inline::Link {
        target: LinkTarget::External("https://e.com".into()),
        title: Some("a \"b\"".into()),
        content: vec![t("x")],
    };
    assert_eq!(
        render_inlines(vec![titled]),
        "<a href=\"https://e.com\" title=\"a &quot;b&quot;\">x</a>"
    );
}

#[test]
fn blocks() {
    let cases = [
        (heading("1 a"), "<h2 id=\"id-1-a\">H</h2>\n"),
        (Block::SceneBreak, "<hr class=\"scene-break\"/>\n"),
        (
            Block::BlockQuote(vec![Block::Paragraph(vec![t("q")])]),
            "<blockquote>\n<p>q</p>\n</blockquote>\n",
        ),
        (
            Block::CodeBlock {
                language: Some("rust\"x".into()),
                text: "a < b\n".into(),
                listing: Default::default(),
            },
            "<pre><code class=\"language-rustx\">a &lt; b</code></pre>\n",
        ),
        (
            Block::CodeBlock {
                language: None,
                text: "x".into(),
                listing: Default::default(),
            },
            "<pre><code>x</code></pre>\n",
        ),
    ];
    for (block, expected) in cases {
        let html = render_blocks(vec![block.clone()]);
        let body = html
            .split_once("</h1>\n")
            .and_then(|(_, rest)| rest.strip_suffix("</section>\n"))
            .expect("section");
        assert_eq!(body, expected, "{block:?}");
    }
}

fn item(task: Option<bool>, text: &str) -> ListItem {
    ListItem {
        task,
        blocks: vec![Block::Paragraph(vec![t(text)])],
    }
}

#[test]
fn lists_tight_loose_ordered_and_tasks() {
    let ordered = Block::List(List {
        numbering: Default::default(),
        start: Some(3),
        tight: true,
        items: vec![item(None, "a")],
    });
    assert!(render_blocks(vec![ordered]).contains("<ol start=\"3\">\n<li>a</li>\n</ol>\n"));
    let from_one = Block::List(List {
        numbering: Default::default(),
        start: Some(1),
        tight: false,
        items: vec![item(None, "a")],
    });
    assert!(render_blocks(vec![from_one]).contains("<ol>\n<li><p>a</p>\n</li>\n</ol>\n"));
    let tasks = Block::List(List {
        numbering: Default::default(),
        start: None,
        tight: true,
        items: vec![item(Some(true), "done"), item(Some(false), "open")],
    });
    let html = render_blocks(vec![tasks]);
    assert!(html.contains("<ul class=\"tasks\">"));
    assert!(html.contains(
        "<li class=\"task\"><input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" aria-label=\"Done\"/> done</li>"
    ));
    assert!(html.contains("aria-label=\"Not done\"/> open</li>"));
}

#[test]
fn tables_have_header_cells_and_alignment() {
    let table = Block::Table(Table {
        line: 0,
        caption: None,
        align: vec![Align::None, Align::Right],
        header: vec![vec![t("a")], vec![t("b")]],
        rows: vec![vec![vec![t("1")], vec![t("2")]]],
    });
    let html = render_blocks(vec![table]);
    assert!(html.contains(
        "<table>\n<thead>\n<tr><th scope=\"col\">a</th><th scope=\"col\" class=\"align-right\">b</th></tr>\n</thead>\n\
         <tbody>\n<tr><td>1</td><td class=\"align-right\">2</td></tr>\n</tbody>\n</table>\n"
    ));
}

#[test]
fn footnotes_link_both_ways_with_unique_ids() {
    let mut c = chapter(
        "ch 1",
        vec![Block::Paragraph(vec![
            Inline::NoteRef { number: 1 },
            Inline::NoteRef { number: 1 },
            Inline::NoteRef { number: 2 },
            Inline::NoteRef { number: 9 },
        ])],
    );
    c.notes = vec![
        Footnote {
            label: "odd label".into(),
            number: 1,
            blocks: vec![Block::Paragraph(vec![t("one")])],
        },
        Footnote {
            label: "x".into(),
            number: 2,
            blocks: vec![Block::SceneBreak],
        },
        Footnote {
            label: "unused".into(),
            number: 3,
            blocks: vec![Block::Paragraph(vec![t("three")])],
        },
    ];
    let html = render_chapter(&c);
    let noteref = |n: &str, id: &str| {
        format!(
            "<a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-id-ch-1-{n}\" id=\"{id}\"><sup>{n}</sup></a>"
        )
    };
    assert!(html.contains(&noteref("1", "fnref-id-ch-1-1")));
    assert!(html.contains(&noteref("1", "fnref-id-ch-1-1-2")));
    assert!(html.contains(&noteref("2", "fnref-id-ch-1-2")));
    assert!(
        html.contains("<sup>9</sup>"),
        "a dangling reference keeps its number"
    );
    assert!(html.contains(
        "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-id-ch-1-1\">\n<p><a class=\"note-back\" role=\"doc-backlink\" href=\"#fnref-id-ch-1-1\"><span class=\"note-number\">1.</span></a> one</p>\n</aside>"
    ));
    assert!(html.contains("href=\"#fnref-id-ch-1-2\"><span class=\"note-number\">2.</span></a></p>\n<hr class=\"scene-break\"/>\n</aside>"));
    assert!(
        html.contains("id=\"fn-id-ch-1-3\">\n<p><span class=\"note-number\">3.</span> three</p>")
    );
    assert!(!html.contains("odd label"));
}

#[test]
fn note_refs_inside_links_do_not_nest_anchors() {
    let mut c = chapter(
        "c",
        vec![Block::Paragraph(vec![Inline::Link {
            target: LinkTarget::External("https://e.com".into()),
            title: None,
            content: vec![t("x"), Inline::NoteRef { number: 1 }],
        }])],
    );
    c.notes = vec![Footnote {
        label: "n".into(),
        number: 1,
        blocks: vec![],
    }];
    let html = render_chapter(&c);
    assert!(html.contains("<a href=\"https://e.com\">x<sup>1</sup></a>"));
}

#[test]
fn document_declares_language_title_and_stylesheet() {
    let doc = document("en-GB", "A & B", "../s.css", "bodymatter", "<p/>\n");
    assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"));
    assert!(doc.contains("xml:lang=\"en-GB\" lang=\"en-GB\""));
    assert!(doc.contains("<title>A &amp; B</title>"));
    assert!(doc.contains("<link rel=\"stylesheet\" type=\"text/css\" href=\"../s.css\"/>"));
    assert!(doc.contains("<body epub:type=\"bodymatter\">"));
}

#[test]
fn heading_levels_never_jump_and_keep_their_look() {
    let h = |level: u8, id: &str| {
        Block::Heading(Heading {
            level,
            id: id.to_string(),
            content: vec![t("H")],
        })
    };
    let html = render_blocks(vec![h(4, "a"), h(4, "b"), h(2, "c"), h(3, "d"), h(6, "e")]);
    // `#` then `####`: written as h2 (one below the chapter's h1), styled as h4.
    assert!(html.contains("<h2 id=\"a\" class=\"h4\">"), "{html}");
    assert!(html.contains("<h3 id=\"b\" class=\"h4\">"), "{html}");
    assert!(html.contains("<h2 id=\"c\">"), "{html}");
    assert!(html.contains("<h3 id=\"d\">"), "{html}");
    assert!(html.contains("<h4 id=\"e\" class=\"h6\">"), "{html}");
}
