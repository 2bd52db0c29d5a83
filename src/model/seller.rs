//! The seller panel's logic in plain Rust, apart from any view, tested natively: the SKU
//! table's URL state ([`query`]), what a seller types and how it is checked ([`form`]),
//! the what-if pricing request built from a SKU and the seller's edits ([`whatif`]), what
//! a save sends and how a conflict is shown ([`edit`]), bulk edits with their outcome per
//! SKU ([`bulk`]), inbound sea shipments announced and listed ([`inbound`]), and CSV
//! imports followed and reported ([`import`]).

#[path = "seller_bulk.rs"]
pub mod bulk;
#[path = "seller_edit.rs"]
pub mod edit;
#[path = "seller_form.rs"]
pub mod form;
#[path = "seller_import.rs"]
pub mod import;
#[path = "seller_inbound.rs"]
pub mod inbound;
#[path = "seller_query.rs"]
pub mod query;
#[path = "seller_whatif.rs"]
pub mod whatif;

/// A wait in words, rounded up to the minute: "1 minute", "12 minutes", "30 seconds"
/// below a minute.
pub fn wait_text(secs: u64) -> String {
    if secs < 60 {
        let s = secs.max(1);
        return format!("{s} second{}", if s == 1 { "" } else { "s" });
    }
    let minutes = secs.div_ceil(60);
    format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_in_whole_minutes_rounded_up() {
        for (secs, text) in [
            (0, "1 second"),
            (1, "1 second"),
            (45, "45 seconds"),
            (60, "1 minute"),
            (61, "2 minutes"),
            (899, "15 minutes"),
        ] {
            assert_eq!(wait_text(secs), text, "{secs}");
        }
    }
}
