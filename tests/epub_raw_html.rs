//! Raw HTML as the EPUB writes it: parsed once by the reader, written back as safe,
//! well-formed XHTML (the sanitising of `src/epub/raw_html.rs`).

fn x(html: &str) -> String {
    quire::epub::sanitised_raw_html(&quire::markdown::html::parse_fragment(html))
}

#[test]
fn void_elements_entities_and_comments() {
    assert_eq!(x("a<br>b&nbsp;c<!-- x -- y -->d"), "a<br/>b\u{a0}cd");
    assert_eq!(x("<p>one<p>two"), "<p>one</p><p>two</p>");
    assert_eq!(x("1 &lt; 2 &amp; <b>3"), "1 &lt; 2 &amp; <b>3</b>");
}

#[test]
fn scripts_handlers_and_javascript_urls_are_dropped() {
    assert_eq!(
        x("<script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">t</a>"),
        "<a>t</a>"
    );
    assert_eq!(
        x("<a href=\"https://e.com/?a=1&b=2\">e</a>"),
        "<a href=\"https://e.com/?a=1&amp;b=2\">e</a>"
    );
    assert_eq!(x("<svg><circle/></svg><style>p{}</style>k"), "k");
    assert_eq!(
        x("<b onclick=\"x()\">&nbsp;<script>y()</script>"),
        "<b>\u{a0}</b>"
    );
}

#[test]
fn unknown_elements_are_unwrapped() {
    assert_eq!(
        x("<Listing number=\"1\"><span class=\"f\">F</span></Listing>"),
        "<span class=\"f\">F</span>"
    );
}

#[test]
fn images_without_a_file_become_their_alt_text() {
    assert_eq!(
        x("<img src=\"nope.png\" alt=\"A & B\">"),
        "<span class=\"image-alt\">A &amp; B</span>"
    );
    assert_eq!(
        x("<div>a &amp; b<br>c<img src=\"x.png\"></div>"),
        "<div>a &amp; b<br/>c</div>"
    );
}

#[test]
fn ids_are_unique_and_valid() {
    assert_eq!(
        x("<a id=\"a\"></a><a id=\"a\"></a><span id=\"1x\">s</span>"),
        "<a id=\"a\"></a><a></a><span>s</span>"
    );
}

/// Markdown inside a run of inline raw HTML is put back in its place, once.
#[test]
fn markdown_inside_raw_html_keeps_its_place() {
    use quire::model::Inline;
    let mut run = vec![
        Inline::Html("<span class=\"a\">".into()),
        Inline::Emphasis(vec![Inline::Text("md".into())]),
        Inline::Html("</span>".into()),
        Inline::Html("<br>".into()),
    ];
    quire::markdown::runs::read_inlines(&mut run);
    let [Inline::RawHtml { tree, .. }] = run.as_slice() else {
        panic!("{run:?}")
    };
    use quire::model::html::Node;
    assert_eq!(tree.len(), 2, "{tree:?}");
    let Node::Element(span) = &tree[0] else {
        panic!("{tree:?}")
    };
    assert_eq!(span.name, "span");
    assert_eq!(
        span.children,
        [Node::Inline(Inline::Emphasis(vec![Inline::Text(
            "md".into()
        )]))]
    );
    assert_eq!(tree[1], Node::Inline(Inline::LineBreak));
    assert_eq!(x("<span class=\"a\"></span>"), "<span class=\"a\"></span>");
}
