//! A CSV import of prices and stock, as the panel follows it: what the server answers
//! ([`ImportStatus`]), the progress bar, the outcome in a headline and the problems by
//! line and column, and the checks of a picked file before it is sent.

use crossdock_core::{Instant, json_enum, json_struct};

use crate::model::format::capitalise;
use crate::model::query::encode_component;

/// The largest file the server takes (16 MiB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Where an import's state stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportState {
    /// Reading and checking the rows.
    Checking,
    /// Every row is fine; writing them.
    Applying,
    /// Done: every change is saved.
    Applied,
    /// Check only, and every row is fine: nothing was written.
    Checked,
    /// Rows have problems: nothing was written.
    Rejected,
    /// Cut off (a restart, another import's conflict): nothing was written.
    Failed,
}

json_enum!(ImportState {
    Checking = "checking",
    Applying = "applying",
    Applied = "applied",
    Checked = "checked",
    Rejected = "rejected",
    Failed = "failed",
});

impl ImportState {
    /// Whether the import is still going (its status is worth asking again).
    pub fn is_running(self) -> bool {
        matches!(self, ImportState::Checking | ImportState::Applying)
    }
}

/// One problem of a file: its line (the header is line 1), the column at fault when it
/// is one cell, the row's SKU, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub line: u64,
    pub column: Option<String>,
    pub sku: Option<String>,
    pub message: String,
}

json_struct!(lenient ImportProblem { line, #[default] column, #[default] sku, message });

/// What the rows of an import change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub skus_changed: u64,
    pub prices_changed: u64,
    pub stock_changed: u64,
    pub rows_unchanged: u64,
}

json_struct!(lenient ImportSummary {
    #[default] skus_changed,
    #[default] prices_changed,
    #[default] stock_changed,
    #[default] rows_unchanged,
});

/// An import: state, progress and report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportStatus {
    pub id: i64,
    pub file_name: String,
    pub state: ImportState,
    pub check_only: bool,
    pub rows_total: u64,
    pub rows_checked: u64,
    /// The state in a sentence, from the server.
    pub message: String,
    /// The first problems (at most 1,000); `problem_count` counts them all.
    pub problems: Vec<ImportProblem>,
    pub problem_count: u64,
    pub summary: Option<ImportSummary>,
    pub created_at: Instant,
    pub finished_at: Option<Instant>,
}

json_struct!(lenient ImportStatus {
    id,
    #[default] file_name,
    state,
    #[default] check_only,
    #[default] rows_total,
    #[default] rows_checked,
    #[default] message,
    #[default] problems,
    #[default] problem_count,
    #[default] summary,
    created_at,
    #[default] finished_at,
});

/// The seller's recent imports, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportList {
    pub imports: Vec<ImportStatus>,
}

json_struct!(lenient ImportList { #[default] imports });

/// The upload's address: the file's name (for the list of imports) and whether to only
/// check it.
pub fn upload_url(file_name: &str, check_only: bool) -> String {
    let mut url = format!(
        "/api/seller/imports?file_name={}",
        encode_component(file_name)
    );
    if check_only {
        url.push_str("&check_only=true");
    }
    url
}

/// Whether a picked file can be sent: `Err` says what is wrong with it and what to do.
/// The server checks the same and more (the bytes); this saves uploading a workbook or a
/// file it would refuse for its size.
pub fn check_pick(file_name: &str, size: u64) -> Result<(), String> {
    let lower = file_name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    if matches!(ext, "xlsx" | "xlsm" | "xls" | "ods" | "numbers") {
        return Err(format!(
            "{file_name} is a spreadsheet workbook, not a CSV file. In your spreadsheet program choose Save as → \"CSV UTF-8 (comma delimited)\", then pick that file."
        ));
    }
    if size == 0 {
        return Err(format!(
            "{file_name} is empty. Pick the CSV file you downloaded with \"Download CSV\" and edited."
        ));
    }
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{file_name} is {}, larger than the 16 MB an import takes. Split it into smaller files and import them one by one.",
            size_text(size)
        ));
    }
    Ok(())
}

/// A file size: "820 bytes", "12 KB", "17.5 MB".
pub fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(MB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// A count with thousands separated: 10000 → "10,000".
pub fn count_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A progress bar: how far, of how much, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub value: u64,
    pub max: u64,
    pub label: String,
}

/// The progress bar of a running import; `None` once it has ended.
pub fn progress(s: &ImportStatus) -> Option<Progress> {
    let max = s.rows_total.max(1);
    match s.state {
        ImportState::Checking => {
            let value = s.rows_checked.min(max);
            Some(Progress {
                value,
                max,
                label: format!(
                    "Checked {} of {} rows ({} %)",
                    count_text(value),
                    count_text(s.rows_total),
                    value * 100 / max
                ),
            })
        }
        ImportState::Applying => Some(Progress {
            value: max,
            max,
            label: format!(
                "All {} rows are fine: saving the changes…",
                count_text(s.rows_total)
            ),
        }),
        _ => None,
    }
}

/// How an import went, in a few words, and its tone (`ok`, `warn`, `error`, `busy`) for
/// the report's colour.
pub fn headline(s: &ImportStatus) -> (&'static str, &'static str) {
    let changed = s.summary.is_some_and(|x| x.skus_changed > 0);
    match s.state {
        ImportState::Checking => ("Checking your file…", "busy"),
        ImportState::Applying => ("Saving the changes…", "busy"),
        ImportState::Applied if changed => ("Imported", "ok"),
        ImportState::Applied => ("Already up to date", "ok"),
        ImportState::Checked => ("The file is fine: nothing saved yet", "ok"),
        ImportState::Rejected => ("Nothing imported: the file has problems", "error"),
        ImportState::Failed => ("The import did not finish", "error"),
    }
}

/// A message of the server as a sentence: capitalised, with its full stop.
pub fn sentence(message: &str) -> String {
    let mut out = capitalise(message.trim());
    if !out.is_empty() && !out.ends_with(['.', '!', '?', '…']) {
        out.push('.');
    }
    out
}

/// Where a problem is: "Line 12, column price", or "Line 12" when it is the whole row.
pub fn place(p: &ImportProblem) -> String {
    match &p.column {
        Some(c) if !c.is_empty() => format!("Line {}, column {c}", p.line),
        _ => format!("Line {}", p.line),
    }
}

/// When the report lists only the first problems, says so.
pub fn unlisted(s: &ImportStatus) -> Option<String> {
    let listed = u64::try_from(s.problems.len()).unwrap_or(u64::MAX);
    (s.problem_count > listed).then(|| {
        format!(
            "These are the first {} of {} problems. Fix them and import again to see the rest.",
            count_text(listed),
            count_text(s.problem_count)
        )
    })
}

/// What the rows change, a figure each: (label, count).
pub fn summary_figures(s: &ImportSummary) -> [(&'static str, u64); 4] {
    [
        ("SKUs changed", s.skus_changed),
        ("Prices changed", s.prices_changed),
        ("Stock counts changed", s.stock_changed),
        ("Rows unchanged", s.rows_unchanged),
    ]
}

/// How long to wait before asking for a running import's progress again, after `polls`
/// asks: quick at first (small files finish in a moment), then once a second.
pub fn poll_delay_ms(polls: u32) -> u32 {
    200_u32.saturating_add(polls.saturating_mul(100)).min(1_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::json;

    #[test]
    fn a_rejected_import_reads_with_its_problems() {
        let text = r#"{"id":7,"file_name":"prices.csv","state":"rejected","check_only":false,
            "rows_total":3,"rows_checked":3,"message":"2 problems: nothing was applied",
            "problems":[{"line":2,"column":"price","sku":"VT-1","message":"the price is not a number"},
                        {"line":4,"column":null,"sku":null,"message":"the row has 3 cells"}],
            "problem_count":2,"summary":null,"created_at":"2026-12-05T10:00:00Z","finished_at":"2026-12-05T10:00:01Z"}"#;
        let s: ImportStatus = json::from_str(text).expect("reads");
        assert_eq!(s.state, ImportState::Rejected);
        assert!(!s.state.is_running());
        assert_eq!(s.problems.len(), 2);
        assert_eq!(s.problems[0].column.as_deref(), Some("price"));
        assert_eq!(s.problems[1].column, None);
        assert_eq!(s.summary, None);
        assert!(s.finished_at.is_some());
    }

    #[test]
    fn a_running_import_reads_without_a_report() {
        let text = r#"{"id":8,"file_name":"a.csv","state":"checking","check_only":true,
            "rows_total":10000,"rows_checked":2500,"message":"checking","problems":[],
            "problem_count":0,"summary":null,"created_at":"2026-12-05T10:00:00Z","finished_at":null}"#;
        let s: ImportStatus = json::from_str(text).expect("reads");
        assert!(s.state.is_running());
        assert_eq!((s.rows_checked, s.rows_total), (2500, 10000));
    }

    #[test]
    fn an_unknown_state_is_an_invalid_answer() {
        let text = r#"{"id":8,"state":"paused","created_at":"2026-12-05T10:00:00Z"}"#;
        assert!(json::from_str::<ImportStatus>(text).is_err());
    }

    #[test]
    fn the_upload_address_carries_the_name_encoded() {
        assert_eq!(
            upload_url("prices & stock.csv", false),
            "/api/seller/imports?file_name=prices%20%26%20stock.csv"
        );
        assert_eq!(
            upload_url("a.csv", true),
            "/api/seller/imports?file_name=a.csv&check_only=true"
        );
    }

    fn status(state: ImportState, checked: u64, total: u64) -> ImportStatus {
        ImportStatus {
            id: 1,
            file_name: "prices.csv".into(),
            state,
            check_only: false,
            rows_total: total,
            rows_checked: checked,
            message: String::new(),
            problems: Vec::new(),
            problem_count: 0,
            summary: None,
            created_at: Instant::from_unix(1_796_000_000).expect("an instant"),
            finished_at: None,
        }
    }

    #[test]
    fn the_progress_bar_follows_the_rows_checked() {
        let p = progress(&status(ImportState::Checking, 2_500, 10_000)).expect("running");
        assert_eq!((p.value, p.max), (2_500, 10_000));
        assert_eq!(p.label, "Checked 2,500 of 10,000 rows (25 %)");
        // An empty file and a count past the total stay on the bar.
        let p = progress(&status(ImportState::Checking, 0, 0)).expect("running");
        assert_eq!((p.value, p.max), (0, 1));
        let p = progress(&status(ImportState::Checking, 12, 10)).expect("running");
        assert_eq!((p.value, p.max), (10, 10));
        let p = progress(&status(ImportState::Applying, 10_000, 10_000)).expect("running");
        assert_eq!(p.value, p.max);
        assert!(p.label.contains("saving"), "{}", p.label);
        for ended in [
            ImportState::Applied,
            ImportState::Checked,
            ImportState::Rejected,
            ImportState::Failed,
        ] {
            assert_eq!(progress(&status(ended, 10, 10)), None, "{ended:?}");
        }
    }

    #[test]
    fn the_headline_says_whether_anything_changed() {
        let mut s = status(ImportState::Applied, 3, 3);
        s.summary = Some(ImportSummary {
            skus_changed: 0,
            rows_unchanged: 3,
            ..ImportSummary::default()
        });
        assert_eq!(headline(&s), ("Already up to date", "ok"));
        s.summary = Some(ImportSummary {
            skus_changed: 1,
            prices_changed: 1,
            rows_unchanged: 2,
            ..ImportSummary::default()
        });
        assert_eq!(headline(&s).0, "Imported");
        assert_eq!(headline(&status(ImportState::Rejected, 3, 3)).1, "error");
        assert_eq!(headline(&status(ImportState::Failed, 1, 3)).1, "error");
        assert_eq!(headline(&status(ImportState::Checking, 1, 3)).1, "busy");
    }

    #[test]
    fn server_messages_read_as_sentences() {
        assert_eq!(
            sentence(
                "2 problems in the file, so nothing was applied: fix them and import the file again"
            ),
            "2 problems in the file, so nothing was applied: fix them and import the file again."
        );
        assert_eq!(sentence("the server stopped"), "The server stopped.");
        assert_eq!(
            sentence("Imported: changed 1 price."),
            "Imported: changed 1 price."
        );
        assert_eq!(sentence("  "), "");
    }

    #[test]
    fn a_problem_is_placed_by_line_and_column() {
        let p = ImportProblem {
            line: 12,
            column: Some("price".into()),
            sku: Some("VT-1".into()),
            message: "x".into(),
        };
        assert_eq!(place(&p), "Line 12, column price");
        let p = ImportProblem { column: None, ..p };
        assert_eq!(place(&p), "Line 12");
    }

    #[test]
    fn a_cut_report_says_how_many_problems_it_leaves_out() {
        let mut s = status(ImportState::Rejected, 5_000, 5_000);
        s.problems = vec![
            ImportProblem {
                line: 2,
                column: None,
                sku: None,
                message: "x".into()
            };
            1_000
        ];
        s.problem_count = 1_000;
        assert_eq!(unlisted(&s), None);
        s.problem_count = 4_321;
        assert_eq!(
            unlisted(&s).as_deref(),
            Some(
                "These are the first 1,000 of 4,321 problems. Fix them and import again to see the rest."
            )
        );
    }

    #[test]
    fn workbooks_empty_and_huge_files_are_refused_before_sending() {
        assert!(check_pick("prices.csv", 120).is_ok());
        assert!(check_pick("PRICES.CSV", MAX_FILE_BYTES).is_ok());
        assert!(check_pick("noextension", 10).is_ok());
        let e = check_pick("Prices.XLSX", 5_000).expect_err("a workbook");
        assert!(e.contains("CSV UTF-8"), "{e}");
        let e = check_pick("prices.csv", 0).expect_err("empty");
        assert!(e.contains("empty"), "{e}");
        let e = check_pick("prices.csv", MAX_FILE_BYTES + 1).expect_err("too big");
        assert!(e.contains("16.1 MB") || e.contains("16.0 MB"), "{e}");
    }

    #[test]
    fn sizes_and_counts_read_plainly() {
        assert_eq!(size_text(820), "820 bytes");
        assert_eq!(size_text(12_000), "12 KB");
        assert_eq!(size_text(18_350_080), "17.5 MB");
        for (n, t) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (10_000, "10,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(count_text(n), t);
        }
    }

    #[test]
    fn polling_slows_to_once_a_second() {
        assert_eq!(poll_delay_ms(0), 200);
        assert_eq!(poll_delay_ms(3), 500);
        assert_eq!(poll_delay_ms(8), 1_000);
        assert_eq!(poll_delay_ms(u32::MAX), 1_000);
    }
}
