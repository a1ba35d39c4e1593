//! Micro-benchmarks of the hot stages, on pride-and-prejudice: Markdown reading, shaping,
//! line breaking, page layout, PDF writing, EPUB writing.
//!
//! `cargo bench --bench stages` (the end-to-end figures come from `benches/run.sh`).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use quire::fonts::{FaceId, Style};
use quire::model::{plain_text, Block, Book};
use quire::settings::Settings;
use quire::typeset::blocks::{Body, ChapterBuilder};
use quire::typeset::fonts::FontSet;
use quire::typeset::hyphenate::Hyphenator;
use quire::typeset::linebreak::{Item, KnuthPlass, LineBreaker, FIL, FORCED_BREAK};
use quire::typeset::paginate::paginate;
use quire::typeset::paragraph::Setter;
use quire::typeset::shape::{Features, Shaper};

const NOVEL: &str = "tests/fixtures/pride-and-prejudice";
const SIZE: f32 = 11.0;
const LEADING: f32 = 14.5;
/// The default trim's measure and text block (5.5 x 8.5 in), in points.
const MEASURE: f32 = 280.0;
const BLOCK_HEIGHT: f32 = 500.0;

fn novel() -> (Book, Settings) {
    let (book, settings, _) = quire::read_manuscript(Path::new(NOVEL)).expect("the fixture reads");
    (book, settings)
}

/// The text of every paragraph of the book.
fn paragraphs(book: &Book) -> Vec<String> {
    book.chapters
        .iter()
        .flat_map(|c| &c.blocks)
        .filter_map(|b| match b {
            Block::Paragraph(inlines) => Some(plain_text(inlines)),
            _ => None,
        })
        .collect()
}

fn reading(c: &mut Criterion) {
    c.bench_function("read pride-and-prejudice (Markdown -> model)", |b| {
        b.iter(|| black_box(quire::read_manuscript(Path::new(NOVEL)).expect("reads")))
    });
}

fn shaping(c: &mut Criterion) {
    let (book, _) = novel();
    let text = paragraphs(&book).join(" ");
    let words: Vec<&str> = text.split_whitespace().collect();
    let fonts = FontSet::load().expect("fonts");
    let face = FaceId::Serif(Style::Regular);
    c.bench_function("shape every word of the novel (fresh cache)", |b| {
        b.iter(|| {
            let mut shaper = Shaper::new(&fonts);
            for w in &words {
                black_box(shaper.shape(face, Features::default(), w));
            }
        })
    });
}

/// Every paragraph as box/glue/penalty items, a box per word.
fn paragraph_items(book: &Book, fonts: &FontSet) -> Vec<Vec<Item>> {
    let mut shaper = Shaper::new(fonts);
    let face = FaceId::Serif(Style::Regular);
    let loaded = fonts.get(face);
    let width = |shaper: &mut Shaper, text: &str| -> f32 {
        shaper
            .shape(face, Features::default(), text)
            .iter()
            .map(|g| loaded.scale(g.advance, SIZE))
            .sum()
    };
    let space = width(&mut shaper, " ");
    paragraphs(book)
        .iter()
        .map(|p| {
            let mut items = Vec::new();
            for (i, w) in p.split_whitespace().enumerate() {
                if i > 0 {
                    items.push(Item::Glue {
                        width: space,
                        stretch: space / 2.0,
                        shrink: space / 3.0,
                    });
                }
                items.push(Item::Box {
                    width: width(&mut shaper, w),
                });
            }
            items.push(Item::Glue {
                width: 0.0,
                stretch: FIL,
                shrink: 0.0,
            });
            items.push(Item::Penalty {
                width: 0.0,
                cost: FORCED_BREAK,
                flagged: false,
            });
            items
        })
        .collect()
}

fn line_breaking(c: &mut Criterion) {
    let (book, _) = novel();
    let fonts = FontSet::load().expect("fonts");
    let paragraphs = paragraph_items(&book, &fonts);
    let breaker = KnuthPlass::new(SIZE);
    c.bench_function("break every paragraph of the novel (Knuth-Plass)", |b| {
        b.iter(|| {
            for items in &paragraphs {
                black_box(breaker.break_lines(items, MEASURE));
            }
        })
    });
}

fn page_layout(c: &mut Criterion) {
    let (book, settings) = novel();
    let fonts = FontSet::load().expect("fonts");
    let hyphenator = Hyphenator::for_language(&book.metadata.language);
    let breaker = KnuthPlass::new(SIZE);
    let body = Body {
        size: SIZE,
        leading: LEADING,
        measure: MEASURE,
        hyphenate: true,
        sink: BLOCK_HEIGHT * 0.22,
        opening: settings.print.opening,
        code_size: settings.print.code_size,
    };
    let mut setter = Setter::new(Shaper::new(&fonts), &hyphenator, &breaker);
    let chapters: Vec<_> = book
        .chapters
        .iter()
        .map(|c| ChapterBuilder::new(&mut setter, body, &c.id).chapter(c))
        .collect();
    c.bench_function("paginate every chapter of the novel", |b| {
        // Pagination takes the chapters' lines: each run gets its own copy, not timed.
        b.iter_batched(
            || chapters.clone(),
            |chapters| {
                for items in chapters {
                    black_box(paginate(items, BLOCK_HEIGHT, LEADING));
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    c.bench_function(
        "typeset the novel (shape, hyphenate, break, paginate)",
        |b| b.iter(|| black_box(quire::typeset::typeset(&book, &settings).expect("typesets"))),
    );
}

fn writing(c: &mut Criterion) {
    let (book, settings) = novel();
    let doc = quire::typeset::typeset(&book, &settings).expect("typesets");
    c.bench_function("write the novel's PDF (typeset pages -> bytes)", |b| {
        b.iter(|| black_box(quire::pdf::write_pdf(&doc, &book.metadata).expect("writes")))
    });
    c.bench_function("write the novel's EPUB (model -> bytes)", |b| {
        b.iter(|| black_box(quire::epub::write_epub(&book, &settings).expect("writes")))
    });
}

criterion_group! {
    name = stages;
    // The whole-book stages take a good fraction of a second: fewer, longer samples.
    config = Criterion::default().sample_size(10);
    targets = reading, shaping, line_breaking, page_layout, writing
}
criterion_main!(stages);
