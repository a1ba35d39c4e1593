//! pandoc's inline notes, `text^[The note's own text.]`: each becomes a reference to a
//! footnote (`[^quire-inline-1]`) whose definition is added at the end of the file, so that
//! pulldown-cmark reads it as any footnote (numbered with the others, in order of
//! reference). Code spans and fenced code are left alone; a note may run over several lines
//! of its paragraph (they are joined, and the line map follows).

/// The label of the `n`-th inline note (1-based). Written so that no author's label clashes.
pub fn label(n: usize) -> String {
    format!("quire-inline-{n}")
}

/// Whether a footnote label is one [`extract`] made.
pub fn is_inline_label(label: &str) -> bool {
    label.starts_with("quire-inline-")
}

/// Replaces the inline notes of `text`; `lines[i]` is the source line of the text's line
/// `i`, and is kept in step.
pub fn extract(text: &mut String, lines: &mut Vec<usize>) {
    if !text.contains("^[") {
        return;
    }
    let src = std::mem::take(text);
    let bytes = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut out_lines: Vec<usize> = Vec::with_capacity(lines.len());
    let mut notes: Vec<(String, usize)> = Vec::new();
    // The text's line being read, and the source line the output line being written is.
    let mut line = 0usize;
    let mut from = lines.first().copied().unwrap_or(0);
    let mut i = 0;
    let mut in_fence: Option<(u8, usize)> = None;
    let mut at_line_start = true;
    while i < bytes.len() {
        if at_line_start {
            at_line_start = false;
            from = lines.get(line).copied().unwrap_or(from);
            let trimmed = src[i..].trim_start_matches([' ', '>']);
            let ch = trimmed.bytes().next().filter(|b| *b == b'`' || *b == b'~');
            let n = ch.map_or(0, |ch| trimmed.bytes().take_while(|b| *b == ch).count());
            let fence_line = match (ch, in_fence) {
                (Some(c), Some((open, len))) if n >= 3 && c == open && n >= len => {
                    in_fence = None;
                    true
                }
                (Some(c), None) if n >= 3 => {
                    in_fence = Some((c, n));
                    true
                }
                _ => in_fence.is_some(),
            };
            if fence_line {
                let end = src[i..].find('\n').map_or(src.len(), |e| i + e);
                out.push_str(&src[i..end]);
                i = end;
                continue;
            }
        }
        match bytes[i] {
            b'\n' => {
                out.push('\n');
                out_lines.push(from);
                line += 1;
                at_line_start = true;
                i += 1;
            }
            b'\\' if i + 1 < bytes.len() && bytes[i + 1] != b'\n' => {
                let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&src[i..i + 1 + len]);
                i += 1 + len;
            }
            b'`' => {
                // A code span: up to the next run of as many backticks, in the paragraph.
                let n = bytes[i..].iter().take_while(|b| **b == b'`').count();
                let ticks = &src[i..i + n];
                let close = src[i + n..]
                    .find(ticks)
                    .filter(|&e| !src[i + n..i + n + e].contains("\n\n"));
                let end = close.map_or(i + n, |e| i + n + e + n);
                for c in src[i..end].chars() {
                    out.push(c);
                    if c == '\n' {
                        out_lines.push(from);
                        line += 1;
                        from = lines.get(line).copied().unwrap_or(from);
                    }
                }
                i = end;
            }
            b'^' if bytes.get(i + 1) == Some(&b'[') => match note_end(&src, i + 2) {
                Some(end) => {
                    let body = &src[i + 2..end];
                    let joined: String = body
                        .split('\n')
                        .map(str::trim)
                        .collect::<Vec<_>>()
                        .join(" ");
                    notes.push((joined, lines.get(line).copied().unwrap_or(from)));
                    // The lines the note ran over are one line now.
                    line += body.matches('\n').count();
                    out.push_str(&format!("[^{}]", label(notes.len())));
                    i = end + 1;
                }
                None => {
                    out.push('^');
                    i += 1;
                }
            },
            _ => {
                let len = src[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&src[i..i + len]);
                i += len;
            }
        }
    }
    if !src.ends_with('\n') && !src.is_empty() {
        out_lines.push(from);
        out.push('\n');
    }
    for (n, (body, at)) in notes.into_iter().enumerate() {
        out.push('\n');
        out_lines.push(at);
        out.push_str(&format!("[^{}]: {body}\n", label(n + 1)));
        out_lines.push(at);
    }
    *text = out;
    *lines = out_lines;
}

/// The index of the `]` that closes a note whose text starts at `start`: brackets nest,
/// escapes and code spans are skipped, and a blank line ends the search.
fn note_end(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                let n = bytes[i..].iter().take_while(|b| **b == b'`').count();
                let ticks = &src[i..i + n];
                if let Some(e) = src[i + n..].find(ticks) {
                    i += n + e + n;
                    continue;
                }
                i += n;
                continue;
            }
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            b'[' => depth += 1,
            b']' if depth == 0 => return Some(i),
            b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_notes_become_footnotes() {
        let mut text = "One^[A *note* with [a link](x) and `^[code]`.] two.\nThree^[over\nlines] four.\n\n`^[not a note]`\n".to_string();
        let mut lines: Vec<usize> = (0..5).collect();
        extract(&mut text, &mut lines);
        assert_eq!(
            text,
            "One[^quire-inline-1] two.\nThree[^quire-inline-2] four.\n\n`^[not a note]`\n\n[^quire-inline-1]: A *note* with [a link](x) and `^[code]`.\n\n[^quire-inline-2]: over lines\n"
        );
        assert_eq!(lines, [0, 1, 3, 4, 0, 0, 1, 1]);
    }
}
