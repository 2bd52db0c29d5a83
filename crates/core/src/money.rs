//! Money as integer minor units with the currency attached, and FX as exact
//! fixed-point rates. No floating point: every rounding names its mode.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a money operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    CurrencyMismatch {
        left: CurrencyCode,
        right: CurrencyCode,
    },
    /// The result does not fit in an `i64` of minor units.
    Overflow,
    /// A currency code is not three capital letters.
    BadCode(String),
    /// A decimal amount could not be read.
    BadDecimal(String),
    /// There is no FX rate for this currency in the snapshot.
    NoRate(CurrencyCode),
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::CurrencyMismatch { left, right } => {
                write!(f, "cannot combine {left} with {right}")
            }
            MoneyError::Overflow => f.write_str("amount too large"),
            MoneyError::BadCode(c) => {
                write!(
                    f,
                    "\"{c}\" is not a currency code: use three capital letters like USD"
                )
            }
            MoneyError::BadDecimal(s) => write!(
                f,
                "\"{s}\" is not a decimal number: write digits with at most one '.', like 1380.25"
            ),
            MoneyError::NoRate(c) => write!(f, "no exchange rate for {c}"),
        }
    }
}

impl std::error::Error for MoneyError {}

/// An ISO 4217 code: three ASCII capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    /// ISO 4217's code for "no currency", used where a value is needed but none applies.
    pub const XXX: CurrencyCode = CurrencyCode(*b"XXX");

    /// Checks that `s` is three capital letters.
    pub fn new(s: &str) -> Result<CurrencyCode, MoneyError> {
        let b = s.as_bytes();
        match b {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(CurrencyCode([*a, *b, *c]))
            }
            _ => Err(MoneyError::BadCode(s.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CurrencyCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CurrencyCode::new(&s).map_err(serde::de::Error::custom)
    }
}

/// A currency: its code and how many decimal digits its minor unit has
/// (2 for USD, 0 for KRW).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Currency {
    pub code: CurrencyCode,
    pub exponent: u8,
}

/// How a division that does not come out even is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Toward positive infinity (costs we must not understate).
    Up,
    /// Toward negative infinity.
    Down,
    /// To nearest, halves away from zero (shown prices).
    HalfUp,
    /// To nearest, halves to even (accounting).
    HalfEven,
}

/// `num / den` rounded as asked. `den` must be positive.
pub fn div_round(num: i128, den: i128, mode: Rounding) -> Option<i128> {
    if den <= 0 {
        return None;
    }
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    if r == 0 {
        return Some(q);
    }
    Some(match mode {
        Rounding::Down => q,
        Rounding::Up => q + 1,
        Rounding::HalfUp => {
            // Compare 2r with den; halves go away from zero.
            let twice = 2 * r;
            if twice > den || (twice == den && num >= 0) {
                q + 1
            } else {
                q
            }
        }
        Rounding::HalfEven => {
            let twice = 2 * r;
            if twice > den || (twice == den && q % 2 != 0) {
                q + 1
            } else {
                q
            }
        }
    })
}

/// An amount of money: integer minor units of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `self × num / den`, rounded as asked.
    pub fn mul_ratio(self, num: i64, den: i64, mode: Rounding) -> Result<Money, MoneyError> {
        let v = div_round(
            i128::from(self.minor) * i128::from(num),
            i128::from(den),
            mode,
        )
        .ok_or(MoneyError::Overflow)?;
        let minor = i64::try_from(v).map_err(|_| MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// Splits `self` into parts proportional to `weights`; the parts always sum to `self`.
    /// Remainders go one minor unit at a time to the parts with the largest fractional
    /// share, ties to the earlier part. All-zero weights split evenly.
    pub fn allocate(self, weights: &[u64]) -> Vec<Money> {
        if weights.is_empty() {
            return Vec::new();
        }
        let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
        let even;
        let (weights, total): (&[u64], u128) = if total == 0 {
            even = vec![1u64; weights.len()];
            (&even, even.len() as u128)
        } else {
            (weights, total)
        };
        let amount = i128::from(self.minor);
        let mut parts = Vec::with_capacity(weights.len());
        let mut remainders = Vec::with_capacity(weights.len());
        let mut given: i128 = 0;
        for (i, w) in weights.iter().enumerate() {
            let share = amount * (*w as i128);
            let q = share.div_euclid(total as i128);
            let r = share.rem_euclid(total as i128);
            given += q;
            parts.push(q);
            remainders.push((r, i));
        }
        let mut left = amount - given;
        // Largest remainder first; stable on index for ties.
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut k = 0;
        while left > 0 && !remainders.is_empty() {
            if let Some((_, i)) = remainders.get(k % remainders.len())
                && let Some(p) = parts.get_mut(*i)
            {
                *p += 1;
            }
            left -= 1;
            k += 1;
        }
        parts
            .into_iter()
            .map(|m| Money {
                minor: i64::try_from(m).unwrap_or(self.minor),
                currency: self.currency,
            })
            .collect()
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency.code == other.currency.code {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency.code,
                right: other.currency.code,
            })
        }
    }

    /// The amount as a plain decimal string ("12.50", "-3.05", "15000").
    pub fn to_decimal_string(&self) -> String {
        let exp = u32::from(self.currency.exponent);
        if exp == 0 {
            return self.minor.to_string();
        }
        let scale = 10i128.pow(exp);
        let v = i128::from(self.minor);
        let sign = if v < 0 { "-" } else { "" };
        let v = v.abs();
        format!(
            "{sign}{}.{:0width$}",
            v / scale,
            v % scale,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency.code)
    }
}

#[derive(Serialize, Deserialize)]
struct MoneyRepr {
    minor: i64,
    currency: CurrencyCode,
    exponent: u8,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MoneyRepr {
            minor: self.minor,
            currency: self.currency.code,
            exponent: self.currency.exponent,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = MoneyRepr::deserialize(d)?;
        if r.exponent > 4 {
            return Err(serde::de::Error::custom("currency exponent above 4"));
        }
        Ok(Money {
            minor: r.minor,
            currency: Currency {
                code: r.currency,
                exponent: r.exponent,
            },
        })
    }
}

/// Fixed-point scale of FX rates: rates are stored in millionths.
pub const FX_SCALE: i128 = 1_000_000;

/// Parses a non-negative decimal ("1380.25") into an integer scaled by 10^`digits`,
/// refusing more fractional digits than that.
pub fn parse_decimal_scaled(s: &str, digits: u32) -> Result<i64, MoneyError> {
    let bad = || MoneyError::BadDecimal(s.to_string());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > digits as usize
        || int.len() > 12
    {
        return Err(bad());
    }
    let int: i64 = int.parse().map_err(|_| bad())?;
    let mut frac_v: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    for _ in frac.len()..digits as usize {
        frac_v *= 10;
    }
    int.checked_mul(10i64.pow(digits))
        .and_then(|v| v.checked_add(frac_v))
        .ok_or_else(bad)
}

/// Converts `amount` into `to`, given both currencies' rates against a common base
/// (units of the currency per one unit of the base, in millionths). Rounds as asked.
pub fn convert(
    amount: Money,
    from_rate_micro: i64,
    to: Currency,
    to_rate_micro: i64,
    mode: Rounding,
) -> Result<Money, MoneyError> {
    if amount.currency.code == to.code {
        return Ok(amount);
    }
    // minor_to = minor_from / 10^e_from × (to_rate / from_rate) × 10^e_to
    let e_from = i128::from(amount.currency.exponent);
    let e_to = i128::from(to.exponent);
    let mut num = i128::from(amount.minor) * i128::from(to_rate_micro);
    let mut den = i128::from(from_rate_micro);
    if e_to >= e_from {
        num = num
            .checked_mul(10i128.pow((e_to - e_from) as u32))
            .ok_or(MoneyError::Overflow)?;
    } else {
        den = den
            .checked_mul(10i128.pow((e_from - e_to) as u32))
            .ok_or(MoneyError::Overflow)?;
    }
    let v = div_round(num, den, mode).ok_or(MoneyError::Overflow)?;
    Ok(Money::from_minor(
        i64::try_from(v).map_err(|_| MoneyError::Overflow)?,
        to,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency {
            code: CurrencyCode::new("USD").unwrap(),
            exponent: 2,
        }
    }
    fn krw() -> Currency {
        Currency {
            code: CurrencyCode::new("KRW").unwrap(),
            exponent: 0,
        }
    }

    #[test]
    fn rounding_modes_differ_only_where_they_should() {
        use Rounding::*;
        assert_eq!(div_round(5, 2, Up), Some(3));
        assert_eq!(div_round(5, 2, Down), Some(2));
        assert_eq!(div_round(5, 2, HalfUp), Some(3));
        assert_eq!(div_round(5, 2, HalfEven), Some(2));
        assert_eq!(div_round(7, 2, HalfEven), Some(4));
        assert_eq!(div_round(-5, 2, HalfUp), Some(-3));
        assert_eq!(div_round(-5, 2, Down), Some(-3));
        assert_eq!(div_round(4, 0, Up), None);
    }

    #[test]
    fn allocation_hands_out_remainders_deterministically() {
        let m = Money::from_minor(100, usd());
        let parts = m.allocate(&[1, 1, 1]);
        assert_eq!(
            parts.iter().map(Money::minor).collect::<Vec<_>>(),
            vec![34, 33, 33]
        );
        let parts = Money::from_minor(-100, usd()).allocate(&[1, 1, 1]);
        assert_eq!(parts.iter().map(Money::minor).sum::<i64>(), -100);
        let parts = m.allocate(&[0, 0]);
        assert_eq!(
            parts.iter().map(Money::minor).collect::<Vec<_>>(),
            vec![50, 50]
        );
    }

    #[test]
    fn fx_converts_between_exponents() {
        // 1 USD = 1380.5 KRW.
        let usd_rate = 1_000_000;
        let krw_rate = parse_decimal_scaled("1380.5", 6).unwrap();
        let ten_dollars = Money::from_minor(1000, usd());
        let won = convert(ten_dollars, usd_rate, krw(), krw_rate, Rounding::HalfUp).unwrap();
        assert_eq!(won.minor(), 13805);
        let back = convert(won, krw_rate, usd(), usd_rate, Rounding::HalfUp).unwrap();
        assert_eq!(back.minor(), 1000);
    }

    #[test]
    fn decimals_are_parsed_strictly() {
        assert_eq!(parse_decimal_scaled("0.92", 6), Ok(920_000));
        assert!(parse_decimal_scaled("1.2345678", 6).is_err());
        assert!(parse_decimal_scaled("-1", 6).is_err());
        assert!(parse_decimal_scaled("1e3", 6).is_err());
        assert!(parse_decimal_scaled("", 6).is_err());
    }

    #[test]
    fn money_prints_with_its_exponent() {
        assert_eq!(Money::from_minor(-305, usd()).to_decimal_string(), "-3.05");
        assert_eq!(Money::from_minor(15000, krw()).to_decimal_string(), "15000");
        assert!(
            Money::from_minor(1, usd())
                .checked_add(Money::from_minor(1, krw()))
                .is_err()
        );
        assert!(
            Money::from_minor(i64::MAX, usd())
                .checked_add(Money::from_minor(1, usd()))
                .is_err()
        );
    }
}
