//! ISBNs as stores check them: ISBN-13 (EAN-13 check digit) or ISBN-10 (mod 11), written
//! with or without hyphens, spaces or a `urn:isbn:` / `ISBN ` prefix. A wrong check digit is
//! almost always a typo, and a store rejects the file for it, so it is an error. (The
//! `isbn` crates on crates.io also parse the registration groups; quire needs only the check.)

/// The ISBN-13 `text` stands for, as 13 digits (an ISBN-10 is converted, as stores list it),
/// or what is wrong with it.
pub fn normalise(text: &str) -> Result<String, String> {
    let mut t = text.trim();
    for prefix in ["urn:isbn:", "isbn:", "isbn-13:", "isbn-10:", "isbn"] {
        if t.len() >= prefix.len() && t[..prefix.len()].eq_ignore_ascii_case(prefix) {
            t = t[prefix.len()..].trim_start();
            break;
        }
    }
    let chars: Vec<char> = t
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2011}'))
        .collect();
    match chars.len() {
        13 => {
            let digits = digits(&chars)
                .ok_or_else(|| format!("ISBN `{text}` has a character that is not a digit"))?;
            let check = isbn13_check(&digits[..12]);
            if digits[12] != check {
                return Err(format!(
                    "ISBN `{text}` has a wrong check digit: with these first 12 digits it must end in {check}, not {}; check it against the ISBN agency's record",
                    digits[12]
                ));
            }
            if !(chars.starts_with(&['9', '7', '8']) || chars.starts_with(&['9', '7', '9'])) {
                return Err(format!(
                    "ISBN `{text}` does not start with 978 or 979, as every ISBN-13 does"
                ));
            }
            Ok(chars.iter().collect())
        }
        10 => {
            let (body, last) = chars.split_at(9);
            let body = digits(body)
                .ok_or_else(|| format!("ISBN `{text}` has a character that is not a digit"))?;
            let given = match last[0] {
                'x' | 'X' => 10,
                c => c
                    .to_digit(10)
                    .ok_or_else(|| format!("ISBN `{text}` must end in a digit or X"))?,
            };
            let sum: u32 = body
                .iter()
                .enumerate()
                .map(|(i, d)| d * (10 - i as u32))
                .sum();
            let check = (11 - sum % 11) % 11;
            if given != check {
                let want = if check == 10 {
                    "X".to_string()
                } else {
                    check.to_string()
                };
                return Err(format!(
                    "ISBN-10 `{text}` has a wrong check digit: it must end in {want}"
                ));
            }
            let mut thirteen = vec![9, 7, 8];
            thirteen.extend(&body);
            let check = isbn13_check(&thirteen);
            thirteen.push(check);
            Ok(thirteen.iter().map(|d| d.to_string()).collect())
        }
        n => Err(format!(
            "`{text}` is not an ISBN: an ISBN-13 has 13 digits (this has {n} characters besides hyphens)"
        )),
    }
}

fn digits(chars: &[char]) -> Option<Vec<u32>> {
    chars.iter().map(|c| c.to_digit(10)).collect()
}

/// The EAN-13 check digit of the first 12 digits.
fn isbn13_check(first12: &[u32]) -> u32 {
    let sum: u32 = first12
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_isbns_are_normalised() {
        assert_eq!(normalise("978-3-16-148410-0").unwrap(), "9783161484100");
        assert_eq!(
            normalise("urn:isbn:9780141439518").unwrap(),
            "9780141439518"
        );
        assert_eq!(
            normalise("ISBN 978 0 14 143951 8").unwrap(),
            "9780141439518"
        );
        // ISBN-10 0-14-143951-3 is 978-0-14-143951-8.
        assert_eq!(normalise("0-14-143951-3").unwrap(), "9780141439518");
        assert_eq!(normalise("080442957X").unwrap(), "9780804429573");
    }

    #[test]
    fn bad_isbns_say_what_is_wrong() {
        let e = normalise("978-3-16-148410-1").unwrap_err();
        assert!(e.contains("must end in 0"), "{e}");
        assert!(normalise("0-14-143951-4").unwrap_err().contains("end in 3"));
        assert!(normalise("12345").unwrap_err().contains("13 digits"));
        assert!(normalise("978316148410A").is_err());
        assert!(normalise("1234567890128").unwrap_err().contains("978"));
    }
}
