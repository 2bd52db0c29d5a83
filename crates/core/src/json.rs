//! A small JSON reader and string writer, so the browser decodes the network file and the
//! API's answers without serde (whose derived visitors cost the storefront's wasm tens of
//! kilobytes).
//!
//! Reading is two steps. [`parse`] turns text into a [`Value`] tree: null, booleans,
//! whole numbers (exact, from −2⁶³ to 2⁶⁴ − 1), strings, arrays and objects that keep
//! their key order. Numbers with a fraction or an exponent are refused, as are duplicate
//! keys and nesting deeper than [`MAX_DEPTH`]. Then [`FromJson`] builds a typed value
//! from the tree; [`json_struct!`](crate::json_struct) and [`json_enum!`](crate::json_enum)
//! write the impls for structs and unit enums. [`from_str`] does both.
//!
//! Every error names where it happened in the document (`markets[2].vat.rate_bp`), the
//! line and column, and what was wrong in words:
//! `markets[2].vat.rate_bp: expected a whole number, found the string "19" at line 40
//! column 18`.
//!
//! The design keeps generated code small, which is the point of the module: the tree is
//! decoded through a handful of non-generic accessors, so each type's impl is a few
//! calls, not a serde visitor, and [`JsonError`] is one pointer, so the error path of
//! every decoded field is cheap. Nothing here panics on any input.

use std::fmt;

use crate::engine::{Destination, Listing, Mode, StockLine, Window};
use crate::money::{Currency, CurrencyCode, Money};
use crate::pricing::{PricingRequest, Promotion, PromotionKind, Sku};
use crate::time::{Date, DstRule, Instant, TransitionRule, Weekday};

/// Deepest nesting of arrays and objects [`parse`] accepts.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value and the byte offset in the text where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// Byte offset of the value's first character in the parsed text.
    pub at: usize,
    pub kind: Kind,
}

/// What a [`Value`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// A whole number as its sign and magnitude; zero is never negative.
    Int {
        negative: bool,
        magnitude: u64,
    },
    Str(String),
    Array(Vec<Value>),
    /// Members in the order of the text; keys are unique.
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    /// Byte offset of the key's opening quote.
    pub at: usize,
    pub value: Value,
}

/// Where a value sits in the document, as a chain of keys and indices from the root.
/// Built on the stack while decoding; written out only when an error needs it.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(parent, key) => {
                parent.fmt(f)?;
                let plain = !key.is_empty()
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !plain {
                    f.write_str("[")?;
                    f.write_str(&quote(key))?;
                    return f.write_str("]");
                }
                if !matches!(parent, Path::Root) {
                    f.write_str(".")?;
                }
                f.write_str(key)
            }
            Path::Index(parent, i) => {
                parent.fmt(f)?;
                write!(f, "[{i}]")
            }
        }
    }
}

/// Why a text could not be read: where, and what (the fields of [`ErrorDetails`], which
/// it dereferences to: `e.path`, `e.message`, `e.line`).
///
/// Boxed, so that every decoded field's `Result<T, JsonError>` moves one pointer on the
/// error path instead of five words: that is most of the decoders' code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(Box<ErrorDetails>);

/// What a [`JsonError`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetails {
    /// Byte offset in the text.
    pub offset: usize,
    /// 1-based line of `offset`; 0 when the error was made without the text at hand
    /// (see [`JsonError::located`]).
    pub line: usize,
    /// 1-based column of `offset`, in characters.
    pub column: usize,
    /// Where in the document (`markets[2].vat.rate_bp`); empty for the whole document.
    pub path: String,
    pub message: String,
}

impl std::ops::Deref for JsonError {
    type Target = ErrorDetails;

    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl JsonError {
    /// An error at byte `offset`, at `path` in the document.
    pub fn new(offset: usize, path: &Path<'_>, message: String) -> JsonError {
        JsonError(Box::new(ErrorDetails {
            offset,
            line: 0,
            column: 0,
            path: path.to_string(),
            message,
        }))
    }

    /// Fills in the line and column of the offset in `text`.
    pub fn located(mut self, text: &str) -> JsonError {
        let e = &mut self.0;
        let before = text.as_bytes().get(..e.offset).unwrap_or(text.as_bytes());
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i.saturating_add(1));
        e.line = before
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            .saturating_add(1);
        // Characters, not bytes: count the bytes that start a UTF-8 sequence.
        e.column = before
            .get(line_start..)
            .unwrap_or_default()
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
            .saturating_add(1);
        self
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if self.line > 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

/// Parses `text` (one JSON value, surrounded by optional whitespace; a leading byte-order
/// mark is skipped) into a tree.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    if text.starts_with('\u{feff}') {
        p.pos = '\u{feff}'.len_utf8();
    }
    let result = p.value(&Path::Root).and_then(|v| {
        p.skip_ws();
        if p.pos < p.bytes.len() {
            Err(p.error(
                p.pos,
                &Path::Root,
                format!("unexpected {} after the JSON value", p.found()),
            ))
        } else {
            Ok(v)
        }
    });
    result.map_err(|e| e.located(text))
}

/// Parses `text` and decodes it as a `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    let v = parse(text)?;
    T::from_json(&v, &Path::Root).map_err(|e| e.located(text))
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn error(&self, at: usize, path: &Path<'_>, message: String) -> JsonError {
        JsonError::new(at, path, message)
    }

    /// The character at the current position, for a message: "`x`" or "the end of the
    /// input".
    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c @ ('"' | '\\' | '\'')) => format!("`{c}`"),
            Some(c) => format!("`{}`", c.escape_debug()),
            None => "the end of the input".to_string(),
        }
    }

    fn expected(&self, what: &str, path: &Path<'_>) -> JsonError {
        self.error(
            self.pos,
            path,
            format!("expected {what}, found {}", self.found()),
        )
    }

    fn value(&mut self, path: &Path<'_>) -> Result<Value, JsonError> {
        self.skip_ws();
        let at = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object(path)?,
            Some(b'[') => self.array(path)?,
            Some(b'"') => Kind::Str(self.string(path)?),
            Some(b't') => self.literal("true", Kind::Bool(true), path)?,
            Some(b'f') => self.literal("false", Kind::Bool(false), path)?,
            Some(b'n') => self.literal("null", Kind::Null, path)?,
            Some(b'-' | b'0'..=b'9') => self.number(path)?,
            _ => return Err(self.expected("a JSON value", path)),
        };
        Ok(Value { at, kind })
    }

    fn literal(&mut self, word: &str, kind: Kind, path: &Path<'_>) -> Result<Kind, JsonError> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(kind)
        } else {
            Err(self.error(
                self.pos,
                path,
                format!("expected `{word}` or another JSON value"),
            ))
        }
    }

    fn enter(&mut self, path: &Path<'_>) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                self.pos,
                path,
                format!("arrays and objects nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    fn array(&mut self, path: &Path<'_>) -> Result<Kind, JsonError> {
        self.enter(path)?;
        let mut items = Vec::new();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                let item = self.value(&Path::Index(path, items.len()))?;
                items.push(item);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.expected("`,` or `]`", path)),
                }
            }
        }
        self.depth -= 1;
        Ok(Kind::Array(items))
    }

    fn object(&mut self, path: &Path<'_>) -> Result<Kind, JsonError> {
        self.enter(path)?;
        let mut members: Vec<Member> = Vec::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                let at = self.pos;
                if self.peek() != Some(b'"') {
                    return Err(self.expected("a key in double quotes", path));
                }
                let key = self.string(path)?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.expected("`:` after the key", path));
                }
                self.pos += 1;
                let value = self.value(&Path::Key(path, &key))?;
                members.push(Member { key, at, value });
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.expected("`,` or `}`", path)),
                }
            }
        }
        if let Some(dup) = first_duplicate(&members) {
            return Err(self.error(dup.at, path, format!("duplicate key `{}`", dup.key)));
        }
        self.depth -= 1;
        Ok(Kind::Object(members))
    }

    /// Reads a string; the position is at its opening quote.
    fn string(&mut self, path: &Path<'_>) -> Result<String, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => {
                    return Err(self.error(
                        open,
                        path,
                        "a string starting here is never closed".to_string(),
                    ));
                }
                Some(b'"') => {
                    out.push_str(self.slice(run));
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run));
                    self.escape(&mut out, path)?;
                    run = self.pos;
                }
                Some(b) if b < 0x20 => {
                    return Err(self.error(
                        self.pos,
                        path,
                        format!(
                            "control character U+{b:04X} in a string; write it as an escape such as \\n"
                        ),
                    ));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The text from `start` to the current position. Both sit just before an ASCII byte
    /// or at the end, so they are character boundaries.
    fn slice(&self, start: usize) -> &str {
        self.text.get(start..self.pos).unwrap_or_default()
    }

    /// Reads one escape; the position is at its backslash.
    fn escape(&mut self, out: &mut String, path: &Path<'_>) -> Result<(), JsonError> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let first = self.hex4(at, path)?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    let low = if self.bytes.get(self.pos..self.pos.saturating_add(2))
                        == Some(b"\\u".as_slice())
                    {
                        self.pos += 2;
                        self.hex4(at, path)?
                    } else {
                        0
                    };
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error(
                            at,
                            path,
                            format!(
                                "\\u{first:04X} is the first half of a surrogate pair, but no \\uDC00 to \\uDFFF follows it"
                            ),
                        ));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    first
                };
                return match char::from_u32(code) {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None => Err(self.error(
                        at,
                        path,
                        format!(
                            "\\u{code:04X} is the second half of a surrogate pair, with no first half before it"
                        ),
                    )),
                };
            }
            _ => {
                const KNOWN: &str = "use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX";
                let message = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
                    Some(c) if !c.is_control() && !c.is_whitespace() => {
                        format!("invalid escape \\{c}; {KNOWN}")
                    }
                    _ => format!(
                        "invalid escape: a backslash followed by {}; {KNOWN}",
                        self.found()
                    ),
                };
                return Err(self.error(at, path, message));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// Four hex digits of a `\u` escape starting at `at`.
    fn hex4(&mut self, at: usize, path: &Path<'_>) -> Result<u32, JsonError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(d) = digit else {
                return Err(self.error(at, path, "expected four hex digits after \\u".to_string()));
            };
            code = code * 16 + d;
            self.pos += 1;
        }
        Ok(code)
    }

    fn number(&mut self, path: &Path<'_>) -> Result<Kind, JsonError> {
        let at = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let first = self.pos;
        let mut magnitude = Some(0u64);
        while let Some(b @ b'0'..=b'9') = self.peek() {
            magnitude = magnitude
                .and_then(|m| m.checked_mul(10))
                .and_then(|m| m.checked_add(u64::from(b - b'0')));
            self.pos += 1;
        }
        if self.pos == first {
            return Err(self.expected("a digit", path));
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            while matches!(
                self.peek(),
                Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            ) {
                self.pos += 1;
            }
            return Err(self.error(
                at,
                path,
                format!(
                    "expected a whole number, found {} (no fractions or exponents here)",
                    clipped(self.slice(at))
                ),
            ));
        }
        let digits = self.pos - first;
        if digits > 1 && self.bytes.get(first) == Some(&b'0') {
            return Err(self.error(
                at,
                path,
                format!(
                    "a number must not start with 0: {}",
                    clipped(self.slice(at))
                ),
            ));
        }
        match magnitude {
            Some(magnitude) => Ok(Kind::Int {
                negative: negative && magnitude != 0,
                magnitude,
            }),
            None => Err(self.error(
                at,
                path,
                format!(
                    "the number {} is too large (whole numbers must fit in 64 bits)",
                    clipped(self.slice(at))
                ),
            )),
        }
    }
}

/// `s`, cut to 40 characters for a message.
fn clipped(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// The second occurrence of the first key that occurs twice, in text order.
fn first_duplicate(members: &[Member]) -> Option<&Member> {
    if members.len() <= 16 {
        // Small objects (all of the network's): compare pairs, no allocation.
        return members.iter().enumerate().find_map(|(i, m)| {
            members
                .get(..i)
                .unwrap_or_default()
                .iter()
                .any(|earlier| earlier.key == m.key)
                .then_some(m)
        });
    }
    let mut keys: Vec<(&str, usize)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.key.as_str(), i))
        .collect();
    keys.sort_unstable();
    keys.windows(2)
        .filter_map(|w| match w {
            [(a, _), (b, i)] if a == b => Some(*i),
            _ => None,
        })
        .min()
        .and_then(|i| members.get(i))
}

impl Value {
    /// The value for a message: `the string "19"`, `-4`, `an object`.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Null => "null".to_string(),
            Kind::Bool(b) => b.to_string(),
            Kind::Int {
                negative,
                magnitude,
            } => format!("{}{magnitude}", if *negative { "-" } else { "" }),
            Kind::Str(s) => format!("the string {}", quote(&clipped(s))),
            Kind::Array(_) => "an array".to_string(),
            Kind::Object(_) => "an object".to_string(),
        }
    }

    /// "expected {what}, found {this value}".
    pub fn expected(&self, path: &Path<'_>, what: &str) -> JsonError {
        JsonError::new(
            self.at,
            path,
            format!("expected {what}, found {}", self.describe()),
        )
    }

    pub fn as_str(&self, path: &Path<'_>) -> Result<&str, JsonError> {
        match &self.kind {
            Kind::Str(s) => Ok(s),
            _ => Err(self.expected(path, "a string")),
        }
    }

    pub fn as_bool(&self, path: &Path<'_>) -> Result<bool, JsonError> {
        match self.kind {
            Kind::Bool(b) => Ok(b),
            _ => Err(self.expected(path, "true or false")),
        }
    }

    pub fn as_array(&self, path: &Path<'_>) -> Result<&[Value], JsonError> {
        match &self.kind {
            Kind::Array(items) => Ok(items),
            _ => Err(self.expected(path, "an array")),
        }
    }

    /// The whole number, if it lies within `min..=max`.
    pub fn as_int(&self, path: &Path<'_>, min: i128, max: i128) -> Result<i128, JsonError> {
        let Kind::Int {
            negative,
            magnitude,
        } = self.kind
        else {
            return Err(self.expected(path, "a whole number"));
        };
        let n = if negative {
            -i128::from(magnitude)
        } else {
            i128::from(magnitude)
        };
        if n < min || n > max {
            return Err(JsonError::new(
                self.at,
                path,
                format!("expected a whole number from {min} to {max}, found {n}"),
            ));
        }
        Ok(n)
    }

    /// The object's members, for a struct with the keys `fields`; with `deny_unknown`, a
    /// key that is not one of them is an error.
    pub fn as_object<'v>(
        &'v self,
        path: &Path<'_>,
        fields: &[&str],
        deny_unknown: bool,
    ) -> Result<Object<'v>, JsonError> {
        let Kind::Object(members) = &self.kind else {
            return Err(self.expected(path, "an object"));
        };
        if deny_unknown && let Some(m) = members.iter().find(|m| !fields.contains(&m.key.as_str()))
        {
            return Err(JsonError::new(
                m.at,
                path,
                format!(
                    "unknown field `{}`; expected {}",
                    m.key,
                    one_of(fields.iter().copied())
                ),
            ));
        }
        Ok(Object {
            at: self.at,
            members,
        })
    }

    /// The string, which must be one of `names` (a unit enum's variants).
    pub fn as_variant(&self, path: &Path<'_>, names: &[&str]) -> Result<usize, JsonError> {
        let s = self.as_str(path)?;
        names.iter().position(|n| *n == s).ok_or_else(|| {
            JsonError::new(
                self.at,
                path,
                format!(
                    "unknown value {}; expected {}",
                    quote(s),
                    one_of(names.iter().copied())
                ),
            )
        })
    }
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = names.len();
    let list: Vec<String> = names.map(|s| format!("`{s}`")).collect();
    match n {
        0 => "nothing".to_string(),
        1 | 2 => list.join(" or "),
        _ => format!("one of {}", list.join(", ")),
    }
}

/// An object's members, as [`Value::as_object`] hands them to a struct's decoder.
#[derive(Debug, Clone, Copy)]
pub struct Object<'v> {
    /// Byte offset of the object's `{`.
    pub at: usize,
    pub members: &'v [Member],
}

impl<'v> Object<'v> {
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// The member `key`, which must be there.
    pub fn need(&self, path: &Path<'_>, key: &str) -> Result<&'v Value, JsonError> {
        self.get(key)
            .ok_or_else(|| JsonError::new(self.at, path, format!("missing field `{key}`")))
    }

    /// Decodes the member `key`, which must be there.
    pub fn req<T: FromJson>(&self, path: &Path<'_>, key: &str) -> Result<T, JsonError> {
        T::from_json(self.need(path, key)?, &Path::Key(path, key))
    }

    /// Decodes the member `key`, or gives `T::default()` when it is missing.
    pub fn or_default<T: FromJson + Default>(
        &self,
        path: &Path<'_>,
        key: &str,
    ) -> Result<T, JsonError> {
        match self.get(key) {
            Some(v) => T::from_json(v, &Path::Key(path, key)),
            None => Ok(T::default()),
        }
    }
}

/// A type that can be built from a JSON [`Value`]. `path` is where `v` sits, for errors.
pub trait FromJson: Sized {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Self, JsonError>;
}

impl FromJson for Value {
    fn from_json(v: &Value, _: &Path<'_>) -> Result<Value, JsonError> {
        Ok(v.clone())
    }
}

impl FromJson for bool {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<bool, JsonError> {
        v.as_bool(path)
    }
}

impl FromJson for String {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<String, JsonError> {
        v.as_str(path).map(str::to_string)
    }
}

macro_rules! int_from_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Value, path: &Path<'_>) -> Result<$t, JsonError> {
                let n = v.as_int(path, i128::from(<$t>::MIN), i128::from(<$t>::MAX))?;
                <$t>::try_from(n).map_err(|_| v.expected(path, stringify!($t)))
            }
        }
    )*};
}

int_from_json!(u8, u16, u32, u64, i8, i16, i32, i64);

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Option<T>, JsonError> {
        match v.kind {
            Kind::Null => Ok(None),
            _ => T::from_json(v, path).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Vec<T>, JsonError> {
        let items = v.as_array(path)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item, &Path::Index(path, i))?);
        }
        Ok(out)
    }
}

/// An array of exactly `N` items.
impl<T: FromJson, const N: usize> FromJson for [T; N] {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<[T; N], JsonError> {
        let len = v.as_array(path)?.len();
        if len != N {
            return Err(JsonError::new(
                v.at,
                path,
                format!("expected an array of {N} items, found {len}"),
            ));
        }
        Vec::<T>::from_json(v, path)?
            .try_into()
            .map_err(|_| v.expected(path, "an array"))
    }
}

/// Implements [`FromJson`] for a struct from its field list.
///
/// ```
/// # use crossdock_core::json_struct;
/// #[derive(Debug, PartialEq)]
/// struct Pic { url: String, alt: String, kind: Option<String> }
/// json_struct!(strict Pic { url, #[default] alt, #[default] kind = "type" });
///
/// let pic: Pic = crossdock_core::json::from_str(r#"{"url": "/a.svg", "type": "svg"}"#).unwrap();
/// assert_eq!(pic, Pic { url: "/a.svg".into(), alt: String::new(), kind: Some("svg".into()) });
/// ```
///
/// - `strict` refuses keys that are not fields (serde's `deny_unknown_fields`);
///   `lenient` skips them.
/// - `#[default]`: a missing key gives `Default::default()` (`None` for an `Option`);
///   without it the key must be there (unlike serde, also for an `Option`, which may
///   then be `null`).
/// - `field = "key"`: the key in the JSON text, when it differs from the field's name.
#[macro_export]
macro_rules! json_struct {
    (strict $($rest:tt)*) => { $crate::json_struct!(@impl true, $($rest)*); };
    (lenient $($rest:tt)*) => { $crate::json_struct!(@impl false, $($rest)*); };
    (@impl $deny:expr, $ty:ident {
        $( $(#[$default:ident])? $field:ident $(= $key:literal)? ),* $(,)?
    }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(
                v: &$crate::json::Value,
                path: &$crate::json::Path<'_>,
            ) -> ::core::result::Result<Self, $crate::json::JsonError> {
                let o = v.as_object(
                    path,
                    &[$($crate::json_struct!(@key $field $($key)?)),*],
                    $deny,
                )?;
                ::core::result::Result::Ok($ty {
                    $( $field: $crate::json_struct!(
                        @get o, path, $crate::json_struct!(@key $field $($key)?) $(, $default)?
                    ), )*
                })
            }
        }
    };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
    (@get $o:ident, $path:ident, $key:expr) => { $o.req($path, $key)? };
    (@get $o:ident, $path:ident, $key:expr, default) => { $o.or_default($path, $key)? };
}

/// Implements [`FromJson`] for a unit enum read from strings:
/// `json_enum!(Hazard { Liquid = "liquid", LithiumBattery = "lithium_battery" });`.
#[macro_export]
macro_rules! json_enum {
    ($ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(
                v: &$crate::json::Value,
                path: &$crate::json::Path<'_>,
            ) -> ::core::result::Result<Self, $crate::json::JsonError> {
                const VARIANTS: &[$ty] = &[$($ty::$variant),*];
                let i = v.as_variant(path, &[$($name),*])?;
                VARIANTS
                    .get(i)
                    .copied()
                    .ok_or_else(|| v.expected(path, stringify!($ty)))
            }
        }
    };
}

/// Appends `s` to `out` as a JSON string literal, escaped as serde_json escapes it:
/// `"` and `\`, and control characters (`\n`, `\t`, … or `\u00XX`).
pub fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len().saturating_add(2));
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let b = c as usize;
                out.push_str("\\u00");
                for d in [b >> 4, b & 0xF] {
                    out.push(HEX.get(d).map_or('0', |h| char::from(*h)));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, s);
    out
}

// Readers for the core's own value types, so crates built on the core (the storefront)
// can read dates, money and listings from the API.

impl FromJson for Date {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Date, JsonError> {
        Date::parse(v.as_str(path)?).map_err(|e| JsonError::new(v.at, path, e.to_string()))
    }
}

impl FromJson for Instant {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Instant, JsonError> {
        Instant::parse(v.as_str(path)?).map_err(|e| JsonError::new(v.at, path, e.to_string()))
    }
}

impl FromJson for CurrencyCode {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<CurrencyCode, JsonError> {
        CurrencyCode::new(v.as_str(path)?).map_err(|e| JsonError::new(v.at, path, e.to_string()))
    }
}

/// `{"minor": 1999, "currency": "USD", "exponent": 2}`, as serde writes [`Money`].
impl FromJson for Money {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<Money, JsonError> {
        let o = v.as_object(path, &["minor", "currency", "exponent"], false)?;
        let minor: i64 = o.req(path, "minor")?;
        let code: CurrencyCode = o.req(path, "currency")?;
        let exponent: u8 = o.req(path, "exponent")?;
        if exponent > 4 {
            return Err(JsonError::new(
                o.need(path, "exponent")?.at,
                &Path::Key(path, "exponent"),
                "currency exponent above 4".to_string(),
            ));
        }
        Ok(Money::from_minor(minor, Currency { code, exponent }))
    }
}

json_enum!(Weekday {
    Mon = "mon",
    Tue = "tue",
    Wed = "wed",
    Thu = "thu",
    Fri = "fri",
    Sat = "sat",
    Sun = "sun",
});

json_enum!(Mode {
    FullyManaged = "fully_managed",
    SemiManaged = "semi_managed",
    PlatformLocal = "platform_local",
});

// Lenient, as their serde derives are.
json_struct!(lenient TransitionRule { month, week, weekday, at_min });
json_struct!(lenient DstRule { offset_min, start, end });
json_struct!(lenient StockLine { warehouse, quantity });
json_struct!(lenient Window { earliest, latest, probability_bp });
json_struct!(lenient Listing {
    weight_g,
    dims_mm,
    category,
    mode,
    stock,
    #[default] unit_price,
});

// The seller pricing engine's request, as serde writes it (the seller panel starts its
// what-ifs from the request the server priced with). Lenient, as their serde derives are.

json_struct!(lenient Destination { market, #[default] postal_code, #[default] zone });

json_struct!(lenient Sku { weight_g, dims_mm, category, origin, cost_of_goods });

json_struct!(lenient Promotion { kind, starts, ends });

json_struct!(lenient PricingRequest {
    sku,
    market,
    #[default] price,
    #[default] supply_price,
    #[default] inventory_age_days,
    #[default] promotion,
    target_margin_bp,
    now,
    #[default] destination,
    #[default] warehouses,
});

/// Externally tagged, as serde writes it: `{"percent_off": {"percent_bp": 2500}}`,
/// `{"voucher": {"amount": Money}}`, `{"platform_subsidy": {"amount": Money}}`,
/// `{"free_shipping_over": {"threshold": Money}}`.
impl FromJson for PromotionKind {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<PromotionKind, JsonError> {
        const KINDS: [&str; 4] = [
            "percent_off",
            "voucher",
            "platform_subsidy",
            "free_shipping_over",
        ];
        let o = v.as_object(path, &KINDS, true)?;
        let [member] = o.members else {
            return Err(JsonError::new(
                v.at,
                path,
                format!(
                    "expected an object with one key, {}",
                    one_of(KINDS.iter().copied())
                ),
            ));
        };
        let key = member.key.as_str();
        let inner_path = Path::Key(path, key);
        let fields: &[&str] = match key {
            "percent_off" => &["percent_bp"],
            "free_shipping_over" => &["threshold"],
            _ => &["amount"],
        };
        let inner = member.value.as_object(&inner_path, fields, false)?;
        Ok(match key {
            "percent_off" => PromotionKind::PercentOff {
                percent_bp: inner.req(&inner_path, "percent_bp")?,
            },
            "voucher" => PromotionKind::Voucher {
                amount: inner.req(&inner_path, "amount")?,
            },
            "platform_subsidy" => PromotionKind::PlatformSubsidy {
                amount: inner.req(&inner_path, "amount")?,
            },
            _ => PromotionKind::FreeShippingOver {
                threshold: inner.req(&inner_path, "threshold")?,
            },
        })
    }
}
