//! The pages before the first chapter: half-title, title page, copyright page, table of
//! contents.

use crate::fonts::Style;
use crate::imprint::LineKind;
use crate::model::{plain_text, Book, Inline};
use crate::strings::Strings;

use super::blocks::{Body, ChapterBuilder};
use super::paginate::{PageBody, PlacedLine, VItem};
use super::paragraph::{serif, Align, Line, LineLink, ParaSpec, Run, Setter, Target, Tok};

/// Title page: sizes in body ems, and where the title sits (fraction of the text block).
const TITLE_SCALE: f32 = 2.4;
const SUBTITLE_SCALE: f32 = 1.4;
const AUTHOR_SCALE: f32 = 1.3;
const TITLE_DROP: f32 = 0.22;
/// The half-title: the title alone, smaller than on the title page, as high.
const HALF_TITLE_SCALE: f32 = 1.4;
/// Copyright page text, in body ems.
const IMPRINT_SCALE: f32 = 0.85;
/// Contents: the distance between leader dots, in body ems, and the gap around them.
const LEADER_STEP: f32 = 0.6;
const LEADER_GAP: f32 = 0.5;
/// The widest page number the contents make room for.
const WIDEST_NUMBER: &str = "xxviii";
const WIDEST_ARABIC: &str = "0000";

/// Lines stacked from `y` down, centred or not, each with its own leading.
fn stack(
    setter: &mut Setter,
    page: &mut PageBody,
    mut y: f32,
    texts: &[(String, Style, f32)],
    measure: f32,
    align: Align,
) -> f32 {
    for (text, style, size) in texts {
        if text.trim().is_empty() {
            y += size * 1.25;
            continue;
        }
        let toks = [Tok::Text(text.clone(), serif(*style, *size))];
        let spec = ParaSpec {
            indent: 0.0,
            align,
            hyphenate: false,
        };
        for line in setter.set(&toks, &spec, measure) {
            y += size * 1.25;
            page.lines.push(PlacedLine {
                x: 0.0,
                baseline: y,
                line,
            });
        }
    }
    y
}

/// The half-title (the first leaf's recto, before the title page): the title only.
pub fn half_title_page(
    setter: &mut Setter,
    book: &Book,
    body: &Body,
    block_height: f32,
) -> PageBody {
    let mut page = PageBody::default();
    let texts = [(
        book.metadata.title.clone(),
        Style::Regular,
        body.size * HALF_TITLE_SCALE,
    )];
    stack(
        setter,
        &mut page,
        block_height * TITLE_DROP,
        &texts,
        body.measure,
        Align::Center,
    );
    page
}

pub fn title_page(
    setter: &mut Setter,
    book: &Book,
    strings: &Strings,
    body: &Body,
    block_height: f32,
) -> PageBody {
    let m = &book.metadata;
    let size = body.size;
    let mut page = PageBody::default();
    let mut texts = vec![(m.title.clone(), Style::Regular, size * TITLE_SCALE)];
    if let Some(sub) = &m.subtitle {
        texts.push((String::new(), Style::Regular, size * 0.5));
        texts.push((sub.clone(), Style::Italic, size * SUBTITLE_SCALE));
    }
    let y = stack(
        setter,
        &mut page,
        block_height * TITLE_DROP,
        &texts,
        body.measure,
        Align::Center,
    );
    if let Some(names) = strings.list(&m.authors) {
        let authors = [(names, Style::Regular, size * AUTHOR_SCALE)];
        let y = y.max(block_height * 0.45);
        stack(setter, &mut page, y, &authors, body.measure, Align::Center);
    }
    if let Some(publisher) = &m.publisher {
        let p = [(publisher.clone(), Style::Regular, size)];
        stack(
            setter,
            &mut page,
            block_height - size * 1.25,
            &p,
            body.measure,
            Align::Center,
        );
    }
    page
}

/// Each level of nesting in the contents indents an entry's first line this many ems.
const TOC_INDENT: f32 = 1.5;
/// Part titles are set this much larger than the body, a third of the way down a recto.
const PART_SCALE: f32 = 1.8;
const PART_DROP: f32 = 0.33;

/// A part's title page (mdBook's `# Part` titles): "Part" titles stand alone on a recto,
/// centred, with `anchor` at the title for the bookmarks and the contents.
pub fn part_page(
    setter: &mut Setter,
    title: &str,
    anchor: &str,
    body: &Body,
    block_height: f32,
) -> PageBody {
    let mut page = PageBody::default();
    let top = block_height * PART_DROP;
    page.anchors.push((anchor.to_string(), top));
    let texts = [(title.to_string(), Style::Regular, body.size * PART_SCALE)];
    stack(setter, &mut page, top, &texts, body.measure, Align::Center);
    page
}

/// The copyright page: the words `imprint` chooses, set at the foot of the text block; a
/// line break in the rights (written as Markdown) starts a new line.
pub fn copyright_page(
    setter: &mut Setter,
    book: &Book,
    strings: &Strings,
    body: &Body,
    block_height: f32,
) -> PageBody {
    let size = body.size * IMPRINT_SCALE;
    let mut texts = Vec::new();
    for line in crate::imprint::copyright_lines(&book.metadata, strings) {
        if line.kind.opens_group() && !texts.is_empty() {
            texts.push((String::new(), Style::Regular, size));
        }
        let style = if line.kind == LineKind::Title {
            Style::Italic
        } else {
            Style::Regular
        };
        for piece in line.content.split(|i| matches!(i, Inline::LineBreak)) {
            let text = plain_text(piece);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                texts.push((text, style, size));
            }
        }
    }
    // Set once to measure, then again so that the last line sits on the foot of the block.
    let mut probe = PageBody::default();
    let end = stack(setter, &mut probe, 0.0, &texts, body.measure, Align::Left);
    let mut page = PageBody::default();
    stack(
        setter,
        &mut page,
        (block_height - end).max(0.0),
        &texts,
        body.measure,
        Align::Left,
    );
    page
}

/// One line of the contents.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub label: String,
    pub anchor: String,
    /// `None` in the first pass, before pages are numbered.
    pub number: Option<String>,
    /// How far the entry is indented: 0 for a part or a chapter, 1 for a chapter nested
    /// under another (or in a part), and so on.
    pub depth: u8,
}

/// The contents as a vertical list: an opening like a chapter's, then one entry per chapter
/// with dot leaders and a right-aligned page number. The room kept for the number does not
/// depend on the number, so both passes give the same lines.
pub fn contents(
    setter: &mut Setter,
    body: Body,
    heading: &str,
    entries: &[TocEntry],
) -> Vec<VItem> {
    let style = serif(Style::Regular, body.size);
    let number_room = [WIDEST_NUMBER, WIDEST_ARABIC]
        .iter()
        .map(|n| {
            setter
                .glyphs(n, &style)
                .iter()
                .map(|g| g.advance)
                .sum::<f32>()
        })
        .fold(0.0f32, f32::max);
    let gap = LEADER_GAP * body.size;
    let step = LEADER_STEP * body.size;
    let label_measure = (body.measure - number_room - 2.0 * gap).max(body.size * 4.0);
    let dot = setter.glyphs(".", &style);
    let sink = body.sink;
    let mut b = ChapterBuilder::new(setter, body, "contents");
    b.opening(Some(&[Inline::Text(heading.into())]), "toc", sink);
    let mut items = b.finish();
    for entry in entries {
        let toks = [Tok::Text(entry.label.clone(), style.clone())];
        let spec = ParaSpec {
            indent: f32::from(entry.depth.min(4)) * TOC_INDENT * body.size,
            align: Align::Left,
            hyphenate: false,
        };
        let mut lines = setter.set(&toks, &spec, label_measure);
        if lines.is_empty() {
            lines.push(Line {
                ascent: body.size * 0.9,
                ..Line::default()
            });
        }
        let n = lines.len();
        if let Some(last) = lines.last_mut() {
            // The number is right-aligned; the leaders stop a gap before it (before the room
            // kept for it in the first pass), on a grid so that dots line up down the page.
            let number = entry
                .number
                .as_deref()
                .map(|n| setter.glyphs(n, &style))
                .unwrap_or_default();
            let number_width: f32 = number.iter().map(|g| g.advance).sum();
            let room = if entry.number.is_some() {
                number_width
            } else {
                number_room
            };
            let first_dot = ((last.width + gap) / step).ceil() as i32;
            let last_dot = ((body.measure - room - gap) / step).floor() as i32 - 1;
            if last_dot >= first_dot {
                let glyphs = (first_dot..=last_dot)
                    .flat_map(|_| dot.iter().cloned())
                    .map(|mut g| {
                        g.advance = step;
                        g
                    })
                    .collect();
                last.runs.push(Run {
                    face: style.face,
                    size: style.size,
                    x: first_dot as f32 * step,
                    rise: 0.0,
                    glyphs,
                    colour: None,
                });
            }
            if !number.is_empty() {
                last.runs.push(Run {
                    face: style.face,
                    size: style.size,
                    x: body.measure - number_width,
                    rise: 0.0,
                    glyphs: number,
                    colour: None,
                });
            }
        }
        for (k, mut line) in lines.into_iter().enumerate() {
            line.links.push(LineLink {
                x0: 0.0,
                x1: body.measure,
                target: Target::Anchor(entry.anchor.as_str().into()),
            });
            items.push(VItem::Line {
                x: 0.0,
                line,
                advance: body.leading,
                break_after: k + 1 == n,
            });
        }
    }
    items
}
