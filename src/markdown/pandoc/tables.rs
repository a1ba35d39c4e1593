//! pandoc's simple, multiline and grid tables (pandoc manual, "Tables"), which pulldown-cmark
//! does not read (it has pipe tables only): the line pass rewrites each one as a pipe table
//! with the same cells and column alignment, so that everything after it (inline Markdown in
//! the cells, `Table:` captions, both writers) is the pipe table's. Cells are inline text in
//! quire's model: the lines of a multiline or grid cell are joined with spaces. A table with
//! no header row gets an empty one and a marker after it, which drops it again.

use super::{Out, MARK};
use crate::model::Align;

/// The table that starts at `lines[0]`, written to `out` as a pipe table: how many source
/// lines it took, or `None` when no table starts there. `prefix` is the container prefix of
/// the first line (indentation, `>`), which every line of the table must have too.
pub(crate) fn convert(lines: &[&str], k: usize, prefix: &str, out: &mut Out) -> Option<usize> {
    let body: Vec<&str> = lines.iter().map_while(|l| l.strip_prefix(prefix)).collect();
    let first = *body.first()?;
    let table = if first.starts_with('+') {
        grid(&body)
    } else if is_dashes(first) {
        multiline(&body, true)
            .or_else(|| simple_headless(&body))
            .or_else(|| multiline(&body, false))
    } else {
        simple(&body)
    }?;
    write(&table, k, prefix, out);
    Some(table.used)
}

/// A table read: its alignment, header (empty: none), rows, and source lines used (each
/// row's first source line, for diagnostics).
struct Read {
    align: Vec<Align>,
    header: Vec<String>,
    rows: Vec<(Vec<String>, usize)>,
    used: usize,
}

fn write(t: &Read, k: usize, prefix: &str, out: &mut Out) {
    let row = |cells: &[String]| {
        let cells: Vec<String> = (0..t.align.len())
            .map(|i| escape(cells.get(i).map_or("", String::as_str)))
            .collect();
        format!("{prefix}| {} |", cells.join(" | "))
    };
    out.line(&row(&t.header), k);
    let rule: Vec<&str> = t
        .align
        .iter()
        .map(|a| match a {
            Align::Left => ":---",
            Align::Right => "---:",
            Align::Center => ":---:",
            Align::None => "---",
        })
        .collect();
    out.line(&format!("{prefix}|{}|", rule.join("|")), k);
    for (cells, line) in &t.rows {
        out.line(&row(cells), k + line);
    }
    let last = k + t.used.saturating_sub(1);
    out.line("", last);
    if t.header.iter().all(|h| h.is_empty()) {
        out.line(&format!("{prefix}{MARK}headerless-->"), last);
        out.line("", last);
    }
}

/// A cell's text for a pipe table: `|` escaped, no line breaks.
fn escape(cell: &str) -> String {
    let joined = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(joined.len());
    let mut backslash = false;
    for c in joined.chars() {
        if c == '|' && !backslash {
            out.push('\\');
        }
        backslash = c == '\\' && !backslash;
        out.push(c);
    }
    out
}

/// A line of dashes (and spaces between runs), at least three dashes.
fn is_dashes(line: &str) -> bool {
    let t = line.trim_end();
    t.starts_with('-') && t.chars().all(|c| c == '-' || c == ' ') && t.matches('-').count() >= 3
}

/// The dash runs of a dashed line: (start, end) in characters.
fn runs(line: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '-' {
            let start = i;
            while i < chars.len() && chars[i] == '-' {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// The text of `line` in characters `from..to` (`to` `None`: to the end).
fn slice(line: &str, from: usize, to: Option<usize>) -> String {
    let chars: Vec<char> = line.chars().collect();
    let from = from.min(chars.len());
    let to = to.unwrap_or(chars.len()).min(chars.len()).max(from);
    chars[from..to]
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Cuts a line into cells at the column starts (pandoc: each column runs from its dash run's
/// start to the next one's, the first from the line's start, the last to its end).
fn cut(line: &str, cols: &[(usize, usize)]) -> Vec<String> {
    (0..cols.len())
        .map(|i| {
            let from = if i == 0 { 0 } else { cols[i].0 };
            let to = cols.get(i + 1).map(|c| c.0);
            slice(line, from, to)
        })
        .collect()
}

/// pandoc's alignment of a column from its header lines: flush with the dashes on one side
/// only, it leans that way; beyond them on both sides, centred; flush on both, the default.
fn align_of(header: &[&str], col: (usize, usize)) -> Align {
    let mut left = false;
    let mut right = false;
    let mut any = false;
    for line in header {
        let chars: Vec<char> = line.chars().collect();
        let text_in = |i: usize| chars.get(i).is_some_and(|c| !c.is_whitespace());
        if !(col.0..col.1).any(text_in) {
            continue;
        }
        any = true;
        left |= text_in(col.0);
        right |= text_in(col.1 - 1);
    }
    match (any, left, right) {
        (false, _, _) => Align::None,
        (_, true, false) => Align::Left,
        (_, false, true) => Align::Right,
        (_, false, false) => Align::Center,
        (_, true, true) => Align::None,
    }
}

/// Alignment from the first row's cells when there is no header (pandoc does so too).
fn align_headless(first: &str, cols: &[(usize, usize)]) -> Vec<Align> {
    cols.iter().map(|&c| align_of(&[first], c)).collect()
}

/// A simple table: a header line, a dashed line of two or more runs, rows to a blank line
/// (or a dashed line and a blank line).
fn simple(body: &[&str]) -> Option<Read> {
    let (head, dashes) = (*body.first()?, *body.get(1)?);
    if blank(head) || !is_dashes(dashes) {
        return None;
    }
    let cols = runs(dashes);
    // One run under a line of text is a setext heading.
    if cols.len() < 2 {
        return None;
    }
    let mut rows = Vec::new();
    let mut i = 2;
    while i < body.len() && !blank(body[i]) {
        if is_dashes(body[i]) {
            i += 1;
            break;
        }
        rows.push((cut(body[i], &cols), i));
        i += 1;
    }
    if rows.is_empty() {
        return None;
    }
    Some(Read {
        align: cols.iter().map(|&c| align_of(&[head], c)).collect(),
        header: cut(head, &cols),
        rows,
        used: i,
    })
}

/// A simple table without a header: a dashed line, rows, a dashed line (no blank line).
fn simple_headless(body: &[&str]) -> Option<Read> {
    let cols = runs(body[0]);
    if cols.len() < 2 {
        return None;
    }
    let end = (1..body.len()).find(|&i| blank(body[i]) || is_dashes(body[i]))?;
    if blank(body[end]) || end == 1 {
        return None;
    }
    let rows = (1..end).map(|i| (cut(body[i], &cols), i)).collect();
    Some(Read {
        align: align_headless(body[1], &cols),
        header: Vec::new(),
        rows,
        used: end + 1,
    })
}

/// A multiline table: (with a header) a dashed line, header lines, a dashed line of column
/// runs; (without) that line first; then rows separated by blank lines, and a closing
/// dashed line. Without its closing line there is no table (pandoc reads none either).
fn multiline(body: &[&str], with_header: bool) -> Option<Read> {
    let (head, cols_at) = if with_header {
        if runs(body[0]).len() != 1 {
            return None;
        }
        let at = (1..body.len()).find(|&i| blank(body[i]) || is_dashes(body[i]))?;
        if blank(body[at]) || at == 1 {
            return None;
        }
        (body[1..at].to_vec(), at)
    } else {
        (Vec::new(), 0)
    };
    let cols = runs(body[cols_at]);
    if cols.is_empty() || (!with_header && cols.len() < 2) {
        return None;
    }
    let mut rows = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = cols_at + 1;
    let mut i = cols_at + 1;
    let end = loop {
        let line = *body.get(i)?;
        if is_dashes(line) {
            break i;
        }
        if blank(line) {
            if !current.is_empty() {
                rows.push((join(&current, &cols), start));
                current.clear();
            }
            start = i + 1;
        } else {
            current.push(line);
        }
        i += 1;
    };
    if !current.is_empty() {
        rows.push((join(&current, &cols), start));
    }
    // A closing line is followed by a blank line or the end.
    if body.get(end + 1).is_some_and(|l| !blank(l)) || rows.is_empty() {
        return None;
    }
    let align = if with_header {
        cols.iter().map(|&c| align_of(&head, c)).collect()
    } else {
        align_headless(body[cols_at + 1], &cols)
    };
    Some(Read {
        align,
        header: if with_header {
            join(&head, &cols)
        } else {
            Vec::new()
        },
        rows,
        used: end + 1,
    })
}

/// The cells of several lines of one row, each column's lines joined with spaces.
fn join(lines: &[&str], cols: &[(usize, usize)]) -> Vec<String> {
    let mut cells = vec![String::new(); cols.len()];
    for line in lines {
        for (cell, text) in cells.iter_mut().zip(cut(line, cols)) {
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
        }
    }
    cells
}

/// A grid table: `+---+---+` lines around rows of `| cell | cell |`, a `+===+` line under
/// the header (none: no header), alignment from colons in the separator line.
fn grid(body: &[&str]) -> Option<Read> {
    let border = |l: &str| {
        let t = l.trim_end();
        t.len() > 2
            && t.starts_with('+')
            && t.ends_with('+')
            && t.chars().all(|c| matches!(c, '+' | '-' | '=' | ':'))
    };
    if !border(body[0]) {
        return None;
    }
    // Column edges: the `+` of the first line.
    let edges: Vec<usize> = body[0]
        .trim_end()
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '+')
        .map(|(i, _)| i)
        .collect();
    let cols: Vec<(usize, usize)> = edges.windows(2).map(|w| (w[0] + 1, w[1])).collect();
    let mut header = Vec::new();
    let mut rows = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 1;
    let mut align_line = body[0];
    let mut i = 1;
    while i < body.len() {
        let line = body[i].trim_end();
        if border(line) {
            let cells = grid_cells(&current, &cols);
            if line.contains('=') && header.is_empty() && rows.is_empty() {
                header = cells;
                align_line = line;
            } else {
                rows.push((cells, start));
            }
            current.clear();
            start = i + 1;
            i += 1;
            if body.get(i).is_none_or(|l| !l.starts_with('|')) {
                break;
            }
            continue;
        }
        if !line.starts_with('|') {
            return None;
        }
        current.push(line);
        i += 1;
    }
    if !current.is_empty() || (rows.is_empty() && header.is_empty()) {
        return None;
    }
    let chars: Vec<char> = align_line.chars().collect();
    let align = cols
        .iter()
        .map(|&(a, b)| {
            let left = chars.get(a) == Some(&':');
            let right = b > 0 && chars.get(b - 1) == Some(&':');
            match (left, right) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::None,
            }
        })
        .collect();
    Some(Read {
        align,
        header,
        rows,
        used: i,
    })
}

/// The cells of one grid row (its lines between borders), each column's lines joined.
fn grid_cells(lines: &[&str], cols: &[(usize, usize)]) -> Vec<String> {
    let mut cells = vec![String::new(); cols.len()];
    for line in lines {
        for (cell, &(a, b)) in cells.iter_mut().zip(cols) {
            let text = slice(line, a, Some(b));
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> (String, usize) {
        let lines: Vec<&str> = src.lines().collect();
        let mut out = Out::default();
        let n = convert(&lines, 0, "", &mut out).expect("a table");
        (out.text, n)
    }

    #[test]
    fn simple_tables_with_alignment() {
        let (t, n) = run("  Right     Left     Center     Default\n-------     ------ ----------   -------\n     12     12        12            12\n    123     123       123          123\n\nafter\n");
        assert_eq!(n, 4);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "| Right | Left | Center | Default |");
        assert_eq!(lines[1], "|---:|:---|:---:|---|");
        assert_eq!(lines[2], "| 12 | 12 | 12 | 12 |");
        let (t, n) = run("-------     ------\n     12     a|b\n-------     ------\n");
        assert_eq!(n, 3);
        assert!(
            t.contains("| 12 | a\\|b |") && t.contains("headerless"),
            "{t}"
        );
    }

    #[test]
    fn multiline_and_grid_tables() {
        let src = "-------------------------------------------------------------\n Centered   Default           Right Left\n  Header    Aligned         Aligned Aligned\n----------- ------- --------------- -------------------------\n   First    row                12.0 Example of a row that\n                                    spans multiple lines.\n\n  Second    row                 5.0 Here's another one.\n-------------------------------------------------------------\n\n";
        let (t, n) = run(src);
        assert_eq!(n, 9);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "| Centered Header | Default Aligned | Right Aligned | Left Aligned |"
        );
        assert_eq!(lines[1], "|:---:|---|---:|:---|");
        assert_eq!(
            lines[2],
            "| First | row | 12.0 | Example of a row that spans multiple lines. |"
        );
        let src = "+---------------+--------+\n| Fruit         | Price  |\n+:==============+=======:+\n| Bananas       | $1.34  |\n| (ripe)        |        |\n+---------------+--------+\n| Oranges       | $2.10  |\n+---------------+--------+\n";
        let (t, n) = run(src);
        assert_eq!(n, 8);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "| Fruit | Price |");
        assert_eq!(lines[1], "|:---|---:|");
        assert_eq!(lines[2], "| Bananas (ripe) | $1.34 |");
        assert_eq!(lines[3], "| Oranges | $2.10 |");
    }

    #[test]
    fn no_table_where_pandoc_reads_none() {
        let none = |src: &str| {
            let lines: Vec<&str> = src.lines().collect();
            convert(&lines, 0, "", &mut Out::default()).is_none()
        };
        assert!(none("Heading\n-------\n"));
        assert!(none("-----\n\n:::\n"));
        assert!(none("text\n"));
        assert!(none("+---+\n| a\n"));
    }
}
