//! Property tests: arbitrary Markdown (odd Unicode, raw HTML, deep structure) always gives
//! well-formed XHTML in the EPUB, a PDF that lopdf parses, and lines that stay in the measure.
//! The number of cases is bounded so CI stays fast (`PROPTEST_CASES` overrides it).

#[path = "common/epubcheck.rs"]
mod epubcheck;

use std::io::Read;

use proptest::prelude::*;
use quire::typeset::document::{Item, LineKind};

/// Pieces of Markdown that exercise every construct and the awkward corners of text.
fn fragment() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,12}",
        Just("“quoted”".to_string()),
        Just("Straße".to_string()),
        Just("Ἀρχή".to_string()),
        Just("שלום".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{ad}".to_string()),
        Just("\u{2060}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{1}\u{8}\u{1b}".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("&amp; &nbsp; &#0; &#xD800;".to_string()),
        Just("<br>".to_string()),
        Just("<span class=x>x</span>".to_string()),
        Just("<!-- a -- b -->".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        "[a-z]{40,90}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    let words = prop::collection::vec(word, 1..12).prop_map(|w| w.join(" "));
    prop_oneof![
        words.clone().prop_map(|w| format!("{w}\n\n")),
        words.clone().prop_map(|w| format!("# {w}\n\n")),
        words.clone().prop_map(|w| format!("### {w} {{#x}}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("*{w}* **{w}** ~~{w}~~ `{w}` ^{w}^\n\n")),
        words.clone().prop_map(|w| format!(
            "[{w}](#x) [{w}](https://example.com) [{w}](javascript:x) [{w}](other.md#y)\n\n"
        )),
        words.clone().prop_map(|w| format!("> {w}\n>\n> > {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("- {w}\n  - [x] {w}\n3. {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("```rust,ignore\n{w}\n```\n\n")),
        words
            .clone()
            .prop_map(|w| format!("| a | {w} |\n|:-|-:|\n| {w} | b |\n\n")),
        words
            .clone()
            .prop_map(|w| format!("{w}[^n {w}]\n\n[^n {w}]: {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("<div>{w}<p>unclosed\n\n")),
        words
            .clone()
            .prop_map(|w| format!("![{w}](figure.svg \"t\")\n\n")),
        // Headings inside containers: each needs an id of its own.
        words
            .clone()
            .prop_map(|w| format!("- {w}\n\n  ## {w}\n- x\n\n  ## {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("> ## {w}\n>\n> {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("{w}[^h]\n\n[^h]: {w}\n\n    ## {w}\n\n")),
        Just("***\n\n".to_string()),
        words.prop_map(|w| format!("{w}  \n{w}\\\n{w}\n\n")),
    ]
}

fn manuscript() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::collection::vec(fragment(), 0..8).prop_map(|f| f.concat()),
        1..4,
    )
}

fn xml_ok(name: &str, text: &str) -> Result<(), TestCaseError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| TestCaseError::fail(format!("{name}: {e}\n{text}")))?;
    // Every heading has an id, and no id is used twice in a file.
    let mut ids = std::collections::HashSet::new();
    for n in doc.descendants() {
        if matches!(n.tag_name().name(), "h2" | "h3" | "h4" | "h5" | "h6") {
            let id = n.attribute("id").unwrap_or_default();
            prop_assert!(
                !id.is_empty() && id != "id-",
                "{}: heading without an id\n{}",
                name,
                text
            );
        }
        if let Some(id) = n.attribute("id") {
            prop_assert!(ids.insert(id), "{}: id `{}` twice\n{}", name, id, text);
        }
    }
    Ok(())
}

/// Headings in lists, quotes and notes, in words that repeat (so their slugs collide).
fn nested_headings() -> impl Strategy<Value = Vec<String>> {
    let words = prop::collection::vec(
        prop_oneof![Just("Inside"), Just("Setup"), Just("Notes"), Just("A b")],
        1..3,
    )
    .prop_map(|w| w.join(" "));
    let fragment = prop_oneof![
        words.clone().prop_map(|w| format!("## {w}\n\nText.\n\n")),
        words
            .clone()
            .prop_map(|w| format!("- item\n\n  ## {w}\n- two\n\n  ### {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("1. one\n\n   > ## {w}\n\n")),
        words
            .clone()
            .prop_map(|w| format!("> ## {w}\n>\n> Quoted.\n\n")),
        words.prop_map(|w| format!("Cited.[^{w}]\n\n[^{w}]: Note.\n\n    ## {w}\n\n")),
    ];
    prop::collection::vec(
        prop::collection::vec(fragment, 1..5).prop_map(|f| format!("# Chapter\n\n{}", f.concat())),
        1..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(40),
        failure_persistence: None,
        // CI runs the same cases every time (a failure there must be reproducible); locally each
        // run tries new ones. PROPTEST_RNG_SEED chooses the seed in both.
        rng_seed: match std::env::var("PROPTEST_RNG_SEED").ok().and_then(|v| v.parse().ok()) {
            Some(seed) => proptest::test_runner::RngSeed::Fixed(seed),
            None if std::env::var("CI").is_ok_and(|v| v == "true") => proptest::test_runner::RngSeed::Fixed(20_261_125),
            None => proptest::test_runner::RngSeed::Random,
        },
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_markdown_gives_valid_outputs(chapters in manuscript()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"P\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:p\"\n").unwrap();
        for (i, text) in chapters.iter().enumerate() {
            std::fs::write(dir.path().join(format!("ch{i}.md")), text).unwrap();
        }
        // The image the generated Markdown shows (a missing image is an error).
        std::fs::write(dir.path().join("figure.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>").unwrap();
        let Ok((book, settings, _)) = quire::read_manuscript(dir.path()) else {
            // Only an all-empty manuscript may fail to read.
            prop_assert!(chapters.iter().all(|c| c.trim().is_empty() || !c.chars().any(char::is_alphanumeric)));
            return Ok(());
        };

        let epub = quire::epub::write_epub(&book, &settings).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().to_string();
            if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                xml_ok(&name, &text)?;
            }
        }

        let doc = quire::typeset::typeset(&book, &settings).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // No glyph leaves the page...
        for (i, page) in doc.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text(run) = item {
                    let width: f32 = run.glyphs.iter().map(|g| g.advance).sum();
                    prop_assert!(run.x >= -0.01 && run.x + width <= doc.width + 0.01,
                        "page {i}: run at {} wide {width} leaves the page", run.x);
                }
            }
        }
        // ...and no line of the text block passes its measure (the typesetter's own report;
        // the measure depends on the gutter, which depends on the page count).
        for (i, page) in doc.layout.pages.iter().enumerate() {
            let set_to_measure = page.lines.iter().filter(|l| {
                matches!(l.kind, LineKind::Body { .. } | LineKind::Heading { .. } | LineKind::Note { .. })
            });
            for line in set_to_measure {
                prop_assert!(line.end <= line.right + 0.1,
                    "page {i}: overfull line ending at {} past {}: {line:?}", line.end, line.right);
            }
        }
        let pdf = quire::pdf::write_pdf(&doc, &book.metadata).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(lopdf::Document::load_mem(&pdf).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_EPUBCHECK_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3),
        failure_persistence: None,
        rng_seed: match std::env::var("PROPTEST_RNG_SEED").ok().and_then(|v| v.parse().ok()) {
            Some(seed) => proptest::test_runner::RngSeed::Fixed(seed),
            None if std::env::var("CI").is_ok_and(|v| v == "true") => proptest::test_runner::RngSeed::Fixed(20_261_125),
            None => proptest::test_runner::RngSeed::Random,
        },
        ..ProptestConfig::default()
    })]

    /// A few books of headings nested anywhere, through EPUBCheck (a JVM start each: few
    /// cases).
    #[test]
    fn nested_headings_pass_epubcheck(chapters in nested_headings()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"P\"\nauthors = [\"A\"]\nlanguage = \"en\"\n[metadata]\nidentifier = \"urn:x:p\"\n").unwrap();
        for (i, text) in chapters.iter().enumerate() {
            std::fs::write(dir.path().join(format!("ch{i}.md")), text).unwrap();
        }
        let (book, settings, _) = quire::read_manuscript(dir.path()).unwrap();
        let epub = quire::epub::write_epub(&book, &settings).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("p.epub");
        std::fs::write(&path, epub).unwrap();
        if let Some(report) = epubcheck::epubcheck(&path) {
            prop_assert!(report.is_clean(), "{:?}\n{:#?}", chapters, report.messages);
        }
    }
}
