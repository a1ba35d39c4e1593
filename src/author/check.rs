//! `quire check`: everything a careful editor would flag, without writing any output.
//!
//! Errors are what would make the book wrong for a reader: a manuscript that does not read, a
//! link to nowhere, a missing image, a character no font of the book can draw (it would print as a
//! blank). Warnings are what an author should look at: images without alt text, heading levels
//! that jump, empty chapters, chapter titles used twice, punctuation that smart punctuation
//! gets wrong, double spaces, and metadata stores ask for.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::model::Book;
use crate::project::{Project, ProjectError, Source};

/// Findings `quire check` lists only with `--verbose` (it says how many it left out): two
/// spaces between words change nothing a reader sees (the typesetter and every reading system
/// collapse them), and a manuscript typed with two after each full stop has hundreds.
pub const VERBOSE_ONLY: &[Code] = &[Code::DoubleSpace];

/// Lints the manuscript at `path`. The findings are sorted by file, line and column.
pub fn check(path: &Path) -> Vec<Diagnostic> {
    let project = match Project::load(path) {
        Ok(p) => p,
        Err(e) => return rated(vec![project_error(e)]),
    };
    let mut out: Vec<Diagnostic> = project.warnings.clone();
    // Bad images are errors the reader finds (Markdown and raw HTML); list them all.
    let (book, warnings, image_errors) = match crate::markdown::read_book_lenient(&project) {
        Ok(r) => r,
        Err(e) => {
            let code = match e {
                crate::markdown::MarkdownError::Empty(_) => Code::EmptyManuscript,
                crate::markdown::MarkdownError::Images(_) => Code::BadImage,
            };
            out.push(Diagnostic::error(
                code,
                Location::file(&project.root),
                e.to_string(),
            ));
            return rated(out);
        }
    };
    out.extend(warnings);
    out.extend(image_errors);

    // Images the reader took but the PDF could not print (truncated, too many pixels), and
    // drawings it would set as alt text.
    let (bad, costly) = crate::artwork::Gallery::problems(&book);
    out.extend(bad.into_iter().map(|e| {
        let message = format!("image `{}` ({}) {}", e.src, e.path.display(), e.reason);
        Diagnostic::error(Code::BadImage, e.location, message)
    }));
    out.extend(costly.iter().map(crate::artwork::costly_warning));
    let mut headings: BTreeMap<PathBuf, Vec<HeadingAt>> = BTreeMap::new();
    for source in &project.sources {
        let mut scan = scan_source(source);
        // Text `{{#include}}` brought in is reported in the file it came from.
        for d in &mut scan.diagnostics {
            d.location = project.locate(&d.location);
        }
        for h in &mut scan.headings {
            h.location = project.locate(&h.location);
        }
        out.extend(scan.diagnostics);
        headings.insert(source.path.clone(), scan.headings);
    }
    chapters(&book, &headings, &mut out);
    metadata(&project, &mut out);
    rated(out)
}

/// The findings rated by their code (a link the reader had to set as plain text, or a
/// character no font draws, is an error here: the reader would find a dead reference or a
/// box), sorted by place, each once.
fn rated(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut out {
        d.severity = d.code.severity_in_check();
    }
    out.sort();
    out.dedup();
    out
}

/// A manuscript that cannot be read at all: one error, at the place the reader names.
fn project_error(e: ProjectError) -> Diagnostic {
    let location = match &e {
        ProjectError::Config { location, .. }
        | ProjectError::NotUtf8 { location }
        | ProjectError::MissingChapter { location, .. }
        | ProjectError::OutsideManuscript { location, .. }
        | ProjectError::Include { location, .. }
        | ProjectError::MissingTitle { location, .. } => location.clone(),
        ProjectError::NotFound(p) | ProjectError::NoChapters(p) => Location::file(p),
        ProjectError::Io { path, .. } => Location::file(path),
    };
    let text = e.to_string();
    let message = text
        .strip_prefix(&format!("{location}: "))
        .unwrap_or(&text)
        .to_string();
    Diagnostic::error(e.code(), location, message)
}

/// A heading of a source file: level, text (as the model has it) and where it starts.
struct HeadingAt {
    text: String,
    location: Location,
}

struct Scan {
    diagnostics: Vec<Diagnostic>,
    headings: Vec<HeadingAt>,
}

/// Walks one chapter file: images, headings, characters, and the prose itself.
fn scan_source(source: &Source) -> Scan {
    let text = source.text.as_str();
    let lines = crate::diagnostic::LineIndex::new(text);
    let at = |offset: usize| -> Location {
        let (line, column) = lines.line_column(offset);
        Location::at(&source.path, line + source.first_line - 1, column)
    };
    let mut diagnostics = Vec::new();
    let mut headings = Vec::new();
    let mut prose: Vec<Range<usize>> = Vec::new();

    let mut code_block = 0usize;
    let mut previous_level = 0u8;
    let mut heading: Option<(String, usize)> = None;
    let mut image: Option<(String, String, usize)> = None;
    let parser = Parser::new_ext(text, crate::markdown::convert::options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_block += 1,
            Event::End(TagEnd::CodeBlock) => code_block = code_block.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level as u8;
                if previous_level > 0 && level > previous_level + 1 {
                    diagnostics.push(Diagnostic::warning(
                        Code::HeadingLevelJump,
                        at(range.start),
                        format!(
                            "heading level jumps from {previous_level} to {level} (`{}` after `{}`): use `{}` here, or add the level between",
                            "#".repeat(level as usize),
                            "#".repeat(previous_level as usize),
                            "#".repeat(previous_level as usize + 1),
                        ),
                    ));
                }
                previous_level = level;
                heading = Some((String::new(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((text, start)) = heading.take() {
                    headings.push(HeadingAt {
                        text,
                        location: at(start),
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new(), range.start));
            }
            Event::End(TagEnd::Image) => {
                if let Some((dest, alt, start)) = image.take() {
                    check_image(&source.path, &dest, &alt, at(start), &mut diagnostics);
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                let is_code = matches!(&event, Event::Code(_));
                if code_block == 0 && !is_code {
                    prose.push(range.clone());
                }
                if let Some((h, _)) = heading.as_mut() {
                    h.push_str(t);
                }
                if let Some((_, alt, _)) = image.as_mut() {
                    alt.push_str(t);
                }
            }
            Event::SoftBreak => {
                if let Some((h, _)) = heading.as_mut() {
                    h.push(' ');
                }
                if let Some((_, alt, _)) = image.as_mut() {
                    alt.push(' ');
                }
            }
            _ => {}
        }
    }
    for (offset, code, message) in scan_prose(text, &prose) {
        diagnostics.push(Diagnostic::warning(code, at(offset), message));
    }
    Scan {
        diagnostics,
        headings,
    }
}

fn check_image(chapter: &Path, dest: &str, alt: &str, at: Location, out: &mut Vec<Diagnostic>) {
    if alt.trim().is_empty() {
        out.push(Diagnostic::warning(
            Code::MissingAltText,
            at.clone(),
            format!("image `{dest}` has no alt text: describe it between the brackets, `![A lighthouse at dusk]({dest})`, for readers who cannot see it (EPUB accessibility)"),
        ));
    }
    // A missing, unreadable or misplaced image file is reported by the reader
    // (`markdown::images`), for raw HTML `<img>` too.
    let _ = chapter;
}

/// Words smart punctuation would open with a left quote although they begin with an
/// apostrophe (elision).
const ELISIONS: &[&str] = &[
    "tis", "twas", "em", "n", "cause", "til", "bout", "round", "nuff", "cept",
];

/// Checks the source of the prose (text outside code) for what smart punctuation gets wrong,
/// and for double spaces. Returns (byte offset, code, message).
pub fn scan_prose(text: &str, prose: &[Range<usize>]) -> Vec<(usize, Code, String)> {
    let mut sorted: Vec<Range<usize>> = prose.to_vec();
    sorted.sort_by_key(|r| r.start);
    // Merged, so that a binary search answers "is this in prose?" (a chapter of 20,000 links
    // has 20,000 ranges: a search through all of them per character was quadratic).
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted.into_iter().filter(|r| !r.is_empty()) {
        match ranges.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => ranges.push(r),
        }
    }
    let mut out = Vec::new();
    let in_prose = |i: usize| {
        let k = ranges.partition_point(|r| r.end <= i);
        ranges.get(k).is_some_and(|r| r.contains(&i))
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        if !in_prose(i) {
            k += 1;
            continue;
        }
        match c {
            '\'' => {
                let after_digit = prev.is_some_and(|p| p.is_ascii_digit());
                let word_start = prev.is_none_or(|p| p.is_whitespace() || "([{—–-\"".contains(p));
                let rest: String = chars[k + 1..]
                    .iter()
                    .map(|c| c.1)
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                if after_digit && !next.is_some_and(|n| n.is_alphabetic()) {
                    out.push((i, Code::PrimeAsQuote, "`'` after a number becomes a closing quote (’): for feet or minutes write the prime ′ (U+2032)".to_string()));
                } else if word_start
                    && (next.is_some_and(|n| n.is_ascii_digit())
                        || ELISIONS.contains(&rest.to_lowercase().as_str()))
                {
                    out.push((i, Code::ElisionQuote, format!("`'{rest}` becomes an opening quote (‘{rest}): for the apostrophe of an elision write ’ (U+2019): `’{rest}`")));
                }
            }
            '"' if prev.is_some_and(|p| p.is_ascii_digit())
                && !next.is_some_and(|n| n.is_alphanumeric())
                && !closes_a_quote(text, i) =>
            {
                out.push((i, Code::PrimeAsQuote, "`\"` after a number becomes a closing quote (”): for inches or seconds write the double prime ″ (U+2033)".to_string()));
            }
            '-' => {
                let run = chars[k..].iter().take_while(|c| c.1 == '-').count();
                let after = chars.get(k + run).map(|c| c.1);
                let letters = prev.is_some_and(|p| p.is_alphabetic() || ".,;:!?’”\"'".contains(p))
                    && after.is_some_and(|a| a.is_alphabetic() || "‘“\"'".contains(a));
                if run == 2 && letters {
                    out.push((i, Code::EnDashInSentence, "`--` between words becomes an en dash (–), the dash for ranges (1990--2000): for a dash in a sentence write `---` (em dash —)".to_string()));
                } else if run >= 4 {
                    out.push((i, Code::HyphenRun, format!("`{}` is not a dash smart punctuation knows: write `---` for an em dash (—) or `--` for an en dash (–)", "-".repeat(run))));
                }
                k += run;
                continue;
            }
            ' ' => {
                let run = chars[k..].iter().take_while(|c| c.1 == ' ').count();
                let after = chars.get(k + run).map(|c| c.1);
                if run >= 2
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && after.is_some_and(|a| !a.is_whitespace())
                    && in_prose(chars[k + run - 1].0)
                {
                    out.push((i, Code::DoubleSpace, format!("{run} spaces in a row: one is enough (the typesetter spaces sentences itself)")));
                }
                k += run;
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    out
}

/// Whether the `"` at `i` closes a quotation opened earlier in the same paragraph (an odd
/// number of `"` before it), as in `the score was "3-2"`: then it is a quote, not inches.
fn closes_a_quote(text: &str, i: usize) -> bool {
    let start = text[..i].rfind("\n\n").map_or(0, |p| p + 2);
    text[start..i].matches('"').count() % 2 == 1
}

/// Chapter-level findings: empty chapters and titles used twice.
fn chapters(book: &Book, headings: &BTreeMap<PathBuf, Vec<HeadingAt>>, out: &mut Vec<Diagnostic>) {
    let locate = |source: &Path, label: &str| -> Location {
        headings
            .get(source)
            .and_then(|hs| hs.iter().find(|h| h.text.trim() == label.trim()))
            .map(|h| h.location.clone())
            .unwrap_or_else(|| Location::file(source))
    };
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    for chapter in &book.chapters {
        let label = chapter.label();
        if chapter.title.is_some() && chapter.blocks.is_empty() {
            out.push(Diagnostic::warning(
                Code::EmptyChapter,
                locate(&chapter.source, &label),
                format!("the chapter “{label}” has a title but no text"),
            ));
        }
        if chapter.title.is_none() {
            continue;
        }
        let key = label.trim().to_lowercase();
        // Find the heading after the first one with that text when both are in one file.
        let here = match seen.get(&key) {
            Some(first) => {
                let hs = headings.get(&chapter.source);
                hs.and_then(|hs| {
                    hs.iter()
                        .filter(|h| h.text.trim() == label.trim())
                        .find(|h| h.location != *first)
                })
                .map(|h| h.location.clone())
                .unwrap_or_else(|| locate(&chapter.source, &label))
            }
            None => locate(&chapter.source, &label),
        };
        match seen.get(&key) {
            Some(first) => out.push(Diagnostic::warning(
                Code::DuplicateTitle,
                here,
                format!("the chapter title “{label}” is used twice (first at {first}): the table of contents shows two identical entries"),
            )),
            None => {
                seen.insert(key, here);
            }
        }
    }
}

/// Metadata an ebook store asks for. Missing language and identifier are already reported by
/// the reader (with the defaults it uses); authors and the cover are checked here.
fn metadata(project: &Project, out: &mut Vec<Diagnostic>) {
    let file = project
        .config
        .file
        .clone()
        .unwrap_or_else(|| project.root.clone());
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    // The line that opens `[table]`, to point at; the file itself when there is none.
    let line_of = |table: &str| -> Location {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if file.is_file() && line.trim_start().starts_with(table) {
                return Location::at_offset(
                    &file,
                    &text,
                    offset + line.len() - line.trim_start().len(),
                );
            }
            offset += line.len();
        }
        if file.is_file() {
            Location::at(&file, 1, 1)
        } else {
            Location::file(&file)
        }
    };
    if project.config.metadata.authors.is_empty() {
        out.push(Diagnostic::warning(
            Code::NoAuthor,
            line_of("[book]"),
            "no author: stores require one: set `authors = [\"...\"]` under [book] (or `author:` in YAML)",
        ));
    }
    let settings = &project.config.settings;
    match settings.cover {
        crate::settings::Cover::Auto => out.push(
            Diagnostic::warning(
                Code::NoCover,
                line_of("[book]"),
                "no cover image: quire draws a placeholder cover (title, subtitle and authors on a plain ground); stores want a designed one",
            )
            .with_help("set `cover = \"cover.jpg\"` under [book] (a JPEG or PNG of 1600 x 2560 pixels)"),
        ),
        crate::settings::Cover::Off => out.push(Diagnostic::warning(
            Code::NoCover,
            settings.origins.of(crate::settings::Setting::Cover),
            "`cover = false`: the EPUB has no cover, and stores require one: upload it in the store's own form, or give the image with `cover = \"cover.jpg\"`",
        )),
        crate::settings::Cover::Image(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_column;

    fn findings(text: &str) -> Vec<(usize, usize, String)> {
        scan_prose(text, std::slice::from_ref(&(0..text.len())))
            .into_iter()
            .map(|(o, _, m)| {
                let (l, c) = line_column(text, o);
                (l, c, m)
            })
            .collect()
    }

    #[test]
    fn smart_punctuation_pitfalls_are_found() {
        let f = findings(
            "In the '90s he was 6' tall.\nShe said--no.\n1990--2000 is fine, so is a -- b.\n",
        );
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!((f[0].0, f[0].1), (1, 8));
        assert!(f[0].2.contains("’90s"), "{}", f[0].2);
        assert_eq!((f[1].0, f[1].1), (1, 21));
        assert!(f[1].2.contains("prime"));
        assert_eq!((f[2].0, f[2].1), (2, 9));
    }

    #[test]
    fn a_quote_ending_in_a_number_is_not_inches() {
        assert_eq!(findings("He is 6'2\" tall.").len(), 2);
        assert!(findings("The score was \"3-2\" at last.").is_empty());
    }

    #[test]
    fn double_spaces_but_not_indentation_or_hard_breaks() {
        let f = findings("One.  Two.\n    indented\nbreak  \nend\n");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].0, f[0].1), (1, 5));
    }

    #[test]
    fn apostrophes_inside_words_are_fine() {
        assert!(findings("It's the 1980's, don't 'tis-not.").len() == 1);
        assert!(findings("It's the 1980's, don't.").is_empty());
    }

    #[test]
    fn percent_decoding() {
        use crate::project::order::percent_decode;
        assert_eq!(percent_decode("a%20b.png"), "a b.png");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
