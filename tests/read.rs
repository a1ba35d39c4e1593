//! Reading manuscripts into the model: the sample book, pride-and-prejudice, and the formats.

use std::fs;
use std::path::Path;

use quire::model::{Block, Inline, LinkTarget, Matter};

fn read(path: &Path) -> (quire::model::Book, Vec<quire::diagnostic::Diagnostic>) {
    let (book, _settings, warnings) = quire::read_manuscript(path).expect("manuscript reads");
    (book, warnings)
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.replace(['\'', '’'], "’").replace("...", "…"))
        .collect()
}

#[test]
fn sample_book_has_one_chapter_per_section_word_for_word() {
    let (book, warnings) = read(Path::new("manuscript"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(book.metadata.title, "Ballerina");
    assert_eq!(
        book.metadata.subtitle.as_deref(),
        Some("A Blazing New Chapter in the Assassin Saga")
    );
    assert!(book.metadata.authors.is_empty());
    assert_eq!(book.metadata.language, "en");
    assert_eq!(book.chapters.len(), 6);
    assert!(
        book.chapters[0].title.is_none(),
        "the opening has no heading"
    );

    // A copy of ../shared/seed/ballerina-article.txt, the user's article.
    let article = fs::read_to_string("tests/fixtures/ballerina-article.txt").unwrap();
    let lines: Vec<&str> = article.lines().filter(|l| !l.trim().is_empty()).collect();
    let headings = [1, 5, 8, 11, 14];
    let titles: Vec<String> = book.chapters[1..].iter().map(|c| c.label()).collect();
    let expected_titles: Vec<String> = headings.iter().map(|&i| lines[i].to_string()).collect();
    assert_eq!(titles, expected_titles);

    // Every word of the article, in order, with its curly quotes and dashes.
    let mut model_text = String::new();
    for c in &book.chapters {
        if c.title.is_some() {
            model_text.push_str(&c.label());
            model_text.push('\n');
        }
        for b in &c.blocks {
            if let Block::Paragraph(inl) = b {
                model_text.push_str(&quire::model::plain_text(inl));
                model_text.push('\n');
            }
        }
    }
    assert_eq!(words(&model_text), words(&lines.join("\n")));
    assert!(model_text.contains("“They got the main fire guy"));
    assert!(model_text.contains("real—and as safe—as possible"));
}

#[test]
fn pride_and_prejudice_builds_from_metadata_yaml() {
    let (book, warnings) = read(Path::new("tests/fixtures/pride-and-prejudice"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(book.metadata.title, "Pride and Prejudice");
    assert_eq!(book.metadata.authors, ["Jane Austen"]);
    assert_eq!(book.metadata.language, "en-GB");
    assert_eq!(book.chapters.len(), 61);
    for (i, c) in book.chapters.iter().enumerate() {
        assert_eq!(
            c.label(),
            format!("Chapter {}", i + 1),
            "natural order: ch2 before ch10"
        );
        assert_eq!(c.id, format!("chapter-{}", i + 1));
    }
    // Straight quotes are curled by smart punctuation.
    let first = &book.chapters[0].blocks[2];
    match first {
        Block::Paragraph(inl) => {
            assert!(quire::model::plain_text(inl).starts_with("“My dear Mr. Bennet,”"))
        }
        other => panic!("{other:?}"),
    }
}

/// A scratch manuscript folder.
fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn single_file_splits_at_split_level_and_keeps_the_opening() {
    let dir = scratch(&[(
        "book.md",
        "---\ntitle: One File\nauthor: A. Writer\nlang: en\nsplit-level: 2\n---\nOpening words.\n\n# Part\n\nPart text.\n\n## First\n\nOne.\n\n### Inside\n\nDeep.\n\n## Second\n\nTwo.\n",
    )]);
    let (book, _) = read(&dir.path().join("book.md"));
    let labels: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["Opening words.", "Part", "First", "Second"]);
    assert!(book.chapters[0].title.is_none());
    let sections = book.chapters[2].sections();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].level, 2);
    assert_eq!(sections[0].id, "inside");
    assert_eq!(book.metadata.authors, ["A. Writer"]);
}

#[test]
fn a_folder_with_one_file_is_split_too() {
    let dir = scratch(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n",
        ),
        ("all.md", "# A\n\na\n\n# B\n\nb\n"),
    ]);
    let (book, _) = read(dir.path());
    assert_eq!(book.chapters.len(), 2);
}

#[test]
fn summary_md_orders_chapters_and_sets_matter() {
    let dir = scratch(&[
        ("book.toml", "[book]\ntitle = \"T\"\nlanguage = \"en\"\nsrc = \"src\"\n[metadata]\nidentifier = \"x\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n[Preface](preface.md)\n\n- [B](b.md)\n- [A](a.md)\n"),
        ("src/preface.md", "A preface without heading.\n"),
        ("src/a.md", "# Alpha\n\na\n"),
        ("src/b.md", "# Beta\n\nb\n"),
    ]);
    let (book, _) = read(dir.path());
    let labels: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["Preface", "Beta", "Alpha"]);
    assert_eq!(book.chapters[0].matter, Matter::Front);
    assert_eq!(book.chapters[1].matter, Matter::Body);
}

#[test]
fn chapters_list_in_book_toml_orders_chapters() {
    let dir = scratch(&[
        ("book.toml", "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n[manuscript]\nchapters = [\"z.md\", \"a.md\"]\n"),
        ("a.md", "# A\n\na\n"),
        ("z.md", "# Z\n\nz\n"),
    ]);
    let (book, _) = read(dir.path());
    let labels: Vec<String> = book.chapters.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["Z", "A"]);
}

#[test]
fn links_resolve_across_chapters_and_broken_ones_are_reported() {
    let dir = scratch(&[
        ("book.toml", "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n"),
        ("ch1.md", "# One\n\nSee [two](ch2.md#deep), [web](https://example.com), [html](ch2.html).\n\nAnd [gone](#nowhere) and [bad](javascript:alert(1)).\n"),
        ("ch2.md", "# Two\n\n## Deep {#deep}\n\nBack to [one](#one).\n"),
    ]);
    let (book, warnings) = read(dir.path());
    let mut targets = Vec::new();
    for c in &book.chapters {
        for b in &c.blocks {
            if let Block::Paragraph(inl) = b {
                for i in inl {
                    if let Inline::Link { target, .. } = i {
                        targets.push(target.clone());
                    }
                }
            }
        }
    }
    assert_eq!(
        targets,
        vec![
            LinkTarget::Internal {
                chapter: "two".into(),
                anchor: Some("deep".into())
            },
            LinkTarget::External("https://example.com".into()),
            LinkTarget::Internal {
                chapter: "two".into(),
                anchor: None
            },
            LinkTarget::Unresolved("#nowhere".into()),
            LinkTarget::Unresolved("javascript:alert(1)".into()),
            LinkTarget::Internal {
                chapter: "one".into(),
                anchor: None
            },
        ]
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.location.line == Some(5)));
}

#[test]
fn heading_ids_are_unique_in_the_book() {
    let dir = scratch(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n",
        ),
        ("a.md", "# Intro\n\n## Notes\n\n## Summary\n"),
        ("b.md", "# Intro\n\n## Summary\n"),
    ]);
    let (book, _) = read(dir.path());
    let mut ids: Vec<String> = book.chapters.iter().map(|c| c.id.clone()).collect();
    for c in &book.chapters {
        ids.extend(c.sections().iter().map(|h| h.id.clone()));
    }
    assert_eq!(ids, ["intro", "intro-2", "notes-2", "summary", "summary-2"]);
}

#[test]
fn footnotes_are_numbered_per_chapter() {
    let dir = scratch(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n",
        ),
        (
            "a.md",
            "# A\n\nx[^b] y[^a note] z[^b]\n\n[^a note]: First.\n[^b]: Second.\n",
        ),
        ("b.md", "# B\n\nw[^c]\n\n[^c]: Third.\n"),
    ]);
    let (book, _) = read(dir.path());
    let a = &book.chapters[0];
    assert_eq!(
        a.notes.iter().map(|n| n.label.as_str()).collect::<Vec<_>>(),
        ["b", "a note"]
    );
    assert_eq!(a.notes[0].number, 1);
    assert_eq!(book.chapters[1].notes[0].number, 1);
}

#[test]
fn bad_input_gets_clear_errors() {
    type Files<'a> = Vec<(&'a str, &'a [u8])>;
    let cases: Vec<(Files, &str)> = vec![
        (
            vec![("book.toml", b"[book]\ntitle = \"T\n"), ("a.md", b"# A\n")],
            "book.toml:2",
        ),
        (
            vec![
                ("book.toml", b"[book]\nlanguage = \"en\"\n"),
                ("a.md", b"# A\n"),
            ],
            "no title",
        ),
        (
            vec![("book.toml", b"[book]\ntitle = \"T\"\n")],
            "no Markdown chapter files",
        ),
        (
            vec![
                ("book.toml", b"[book]\ntitle = \"T\"\n"),
                ("a.md", b"# A\n\nok\n\nbad \xff byte\n"),
            ],
            "a.md:5:5: the file is not UTF-8",
        ),
        (
            vec![("metadata.yaml", b"- just\n- a list\n"), ("a.md", b"# A\n")],
            "must be a map",
        ),
    ];
    for (files, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in &files {
            fs::write(dir.path().join(name), bytes).unwrap();
        }
        let err = quire::read_manuscript(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains(expected), "expected `{expected}` in `{err}`");
    }
    let err = quire::read_manuscript(Path::new("/no/such/manuscript"))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("manuscript not found"), "{err}");
}

#[test]
fn bom_and_empty_chapters_are_handled() {
    let dir = scratch(&[
        (
            "book.toml",
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[metadata]\nidentifier = \"x\"\n",
        ),
        ("a.md", "\u{feff}# A\n\ntext\n"),
        ("b.md", ""),
        ("c.md", "# Only a heading\n"),
    ]);
    let (book, warnings) = read(dir.path());
    assert_eq!(book.chapters.len(), 2);
    assert_eq!(book.chapters[0].label(), "A");
    assert_eq!(book.chapters[1].label(), "Only a heading");
    assert!(warnings.iter().any(|w| w.message.contains("empty")));
}
