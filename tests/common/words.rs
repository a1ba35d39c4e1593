//! How many of the words a reader of the author's own build sees come back, in order, from
//! quire's EPUB and PDF: the words of a text, pdftotext's pages made comparable (running
//! heads, folios and hyphenation undone), and a word diff. Shared by the tests of books kept
//! in pandoc's and mdBook's dialects (`tests/pandoc_books.rs`, `tests/mdbook_projects.rs`).

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

// The crates that include this file have `mod md_common`.
use crate::md_common::{parse, XHTML};

/// The words of a text: runs of letters or of digits, in lower case (punctuation, quote
/// styles and note brackets are the writers' business, not words; a note's number set
/// against its word, `Fuß1` in pdftotext's output, is a word of its own, as in pandoc's
/// `Fuß[1]`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut digits = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if !word.is_empty() && c.is_numeric() != digits {
                out.push(std::mem::take(&mut word));
            }
            digits = c.is_numeric();
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// pdftotext's pages without their furniture, which the author's pandoc build (plain text)
/// has none of: a first line that is the running head (the title, or the start of it cut
/// with an ellipsis; a chapter's title is text too, and stays) and a last line that is the
/// folio (a number, arabic or roman).
pub fn without_furniture(pdf: &str, title: &str) -> String {
    let title = title.to_lowercase();
    let mut out = Vec::new();
    for page in pdf.split('\u{c}') {
        let mut lines: Vec<&str> = page.lines().collect();
        let first = lines.iter().position(|l| !l.trim().is_empty());
        if let Some(k) = first {
            let head = lines[k].trim().trim_end_matches('\u{2026}').to_lowercase();
            if !head.is_empty() && title.starts_with(head.trim_end()) {
                lines.remove(k);
            }
        }
        if let Some(k) = lines.iter().rposition(|l| !l.trim().is_empty()) {
            let folio = lines[k].trim();
            if folio
                .chars()
                .all(|c| c.is_ascii_digit() || "ivxlcdm".contains(c))
            {
                lines.remove(k);
            }
        }
        out.push(lines.join("\n"));
    }
    out.join("\n")
}

/// pdftotext's lines with the hyphenation undone: a line that ends in `-` and the next one
/// are one word when that word is one of `vocabulary` (`Gebirgs-` / `höhen`), else two
/// (`Tegernseer-` / `und Isar-Berge`).
pub fn unhyphenate(pdf: &str, vocabulary: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(pdf.len());
    let lines: Vec<&str> = pdf.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let head = line.trim_end().strip_suffix('-');
        let joined = head.and_then(|head| {
            let last = head.rsplit(|c: char| !c.is_alphanumeric()).next()?;
            let next = lines.get(i + 1)?.trim_start();
            let first = next.split(|c: char| !c.is_alphanumeric()).next()?;
            let word = format!("{last}{first}").to_lowercase();
            (!last.is_empty() && !first.is_empty() && vocabulary.contains(word.as_str()))
                .then_some(head)
        });
        match joined {
            Some(head) => out.push_str(head),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// pdftotext drops the hyphen of a compound broken at its hyphen (`Partnach-` / `Klamm`
/// comes out `PartnachKlamm`): a word that is none of `vocabulary` but two of its words
/// run together is those two.
pub fn split_compounds(got: Vec<String>, vocabulary: &HashSet<&str>) -> Vec<String> {
    let mut out = Vec::with_capacity(got.len());
    for w in got {
        let split = (!vocabulary.contains(w.as_str()))
            .then(|| {
                w.char_indices()
                    .skip(1)
                    .map(|(i, _)| i)
                    .find(|&i| vocabulary.contains(&w[..i]) && vocabulary.contains(&w[i..]))
            })
            .flatten();
        match split {
            Some(i) => {
                out.push(w[..i].to_string());
                out.push(w[i..].to_string());
            }
            None => out.push(w),
        }
    }
    out
}

/// The EPUB's text in reading order (spine order, every document): inline elements run on
/// (`<strong>D</strong>er` is one word); blocks, line breaks, links (note references) and
/// superscripts separate, as pandoc's plain text does (`Fuß[1]`, `2^10`).
pub fn epub_reading_text<'a>(docs: impl IntoIterator<Item = &'a str>) -> String {
    fn walk(n: roxmltree::Node, out: &mut String) {
        if n.is_text() {
            out.push_str(n.text().unwrap_or(""));
            return;
        }
        let inline = [
            "span", "strong", "em", "b", "i", "u", "code", "small", "abbr", "cite", "q", "s",
            "mark",
        ]
        .iter()
        .any(|t| n.has_tag_name((XHTML, *t)));
        if !inline {
            out.push(' ');
        }
        for c in n.children() {
            walk(c, out);
        }
        if !inline {
            out.push(' ');
        }
    }
    let mut out = String::new();
    for doc in docs {
        walk(parse(doc).root(), &mut out);
    }
    out
}

/// How many of `reference`'s words come back in `got`.
pub struct WordsBack {
    pub total: usize,
    /// In the same order (a word diff).
    pub in_order: usize,
    /// Of the words that diff leaves, those that come back in runs of three or more in a
    /// second diff between what is left on both sides: moved, in their own order, not lost
    /// (notes: pandoc's `--reference-location=section` sets them before the next section's
    /// heading, quire's EPUB at the chapter's end and its PDF at the foot of each page).
    pub moved: usize,
    /// Note numbers left over on both sides, paired (see [`words_back`]).
    pub marks: usize,
    /// The longest runs missing (length, first words), for the failure message.
    pub missing: Vec<(usize, String)>,
}

impl WordsBack {
    pub fn share(&self) -> f64 {
        (self.in_order + self.moved + self.marks) as f64 / self.total.max(1) as f64
    }
}

pub fn words_back(reference: &[String], got: &[String]) -> WordsBack {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let ops = capture_diff_slices(Algorithm::Myers, reference, got);
    let mut in_order = 0;
    let (mut left_ref, mut left_got): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for op in &ops {
        let (old, new) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { len, .. } => in_order += len,
            _ => {
                left_ref.extend_from_slice(&reference[old]);
                left_got.extend_from_slice(&got[new]);
            }
        }
    }
    let mut moved = 0;
    let second = capture_diff_slices(Algorithm::Myers, &left_ref, &left_got);
    // Note numbers (up to three digits) left over on both sides: a note's mark and its
    // number, set where each build sets its notes (section end, chapter end, page foot),
    // pair with no three-word run around them. Each number the other side has left over
    // counts once.
    let is_mark = |w: &String| w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit());
    let mut spare_marks: HashMap<&str, usize> = HashMap::new();
    for op in &second {
        let new = op.new_range();
        let matched = matches!(op, DiffOp::Equal { len, .. } if *len >= 3);
        if !matched {
            for w in left_got[new].iter().filter(|w| is_mark(w)) {
                *spare_marks.entry(w.as_str()).or_default() += 1;
            }
        }
    }
    let mut marks = 0;
    let mut missing = Vec::new();
    for op in &second {
        let old = op.old_range();
        match op {
            DiffOp::Equal { len, .. } if *len >= 3 => moved += len,
            DiffOp::Insert { .. } => {}
            _ => {
                let mut lost = Vec::new();
                for w in &left_ref[old] {
                    match spare_marks
                        .get_mut(w.as_str())
                        .filter(|n| is_mark(w) && **n > 0)
                    {
                        Some(n) => {
                            *n -= 1;
                            marks += 1;
                        }
                        None => lost.push(w.as_str()),
                    }
                }
                if !lost.is_empty() {
                    missing.push((lost.len(), lost[..lost.len().min(16)].join(" ")));
                }
            }
        }
    }
    missing.sort_by_key(|m| std::cmp::Reverse(m.0));
    missing.truncate(25);
    WordsBack {
        total: reference.len(),
        in_order,
        moved,
        marks,
        missing,
    }
}

/// The words of a reference text kept beside a fixture (`tests/fixtures/<name>.reference.txt`).
pub fn reference_words(path: &std::path::Path) -> Vec<String> {
    words(&std::fs::read_to_string(path).expect("the reference text"))
}

/// Asserts that at least `share` of `reference`'s words come back from the EPUB (its content
/// documents in reading order) and from the PDF's text (when poppler is there), printing the
/// figures.
pub fn assert_words_back<'a>(
    name: &str,
    reference: &[String],
    epub_docs: impl IntoIterator<Item = &'a str>,
    pdf_text: Option<&str>,
    title: &str,
    share: f64,
) {
    let mut outputs = vec![("EPUB", words(&epub_reading_text(epub_docs)))];
    if let Some(pdf) = pdf_text {
        let vocabulary: HashSet<&str> = reference.iter().map(String::as_str).collect();
        let got = words(&unhyphenate(&without_furniture(pdf, title), &vocabulary));
        outputs.push(("PDF", split_compounds(got, &vocabulary)));
    }
    for (output, got) in outputs {
        let back = words_back(reference, &got);
        let pct = |n: usize| n as f64 * 100.0 / back.total as f64;
        println!(
            "{name} {output}: {:.2}% of {} words back ({:.2}% in order, {:.2}% moved, {:.2}% note numbers)",
            back.share() * 100.0,
            back.total,
            pct(back.in_order),
            pct(back.moved),
            pct(back.marks)
        );
        assert!(
            back.share() >= share,
            "{name} {output}: {:.2}%; missing: {:#?}",
            back.share() * 100.0,
            back.missing
        );
    }
}

/// The EPUB's content documents in spine order (those under OEBPS/text/, or all of them),
/// from its unpacked entries (name -> text).
pub fn spine_docs(
    files: &std::collections::BTreeMap<String, String>,
    chapters_only: bool,
) -> Vec<&str> {
    let Some(opf) = files
        .iter()
        .find(|(k, _)| k.ends_with(".opf"))
        .map(|(_, v)| parse(v))
    else {
        panic!("an OPF");
    };
    let href = |id: &str| {
        opf.descendants()
            .find(|n| n.has_tag_name("item") && n.attribute("id") == Some(id))
            .and_then(|n| n.attribute("href"))
            .map(str::to_string)
    };
    opf.descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .filter_map(|itemref| itemref.attribute("idref").and_then(href))
        .filter(|h| !chapters_only || h.starts_with("text/"))
        .filter_map(|h| files.get(&format!("OEBPS/{h}")).map(String::as_str))
        .collect()
}

/// The book's title, from the EPUB's package.
pub fn epub_title(files: &std::collections::BTreeMap<String, String>) -> String {
    let opf = files
        .iter()
        .find(|(k, _)| k.ends_with(".opf"))
        .map(|(_, v)| v);
    let doc = parse(opf.expect("the package"));
    doc.descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .expect("dc:title")
        .to_string()
}
