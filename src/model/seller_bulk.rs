//! Bulk edits of the SKU table: set the fulfilment mode of the selected SKUs, or change
//! their price in a market by a percentage. Each SKU is then saved on its own with the
//! version the table showed, so a SKU someone else changed meanwhile is not overwritten:
//! it is reported as a conflict, with the other outcomes, SKU by SKU.

use crossdock_core::Mode;
use crossdock_core::money::{Money, Rounding};
use crossdock_core::pricing::{PricePointTier, round_up_to_price_point};

/// What a bulk edit does to each selected SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    SetMode(Mode),
    /// Change the price (the supply price under fully managed) in a market by this many
    /// basis points (−1000: 10 % lower), optionally rounded up to the market's price
    /// points.
    ChangePrice {
        market: String,
        change_bp: i64,
        price_points: bool,
    },
}

/// The new price after a percentage change: rounded half up to the minor unit, then,
/// when asked, up to the next price point of `bands`. Never below one minor unit.
pub fn changed_price(
    price: Money,
    change_bp: i64,
    bands: Option<&[PricePointTier]>,
) -> Option<Money> {
    let factor = 10_000i64.checked_add(change_bp)?;
    if factor <= 0 {
        return None;
    }
    let raw = price.mul_ratio(factor, 10_000, Rounding::HalfUp).ok()?;
    let minor = raw.minor().max(1);
    let minor = match bands {
        Some(b) => round_up_to_price_point(minor, b)?,
        None => minor,
    };
    Some(Money::from_minor(minor, price.currency()))
}

/// How one SKU's save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOutcome {
    /// Still waiting for its turn.
    Pending,
    Saved,
    /// Nothing to do for this SKU (the same mode already; no price in the market).
    Skipped(String),
    /// Someone changed the SKU after the table was loaded; nothing was written.
    Conflict,
    /// The server refused or failed; its words.
    Failed(String),
}

impl BulkOutcome {
    /// Whether the SKU still needs the seller's attention.
    pub fn needs_attention(&self) -> bool {
        matches!(self, BulkOutcome::Conflict | BulkOutcome::Failed(_))
    }
}

/// A count of outcomes: "12 saved · 1 conflict · 1 failed".
pub fn outcome_summary(outcomes: &[BulkOutcome]) -> String {
    let count = |f: fn(&BulkOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let saved = count(|o| matches!(o, BulkOutcome::Saved));
    let skipped = count(|o| matches!(o, BulkOutcome::Skipped(_)));
    let conflicts = count(|o| matches!(o, BulkOutcome::Conflict));
    let failed = count(|o| matches!(o, BulkOutcome::Failed(_)));
    let pending = count(|o| matches!(o, BulkOutcome::Pending));
    let mut parts = vec![format!("{saved} saved")];
    if skipped > 0 {
        parts.push(format!("{skipped} unchanged"));
    }
    if conflicts > 0 {
        parts.push(format!(
            "{conflicts} changed by someone else meanwhile (not saved)"
        ));
    }
    if failed > 0 {
        parts.push(format!("{failed} failed"));
    }
    if pending > 0 {
        parts.push(format!("{pending} to go"));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::{Currency, CurrencyCode};

    fn usd(minor: i64) -> Money {
        Money::from_minor(
            minor,
            Currency {
                code: CurrencyCode::new("USD").unwrap(),
                exponent: 2,
            },
        )
    }

    #[test]
    fn a_percentage_change_rounds_half_up_to_the_cent() {
        for (price, bp, want) in [
            (1999, -1000, 1799), // 17.991
            (1999, 500, 2099),   // 20.9895
            (1000, -1250, 875),
            (1, -5000, 1),   // never below a cent
            (2995, 1, 2995), // 29.952995 → 29.95
        ] {
            assert_eq!(
                changed_price(usd(price), bp, None).map(|m| m.minor()),
                Some(want),
                "{price} {bp}"
            );
        }
        assert_eq!(changed_price(usd(1000), -10_000, None), None);
    }

    #[test]
    fn price_points_round_up_after_the_change() {
        let bands = [PricePointTier {
            from_minor: 0,
            step_minor: 100,
            ending_minor: 99,
        }];
        assert_eq!(
            changed_price(usd(1999), -1000, Some(&bands)).map(|m| m.minor()),
            Some(1799)
        );
        assert_eq!(
            changed_price(usd(2000), -1000, Some(&bands)).map(|m| m.minor()),
            Some(1899)
        );
        assert_eq!(
            changed_price(usd(2000), 0, Some(&bands)).map(|m| m.minor()),
            Some(2099)
        );
    }

    #[test]
    fn the_summary_counts_each_outcome() {
        let o = [
            BulkOutcome::Saved,
            BulkOutcome::Saved,
            BulkOutcome::Conflict,
            BulkOutcome::Failed("x".into()),
            BulkOutcome::Skipped("same".into()),
            BulkOutcome::Pending,
        ];
        assert_eq!(
            outcome_summary(&o),
            "2 saved · 1 unchanged · 1 changed by someone else meanwhile (not saved) · 1 failed · 1 to go"
        );
        assert!(BulkOutcome::Conflict.needs_attention());
        assert!(!BulkOutcome::Saved.needs_attention());
        assert_eq!(outcome_summary(&[]), "0 saved");
    }
}
