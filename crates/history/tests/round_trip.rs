//! generate → calibrate → evaluate on a small history (US orders, about four thousand
//! shipments over two years), in the normal test run. The full two-year report over
//! every market is `scripts/promise-report.sh`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use crossdock_core::{Date, Network};
use crossdock_history::Error;
use crossdock_history::calibrate::calibrate;
use crossdock_history::cli;
use crossdock_history::evaluate::{EvalOptions, evaluate};
use crossdock_history::history;
use crossdock_history::netio::Handset;
use crossdock_history::world::{GenerateOptions, generate};

const NETWORK: &str = include_str!("../../../data/network.json");

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crossdock-history-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn small(seed: u64, months: u32, per_day: u32) -> GenerateOptions {
    GenerateOptions {
        seed,
        from: Date::parse("2026-05-01").unwrap(),
        months,
        per_day,
        markets: vec!["US".into()],
        modes: Vec::new(),
        // Nothing can predict a rare disruption; this checks what calibration can learn.
        disruptions: false,
    }
}

#[test]
fn calibrated_windows_hold_on_held_out_history_and_beat_the_hand_set_ones() {
    let net = Network::from_json(NETWORK).unwrap();
    let handset = Handset::bundled().unwrap();
    let uncalibrated = handset.uncalibrated(&net.file).unwrap();
    let generated = generate(&net, &uncalibrated, &small(7, 24, 12)).unwrap();
    assert!(
        (3_000..8_000).contains(&generated.rows.len()),
        "{} shipments",
        generated.rows.len()
    );

    // Through the file and back, as the commands do.
    let path = temp("history.csv");
    history::write(&path, &generated.rows).unwrap();
    let rows = history::read(&path).unwrap();
    assert_eq!(rows, generated.rows);

    let cal = calibrate(NETWORK, &net, &rows, 18, &handset).unwrap();
    assert_eq!(cal.split, Date::parse("2027-11-01").unwrap());
    assert!(
        cal.legs.iter().any(|l| !l.seasonal.is_empty()),
        "some leg has a season"
    );
    let calibrated = Network::from_json(&cal.text).unwrap();

    // Calibrating again from the same history changes nothing, not even the version.
    let again = calibrate(&cal.text, &calibrated, &rows, 18, &handset).unwrap();
    assert_eq!(again.text, cal.text);

    let opts = EvalOptions {
        train_months: 18,
        targets: vec![9000, 9700],
        threads: 2,
    };
    let report = evaluate(&rows, &calibrated, &uncalibrated, &opts).unwrap();
    let c = &report.calibrated.overall;
    let u = &report.uncalibrated.overall;
    println!(
        "held out {}: calibrated {} bp inside, uncalibrated {} bp",
        c.shipments,
        c.inside_bp(),
        u.inside_bp()
    );
    assert!(c.shipments > 800);
    assert!(
        report.calibrated.by_month.contains_key("2027-12")
            && report.calibrated.by_month.contains_key("2028-01"),
        "the held-out half year has peak weeks and the Spring Festival"
    );
    assert!(
        c.meets(9500),
        "calibrated windows hold {} bp",
        c.inside_bp()
    );
    assert!(
        c.inside_bp() > u.inside_bp(),
        "calibrated {} bp, uncalibrated {} bp",
        c.inside_bp(),
        u.inside_bp()
    );
    // A higher target is never kept less often.
    let r = &report.reliability;
    assert_eq!(r.len(), 2);
    assert!(r[0].calibrated_observed_bp <= r[1].calibrated_observed_bp);

    let dir = temp("report");
    cli::write_report(&dir, &report).unwrap();
    for f in ["report.md", "reliability.svg", "on-time-by-month.svg"] {
        assert!(dir.join(f).exists(), "{f}");
    }
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let net = Network::from_json(NETWORK).unwrap();
    let router = Handset::bundled().unwrap().uncalibrated(&net.file).unwrap();
    let a = generate(&net, &router, &small(3, 2, 20)).unwrap();
    let b = generate(&net, &router, &small(3, 2, 20)).unwrap();
    let c = generate(&net, &router, &small(4, 2, 20)).unwrap();
    assert!(!a.rows.is_empty());
    assert_eq!(history::to_csv(&a.rows), history::to_csv(&b.rows));
    assert_ne!(history::to_csv(&a.rows), history::to_csv(&c.rows));
}

fn run(args: &[&str]) -> Result<(), Error> {
    cli::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn bad_command_lines_get_a_clear_message_not_a_panic() {
    let out = temp("never.csv");
    let out = out.to_str().unwrap();
    let e = run(&[
        "generate",
        "--seed",
        "1",
        "--from",
        "2026-13-01",
        "--months",
        "1",
        "--out",
        out,
    ])
    .unwrap_err();
    assert!(matches!(e, Error::Usage(_)));
    assert!(e.to_string().contains("--from"), "{e}");
    assert_eq!(e.exit_code(), 2);

    let e = run(&[
        "generate",
        "--seed",
        "x",
        "--from",
        "2026-05-01",
        "--months",
        "1",
        "--out",
        out,
    ])
    .unwrap_err();
    assert!(e.to_string().contains("--seed"), "{e}");

    let e = run(&["generate", "--from", "2026-05-01"]).unwrap_err();
    assert!(e.to_string().contains("missing --seed"), "{e}");

    let e = run(&[
        "calibrate",
        "--history",
        "/no/such/history.csv",
        "--network",
        "x",
        "--out",
        out,
    ])
    .unwrap_err();
    assert!(
        e.to_string().contains("/no/such/history.csv: no such file"),
        "{e}"
    );
    assert_eq!(e.exit_code(), 1);

    let bad = temp("bad.csv");
    std::fs::write(&bad, "id,route\n1,x\n").unwrap();
    let e = run(&[
        "evaluate",
        "--history",
        bad.to_str().unwrap(),
        "--network",
        "x",
        "--report-dir",
        out,
    ])
    .unwrap_err();
    assert!(
        e.to_string()
            .contains(":1: not a Crossdock delivery history"),
        "{e}"
    );

    let e = run(&["evaluate", "--frobnicate"]).unwrap_err();
    assert!(e.to_string().contains("unknown option --frobnicate"), "{e}");
    let e = run(&["plot"]).unwrap_err();
    assert!(e.to_string().contains("unknown command \"plot\""), "{e}");
}
