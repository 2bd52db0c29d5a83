//! Full-text relevance for the storefront search box, in memory.
//!
//! Text is cut into lower-case words (letters and digits; "USB-C" gives "usb" and "c"),
//! common English words are dropped, and plurals are folded ("chargers" → "charger",
//! "batteries" → "battery"), the same way for listings and queries. Every query word must
//! match a listing somewhere — exactly or as the start of a word, so "char" finds
//! "charger" while typing — and where it matches decides the score: the title counts most,
//! then the brand and shop, the category, the attributes, the description. Finding the
//! query's words next to each other in the title adds a bonus.

/// Words too common to search by.
const STOP: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with",
];

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Most words a query is cut to.
const MAX_TERMS: usize = 12;

/// The searchable words of one listing.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    /// Title words in order (for phrase matches).
    title_seq: Vec<String>,
    /// Each field's words, sorted and deduplicated (for exact and prefix lookups).
    title: Vec<String>,
    brand: Vec<String>,
    category: Vec<String>,
    attributes: Vec<String>,
    body: Vec<String>,
}

impl SearchDoc {
    pub fn new(
        title: &str,
        brand_and_shop: &str,
        category: &str,
        attributes: &str,
        description: &str,
    ) -> SearchDoc {
        let title_seq = words(title);
        SearchDoc {
            title: sorted(title_seq.clone()),
            title_seq,
            brand: sorted(words(brand_and_shop)),
            category: sorted(words(category)),
            attributes: sorted(words(attributes)),
            body: sorted(words(description)),
        }
    }

    /// The listing's score for `query`, or `None` when some query word is not found.
    pub fn score(&self, query: &Query) -> Option<u32> {
        if query.terms.is_empty() {
            return Some(0);
        }
        let mut total = 0u32;
        for term in &query.terms {
            let fields: [(&[String], u32, u32); 5] = [
                (&self.title, 30, 18),
                (&self.brand, 24, 14),
                (&self.category, 20, 12),
                (&self.attributes, 10, 6),
                (&self.body, 5, 3),
            ];
            let best = fields
                .iter()
                .filter_map(|(field, exact, prefix)| match lookup(field, term) {
                    Match::Exact => Some(*exact),
                    Match::Prefix => Some(*prefix),
                    Match::None => None,
                })
                .max()?;
            total = total.saturating_add(best);
        }
        if query.terms.len() > 1
            && self
                .title_seq
                .windows(query.terms.len())
                .any(|w| w.iter().zip(&query.terms).all(|(a, b)| a == b))
        {
            total = total.saturating_add(25);
        }
        Some(total)
    }
}

/// A parsed search query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
}

impl Query {
    pub fn parse(text: &str) -> Query {
        let mut terms = words(text);
        terms.dedup();
        terms.truncate(MAX_TERMS);
        Query { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

enum Match {
    Exact,
    Prefix,
    None,
}

fn lookup(sorted: &[String], term: &str) -> Match {
    let i = sorted.partition_point(|w| w.as_str() < term);
    match sorted.get(i) {
        Some(w) if w == term => Match::Exact,
        // Prefixes of two letters or fewer match too much to mean anything.
        Some(w) if term.len() >= 3 && w.starts_with(term) => Match::Prefix,
        _ => Match::None,
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Lower-case words with plurals folded and stop words dropped.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| fold(&w.to_lowercase()))
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// Folds an English plural to its singular, conservatively.
fn fold(w: &str) -> String {
    if w.len() > 4
        && let Some(stem) = w.strip_suffix("ies")
    {
        return format!("{stem}y");
    }
    if w.len() > 3
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.bytes().all(|b| b.is_ascii_digit() || b == b's')
        && let Some(stem) = w.strip_suffix('s')
    {
        return stem.to_string();
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_plurals_and_split_codes() {
        assert_eq!(words("USB-C Chargers"), ["usb", "c", "charger"]);
        assert_eq!(words("Batteries for the Lamps"), ["battery", "lamp"]);
        assert_eq!(words("Glass cases 65W"), ["glass", "case", "65w"]);
        assert_eq!(words("Ceramic Brake Pads"), ["ceramic", "brake", "pad"]);
    }

    #[test]
    fn every_term_must_match_and_the_title_counts_most() {
        let doc = SearchDoc::new(
            "VOLTAIC 65W GaN Wall Charger",
            "VOLTAIC",
            "Phone accessories",
            "Output 65W",
            "Charges a laptop.",
        );
        let title = doc.score(&Query::parse("charger")).unwrap_or(0);
        let body = doc.score(&Query::parse("laptop")).unwrap_or(0);
        assert!(title > body, "{title} {body}");
        assert!(doc.score(&Query::parse("charger lamp")).is_none());
        assert!(doc.score(&Query::parse("char")).is_some());
        let phrase = doc.score(&Query::parse("wall charger")).unwrap_or(0);
        let apart = doc.score(&Query::parse("charger wall")).unwrap_or(0);
        assert!(phrase > apart);
    }
}
