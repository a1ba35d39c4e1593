//! Rust code blocks as rustdoc and mdBook show them: a line whose first non-blank character
//! is `#` followed by a space (or nothing) is part of the example but hidden from the reader
//! (`# fn main() {`), and `##` at that place prints a single `#`. mdBook's renderer
//! (`hide_lines.rs`) applies this to every `rust` block; `{{#rustdoc_include}}` relies on it.

/// The text of a Rust code block as the book shows it.
pub fn visible_lines(code: &str) -> String {
    if !code.contains('#') {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let indent = body.len() - body.trim_start().len();
        let rest = &body[indent..];
        if let Some(after) = rest.strip_prefix('#') {
            if after.is_empty() || after.starts_with(' ') {
                continue;
            }
            if after.starts_with('#') {
                out.push_str(&body[..indent]);
                out.push_str(&line[indent + 1..]);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_lines_go_and_double_hashes_print_one() {
        let code = "# fn main() {\n    let x = 1;\n    # let y = 2;\n#\n#[derive(Debug)]\n    ##[attr]\n# }\n";
        assert_eq!(
            visible_lines(code),
            "    let x = 1;\n#[derive(Debug)]\n    #[attr]\n"
        );
        assert_eq!(visible_lines("no hashes\n"), "no hashes\n");
    }
}
