//! Openings: a chapter's sink and title, and its first paragraph's drop cap or small caps.

use crate::fonts::{FaceId, Style};
use crate::model::Inline;

use super::super::document::LineKind;
use super::super::linebreak::Hang;
use super::super::paginate::VItem;
use super::super::paragraph::{flatten, serif, Align, ParaSpec, Run, Tok};
use super::headings::KEEP_WITH_HEADING;
use super::{ChapterBuilder, Env};

/// Chapter title size, in body ems.
const CHAPTER_TITLE_SCALE: f32 = 2.0;
/// Baseline to baseline of a title's lines, in title ems.
const TITLE_LEADING: f32 = 1.2;
/// Space between the chapter title and the text, in body lines.
const AFTER_CHAPTER_TITLE: f32 = 2.5;
/// Lines a drop cap spans, its distance from the text (body ems), and the font's capital
/// height (Linux Libertine O: 658/1000) to size it so that it stands from the first line's
/// capital height to the last line's baseline.
const DROP_LINES: usize = 3;
const DROP_CAP_GAP: f32 = 0.25;
const CAP_HEIGHT: f32 = 0.658;
/// Words of a chapter's first paragraph set in small caps (fewer if a clause ends sooner).
const LEAD_WORDS: usize = 3;

impl ChapterBuilder<'_, '_> {
    /// Sink, anchor and (if any) a large title: the opening of a chapter or of the contents.
    ///
    /// The sink is `sink` made a little deeper or shallower so that the text below the title
    /// stands on the baseline grid of the other pages: every line of the opening page backs
    /// up with the lines overleaf, and the page ends on the standard foot line.
    pub fn opening(&mut self, title: Option<&[Inline]>, anchor: &str, sink: f32) {
        let leading = self.body.leading;
        let mut title_lines = Vec::new();
        let size = self.body.size * CHAPTER_TITLE_SCALE;
        if let Some(title) = title {
            let mut toks = Vec::new();
            flatten(
                title,
                &serif(Style::Regular, size),
                &self.chapter,
                &mut toks,
            );
            let spec = ParaSpec {
                indent: 0.0,
                align: Align::Center,
                hyphenate: false,
            };
            title_lines = self.setter.set(&toks, &spec, self.body.measure);
        }
        // Where the first line of text would stand below the sink, and where it stands on a
        // page of text (its ascent: the first line of a page is set that far down).
        let body_face = self
            .setter
            .shaper
            .fonts()
            .get(FaceId::Serif(Style::Regular));
        let ascent = body_face.ascender * self.body.size;
        let below = match title_lines.first() {
            Some(first) => {
                first.ascent
                    + (title_lines.len() - 1) as f32 * size * TITLE_LEADING
                    + leading * (AFTER_CHAPTER_TITLE + 1.0)
            }
            None => ascent,
        };
        let lines_down = ((sink + below - ascent) / leading).round().max(0.0);
        let sink = (ascent + lines_down * leading - below).max(0.0);
        self.items.push(VItem::Space {
            height: sink,
            discardable: false,
            break_after: false,
        });
        self.items.push(VItem::Anchor(anchor.to_string()));
        if !title_lines.is_empty() {
            for mut line in title_lines {
                line.kind = LineKind::Heading { level: 1 };
                self.line(0.0, line, size * TITLE_LEADING, false);
            }
            self.items.push(VItem::Space {
                height: leading * AFTER_CHAPTER_TITLE,
                discardable: false,
                break_after: false,
            });
        }
        self.keep = KEEP_WITH_HEADING;
        self.indent_next = false;
    }

    /// The first paragraph with a drop cap: its first letter (and any opening quote) set
    /// [`DROP_LINES`] lines deep beside the first lines, the rest of the first words in small
    /// caps. `false` (and nothing set) when the paragraph does not start with a letter or is
    /// too short to hold the cap.
    pub(super) fn drop_cap(&mut self, toks: &[Tok], env: Env) -> bool {
        // Past the marks of where the text comes from (the first one stays in front).
        let marks = toks
            .iter()
            .take_while(|t| matches!(t, Tok::Mark { .. }))
            .count();
        let Some((Tok::Text(first, style), rest)) = toks[marks..].split_first() else {
            return false;
        };
        if !matches!(style.face, FaceId::Serif(_)) || style.rise != 0.0 {
            return false;
        }
        let text = first.trim_start();
        let Some(end) = text
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())
        else {
            return false;
        };
        if text[..end].chars().any(char::is_whitespace) || end > 8 {
            return false;
        }
        let (cap, after) = text.split_at(end);
        let lines_above = (DROP_LINES - 1) as f32;
        let cap_size = lines_above * env.leading / CAP_HEIGHT + env.size;
        let cap_style = serif(Style::Regular, cap_size);
        let glyphs = self.setter.glyphs(cap, &cap_style);
        let cap_width: f32 = glyphs.iter().map(|g| g.advance).sum();
        let hang = Hang {
            width: cap_width + DROP_CAP_GAP * env.size,
            lines: DROP_LINES,
        };
        let mut body = Vec::new();
        // The text after the cap comes from further on.
        if let Some(&Tok::Mark { at }) = toks[..marks].last() {
            let skipped = first[..first.len() - after.len()].chars().count();
            body.push(Tok::Mark { at: at + skipped });
        }
        body.push(Tok::Text(after.to_string(), style.clone()));
        body.extend(rest.iter().cloned());
        let spec = ParaSpec {
            indent: 0.0,
            align: Align::Justify,
            hyphenate: self.body.hyphenate,
        };
        let mut lines = self
            .setter
            .set_hanging(&small_caps_lead(body), &spec, env.measure, hang);
        if lines.len() < DROP_LINES {
            return false;
        }
        lines[0].runs.insert(
            0,
            Run {
                face: cap_style.face,
                size: cap_size,
                x: 0.0,
                rise: -lines_above * env.leading,
                glyphs,
                colour: None,
            },
        );
        self.lines(env.x, lines, env.leading);
        true
    }
}

/// The first words of a chapter's first paragraph in small capitals (the font's `smcp`, so
/// capitals stay full size): up to [`LEAD_WORDS`] words, or to the end of the first clause.
pub(super) fn small_caps_lead(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len() + 1);
    let mut words = 0;
    let mut done = false;
    for tok in toks {
        match tok {
            Tok::Text(text, style) if !done && matches!(style.face, FaceId::Serif(_)) => {
                let mut in_word = false;
                let mut split = text.len();
                for (i, c) in text.char_indices() {
                    if c.is_whitespace() {
                        if in_word && words >= LEAD_WORDS {
                            split = i;
                            break;
                        }
                        in_word = false;
                    } else {
                        if !in_word {
                            words += 1;
                            in_word = true;
                        }
                        if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '—' | '–') {
                            split = i;
                            break;
                        }
                    }
                }
                let (lead, rest) = text.split_at(split);
                if split < text.len() {
                    done = true;
                }
                if !lead.is_empty() {
                    let mut sc = style.clone();
                    sc.features.small_caps = true;
                    out.push(Tok::Text(lead.to_string(), sc));
                }
                if !rest.is_empty() {
                    out.push(Tok::Text(rest.to_string(), style));
                }
            }
            mark @ Tok::Mark { .. } => out.push(mark),
            other => {
                done = true;
                out.push(other);
            }
        }
    }
    out
}
