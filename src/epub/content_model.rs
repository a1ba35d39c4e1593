//! HTML's content model, kept by every chapter file: no block in a paragraph, no paragraph in a
//! `<span>`, no `<li>` outside a list, no `<details>` without its `<summary>`.
//!
//! Raw HTML in Markdown is written where the author put it, and Markdown written between raw
//! tags lands inside them, so a chapter's XHTML can be well-formed and still break HTML's rules
//! (`Some text <div>a block</div> more.` puts a `<div>` inside the paragraph's `<p>`); EPUBCheck
//! then fails the book (RSC-005). Rather than teach each writer every rule, the finished body
//! of each chapter passes through here once: it is parsed (roxmltree, already used for SVG),
//! and every element HTML does not allow where it stands is renamed, in place, to the neutral
//! element its place allows (`<span>` where only phrasing content may go, else `<div>`), with a
//! class naming what it was (`html-div`), so the style sheet can still show it as a block, a
//! list item or a table cell. Text and everything else stay byte for byte; a body that breaks no
//! rule is returned as it came.
//!
//! The rules are those of the HTML standard that EPUBCheck's schema enforces for the elements
//! quire writes or keeps from raw HTML (`raw_html::KEPT`); elements of other vocabularies
//! (SVG, MathML) are left as they are.

use std::borrow::Cow;

/// Elements that are phrasing content (may stand in a paragraph).
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "input",
    "ins", "kbd", "mark", "q", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
    "time", "u", "var", "wbr",
];

/// Elements that are flow content only (a block: not in a paragraph).
const FLOW_ONLY: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Elements that stand only in one kind of parent, with the parents they may have.
const PARENTS: &[(&str, &[&str])] = &[
    ("li", &["ul", "ol", "menu"]),
    ("dt", &["dl"]),
    ("dd", &["dl"]),
    ("figcaption", &["figure"]),
    ("summary", &["details"]),
    ("caption", &["table"]),
    ("colgroup", &["table"]),
    ("col", &["colgroup"]),
    ("thead", &["table"]),
    ("tbody", &["table"]),
    ("tfoot", &["table"]),
    ("tr", &["table", "thead", "tbody", "tfoot"]),
    ("td", &["tr"]),
    ("th", &["tr"]),
    ("rt", &["ruby"]),
    ("rp", &["ruby"]),
];

/// Whose content is phrasing content only.
const PHRASING_CONTENT: &[&str] = &["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "summary"];

/// Elements whose content model is the parent's (transparent).
const TRANSPARENT: &[&str] = &["a", "ins", "del"];

const HEADINGS_AND_SECTIONS: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "article", "aside", "nav", "section",
];

/// What may not stand anywhere inside an element, whatever the depth.
#[derive(Clone, Copy, Default)]
struct Forbidden {
    headings_and_sections: bool,
    header_footer: bool,
    address: bool,
    table: bool,
    interactive: bool,
}

impl Forbidden {
    fn forbids(self, name: &str) -> bool {
        (self.headings_and_sections && HEADINGS_AND_SECTIONS.contains(&name))
            || (self.header_footer && matches!(name, "header" | "footer"))
            || (self.address && name == "address")
            || (self.table && name == "table")
            || (self.interactive && matches!(name, "a" | "details" | "input"))
    }

    /// What an element named `name` adds for its descendants.
    fn inside(mut self, name: &str) -> Self {
        match name {
            "dt" | "th" => {
                self.headings_and_sections = true;
                self.header_footer = true;
            }
            "header" | "footer" => self.header_footer = true,
            "address" => {
                self.headings_and_sections = true;
                self.header_footer = true;
                self.address = true;
            }
            "caption" => self.table = true,
            "a" => self.interactive = true,
            _ => {}
        }
        self
    }
}

#[derive(Clone, Copy)]
struct Context<'a> {
    /// The parent's name as written.
    parent: &'a str,
    /// Only phrasing content may stand here.
    phrasing: bool,
    forbidden: Forbidden,
}

/// One change to the source: `remove` bytes at `at` replaced by `text`.
struct Edit {
    at: usize,
    remove: usize,
    text: String,
}

const OPEN: &str =
    "<body xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">";

/// `body` (the inside of a chapter's `<body>`) with every element renamed that HTML does not
/// allow where it stands; `body` itself when none is.
pub fn enforce(body: &str) -> Cow<'_, str> {
    let source = format!("{OPEN}{body}</body>");
    let Ok(doc) = roxmltree::Document::parse(&source) else {
        // The writers write well-formed XHTML by construction (tests hold them to it); what
        // cannot be parsed is left for EPUBCheck to name rather than guessed at.
        return Cow::Borrowed(body);
    };
    let mut edits = Vec::new();
    let root = doc.root_element();
    let context = Context {
        parent: "body",
        phrasing: false,
        forbidden: Forbidden::default(),
    };
    visit_children(root, context, &source, &mut edits);
    if edits.is_empty() {
        return Cow::Borrowed(body);
    }
    edits.sort_by_key(|e| e.at);
    let mut out = String::with_capacity(body.len() + edits.len() * 16);
    let mut at = OPEN.len();
    let end = source.len() - "</body>".len();
    for e in &edits {
        out.push_str(&source[at..e.at]);
        out.push_str(&e.text);
        at = e.at + e.remove;
    }
    out.push_str(&source[at..end]);
    Cow::Owned(out)
}

fn visit_children(parent: roxmltree::Node, context: Context, source: &str, edits: &mut Vec<Edit>) {
    let elements: Vec<roxmltree::Node> = parent.children().filter(|n| n.is_element()).collect();
    let count = elements.len();
    let first_is_caption = elements
        .first()
        .is_some_and(|f| f.tag_name().name() == "figcaption");
    for (k, node) in elements.into_iter().enumerate() {
        let place = Place {
            first: k == 0,
            last: k + 1 == count,
            first_is_caption,
        };
        visit(node, place, context, source, edits);
    }
}

/// Where an element stands among its parent's elements.
struct Place {
    first: bool,
    last: bool,
    /// The parent's first element is a `figcaption`.
    first_is_caption: bool,
}

fn visit(
    node: roxmltree::Node,
    place: Place,
    context: Context,
    source: &str,
    edits: &mut Vec<Edit>,
) {
    let name = node.tag_name().name();
    if node.tag_name().namespace() != Some("http://www.w3.org/1999/xhtml") {
        return;
    }
    let bound = PARENTS.iter().any(|(n, _)| *n == name);
    if !(bound || PHRASING.contains(&name) || FLOW_ONLY.contains(&name)) {
        return;
    }
    // A part of a list, table or ruby goes by its parent alone (an `<rt>` stands in a
    // `<ruby>`'s phrasing content); everything else by what content its place takes.
    let allowed = (if bound {
        fits_parent(name, &place, context)
    } else {
        !context.phrasing || PHRASING.contains(&name)
    }) && !context.forbidden.forbids(name)
        && children_fit(node);
    let written = if allowed {
        name
    } else {
        let neutral = if context.phrasing { "span" } else { "div" };
        rename(node, name, neutral, source, edits);
        neutral
    };
    let phrasing = if TRANSPARENT.contains(&written) {
        context.phrasing
    } else {
        PHRASING_CONTENT.contains(&written) || PHRASING.contains(&written)
    };
    let inner = Context {
        parent: written,
        phrasing,
        forbidden: context.forbidden.inside(written),
    };
    visit_children(node, inner, source, edits);
}

/// Whether an element that needs a certain parent (and place in it) has it.
fn fits_parent(name: &str, place: &Place, context: Context) -> bool {
    let Some((_, parents)) = PARENTS.iter().find(|(n, _)| *n == name) else {
        return true;
    };
    parents.contains(&context.parent)
        && match name {
            "summary" | "caption" => place.first,
            "figcaption" => place.first || (place.last && !place.first_is_caption),
            _ => true,
        }
}

/// Whether an element's children are of the kinds it may hold (a list holds items, a table
/// rows...). When they are not, the element itself is renamed, and its children then stand in
/// a neutral element.
fn children_fit(node: roxmltree::Node) -> bool {
    let name = node.tag_name().name();
    let only = |allowed: &[&str]| {
        node.children().all(|c| {
            if c.is_element() {
                allowed.contains(&c.tag_name().name())
            } else if c.is_text() {
                c.text().is_none_or(|t| t.trim().is_empty())
            } else {
                true
            }
        })
    };
    let elements = || node.children().filter(|c| c.is_element());
    match name {
        "ul" | "ol" | "menu" => only(&["li"]),
        "tr" => only(&["td", "th"]),
        "thead" | "tbody" | "tfoot" => only(&["tr"]),
        "colgroup" => only(&["col"]),
        "dl" => {
            only(&["dt", "dd"])
                && elements()
                    .next()
                    .is_none_or(|e| e.tag_name().name() == "dt")
                && elements()
                    .next_back()
                    .is_none_or(|e| e.tag_name().name() == "dd")
        }
        "hgroup" => {
            only(&["h1", "h2", "h3", "h4", "h5", "h6", "p"])
                && elements().any(|e| e.tag_name().name().starts_with('h'))
        }
        "details" => {
            // The summary first, with no text before it.
            let before_summary_blank = node
                .children()
                .take_while(|c| !c.is_element())
                .all(|c| c.text().is_none_or(|t| t.trim().is_empty()));
            before_summary_blank
                && elements()
                    .next()
                    .is_some_and(|e| e.tag_name().name() == "summary")
        }
        "table" => table_fits(node),
        "ruby" => elements().any(|e| e.tag_name().name() == "rt"),
        // Text of a set direction must say which.
        "bdo" => node.attribute("dir").is_some(),
        _ => true,
    }
}

/// A table holds, in this order: a caption, column groups, a head, then bodies or rows (not
/// both), then a foot.
fn table_fits(node: roxmltree::Node) -> bool {
    let mut stage = 0;
    let mut bodies = false;
    let mut rows = false;
    for c in node.children() {
        if c.is_text() {
            if c.text().is_some_and(|t| !t.trim().is_empty()) {
                return false;
            }
            continue;
        }
        if !c.is_element() {
            continue;
        }
        let (at, once) = match c.tag_name().name() {
            "caption" => (0, true),
            "colgroup" => (1, false),
            "thead" => (2, true),
            "tbody" => {
                bodies = true;
                (3, false)
            }
            "tr" => {
                rows = true;
                (3, false)
            }
            "tfoot" => (4, true),
            _ => return false,
        };
        // A part that comes once moves the stage past itself: meeting it again is `at < stage`.
        if at < stage {
            return false;
        }
        stage = if once { at + 1 } else { at };
    }
    !(bodies && rows)
}

/// Renames `node` (written `name`) to `neutral`, with the class `html-<name>` added.
fn rename(node: roxmltree::Node, name: &str, neutral: &str, source: &str, edits: &mut Vec<Edit>) {
    let range = node.range();
    // The start tag's name follows its `<`.
    edits.push(Edit {
        at: range.start + 1,
        remove: name.len(),
        text: neutral.to_string(),
    });
    let class = format!("html-{name}");
    match node
        .attributes()
        .find(|a| a.name() == "class" && a.namespace().is_none())
    {
        Some(a) => edits.push(Edit {
            at: a.range_value().start,
            remove: 0,
            text: format!("{class} "),
        }),
        None => edits.push(Edit {
            at: range.start + 1 + name.len(),
            remove: 0,
            text: format!(" class=\"{class}\""),
        }),
    }
    // What only the old element may carry goes (a list's `start`, a link's `href`).
    for a in node.attributes() {
        let global = a.namespace().is_some()
            || matches!(
                a.name(),
                "id" | "class" | "title" | "lang" | "dir" | "style" | "role"
            )
            || a.name().starts_with("aria-");
        if !global {
            let r = a.range();
            let start = if source[..r.start].ends_with(' ') {
                r.start - 1
            } else {
                r.start
            };
            edits.push(Edit {
                at: start,
                remove: r.end - start,
                text: String::new(),
            });
        }
    }
    let element = &source[range.clone()];
    if !element.ends_with("/>") {
        if let Some(close) = element.rfind("</") {
            edits.push(Edit {
                at: range.start + close + 2,
                remove: name.len(),
                text: neutral.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::enforce;

    #[test]
    fn a_body_that_keeps_the_rules_is_returned_as_it_came() {
        let body = "<p>Text <em>and</em> <a href=\"#x\">a link</a>.</p>\n<ul><li><p>item</p></li></ul><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table><details><summary>s</summary><p>x</p></details>";
        assert!(matches!(enforce(body), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn blocks_in_phrasing_content_become_spans_that_say_what_they_were() {
        assert_eq!(
            enforce("<p>Some text <div>a block</div> more.</p>"),
            "<p>Some text <span class=\"html-div\">a block</span> more.</p>"
        );
        assert_eq!(
            enforce("<p><span><p class=\"x\">para</p></span></p>"),
            "<p><span><span class=\"html-p x\">para</span></span></p>"
        );
        assert_eq!(
            enforce("<p>a <table><tr><td>1</td></tr></table></p>"),
            "<p>a <span class=\"html-table\"><span class=\"html-tr\"><span class=\"html-td\">1</span></span></span></p>"
        );
        assert_eq!(
            enforce("<h2>a<hr/>b</h2>"),
            "<h2>a<span class=\"html-hr\"/>b</h2>"
        );
    }

    #[test]
    fn a_link_is_transparent_but_holds_no_other_link_or_disclosure() {
        let kept = "<a href=\"#x\"><div>block link</div></a>";
        assert_eq!(enforce(kept), kept);
        assert_eq!(
            enforce("<p><a href=\"#x\"><div>in a paragraph</div></a></p>"),
            "<p><a href=\"#x\"><span class=\"html-div\">in a paragraph</span></a></p>"
        );
        assert_eq!(
            enforce("<a href=\"#x\"><details><summary>s</summary></details></a>"),
            "<a href=\"#x\"><div class=\"html-details\"><div class=\"html-summary\">s</div></div></a>"
        );
    }

    #[test]
    fn parts_out_of_their_place_become_neutral() {
        assert_eq!(
            enforce("<details><p>no summary</p></details>"),
            "<div class=\"html-details\"><p>no summary</p></div>"
        );
        assert_eq!(
            enforce("<div><li>x</li></div>"),
            "<div><div class=\"html-li\">x</div></div>"
        );
        assert_eq!(
            enforce("<ul>text<li>x</li></ul>"),
            "<div class=\"html-ul\">text<div class=\"html-li\">x</div></div>"
        );
        assert_eq!(
            enforce("<figure><p>a</p><figcaption>c</figcaption><p>b</p></figure>"),
            "<figure><p>a</p><div class=\"html-figcaption\">c</div><p>b</p></figure>"
        );
        assert_eq!(
            enforce("<dl><dd>d</dd></dl>"),
            "<div class=\"html-dl\"><div class=\"html-dd\">d</div></div>"
        );
        assert_eq!(
            enforce("<table><tbody><tr><td>a</td></tr></tbody><caption>c</caption></table>"),
            "<div class=\"html-table\"><div class=\"html-tbody\"><div class=\"html-tr\"><div class=\"html-td\">a</div></div></div><div class=\"html-caption\">c</div></div>"
        );
        assert_eq!(
            enforce("<table><tr><th><h2>x</h2></th></tr></table>"),
            "<table><tr><th><div class=\"html-h2\">x</div></th></tr></table>"
        );
    }

    #[test]
    fn foreign_elements_and_unparsable_bodies_are_left_alone() {
        let svg = "<p><svg xmlns=\"http://www.w3.org/2000/svg\"><div/></svg></p>";
        assert_eq!(enforce(svg), svg);
        assert_eq!(enforce("<p>unclosed"), "<p>unclosed");
    }
}
