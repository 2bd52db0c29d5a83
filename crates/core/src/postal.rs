//! Postal codes: normalising what a shopper typed, checking it against the market's
//! formats, and mapping it to a delivery zone by longest prefix.
//!
//! The postal code itself never needs to leave the browser: the zone is the finest thing
//! the engine uses.

use std::fmt;

use crate::schema::PostalRule;

/// Why a postal code was refused, with what to type instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalError {
    /// "ZIP code", "Postcode", …
    pub label: String,
    pub input: String,
    pub hint: String,
}

impl fmt::Display for PostalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.input.trim().is_empty() {
            write!(f, "Enter a {}: {}.", self.label, self.hint)
        } else {
            write!(
                f,
                "\"{}\" is not a valid {}: enter {}.",
                self.input.trim(),
                self.label,
                self.hint
            )
        }
    }
}

impl std::error::Error for PostalError {}

/// A market's postal rule, ready to check codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalMatcher {
    formats: Vec<String>,
    codes: Vec<String>,
    space_before_last: Option<u8>,
    label: String,
    hint: String,
}

impl PostalMatcher {
    pub fn new(rule: &PostalRule) -> PostalMatcher {
        PostalMatcher {
            formats: rule
                .formats
                .iter()
                .map(|f| f.to_ascii_uppercase())
                .collect(),
            codes: rule
                .codes
                .iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .collect(),
            space_before_last: rule.space_before_last,
            label: rule.label.clone(),
            hint: rule.hint.clone(),
        }
    }

    /// The code in its canonical form ("sw1a1aa" → "SW1A 1AA"), or why it is refused.
    pub fn normalise(&self, input: &str) -> Result<String, PostalError> {
        let err = || PostalError {
            label: self.label.clone(),
            input: input.to_string(),
            hint: self.hint.clone(),
        };
        if input.len() > 32 {
            return Err(err());
        }
        let mut code = input
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            // ASCII only: every postal format is ASCII, and Unicode case tables would add
            // 26 KB to the browser's wasm.
            .to_ascii_uppercase();
        if !self.codes.is_empty() {
            return if self.codes.contains(&code) {
                Ok(code)
            } else {
                Err(err())
            };
        }
        if let Some(n) = self.space_before_last {
            let n = usize::from(n);
            if !code.contains(' ') && code.len() > n && code.is_ascii() {
                code.insert(code.len() - n, ' ');
            }
        }
        if self.formats.iter().any(|f| fits(&code, f)) {
            Ok(code)
        } else {
            Err(err())
        }
    }
}

fn fits(code: &str, mask: &str) -> bool {
    code.len() == mask.len()
        && code.bytes().zip(mask.bytes()).all(|(c, m)| match m {
            b'9' => c.is_ascii_digit(),
            b'A' => c.is_ascii_uppercase(),
            _ => c == m,
        })
}

/// One `postal_prefixes` entry of a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrefixRule {
    /// The code starts with this text. A prefix ending in a letter does not match a code
    /// that goes on with another letter ("E" matches "E1 6AN", not "EH1 1YZ").
    Text(String),
    /// The code's first `len` characters are digits between `from` and `to`.
    DigitRange { len: usize, from: u32, to: u32 },
}

impl PrefixRule {
    /// Reads "SW" or "900-961".
    pub fn parse(s: &str) -> Option<PrefixRule> {
        let s = s.trim().to_ascii_uppercase();
        if s.is_empty() || s.len() > 10 {
            return None;
        }
        if let Some((a, b)) = s.split_once('-') {
            let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
            if a.len() != b.len() || !digits(a) || !digits(b) {
                return None;
            }
            let from: u32 = a.parse().ok()?;
            let to: u32 = b.parse().ok()?;
            return (from <= to).then_some(PrefixRule::DigitRange {
                len: a.len(),
                from,
                to,
            });
        }
        if s.bytes().all(|c| c.is_ascii_alphanumeric()) {
            Some(PrefixRule::Text(s))
        } else {
            None
        }
    }

    /// How many characters of `code` this rule matches, if it matches.
    pub fn match_len(&self, code: &str) -> Option<usize> {
        match self {
            PrefixRule::Text(p) => {
                let rest = code.strip_prefix(p.as_str())?;
                let ends_in_letter = p.bytes().last().is_some_and(|c| c.is_ascii_alphabetic());
                let next_is_letter = rest.bytes().next().is_some_and(|c| c.is_ascii_alphabetic());
                (!(ends_in_letter && next_is_letter)).then_some(p.len())
            }
            PrefixRule::DigitRange { len, from, to } => {
                let head = code.get(..*len)?;
                if !head.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let v: u32 = head.parse().ok()?;
                (v >= *from && v <= *to).then_some(*len)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uk() -> PostalMatcher {
        PostalMatcher::new(&PostalRule {
            formats: [
                "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA",
            ]
            .map(String::from)
            .to_vec(),
            codes: vec![],
            space_before_last: Some(3),
            hint: "a postcode such as SW1A 1AA".into(),
            example: "SW1A 1AA".into(),
            label: "postcode".into(),
        })
    }

    #[test]
    fn uk_postcodes_normalise_with_or_without_the_space() {
        let m = uk();
        assert_eq!(m.normalise("sw1a1aa").unwrap(), "SW1A 1AA");
        assert_eq!(m.normalise("  m1   1ae ").unwrap(), "M1 1AE");
        let e = m.normalise("12345").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"12345\" is not a valid postcode: enter a postcode such as SW1A 1AA."
        );
        assert!(
            m.normalise("")
                .unwrap_err()
                .to_string()
                .starts_with("Enter a postcode")
        );
    }

    #[test]
    fn prefixes_match_whole_areas_and_digit_ranges() {
        let e = PrefixRule::parse("E").unwrap();
        assert_eq!(e.match_len("E1 6AN"), Some(1));
        assert_eq!(e.match_len("EH1 1YZ"), None);
        let r = PrefixRule::parse("900-961").unwrap();
        assert_eq!(r.match_len("94107"), Some(3));
        assert_eq!(r.match_len("10001"), None);
        assert!(PrefixRule::parse("9-961").is_none());
        assert!(PrefixRule::parse("a b").is_none());
    }
}
