//! The prices-and-stock sheet: the CSV file a seller exports from the panel, edits in a
//! spreadsheet and imports back. This module reads and writes the file; it knows nothing
//! of the database (see [`super::imports`] for checking rows against the seller's
//! listings and applying them).
//!
//! # The format
//! One header line, then one row per price or per stock count:
//!
//! ```text
//! sku,title,mode,version,market,currency,price,supply_price,warehouse,on_hand,reserved
//! VT-PB-0001,Power bank 10000 mAh,semi_managed,3,US,USD,24.99,,,,
//! VT-PB-0001,Power bank 10000 mAh,semi_managed,3,,,,,us-3pl-ca,120,4
//! ```
//!
//! - A row with `market` is a **price**: `price` is what shoppers pay for one unit in the
//!   market's currency (VAT included where the market shows prices with VAT), written as
//!   a decimal number with at most the currency's decimal digits (`24.99`; `25900` for
//!   KRW). Under fully managed the platform sets `price`; the seller's column is
//!   `supply_price`, and `price` is there to read.
//! - A row with `warehouse` is **stock**: `on_hand`, whole units. `reserved` (units held
//!   for open orders) is there to read.
//! - `title`, `mode` and `reserved` are read-only: an import ignores them. `version` is the
//!   SKU's version when the file was exported: an import refuses to overwrite a value that
//!   changed since (empty the cell to overwrite anyway).
//! - Columns may come in any order, with any case and spaces for underscores
//!   (`Supply price`), and only `sku` is required: a file of `sku,warehouse,on_hand`
//!   updates stock only. Unknown columns are refused, so a misspelt column never drops a
//!   change silently.
//! - The export starts with a UTF-8 byte order mark so spreadsheet programs read
//!   non-ASCII titles right; the import takes UTF-8 with or without it, separated by
//!   commas, semicolons or tabs (what the header uses). In a semicolon- or tab-separated
//!   file a decimal comma is read too (`24,99`).
//!
//! Reading never stops at the first problem: it reports every problem it finds, each with
//! its line and column, so a seller fixes a file in one pass.

use crossdock_core::Money;
use serde::Serialize;
use utoipa::ToSchema;

/// The columns of an export, in order.
pub const COLUMNS: [&str; 11] = [
    "sku",
    "title",
    "mode",
    "version",
    "market",
    "currency",
    "price",
    "supply_price",
    "warehouse",
    "on_hand",
    "reserved",
];

/// Most rows one file may have (a seller with more splits the file).
pub const MAX_ROWS: usize = 50_000;

/// A problem with the file, at a line (1 is the header) and, where there is one, a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    /// The line of the file, counting the header as line 1 (a row whose quoted cell spans
    /// lines counts from its first line).
    pub line: u64,
    /// The column at fault, as the header names it, when it is one cell.
    pub column: Option<String>,
    /// The row's SKU, when it has one.
    pub sku: Option<String>,
    /// What is wrong, and how to fix it.
    pub message: String,
}

impl Problem {
    pub fn new(line: u64, column: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            line,
            column: column.map(str::to_string),
            sku: None,
            message: message.into(),
        }
    }
}

/// A decimal number as written, exactly: `mantissa × 10^-scale`, without trailing zeros
/// after the point (`24.90` is 249 and 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i64,
    pub scale: u8,
}

impl Decimal {
    /// The amount in minor units of a currency with `exponent` decimal digits, or `None`
    /// when it has more digits than that (or is out of range).
    pub fn to_minor(self, exponent: u8) -> Option<i64> {
        if self.scale > exponent {
            return None;
        }
        10i64
            .checked_pow(u32::from(exponent - self.scale))
            .and_then(|f| self.mantissa.checked_mul(f))
    }
}

/// What a row asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A price in `market` (as typed).
    Price {
        market: String,
        /// As typed; `None`: the market's.
        currency: Option<String>,
        price: Option<Decimal>,
        supply_price: Option<Decimal>,
    },
    /// Units on hand in `warehouse` (as typed).
    Stock { warehouse: String, on_hand: i64 },
}

/// One row of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub sku: String,
    /// The SKU's version when the file was exported, if the file says.
    pub version: Option<i64>,
    pub target: Target,
}

/// A file read: its rows, and every problem found in it.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
    /// Data rows in the file (blank lines not counted), including those with problems.
    pub row_count: usize,
}

/// The cell separator the header line uses: the most frequent of comma, semicolon and
/// tab outside quotes (comma when none is there).
fn delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, semicolon, tab] = counts;
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

/// A header name as a column id: trimmed, lower-case, spaces and dashes as underscores.
fn column_id(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Reads a decimal amount (`24.99`, `25900`, `0.5`); `decimal_comma` also takes `24,99`.
pub fn parse_decimal(text: &str, decimal_comma: bool) -> Result<Decimal, String> {
    let t = text.trim();
    if t.starts_with(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.' || c == ','))
        || t.ends_with(|c: char| c.is_alphabetic())
    {
        return Err(format!(
            "\"{t}\" is not an amount: write the number alone, without a currency sign or code (e.g. 24.99); the currency column names the currency"
        ));
    }
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let point = if decimal_comma && !digits.contains('.') {
        ','
    } else {
        '.'
    };
    if digits.contains(',') && point == '.' {
        return Err(format!(
            "\"{t}\" has a comma: write amounts without thousands separators, with a point before the decimals (e.g. 1299.00)"
        ));
    }
    let (whole, frac) = match digits.split_once(point) {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    let well_formed = !(whole.is_empty() && frac.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(format!(
            "\"{t}\" is not an amount: write digits with at most one decimal point (e.g. 24.99)"
        ));
    }
    let frac = frac.trim_end_matches('0');
    let too_large = || format!("\"{t}\" is far too large");
    let mut mantissa: i64 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    let scale = u8::try_from(frac.len()).map_err(|_| too_large())?;
    Ok(Decimal {
        mantissa: if negative { -mantissa } else { mantissa },
        scale,
    })
}

/// Reads a whole count of units (`120`; `120.0` too, as spreadsheets sometimes write it).
pub fn parse_units(text: &str) -> Result<i64, String> {
    let t = text.trim();
    match parse_decimal(t, false) {
        Ok(d) if d.scale == 0 => Ok(d.mantissa),
        Ok(_) => Err(format!(
            "stock is counted in whole units (got {t}): write a whole number such as 120"
        )),
        Err(_) => Err(format!(
            "\"{t}\" is not a number of units: write a whole number such as 120"
        )),
    }
}

/// Reads an import file. Never fails as a whole: what cannot be read is a [`Problem`].
pub fn read(text: &str) -> Sheet {
    let mut sheet = Sheet::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first_line.is_empty() {
        sheet.problems.push(Problem::new(
            1,
            None,
            format!(
                "the file is empty: export your prices and stock first, or start the file with the header line {}",
                COLUMNS.join(",")
            ),
        ));
        return sheet;
    }
    // Line numbers from byte offsets (the csv reader skips blank lines when it counts).
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    // A record's position is where the reader stood after the previous one: skip the
    // line ends (and blank lines) before it.
    let bytes = text.as_bytes();
    let line_at = |pos: Option<&csv::Position>| -> u64 {
        let mut byte = usize::try_from(pos.map_or(0, csv::Position::byte)).unwrap_or(usize::MAX);
        while bytes.get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            byte += 1;
        }
        let line = line_starts.partition_point(|&start| start <= byte);
        u64::try_from(line.max(1)).unwrap_or(u64::MAX)
    };
    let delim = delimiter(first_line);
    let decimal_comma = delim != b',';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    // The header.
    let header = loop {
        match records.next() {
            None => return sheet,
            Some(Err(e)) => {
                sheet
                    .problems
                    .push(Problem::new(line_at(e.position()), None, csv_message(&e)));
                return sheet;
            }
            Some(Ok(r)) if r.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok(r)) => break r,
        }
    };
    let header_line = line_at(header.position());
    let names: Vec<String> = header.iter().map(column_id).collect();
    let mut columns: Vec<(String, usize)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if !COLUMNS.contains(&name.as_str()) {
            sheet.problems.push(Problem::new(
                header_line,
                Some(header.get(i).unwrap_or("").trim()),
                format!(
                    "unknown column \"{}\": the columns are {} (rename or delete it)",
                    header.get(i).unwrap_or("").trim(),
                    COLUMNS.join(", ")
                ),
            ));
        } else if columns.iter().any(|(n, _)| n == name) {
            sheet.problems.push(Problem::new(
                header_line,
                Some(name),
                format!("the column {name} is there twice: keep one"),
            ));
        } else {
            columns.push((name.clone(), i));
        }
    }
    let col = |name: &str| columns.iter().find(|(n, _)| n == name).map(|(_, i)| *i);
    if col("sku").is_none() {
        sheet.problems.push(Problem::new(
            header_line,
            None,
            format!(
                "the header has no sku column: the first line must name the columns, e.g. {}",
                COLUMNS.join(",")
            ),
        ));
    }
    if col("market").is_none() && col("warehouse").is_none() {
        sheet.problems.push(Problem::new(
            header_line,
            None,
            "the header has neither a market column (for prices) nor a warehouse column (for stock): add the one you are changing",
        ));
    }
    if col("market").is_some() && col("price").is_none() && col("supply_price").is_none() {
        sheet.problems.push(Problem::new(
            header_line,
            Some("market"),
            "there is a market column but no price or supply_price column: add the prices you are changing",
        ));
    }
    if col("warehouse").is_some() && col("on_hand").is_none() {
        sheet.problems.push(Problem::new(
            header_line,
            Some("warehouse"),
            "there is a warehouse column but no on_hand column: add the units on hand",
        ));
    }
    if !sheet.problems.is_empty() {
        return sheet;
    }
    let width = header.len();

    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                sheet.row_count += 1;
                sheet
                    .problems
                    .push(Problem::new(line_at(e.position()), None, csv_message(&e)));
                // A broken quote swallows the rest of the file: stop there.
                if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    continue;
                }
                break;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        sheet.row_count += 1;
        let line = line_at(record.position());
        if sheet.row_count > MAX_ROWS {
            sheet.problems.push(Problem::new(
                line,
                None,
                format!("the file has more than {MAX_ROWS} rows: split it into smaller files"),
            ));
            break;
        }
        if record.len() > width && record.iter().skip(width).any(|c| !c.trim().is_empty()) {
            sheet.problems.push(Problem::new(
                line,
                None,
                format!(
                    "this row has {} cells but the header names {width} columns: put quotes around a cell that contains a {}",
                    record.len(),
                    match delim {
                        b';' => "semicolon",
                        b'\t' => "tab",
                        _ => "comma",
                    }
                ),
            ));
            continue;
        }
        let cell = |name: &str| -> Option<&str> {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|c| !c.is_empty())
        };
        match read_row(line, &cell, decimal_comma) {
            Ok(row) => sheet.rows.push(row),
            Err(mut problems) => {
                let sku = cell("sku").map(str::to_string);
                for p in &mut problems {
                    p.sku.clone_from(&sku);
                }
                sheet.problems.extend(problems);
            }
        }
    }
    if sheet.row_count == 0 && sheet.problems.is_empty() {
        sheet.problems.push(Problem::new(
            header_line + 1,
            None,
            "the file has a header but no rows: add a row per price or stock count to change",
        ));
    }
    sheet
}

/// One data row, or its problems (every cell checked).
fn read_row<'a>(
    line: u64,
    cell: &dyn Fn(&str) -> Option<&'a str>,
    decimal_comma: bool,
) -> Result<Row, Vec<Problem>> {
    let mut problems = Vec::new();
    let sku = cell("sku");
    if sku.is_none() {
        problems.push(Problem::new(
            line,
            Some("sku"),
            "the sku is empty: every row names the SKU it changes",
        ));
    }
    let version = match cell("version") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                problems.push(Problem::new(
                    line,
                    Some("version"),
                    format!(
                        "\"{v}\" is not a version: keep the number the export wrote, or empty the cell"
                    ),
                ));
                None
            }
        },
    };
    let mut amount = |name: &str| -> Option<Decimal> {
        let text = cell(name)?;
        match parse_decimal(text, decimal_comma) {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(Problem::new(line, Some(name), m));
                None
            }
        }
    };
    let target = match (cell("market"), cell("warehouse")) {
        (Some(_), Some(_)) => {
            problems.push(Problem::new(
                line,
                None,
                "a row is either a price (market) or a stock count (warehouse), not both: split it into two rows",
            ));
            None
        }
        (None, None) => {
            problems.push(Problem::new(
                line,
                None,
                "the row names neither a market (for a price) nor a warehouse (for stock): fill in one of them",
            ));
            None
        }
        (Some(market), None) => {
            let price = amount("price");
            let supply_price = amount("supply_price");
            if cell("price").is_none() && cell("supply_price").is_none() {
                problems.push(Problem::new(
                    line,
                    Some("price"),
                    format!(
                        "no price for {market}: give the price (or, under fully managed, the supply price), or delete the row"
                    ),
                ));
            }
            Some(Target::Price {
                market: market.to_string(),
                currency: cell("currency").map(str::to_string),
                price,
                supply_price,
            })
        }
        (None, Some(warehouse)) => match cell("on_hand") {
            None => {
                problems.push(Problem::new(
                    line,
                    Some("on_hand"),
                    format!(
                        "no units on hand for {warehouse}: give a whole number (0 when it is empty), or delete the row"
                    ),
                ));
                None
            }
            Some(text) => match parse_units(text) {
                Ok(on_hand) => Some(Target::Stock {
                    warehouse: warehouse.to_string(),
                    on_hand,
                }),
                Err(m) => {
                    problems.push(Problem::new(line, Some("on_hand"), m));
                    None
                }
            },
        },
    };
    match (sku, target) {
        (Some(sku), Some(target)) if problems.is_empty() => Ok(Row {
            line,
            sku: sku.to_string(),
            version,
            target,
        }),
        _ => Err(problems),
    }
}

/// A CSV syntax error in a seller's words.
fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "this line is not UTF-8 text: save the file as \"CSV UTF-8\" in your spreadsheet program".into(),
        _ => format!(
            "this line cannot be read as CSV ({e}): check the quotes; a quote inside a quoted cell is written twice (\"\")"
        ),
    }
}

/// One line of an export, by column of [`COLUMNS`].
#[derive(Debug, Clone, Default)]
pub struct ExportRow<'a> {
    pub sku: &'a str,
    pub title: &'a str,
    pub mode: &'a str,
    pub version: i64,
    pub market: &'a str,
    pub currency: &'a str,
    pub price: Option<Money>,
    pub supply_price: Option<Money>,
    pub warehouse: &'a str,
    pub on_hand: Option<i64>,
    pub reserved: Option<i64>,
}

/// Writes an export: a byte order mark, the header, then `rows`.
pub fn write(rows: &[ExportRow<'_>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for r in rows {
            let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
            let money = |m: Option<Money>| m.map(|m| m.to_decimal_string()).unwrap_or_default();
            w.write_record([
                r.sku,
                r.title,
                r.mode,
                &r.version.to_string(),
                r.market,
                r.currency,
                &money(r.price),
                &money(r.supply_price),
                r.warehouse,
                &opt(r.on_hand),
                &opt(r.reserved),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::money::{Currency, CurrencyCode};

    fn usd(minor: i64) -> Money {
        Money::from_minor(
            minor,
            Currency {
                code: CurrencyCode::new("USD").unwrap(),
                exponent: 2,
            },
        )
    }

    const HEADER: &str =
        "sku,title,mode,version,market,currency,price,supply_price,warehouse,on_hand,reserved";

    #[test]
    fn amounts_are_read_exactly_with_the_currency_digits() {
        let d = |t| parse_decimal(t, false).unwrap();
        assert_eq!(d("24.99").to_minor(2), Some(2499));
        assert_eq!(d("24.9").to_minor(2), Some(2490));
        assert_eq!(d("24.90").to_minor(2), Some(2490));
        assert_eq!(d("24").to_minor(2), Some(2400));
        assert_eq!(d(".5").to_minor(2), Some(50));
        assert_eq!(d("25900").to_minor(0), Some(25900));
        assert_eq!(d("25900.00").to_minor(0), Some(25900));
        assert_eq!(d("24.999").to_minor(2), None, "three digits for USD");
        assert_eq!(d("259.5").to_minor(0), None, "KRW has no minor unit");
        assert_eq!(d("-3.5").to_minor(2), Some(-350));
        assert_eq!(d("92233720368547758.07").to_minor(4), None, "overflow");
        assert_eq!(
            parse_decimal("24,99", true).unwrap().to_minor(2),
            Some(2499),
            "a decimal comma in a semicolon file"
        );
    }

    #[test]
    fn amounts_that_are_not_plain_numbers_say_how_to_write_them() {
        for (text, says) in [
            ("$24.99", "without a currency sign"),
            ("24.99 USD", "without a currency sign"),
            ("1,299.00", "without thousands separators"),
            ("24.9.9", "at most one decimal point"),
            ("twelve", "without a currency sign"),
            ("", "not an amount"),
            ("99999999999999999999", "far too large"),
        ] {
            let e = parse_decimal(text, false).unwrap_err();
            assert!(e.contains(says), "{text:?}: {e}");
        }
        assert_eq!(parse_units("120").unwrap(), 120);
        assert_eq!(parse_units("120.0").unwrap(), 120);
        assert!(parse_units("12.5").unwrap_err().contains("whole units"));
        assert!(parse_units("lots").unwrap_err().contains("whole number"));
    }

    #[test]
    fn export_and_read_round_trip() {
        let rows = [
            ExportRow {
                sku: "VT-1",
                title: "Power bank, 10 000 mAh \"slim\"",
                mode: "semi_managed",
                version: 3,
                market: "US",
                currency: "USD",
                price: Some(usd(2499)),
                ..ExportRow::default()
            },
            ExportRow {
                sku: "VT-1",
                title: "Power bank, 10 000 mAh \"slim\"",
                mode: "semi_managed",
                version: 3,
                warehouse: "us-3pl-ca",
                on_hand: Some(120),
                reserved: Some(4),
                ..ExportRow::default()
            },
        ];
        let bytes = write(&rows).unwrap();
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "a byte order mark"
        );
        let text = String::from_utf8(bytes).unwrap();
        let sheet = read(&text);
        assert_eq!(sheet.problems, vec![]);
        assert_eq!(sheet.row_count, 2);
        assert_eq!(
            sheet.rows,
            vec![
                Row {
                    line: 2,
                    sku: "VT-1".into(),
                    version: Some(3),
                    target: Target::Price {
                        market: "US".into(),
                        currency: Some("USD".into()),
                        price: Some(Decimal {
                            mantissa: 2499,
                            scale: 2
                        }),
                        supply_price: None,
                    },
                },
                Row {
                    line: 3,
                    sku: "VT-1".into(),
                    version: Some(3),
                    target: Target::Stock {
                        warehouse: "us-3pl-ca".into(),
                        on_hand: 120
                    },
                },
            ]
        );
    }

    #[test]
    fn a_short_file_with_friendly_headers_and_semicolons_is_read() {
        let sheet = read("SKU;Warehouse;On hand\r\nVT-1;us-3pl-ca;12\r\n\r\nVT-2;us-3pl-ca;0\r\n");
        assert_eq!(sheet.problems, vec![]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[1].line, 4, "blank lines still count as lines");
        let sheet = read("sku;market;price\nVT-1;DE;19,99\n");
        assert_eq!(sheet.problems, vec![]);
        assert!(matches!(
            &sheet.rows[0].target,
            Target::Price { price: Some(d), .. } if d.to_minor(2) == Some(1999)
        ));
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let text = format!(
            "{HEADER}\n\
             VT-1,,,,US,USD,$5,,,,\n\
             ,,,,US,USD,5.00,,,,\n\
             VT-1,,,,,,,,us-3pl-ca,-,\n\
             VT-1,,,,US,,,,us-3pl-ca,3,\n\
             VT-1,,,x,,,,,,,\n\
             VT-1,,,,US,USD,,,,,\n\
             VT-1,,,,,,,,us-3pl-ca,,\n"
        );
        let sheet = read(&text);
        let got: Vec<(u64, Option<&str>)> = sheet
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("price")),
                (3, Some("sku")),
                (4, Some("on_hand")),
                (5, None),
                (6, Some("version")),
                (6, None),
                (7, Some("price")),
                (8, Some("on_hand")),
            ]
        );
        assert_eq!(sheet.problems[0].sku.as_deref(), Some("VT-1"));
        assert!(sheet.rows.is_empty());
        assert_eq!(sheet.row_count, 7);
    }

    #[test]
    fn header_problems_name_the_columns() {
        let p = read("sku,market,prise\nVT-1,US,5\n").problems;
        assert!(p[0].message.contains("unknown column \"prise\""), "{p:?}");
        assert!(p[0].message.contains("supply_price"), "lists the columns");
        let p = read("title,market,price\nx,US,5\n").problems;
        assert!(
            p.iter().any(|p| p.message.contains("no sku column")),
            "{p:?}"
        );
        let p = read("sku,title\nVT-1,x\n").problems;
        assert!(p[0].message.contains("neither a market"), "{p:?}");
        assert!(read("").problems[0].message.contains("empty"));
        assert!(
            read("\u{feff}sku,market,price\n").problems[0]
                .message
                .contains("no rows")
        );
    }

    #[test]
    fn a_row_with_extra_cells_asks_for_quotes() {
        let sheet = read("sku,title,market,price\nVT-1,Bolts, nuts,US,5\n");
        assert_eq!(sheet.problems.len(), 1);
        assert!(sheet.problems[0].message.contains("quotes"), "{sheet:?}");
    }

    #[test]
    fn a_broken_quote_is_reported_at_its_line() {
        let sheet = read("sku,title,market,price\nVT-1,\"open,US,5\nVT-2,x,US,5\n");
        assert!(sheet.rows.is_empty());
        // The csv reader takes an unclosed quote to the end of the file as one cell: the
        // row then has too few cells and no market.
        assert!(!sheet.problems.is_empty());
        assert_eq!(sheet.problems[0].line, 2);
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut text = String::from("sku,warehouse,on_hand\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("S{i},w,1\n"));
        }
        let sheet = read(&text);
        assert_eq!(sheet.problems.len(), 1);
        assert!(sheet.problems[0].message.contains("split it"));
    }

    #[test]
    fn amounts_are_written_with_the_currency_digits() {
        assert_eq!(usd(2499).to_decimal_string(), "24.99");
        assert_eq!(usd(5).to_decimal_string(), "0.05");
        assert_eq!(usd(-250).to_decimal_string(), "-2.50");
        let krw = Money::from_minor(
            25900,
            Currency {
                code: CurrencyCode::new("KRW").unwrap(),
                exponent: 0,
            },
        );
        assert_eq!(krw.to_decimal_string(), "25900");
    }
}
