//! Reading a page's URL: the query string's parameters and the listing id in a
//! `/listing/{id}` path. Pages are separate documents (one wasm per page), so there is no
//! client-side router: each page reads its own URL (see `state::url`).

/// A query string's parameters, decoded, in order (`?q=lamp&page=2`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Parses `search` (with or without its leading `?`): pairs split on `&`, keys from
    /// values on the first `=`, `+` as a space, `%XX` escapes decoded (invalid UTF-8 is
    /// replaced, a stray `%` kept as it is). Empty pairs are skipped.
    pub fn parse(search: &str) -> QueryParams {
        let search = search.strip_prefix('?').unwrap_or(search);
        QueryParams(
            search
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode_component(k), decode_component(v))
                })
                .collect(),
        )
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// Decodes one query-string component: `+` is a space, `%XX` a byte.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1)
                    .and_then(|h| hex_value(*h))
                    .zip(bytes.get(i + 2).and_then(|l| hex_value(*l)));
                if let Some((h, l)) = hex {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The listing id in a listing page's path: `/listing/123` (a trailing slash allowed).
/// `None` for anything else, so the page shows "not found".
pub fn listing_id(path: &str) -> Option<i64> {
    let rest = path.strip_prefix("/listing/")?;
    let id = rest.strip_suffix('/').unwrap_or(rest);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_like_a_browser_form() {
        let q = QueryParams::parse("?q=phone+case&category=lighting&q=second&page=2");
        assert_eq!(q.get("q").as_deref(), Some("phone case"));
        assert_eq!(q.get("category").as_deref(), Some("lighting"));
        assert_eq!(q.get("page").as_deref(), Some("2"));
        assert_eq!(q.get("sort"), None);
        let q = QueryParams::parse("q=K%C3%B6ln%20Dom&flag&&x=%zz%4");
        assert_eq!(q.get("q").as_deref(), Some("Köln Dom"));
        assert_eq!(q.get("flag").as_deref(), Some(""));
        assert_eq!(q.get("x").as_deref(), Some("%zz%4"));
        assert_eq!(QueryParams::parse(""), QueryParams::default());
        assert_eq!(QueryParams::parse("?"), QueryParams::default());
    }

    #[test]
    fn invalid_utf8_in_escapes_is_replaced_not_fatal() {
        let q = QueryParams::parse("q=%FF%FEabc");
        assert_eq!(q.get("q").as_deref(), Some("\u{fffd}\u{fffd}abc"));
    }

    #[test]
    fn listing_ids_come_only_from_listing_paths() {
        let cases = [
            ("/listing/42", Some(42)),
            ("/listing/42/", Some(42)),
            ("/listing/0", None),
            ("/listing/", None),
            ("/listing/-3", None),
            ("/listing/4x", None),
            ("/listing/99999999999999999999999", None),
            ("/listing/42/reviews", None),
            ("/cart", None),
            ("/listings/42", None),
        ];
        for (path, expected) in cases {
            assert_eq!(listing_id(path), expected, "{path}");
        }
    }
}
