//! Raw HTML anywhere in Markdown always gives valid XHTML (issue 18, point 6): the fuzz
//! target's check (`fuzz/src/lib.rs`) over its seed corpus and over generated chapters, and
//! EPUBCheck over a book of generated chapters. Coverage-guided fuzzing of the same check is
//! `cargo +nightly fuzz run raw_html` (fuzz/Cargo.toml).

#[path = "common/epubcheck.rs"]
mod epubcheck;
#[path = "../fuzz/src/lib.rs"]
mod fuzz_case;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "a",
    "details",
    "summary",
    "pre",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h5",
    "em",
    "strong",
    "blockquote",
    "section",
    "aside",
    "header",
    "footer",
    "address",
    "ruby",
    "rt",
    "time",
    "q",
    "code",
    "sub",
    "colgroup",
    "col",
    "hgroup",
    "nav",
    "abbr",
    "small",
    "bdo",
];

const ATTRS: &[&str] = &[
    "",
    "",
    "",
    " class=\"c\"",
    " id=\"x\"",
    " id=\"1bad\"",
    " id=\"x\"",
    " width=\"50%\"",
    " width=\"120\"",
    " height=\"-3\"",
    " colspan=\"0\"",
    " colspan=\"2\"",
    " rowspan=\"x\"",
    " start=\"x\"",
    " start=\"-2\"",
    " type=\"square\"",
    " type=\"i\"",
    " dir=\"up\"",
    " dir=\"rtl\"",
    " role=\"banana\"",
    " role=\"note\"",
    " lang=\"??\"",
    " lang=\"de-AT\"",
    " datetime=\"yesterday\"",
    " datetime=\"2024-05-01\"",
    " href=\"#x\"",
    " href=\"javascript:x\"",
    " href=\"https://example.com/a b\"",
    " src=\"figure.svg\"",
    " src=\"missing.png\"",
    " alt=\"a\"",
    " style=\"color: red\"",
    " style=\"}{\"",
    " open",
    " open=\"no\"",
    " onclick=\"x\"",
    " title=\"t\"",
    " headers=\"nope\"",
    " scope=\"sideways\"",
    " scope=\"col\"",
    " span=\"-1\"",
    " span=\"2\"",
    " value=\"v\"",
    " reversed=\"no\"",
    " cite=\"::\"",
    " aria-hidden=\"maybe\"",
    " epub:type=\"noteref\"",
];

/// A piece of a chapter: words, Markdown, raw tags (opened, closed, or around more pieces).
fn piece() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(TAGS);
    let attrs = prop::collection::vec(prop::sample::select(ATTRS), 0..3).prop_map(|a| a.concat());
    let leaf = prop_oneof![
        "[a-z]{1,8}( [a-z]{1,8}){0,3}",
        Just(" *emphasis* ".to_string()),
        Just(" **strong** ".to_string()),
        Just(" `code` ".to_string()),
        Just(" [link](#x) ".to_string()),
        Just(" ![image](figure.svg) ".to_string()),
        Just("[^n]".to_string()),
        Just("\n\n[^n]: A note.\n\n".to_string()),
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n- ".to_string()),
        Just("\n\n> ".to_string()),
        Just("\n\n## ".to_string()),
        Just("\n\n1. ".to_string()),
        Just("\n\n| a | b |\n|-|-|\n| c | d |\n\n".to_string()),
        Just("\n\n```\ncode\n```\n\n".to_string()),
        Just("<br>".to_string()),
        Just("<hr>".to_string()),
        Just("<img src=\"figure.svg\" alt=\"i\">".to_string()),
        Just("&nbsp;&amp;".to_string()),
        (tag.clone(), attrs.clone()).prop_map(|(t, a)| format!("<{t}{a}>")),
        tag.clone().prop_map(|t| format!("</{t}>")),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        (
            prop::sample::select(TAGS),
            prop::collection::vec(prop::sample::select(ATTRS), 0..3),
            prop::collection::vec(inner, 0..4),
            any::<bool>(),
        )
            .prop_map(|(t, a, children, blank)| {
                let gap = if blank { "\n\n" } else { "" };
                format!("<{t}{}>{gap}{}{gap}</{t}>", a.concat(), children.concat())
            })
    })
}

fn chapter() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..16).prop_map(|p| p.concat())
}

/// The same cases on every run (a failure must be reproducible): a fixed seed.
fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[18; 32]),
    )
}

#[test]
fn the_seed_corpus_gives_valid_xhtml() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/raw_html");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            fuzz_case::check_chapter(&text).is_some(),
            "{} was refused",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 8, "only {seen} seed files");
}

#[test]
fn generated_chapters_give_valid_xhtml() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut runner = runner();
    let strategy = chapter();
    let mut built = 0;
    for _ in 0..cases {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        built += usize::from(fuzz_case::check_chapter(&text).is_some());
    }
    // Nearly every generated chapter is a book (a missing image or a bad id is only a warning).
    assert!(built * 10 >= cases * 9, "only {built} of {cases} built");
}

/// One book of generated chapters through EPUBCheck (one JVM start for all of them).
#[test]
fn a_book_of_generated_chapters_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Fuzz\"\nauthors = [\"A\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:fuzz\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("figure.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    )
    .unwrap();
    let mut runner = runner();
    // Other cases than the test above (the runner's stream moved on).
    let strategy = chapter();
    for _ in 0..50 {
        strategy.new_tree(&mut runner).unwrap();
    }
    let mut texts = Vec::new();
    for i in 0..60 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        std::fs::write(
            dir.path().join(format!("ch{i:02}.md")),
            format!("# Chapter {i}\n\n{text}"),
        )
        .unwrap();
        texts.push(text);
    }
    let (book, settings, _) = quire::read_manuscript(dir.path()).unwrap();
    let epub = quire::epub::write_epub(&book, &settings).unwrap();
    fuzz_case::check_epub(&epub, "(the book of generated chapters)");
    let path = dir.path().join("fuzz.epub");
    std::fs::write(&path, &epub).unwrap();
    if let Some(report) = epubcheck::epubcheck(&path) {
        let chapters: Vec<String> = report
            .messages
            .iter()
            .filter_map(|m| m.split("ch").nth(1)?.get(..2)?.parse::<usize>().ok())
            .map(|i| format!("ch{i:02}:\n{}", texts[i]))
            .collect();
        assert!(
            report.is_clean(),
            "{:#?}\n{}",
            report.messages,
            chapters.join("\n---\n")
        );
    }
}
