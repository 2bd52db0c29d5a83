//! The small JSON reader: it reads the network file exactly as serde_json does, accepts
//! and refuses the same edits of it, names every error by path, line and column, and
//! never panics.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::NETWORK_JSON;
use crossdock_core::engine::{Listing, Mode, StockLine, Window};
use crossdock_core::json::{self, FromJson, JsonError, Kind, MAX_DEPTH, Value};
use crossdock_core::money::Money;
use crossdock_core::schema::{NetworkFile, WarehouseKind};
use crossdock_core::time::Date;
use crossdock_core::{Network, NetworkError, json_struct};
use proptest::prelude::*;

/// A struct with every kind of field the macro supports.
#[derive(Debug, Clone, PartialEq)]
struct Probe {
    id: u32,
    name: String,
    tags: Vec<String>,
    note: Option<String>,
    kind: String,
    signed: i64,
    dims: [u32; 3],
}

json_struct!(strict Probe {
    id,
    name,
    #[default] tags,
    #[default] note,
    kind = "type",
    #[default] signed,
    #[default] dims,
});

#[derive(Debug, Clone, PartialEq)]
struct Loose {
    id: u32,
}

json_struct!(lenient Loose { id });

fn err<T: FromJson + std::fmt::Debug>(text: &str) -> JsonError {
    json::from_str::<T>(text).expect_err(text)
}

/// (path, message, line, column) of an error.
type Place<'a> = (&'a str, &'a str, usize, usize);

fn place(e: &JsonError) -> Place<'_> {
    (&e.path, &e.message, e.line, e.column)
}

#[test]
fn the_network_file_reads_exactly_as_serde_reads_it() {
    let ours: NetworkFile = json::from_str(NETWORK_JSON).unwrap();
    let theirs: NetworkFile = serde_json::from_str(NETWORK_JSON).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(&theirs).unwrap()
    );
}

#[test]
fn the_network_reads_the_same_after_a_serde_round_trip_compact_and_pretty() {
    let file: NetworkFile = serde_json::from_str(NETWORK_JSON).unwrap();
    for text in [
        serde_json::to_string(&file).unwrap(),
        serde_json::to_string_pretty(&file).unwrap(),
    ] {
        let ours: NetworkFile = json::from_str(&text).unwrap();
        assert_eq!(ours, file);
    }
}

/// Every place in the file where a shape first occurs (`markets[*].vat.rate_bp` once, at
/// its first index), so each field of each schema type is edited once.
fn first_places(v: &serde_json::Value) -> Vec<Vec<PathPart>> {
    fn walk(
        v: &serde_json::Value,
        at: &mut Vec<PathPart>,
        shape: String,
        seen: &mut std::collections::BTreeSet<String>,
        out: &mut Vec<Vec<PathPart>>,
    ) {
        if !seen.insert(shape.clone()) {
            return;
        }
        out.push(at.clone());
        match v {
            serde_json::Value::Object(m) => {
                for (k, child) in m {
                    at.push(PathPart::Key(k.clone()));
                    walk(child, at, format!("{shape}.{k}"), seen, out);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(PathPart::Index(i));
                    walk(child, at, format!("{shape}[*]"), seen, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        v,
        &mut Vec::new(),
        String::new(),
        &mut Default::default(),
        &mut out,
    );
    out
}

/// Drops every array item that adds no shape (`markets[*].vat.rate_bp`) not seen before;
/// whether `v` added one.
fn prune(
    v: &mut serde_json::Value,
    shape: &str,
    seen: &mut std::collections::BTreeSet<String>,
) -> bool {
    let mut new = seen.insert(shape.to_string());
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                new |= prune(child, &format!("{shape}.{k}"), seen);
            }
        }
        serde_json::Value::Array(items) => {
            let item_shape = format!("{shape}[*]");
            items.retain_mut(|child| prune(child, &item_shape, seen));
            new |= !items.is_empty();
        }
        _ => {}
    }
    new
}

#[derive(Debug, Clone)]
enum PathPart {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(v: &'a mut serde_json::Value, path: &[PathPart]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, p| match p {
        PathPart::Key(k) => &mut v[k.as_str()],
        PathPart::Index(i) => &mut v[*i],
    })
}

/// serde_json and the small reader agree on `text`: both refuse it, or both read the same.
fn agree(text: &str, what: &str) {
    let theirs = serde_json::from_str::<NetworkFile>(text);
    let ours = json::from_str::<NetworkFile>(text);
    match (&theirs, &ours) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "{what}: serde says {:?}, the reader says {:?}",
            theirs.map(|_| "ok"),
            ours.map(|_| "ok")
        ),
    }
}

#[test]
fn every_field_is_required_defaulted_or_refused_as_serde_has_it() {
    let mut original: serde_json::Value = serde_json::from_str(NETWORK_JSON).unwrap();
    // Decoding does not validate, so a file with only one item of each shape tells as
    // much, and faster.
    prune(&mut original, "", &mut Default::default());
    let places = first_places(&original);
    assert!(places.len() > 150, "{}", places.len());
    assert!(original.to_string().len() < NETWORK_JSON.len() / 4);
    for place in &places {
        let what = format!("{place:?}");
        // Without the member.
        if let Some((PathPart::Key(k), parent)) = place.split_last() {
            let mut v = original.clone();
            at_mut(&mut v, parent).as_object_mut().unwrap().remove(k);
            agree(&v.to_string(), &format!("without {what}"));
        }
        // Replaced by null, a string, a negative number, an empty array, an object.
        for replacement in [
            serde_json::Value::Null,
            serde_json::json!("x"),
            serde_json::json!(-1),
            serde_json::json!(4_294_967_296_u64),
            serde_json::json!([]),
            serde_json::json!({}),
        ] {
            let mut v = original.clone();
            *at_mut(&mut v, place) = replacement.clone();
            agree(&v.to_string(), &format!("{what} = {replacement}"));
        }
        // With a member no struct has.
        let mut v = original.clone();
        if let Some(m) = at_mut(&mut v, place).as_object_mut() {
            m.insert("zz_unknown".into(), serde_json::json!(1));
            agree(&v.to_string(), &format!("{what} + zz_unknown"));
        }
    }
}

#[test]
fn an_optional_member_missing_from_the_file_reads_as_serde_reads_it() {
    // The default file leaves out some optional members; add them explicitly.
    let mut v: serde_json::Value = serde_json::from_str(NETWORK_JSON).unwrap();
    v["time_zones"][0]["dst"] = serde_json::Value::Null;
    v["markets"][0]["postal"]["space_before_last"] = serde_json::json!(3);
    v["markets"][0]["duty"][0]["to"] = serde_json::json!("2030-01-01");
    v["warehouses"][0]["market"] = serde_json::Value::Null;
    v["calendars"][0]["include"] = serde_json::json!([]);
    agree(&v.to_string(), "explicit optional members");
    let ours: NetworkFile = json::from_str(&v.to_string()).unwrap();
    assert_eq!(ours.markets[0].postal.space_before_last, Some(3));
}

#[test]
fn a_wrong_type_deep_in_the_network_is_named_by_its_path() {
    let mut v: serde_json::Value = serde_json::from_str(NETWORK_JSON).unwrap();
    v["markets"][2]["vat"]["rate_bp"] = serde_json::json!("20");
    let text = serde_json::to_string_pretty(&v).unwrap();
    let Err(NetworkError::Syntax(msg)) = Network::from_json(&text) else {
        panic!("expected a syntax error");
    };
    assert!(
        msg.starts_with(
            "markets[2].vat.rate_bp: expected a whole number from 0 to 4294967295, found the string \"20\" at line"
        ) || msg.starts_with(
            "markets[2].vat.rate_bp: expected a whole number, found the string \"20\" at line"
        ),
        "{msg}"
    );
    // The reported line holds the value.
    let e = json::from_str::<NetworkFile>(&text).unwrap_err();
    let line = text.lines().nth(e.line - 1).unwrap();
    assert!(line.contains("\"rate_bp\": \"20\""), "{line}");
    assert_eq!(line.chars().nth(e.column - 1), Some('"'));
}

#[test]
fn an_unknown_field_names_the_expected_ones() {
    let e = Network::from_json(&NETWORK_JSON.replacen("\"rate_bp\"", "\"rate\"", 1)).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains(
            "markets[0].vat: unknown field `rate`; expected one of `name`, `rate_bp`, `prices_include_vat`, `source` at line"
        ),
        "{msg}"
    );
}

#[test]
fn an_unknown_variant_names_the_expected_ones() {
    let e = Network::from_json(&NETWORK_JSON.replacen(
        "\"kind\": \"seller_3pl\"",
        "\"kind\": \"seller_3PL\"",
        1,
    ))
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains(".kind: unknown value \"seller_3PL\"; expected one of `cn_consolidation`, `seller_3pl`, `platform_local` at line"), "{msg}");
}

#[test]
fn unit_enums_read_their_snake_case_names() {
    let kinds: Vec<WarehouseKind> =
        json::from_str(r#"["cn_consolidation", "seller_3pl", "platform_local"]"#).unwrap();
    assert_eq!(
        kinds,
        [
            WarehouseKind::CnConsolidation,
            WarehouseKind::Seller3pl,
            WarehouseKind::PlatformLocal
        ]
    );
    let modes: Vec<Mode> = json::from_str(r#"["fully_managed","semi_managed"]"#).unwrap();
    assert_eq!(modes, [Mode::FullyManaged, Mode::SemiManaged]);
    let e = err::<Mode>("3");
    assert_eq!(place(&e), ("", "expected a string, found 3", 1, 1), "{e}");
}

#[test]
fn every_error_kind_says_where_and_what() {
    let cases: &[(&str, Place<'_>)] = &[
        (
            r#"{"id": "7", "name": "a", "type": "t"}"#,
            (
                "id",
                "expected a whole number, found the string \"7\"",
                1,
                8,
            ),
        ),
        (
            r#"{"name": "a", "type": "t"}"#,
            ("", "missing field `id`", 1, 1),
        ),
        (
            "{\"id\": 1,\n \"name\": \"a\",\n \"type\": \"t\",\n \"colour\": 2}",
            (
                "",
                "unknown field `colour`; expected one of `id`, `name`, `tags`, `note`, `type`, `signed`, `dims`",
                4,
                2,
            ),
        ),
        (
            r#"{"id": 1, "id": 2, "name": "a", "type": "t"}"#,
            ("", "duplicate key `id`", 1, 11),
        ),
        (
            r#"{"id": -1, "name": "a", "type": "t"}"#,
            (
                "id",
                "expected a whole number from 0 to 4294967295, found -1",
                1,
                8,
            ),
        ),
        (
            r#"{"id": 1.5, "name": "a", "type": "t"}"#,
            (
                "id",
                "expected a whole number, found 1.5 (no fractions or exponents here)",
                1,
                8,
            ),
        ),
        (
            r#"{"id": 1e3, "name": "a", "type": "t"}"#,
            (
                "id",
                "expected a whole number, found 1e3 (no fractions or exponents here)",
                1,
                8,
            ),
        ),
        (
            r#"{"id": 2, "name": "a", "type": "t", "signed": -99999999999999999999}"#,
            (
                "signed",
                "the number -99999999999999999999 is too large (whole numbers must fit in 64 bits)",
                1,
                47,
            ),
        ),
        (
            r#"{"id": 2, "name": "a", "type": "t", "signed": 9223372036854775808}"#,
            (
                "signed",
                "expected a whole number from -9223372036854775808 to 9223372036854775807, found 9223372036854775808",
                1,
                47,
            ),
        ),
        (
            r#"{"id": 012, "name": "a", "type": "t"}"#,
            ("id", "a number must not start with 0: 012", 1, 8),
        ),
        (
            r#"{"id": -, "name": "a", "type": "t"}"#,
            ("id", "expected a digit, found `,`", 1, 9),
        ),
        (
            r#"{"id": 1, "name": "a\q", "type": "t"}"#,
            (
                "name",
                "invalid escape \\q; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                1,
                21,
            ),
        ),
        (
            "{\"id\": 1, \"name\": \"a\\",
            (
                "name",
                "invalid escape: a backslash followed by the end of the input; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                1,
                21,
            ),
        ),
        (
            "{\"id\": 1, \"name\": \"a\\\n\"}",
            (
                "name",
                "invalid escape: a backslash followed by `\\n`; use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                1,
                21,
            ),
        ),
        (
            r#"{"id": 1, "name": "\u12", "type": "t"}"#,
            ("name", "expected four hex digits after \\u", 1, 20),
        ),
        (
            r#"{"id": 1, "name": "\ud83d", "type": "t"}"#,
            (
                "name",
                "\\uD83D is the first half of a surrogate pair, but no \\uDC00 to \\uDFFF follows it",
                1,
                20,
            ),
        ),
        (
            r#"{"id": 1, "name": "\ud83d\u0041", "type": "t"}"#,
            (
                "name",
                "\\uD83D is the first half of a surrogate pair, but no \\uDC00 to \\uDFFF follows it",
                1,
                20,
            ),
        ),
        (
            r#"{"id": 1, "name": "\ude00", "type": "t"}"#,
            (
                "name",
                "\\uDE00 is the second half of a surrogate pair, with no first half before it",
                1,
                20,
            ),
        ),
        (
            "{\"id\": 1, \"name\": \"a\tb\", \"type\": \"t\"}",
            (
                "name",
                "control character U+0009 in a string; write it as an escape such as \\n",
                1,
                21,
            ),
        ),
        (
            r#"{"id": 1, "name": "ab"#,
            ("name", "a string starting here is never closed", 1, 19),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t""#,
            ("", "expected `,` or `}`, found the end of the input", 1, 35),
        ),
        (
            r#"{"id": 1,}"#,
            ("", "expected a key in double quotes, found `}`", 1, 10),
        ),
        (
            r#"{"id" 1}"#,
            ("", "expected `:` after the key, found `1`", 1, 7),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t", "tags": ["x",]}"#,
            ("tags[1]", "expected a JSON value, found `]`", 1, 50),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t", "tags": ["x" "y"]}"#,
            ("tags", "expected `,` or `]`, found `\"`", 1, 50),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t", "tags": ["x", 2]}"#,
            ("tags[1]", "expected a string, found 2", 1, 51),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t", "dims": [1, 2]}"#,
            ("dims", "expected an array of 3 items, found 2", 1, 45),
        ),
        (
            r#"{"id": 1, "name": null, "type": "t"}"#,
            ("name", "expected a string, found null", 1, 19),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t", "tags": null}"#,
            ("tags", "expected an array, found null", 1, 45),
        ),
        (
            r#"{"id": 1, "name": "a", "type": tru}"#,
            ("type", "expected `true` or another JSON value", 1, 32),
        ),
        (
            r#"{"id": 1, "name": "a", "type": "t"} x"#,
            ("", "unexpected `x` after the JSON value", 1, 37),
        ),
        (
            "",
            (
                "",
                "expected a JSON value, found the end of the input",
                1,
                1,
            ),
        ),
        (
            "   \n  ",
            (
                "",
                "expected a JSON value, found the end of the input",
                2,
                3,
            ),
        ),
        ("[1]", ("", "expected an object, found an array", 1, 1)),
        (
            "{\"id\": 1, \"name\": \"é€😀\", \"type\": \"t\", \"note\": 5}",
            ("note", "expected a string, found 5", 1, 47),
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(text, want)| {
            let e = err::<Probe>(text);
            (place(&e) != *want).then(|| format!("{text}\n  got {:?}", place(&e)))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_error_reads_path_message_line_and_column() {
    let e = err::<Probe>(r#"{"id": "7", "name": "a", "type": "t"}"#);
    assert_eq!(
        e.to_string(),
        "id: expected a whole number, found the string \"7\" at line 1 column 8"
    );
    let e =
        err::<Vec<Probe>>(r#"[{"id": 1, "name": "a", "type": "t"}, {"name": "b", "type": "t"}]"#);
    assert_eq!(e.to_string(), "[1]: missing field `id` at line 1 column 39");
    let e = err::<Probe>(r#"{"id": 1, "name": "a", "type": "t", "a.b": 1}"#);
    assert_eq!(e.path, "");
    let e = json::from_str::<Vec<Value>>(r#"[{"a b": {"c": [1, 2.5]}}]"#).unwrap_err();
    assert_eq!(e.path, "[0][\"a b\"].c[1]");
}

#[test]
fn the_macro_reads_defaults_renames_and_arrays() {
    let p: Probe = json::from_str(r#"{"id": 7, "name": "a", "type": "t"}"#).unwrap();
    assert_eq!(
        p,
        Probe {
            id: 7,
            name: "a".into(),
            tags: vec![],
            note: None,
            kind: "t".into(),
            signed: 0,
            dims: [0, 0, 0],
        }
    );
    let p: Probe = json::from_str(
        r#"{"type": "t", "dims": [1, 2, 3], "note": null, "signed": -9223372036854775808, "name": "a", "id": 4294967295, "tags": ["x"]}"#,
    )
    .unwrap();
    assert_eq!(p.signed, i64::MIN);
    assert_eq!(p.id, u32::MAX);
    assert_eq!(p.dims, [1, 2, 3]);
    assert_eq!(p.tags, ["x"]);
    // A lenient struct skips what it does not know, however it is shaped.
    let l: Loose = json::from_str(r#"{"extra": {"deep": [1, {"x": null}]}, "id": 3}"#).unwrap();
    assert_eq!(l, Loose { id: 3 });
}

#[test]
fn strings_decode_every_escape() {
    let s: String =
        json::from_str(r#""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u20ac\ud83d\ude00 é€😀""#)
            .unwrap();
    assert_eq!(s, "a\"b\\c/d\u{8}e\u{c}f\ng\rh\tiAé€😀 é€😀");
    let s: String = json::from_str(r#""\uD83D\uDE00""#).unwrap();
    assert_eq!(s, "😀");
}

#[test]
fn numbers_are_exact_at_the_edges() {
    assert_eq!(
        json::from_str::<u64>("18446744073709551615").unwrap(),
        u64::MAX
    );
    assert_eq!(
        json::from_str::<i64>("-9223372036854775808").unwrap(),
        i64::MIN
    );
    assert_eq!(json::from_str::<i64>("-0").unwrap(), 0);
    assert_eq!(json::from_str::<u8>("255").unwrap(), 255);
    assert_eq!(
        err::<u8>("256").message,
        "expected a whole number from 0 to 255, found 256"
    );
    assert_eq!(
        err::<u64>("18446744073709551616").message,
        "the number 18446744073709551616 is too large (whole numbers must fit in 64 bits)"
    );
    assert_eq!(
        err::<u64>(&"9".repeat(5000)).message,
        format!(
            "the number {}… is too large (whole numbers must fit in 64 bits)",
            "9".repeat(40)
        )
    );
    assert_eq!(
        err::<u32>("-0.0").message,
        "expected a whole number, found -0.0 (no fractions or exponents here)"
    );
    assert_eq!(
        err::<i32>("1E+2").message,
        "expected a whole number, found 1E+2 (no fractions or exponents here)"
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let p: Probe = json::from_str("\u{feff}{\"id\": 1, \"name\": \"a\", \"type\": \"t\"}").unwrap();
    assert_eq!(p.id, 1);
    let net = Network::from_json(&format!("\u{feff}{NETWORK_JSON}")).unwrap();
    assert_eq!(net.file.markets.len(), 6);
    // Only at the start.
    let e = err::<Vec<u32>>("[1, \u{feff}2]");
    assert_eq!(
        place(&e),
        ("[1]", "expected a JSON value, found `\\u{feff}`", 1, 5)
    );
}

#[test]
fn nesting_is_capped_without_overflowing_the_stack() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(json::parse(&ok).is_ok());
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let e = json::parse(&deep).unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.line, e.column),
        ("arrays and objects nest deeper than 128 levels", 1, 129)
    );
    assert!(e.path.starts_with("[0][0][0]"), "{}", e.path);
    let huge = "[{\"a\":".repeat(100_000);
    assert!(json::parse(&huge).is_err());
    assert!(json::from_str::<NetworkFile>(&"[".repeat(1_000_000)).is_err());
}

#[test]
fn every_truncation_of_the_network_is_refused() {
    let mut cut = NETWORK_JSON.trim_end().len();
    while cut > 0 {
        cut -= 1;
        while !NETWORK_JSON.is_char_boundary(cut) {
            cut -= 1;
        }
        if !cut.is_multiple_of(97) && cut > 200 {
            continue;
        }
        let e = json::from_str::<NetworkFile>(&NETWORK_JSON[..cut]);
        assert!(e.is_err(), "accepted a cut at {cut}");
    }
}

#[test]
fn duplicate_keys_are_found_in_large_objects() {
    let mut text = String::from("{");
    for i in 0..5000 {
        text.push_str(&format!("\"k{i}\": {i},"));
    }
    text.push_str("\"k4321\": 0, \"k17\": 1}");
    let e = json::parse(&text).unwrap_err();
    assert_eq!(e.message, "duplicate key `k4321`");
}

#[test]
fn money_listings_and_windows_read_as_the_server_writes_them() {
    let listing = Listing {
        weight_g: 900,
        dims_mm: [300, 200, 100],
        category: "lighting".into(),
        mode: Mode::SemiManaged,
        stock: vec![StockLine {
            warehouse: "us-west-3pl".into(),
            quantity: 10,
        }],
        unit_price: Some(Money::from_minor(
            1999,
            crossdock_core::Currency {
                code: crossdock_core::CurrencyCode::new("KRW").unwrap(),
                exponent: 0,
            },
        )),
    };
    let text = serde_json::to_string(&listing).unwrap();
    assert_eq!(json::from_str::<Listing>(&text).unwrap(), listing);
    let window = Window {
        earliest: Date::parse("2026-11-03").unwrap(),
        latest: Date::parse("2026-11-07").unwrap(),
        probability_bp: 9712,
    };
    let text = serde_json::to_string(&window).unwrap();
    assert_eq!(json::from_str::<Window>(&text).unwrap(), window);
    let e = err::<Money>(r#"{"minor": 1, "currency": "usd", "exponent": 2}"#);
    assert_eq!(
        e.to_string(),
        "currency: \"usd\" is not a currency code: use three capital letters like USD at line 1 column 26"
    );
    let e = err::<Money>(r#"{"minor": 1, "currency": "USD", "exponent": 5}"#);
    assert_eq!(
        e.to_string(),
        "exponent: currency exponent above 4 at line 1 column 45"
    );
    let e =
        err::<Window>(r#"{"earliest": "2026-02-30", "latest": "2026-03-01", "probability_bp": 1}"#);
    assert_eq!(e.path, "earliest");
}

#[test]
fn the_string_writer_escapes_as_serde_json_does() {
    for s in [
        "",
        "plain",
        "quote \" backslash \\ slash /",
        "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
        "é€😀 </script>",
    ] {
        assert_eq!(json::quote(s), serde_json::to_string(s).unwrap(), "{s:?}");
    }
}

/// A JSON value of the reader's kinds, as serde_json sees it.
fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<u64>().prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The reader's tree as serde_json's, to compare.
fn to_serde(v: &Value) -> serde_json::Value {
    match &v.kind {
        Kind::Null => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(*b),
        Kind::Int {
            negative: false,
            magnitude,
        } => serde_json::json!(magnitude),
        Kind::Int {
            negative: true,
            magnitude,
        } => serde_json::json!(-i128::from(*magnitude)),
        Kind::Str(s) => serde_json::Value::String(s.clone()),
        Kind::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Kind::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|m| (m.key.clone(), to_serde(&m.value)))
                .collect(),
        ),
    }
}

proptest! {
    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = json::parse(&text);
        let _ = json::from_str::<NetworkFile>(&text);
        let _ = json::from_str::<Probe>(&text);
    }

    #[test]
    fn json_like_text_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
                Just("\\"), Just("\\u"), Just("d83d"), Just("-"), Just("0"), Just("9"), Just("."),
                Just("e"), Just("true"), Just("nul"), Just(" "), Just("\n"), Just("é"),
                Just("\"id\""), Just("\u{feff}"),
            ],
            0..80,
        )
    ) {
        let text: String = parts.concat();
        let _ = json::parse(&text);
        let _ = json::from_str::<Probe>(&text);
        if let Err(e) = json::parse(&text) {
            prop_assert!(e.line >= 1 && e.column >= 1);
        }
    }

    #[test]
    fn serde_json_text_reads_back_the_same(v in arb_json()) {
        for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
            let ours = json::parse(&text).unwrap();
            prop_assert_eq!(to_serde(&ours), v.clone());
        }
    }

    #[test]
    fn written_strings_read_back(s in any::<String>()) {
        let q = json::quote(&s);
        prop_assert_eq!(&q, &serde_json::to_string(&s).unwrap());
        prop_assert_eq!(json::from_str::<String>(&q).unwrap(), s);
    }
}
