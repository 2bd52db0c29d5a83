//! What a seller types, checked before anything is sent, with messages a seller
//! understands: prices in the market's currency above zero and within the market's limit,
//! whole stock counts of zero or more, percentages within their range.

use crossdock_core::money::parse_decimal_scaled;
use crossdock_core::{Currency, Money};

/// The most units a stock field takes.
pub const MAX_STOCK: u64 = 10_000_000;
/// The deepest discount a promotion may give, in percent.
pub const MAX_DISCOUNT_PCT: u32 = 90;
/// The largest price change a bulk edit makes, up or down, in basis points.
pub const MAX_BULK_UP_BP: i64 = 30_000;
pub const MAX_BULK_DOWN_BP: i64 = 9_000;

/// How many decimals a currency's prices have, in words: "at most 2 decimals", "whole
/// numbers".
fn decimals_text(c: Currency) -> String {
    match c.exponent {
        0 => format!("{} prices are whole numbers", c.code),
        1 => format!("{} prices have at most 1 decimal", c.code),
        e => format!("{} prices have at most {e} decimals", c.code),
    }
}

/// An example amount in the currency: "19.99", "7900".
pub fn example_amount(c: Currency) -> String {
    match c.exponent {
        0 => "7900".to_string(),
        e => format!("19.{}", "9".repeat(usize::from(e))),
    }
}

/// Reads a decimal amount typed by a seller: spaces ignored, commas taken as thousands
/// separators when they are (`7,900`, `1,299.00`), refused otherwise (`19,99`: decimals
/// take a point). `None` text → the message.
fn read_amount(text: &str, c: Currency) -> Result<i64, String> {
    let t: String = text.chars().filter(|ch| !ch.is_whitespace()).collect();
    if t.is_empty() {
        return Err("Enter an amount.".into());
    }
    if t.starts_with('-') {
        return Err("The amount must be above zero.".into());
    }
    let t = t.strip_prefix('+').unwrap_or(&t);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let plain = if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or_default();
        let thousands = (1..=3).contains(&first.len())
            && groups
                .clone()
                .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !thousands {
            return Err(format!(
                "Write decimals with a point, like {}.",
                example_amount(c)
            ));
        }
        int.replace(',', "")
    } else {
        int.to_string()
    };
    let digits_ok = !plain.is_empty()
        && plain.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(t.contains('.') && frac.is_empty());
    if !digits_ok {
        return Err(format!(
            "Enter the amount as a number, like {}.",
            example_amount(c)
        ));
    }
    if frac.len() > usize::from(c.exponent) {
        return Err(format!(
            "{}.",
            crate::model::format::capitalise(&decimals_text(c))
        ));
    }
    let joined = if frac.is_empty() {
        plain
    } else {
        format!("{plain}.{frac}")
    };
    parse_decimal_scaled(&joined, u32::from(c.exponent))
        .map_err(|_| "That amount is too large.".to_string())
}

/// A price typed by the seller, in the market's currency: above zero and at most `limit`
/// (the market's sane limit). `what` names the field in messages ("The price").
pub fn parse_price(
    text: &str,
    c: Currency,
    limit: Option<Money>,
    what: &str,
) -> Result<Money, String> {
    let minor = read_amount(text, c).map_err(|e| {
        if e == "Enter an amount." {
            format!("Enter {}.", what.to_ascii_lowercase())
        } else {
            e.replace("The amount", what).replace("That amount", what)
        }
    })?;
    if minor == 0 {
        return Err(format!("{what} must be above zero."));
    }
    let m = Money::from_minor(minor, c);
    if let Some(l) = limit
        && minor > l.minor()
    {
        return Err(format!(
            "{what} is above this market's limit of {} {}.",
            l.to_decimal_string(),
            c.code
        ));
    }
    Ok(m)
}

/// An amount shown in an input: "19.99", "7900" (no thousands separators, so it reads
/// back as it is).
pub fn amount_input(m: Money) -> String {
    m.to_decimal_string()
}

/// A stock count: a whole number of units, zero or more.
pub fn parse_stock(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter how many units are on hand (0 or more).".into());
    }
    if t.starts_with('-') && t.len() > 1 {
        return Err("Stock cannot be below zero.".into());
    }
    if t.contains(['.', ',']) {
        return Err("Stock is counted in whole units, like 120.".into());
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Enter the stock as a whole number, like 120.".into());
    }
    match t.parse::<u64>() {
        Ok(n) if n <= MAX_STOCK => u32::try_from(n).map_err(|_| String::new()),
        _ => Err(format!(
            "That is more than a warehouse holds: at most {MAX_STOCK} units."
        )),
    }
}

/// A percentage with up to two decimals, signed ("-10", "+5", "2.5"), in basis points.
pub fn parse_percent_bp(text: &str) -> Result<i64, String> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '%')
        .collect();
    if t.is_empty() {
        return Err("Enter a percentage, like -10 or 5.".into());
    }
    let (negative, rest) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let bp = parse_decimal_scaled(rest, 2)
        .map_err(|_| "Enter a percentage as a number, like -10 or 2.5.".to_string())?;
    Ok(if negative { -bp } else { bp })
}

/// A bulk price change: a percentage up to +300 % or down to −90 %, not zero.
pub fn parse_bulk_change(text: &str) -> Result<i64, String> {
    let bp = parse_percent_bp(text)?;
    if bp == 0 {
        return Err("A change of 0 % changes nothing: enter, say, -10 or 5.".into());
    }
    if bp < -MAX_BULK_DOWN_BP {
        return Err(format!(
            "Prices can go down by at most {} %.",
            MAX_BULK_DOWN_BP / 100
        ));
    }
    if bp > MAX_BULK_UP_BP {
        return Err(format!(
            "Prices can go up by at most {} % at once.",
            MAX_BULK_UP_BP / 100
        ));
    }
    Ok(bp)
}

/// A promotion's discount: 1 to 90 %, whole or with decimals, in basis points.
pub fn parse_discount_bp(text: &str) -> Result<u32, String> {
    let bp = parse_percent_bp(text)?;
    if bp <= 0 {
        return Err("A discount must be above 0 %.".into());
    }
    let max = i64::from(MAX_DISCOUNT_PCT) * 100;
    if bp > max {
        return Err(format!("A discount can be at most {MAX_DISCOUNT_PCT} %."));
    }
    u32::try_from(bp).map_err(|_| String::new())
}

/// A target margin: 0 to 90 %, in basis points.
pub fn parse_target_bp(text: &str) -> Result<u32, String> {
    let bp = parse_percent_bp(text)?;
    if !(0..=9_000).contains(&bp) {
        return Err("A target margin is between 0 % and 90 %.".into());
    }
    u32::try_from(bp).map_err(|_| String::new())
}

/// Basis points as a percentage with its decimals, for inputs: 1250 → "12.5".
pub fn bp_input(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    let (int, frac) = (a / 100, a % 100);
    match frac {
        0 => format!("{sign}{int}"),
        f if f % 10 == 0 => format!("{sign}{int}.{}", f / 10),
        f => format!("{sign}{int}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::CurrencyCode;

    fn cur(code: &str, exponent: u8) -> Currency {
        Currency {
            code: CurrencyCode::new(code).unwrap(),
            exponent,
        }
    }

    #[test]
    fn prices_read_as_sellers_type_them() {
        let usd = cur("USD", 2);
        let krw = cur("KRW", 0);
        let ok = |t: &str, c: Currency| parse_price(t, c, None, "The price").map(|m| m.minor());
        for (text, minor) in [
            ("19.99", 1999),
            (" 19.9 ", 1990),
            ("19", 1900),
            ("+19.99", 1999),
            ("1,299.00", 129_900),
            ("1 299.5", 129_950),
            ("0.01", 1),
        ] {
            assert_eq!(ok(text, usd), Ok(minor), "{text}");
        }
        assert_eq!(ok("7,900", krw), Ok(7900));
        assert_eq!(ok("129000", krw), Ok(129_000));
    }

    #[test]
    fn bad_prices_say_what_to_type() {
        let usd = cur("USD", 2);
        let krw = cur("KRW", 0);
        let limit = Some(Money::from_minor(1_000_000, usd));
        let err = |t: &str, c: Currency| parse_price(t, c, limit, "The price").unwrap_err();
        assert_eq!(err("", usd), "Enter the price.");
        assert_eq!(err("0", usd), "The price must be above zero.");
        assert_eq!(err("0.00", usd), "The price must be above zero.");
        assert_eq!(err("-3", usd), "The price must be above zero.");
        assert_eq!(
            err("19,99", usd),
            "Write decimals with a point, like 19.99."
        );
        assert_eq!(err("19.999", usd), "USD prices have at most 2 decimals.");
        assert_eq!(err("19.5", krw), "KRW prices are whole numbers.");
        assert_eq!(err("$19", usd), "Enter the amount as a number, like 19.99.");
        assert_eq!(err("19.", usd), "Enter the amount as a number, like 19.99.");
        assert_eq!(
            err("10000.01", usd),
            "The price is above this market's limit of 10000.00 USD."
        );
        assert_eq!(err("99999999999999", usd), "The price is too large.");
        let supply = parse_price("", usd, None, "The supply price").unwrap_err();
        assert_eq!(supply, "Enter the supply price.");
    }

    #[test]
    fn stock_is_a_whole_count_of_zero_or_more() {
        assert_eq!(parse_stock("0"), Ok(0));
        assert_eq!(parse_stock(" 120 "), Ok(120));
        for (text, message) in [
            ("", "Enter how many units are on hand (0 or more)."),
            ("-1", "Stock cannot be below zero."),
            ("1.5", "Stock is counted in whole units, like 120."),
            ("1,000", "Stock is counted in whole units, like 120."),
            ("ten", "Enter the stock as a whole number, like 120."),
            (
                "99999999999",
                "That is more than a warehouse holds: at most 10000000 units.",
            ),
        ] {
            assert_eq!(parse_stock(text).unwrap_err(), message, "{text}");
        }
    }

    #[test]
    fn percentages_read_signed_with_decimals() {
        assert_eq!(parse_percent_bp("-10"), Ok(-1000));
        assert_eq!(parse_percent_bp("+5 %"), Ok(500));
        assert_eq!(parse_percent_bp("2.5"), Ok(250));
        assert_eq!(parse_percent_bp("−12.25"), Ok(-1225));
        assert!(parse_percent_bp("ten").is_err());
        assert!(parse_percent_bp("1.234").is_err());
        assert_eq!(parse_bulk_change("-10"), Ok(-1000));
        assert!(
            parse_bulk_change("0")
                .unwrap_err()
                .contains("changes nothing")
        );
        assert!(
            parse_bulk_change("-95")
                .unwrap_err()
                .contains("at most 90 %")
        );
        assert!(
            parse_bulk_change("301")
                .unwrap_err()
                .contains("at most 300 %")
        );
        assert_eq!(parse_discount_bp("25"), Ok(2500));
        assert!(parse_discount_bp("0").is_err());
        assert_eq!(
            parse_discount_bp("91").unwrap_err(),
            "A discount can be at most 90 %."
        );
        assert_eq!(parse_target_bp("20"), Ok(2000));
        assert!(parse_target_bp("95").is_err());
    }

    #[test]
    fn amounts_and_percentages_write_back_as_they_read() {
        let usd = cur("USD", 2);
        let m = Money::from_minor(1999, usd);
        assert_eq!(amount_input(m), "19.99");
        assert_eq!(parse_price(&amount_input(m), usd, None, "The price"), Ok(m));
        for bp in [0, 1250, -1000, 5, 2525, 9000] {
            assert_eq!(parse_percent_bp(&bp_input(bp)), Ok(bp), "{bp}");
        }
        assert_eq!(bp_input(1250), "12.5");
        assert_eq!(bp_input(-1005), "-10.05");
    }
}
