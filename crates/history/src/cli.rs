//! The command line: `generate`, `calibrate`, `evaluate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crossdock_core::Date;

use crate::calibrate::{self, Calibration};
use crate::error::Error;
use crate::evaluate::{self, EvalOptions, Report};
use crate::history;
use crate::netio::{self, Handset};
use crate::svg::{self, Series};
use crate::world::{self, GenerateOptions};

pub const USAGE: &str = "\
crossdock-history: delivery history for promise accuracy

usage:
  crossdock-history generate --seed N --from YYYY-MM-DD --months M --out FILE.csv
                             [--per-day N] [--network FILE] [--markets US,DE]
                             [--modes fully_managed,semi_managed,platform_local]
                             [--no-disruptions]
      Simulate shipments through the true world (default 250 a day, routed with the
      hand-set network) and write one CSV row per shipment.
  crossdock-history calibrate --history FILE.csv --network FILE --out FILE
                              [--train-months 18]
      Fit every leg's distribution from the first 18 months and write the network file.
  crossdock-history evaluate --history FILE.csv --network FILE --report-dir DIR
                             [--baseline FILE] [--train-months 18] [--quick]
      Replay the months after the training period through the engine and report how
      often the windows held, against the uncalibrated network (default: the hand-set
      distributions) and a padded single date. --quick skips the reliability chart.
";

const DEFAULT_NETWORK: &str = "data/network.json";

/// Writes a line to standard output; a closed pipe (`| head`) is not an error worth a
/// panic, so write errors are ignored.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Like `say!` without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Parsed `--flag value` pairs, checked against what a command accepts.
struct Flags {
    values: BTreeMap<String, String>,
    switches: Vec<String>,
}

impl Flags {
    fn parse(args: &[String], valued: &[&str], switches: &[&str]) -> Result<Flags, Error> {
        let mut values = BTreeMap::new();
        let mut on = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let name = a
                .strip_prefix("--")
                .ok_or_else(|| Error::Usage(format!("unexpected argument \"{a}\"\n\n{USAGE}")))?;
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            if switches.contains(&name) {
                on.push(name.to_string());
            } else if valued.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| Error::Usage(format!("--{name} needs a value")))?,
                };
                if values.insert(name.to_string(), v).is_some() {
                    return Err(Error::Usage(format!("--{name} is given twice")));
                }
            } else {
                return Err(Error::Usage(format!(
                    "unknown option --{name} (this command takes {})",
                    valued
                        .iter()
                        .chain(switches)
                        .map(|f| format!("--{f}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(Flags {
            values,
            switches: on,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    fn required(&self, name: &str) -> Result<&str, Error> {
        self.get(name)
            .ok_or_else(|| Error::Usage(format!("missing --{name}\n\n{USAGE}")))
    }

    fn path(&self, name: &str) -> Result<PathBuf, Error> {
        self.required(name).map(PathBuf::from)
    }

    fn number(&self, name: &str, default: u64) -> Result<u64, Error> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| Error::Usage(format!("--{name} \"{v}\" is not a whole number"))),
        }
    }

    fn small(&self, name: &str, default: u32, max: u32) -> Result<u32, Error> {
        let n = self.number(name, u64::from(default))?;
        u32::try_from(n)
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| Error::Usage(format!("--{name} must be between 1 and {max}")))
    }

    fn on(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

/// Runs the command line (without the program name).
pub fn run(args: &[String]) -> Result<(), Error> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(Error::Usage(USAGE.to_string()));
    };
    match cmd.as_str() {
        "generate" => generate(rest),
        "calibrate" => calibrate_cmd(rest),
        "evaluate" => evaluate_cmd(rest),
        "help" | "--help" | "-h" => {
            say_raw!("{USAGE}");
            Ok(())
        }
        other => Err(Error::Usage(format!(
            "unknown command \"{other}\"\n\n{USAGE}"
        ))),
    }
}

fn generate(args: &[String]) -> Result<(), Error> {
    let f = Flags::parse(
        args,
        &[
            "seed", "from", "months", "out", "per-day", "network", "markets", "modes",
        ],
        &["no-disruptions"],
    )?;
    let seed = f
        .required("seed")?
        .parse::<u64>()
        .map_err(|_| Error::Usage("--seed must be a whole number".into()))?;
    let from_s = f.required("from")?;
    let from = Date::parse(from_s).map_err(|e| Error::Usage(format!("--from: {e}")))?;
    let months = f.small("months", 24, 60)?;
    let per_day = f.small("per-day", 250, 20_000)?;
    let out = f.path("out")?;
    let net_path = PathBuf::from(f.get("network").unwrap_or(DEFAULT_NETWORK));
    let (_, net) = netio::load(&net_path)?;
    let router = Handset::bundled()?.uncalibrated(&net.file)?;
    let markets: Vec<String> = f
        .get("markets")
        .map(|v| v.split(',').map(|m| m.trim().to_uppercase()).collect())
        .unwrap_or_default();
    for m in &markets {
        if net.market_index(m).is_none() {
            return Err(Error::Usage(format!(
                "--markets: \"{m}\" is not a market of the network"
            )));
        }
    }
    let modes = match f.get("modes") {
        None => Vec::new(),
        Some(v) => v
            .split(',')
            .map(|m| {
                history::parse_mode(m.trim()).ok_or_else(|| {
                    Error::Usage(format!(
                        "--modes: \"{m}\" is not fully_managed, semi_managed or platform_local"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let opts = GenerateOptions {
        seed,
        from,
        months,
        per_day,
        markets,
        modes,
        disruptions: !f.on("no-disruptions"),
    };
    let g = world::generate(&net, &router, &opts)?;
    history::write(&out, &g.rows)?;
    let by_mode = |m| g.rows.iter().filter(|s| s.mode == m).count();
    say!(
        "generated {} shipments ordered {} to {} (seed {seed}) into {}",
        g.rows.len(),
        from,
        world::add_months(from, months).map_or(String::new(), |d| d.to_string()),
        out.display()
    );
    say!(
        "  fully managed {}, semi-managed {}, platform local {}; {} orders had no route",
        by_mode(crossdock_core::Mode::FullyManaged),
        by_mode(crossdock_core::Mode::SemiManaged),
        by_mode(crossdock_core::Mode::PlatformLocal),
        g.unroutable
    );
    let bumped = g.rows.iter().filter(|s| s.bumps > 0).count();
    let held = g.rows.iter().filter(|s| s.customs_hold).count();
    say!("  {bumped} bumped to a later flight, {held} held by customs");
    say!("  disruptions: {}", g.disruptions.len());
    for d in &g.disruptions {
        say!("    {} ({} to {})", d.id, d.from, d.to);
    }
    Ok(())
}

fn calibrate_cmd(args: &[String]) -> Result<(), Error> {
    let f = Flags::parse(args, &["history", "network", "out", "train-months"], &[])?;
    let hist = f.path("history")?;
    let net_path = f.path("network")?;
    let out = f.path("out")?;
    let train = f.small("train-months", 18, 120)?;
    let rows = history::read(&hist)?;
    let (text, net) = netio::load(&net_path)?;
    let cal = calibrate::calibrate(&text, &net, &rows, train, &Handset::bundled()?)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&out, &cal.text).map_err(|e| Error::io(&out, e))?;
    print_calibration(&cal, &out);
    Ok(())
}

fn print_calibration(cal: &Calibration, out: &Path) {
    let seasonal: usize = cal.legs.iter().map(|l| l.seasonal.len()).sum();
    say!(
        "calibrated {} legs from {} shipments delivered before {} ({} seasonal distributions); wrote {} version {}",
        cal.legs.len(),
        cal.training_shipments,
        cal.split,
        seasonal,
        out.display(),
        cal.version
    );
    for s in &cal.seasons {
        let n = cal
            .legs
            .iter()
            .filter(|l| l.seasonal.iter().any(|x| x.season == s.id))
            .count();
        say!("  season {}: {} legs behave differently", s.id, n);
    }
    for l in &cal.legs {
        let (a, b) = l.base.range();
        let mut line = format!(
            "  {:9} {:28} {:>6} samples  {}–{} days",
            l.kind.label(),
            l.id,
            l.base_samples,
            a,
            b
        );
        for sf in &l.seasonal {
            let (a, b) = sf.fit.range();
            line.push_str(&format!(
                "; {} ({}{}): {a}–{b}",
                sf.season,
                sf.samples,
                if sf.pooled { ", borrowed" } else { "" }
            ));
        }
        say!("{line}");
    }
    if !cal.untouched.is_empty() {
        say!(
            "  no training data, left as they were: {}",
            cal.untouched
                .iter()
                .map(|(k, id)| format!("{} {id}", k.label()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

fn evaluate_cmd(args: &[String]) -> Result<(), Error> {
    let f = Flags::parse(
        args,
        &[
            "history",
            "network",
            "report-dir",
            "baseline",
            "train-months",
            "threads",
        ],
        &["quick"],
    )?;
    let hist = f.path("history")?;
    let net_path = f.path("network")?;
    let dir = f.path("report-dir")?;
    let train = f.small("train-months", 18, 120)?;
    let default_threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let threads = f.small(
        "threads",
        u32::try_from(default_threads).unwrap_or(2).clamp(1, 64),
        64,
    )?;
    let rows = history::read(&hist)?;
    let (_, net) = netio::load(&net_path)?;
    let baseline = match f.get("baseline") {
        Some(p) => netio::load(Path::new(p))?.1,
        None => Handset::bundled()?.uncalibrated(&net.file)?,
    };
    let opts = EvalOptions {
        train_months: train,
        targets: if f.on("quick") {
            Vec::new()
        } else {
            evaluate::RELIABILITY_TARGETS.to_vec()
        },
        threads: usize::try_from(threads).unwrap_or(2),
    };
    let report = evaluate::evaluate(&rows, &net, &baseline, &opts)?;
    write_report(&dir, &report)?;
    say_raw!("{}", evaluate::markdown(&report));
    say!("\nwrote {}", dir.display());
    for line in evaluate::summary_lines(&report) {
        say!("{line}");
    }
    Ok(())
}

/// Writes report.md and the two charts into `dir`.
pub fn write_report(dir: &Path, r: &Report) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let put = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| Error::io(&p, e))
    };
    put("report.md", &evaluate::markdown(r))?;
    let subtitle = format!(
        "{} shipments ordered {} to {}, network {}",
        r.calibrated.overall.shipments, r.first_month, r.last_month, r.network_version
    );
    if !r.reliability.is_empty() {
        put(
            "reliability.svg",
            &svg::reliability(&r.reliability, &subtitle),
        )?;
    }
    let months: Vec<String> = r.calibrated.by_month.keys().cloned().collect();
    let points = |b: &evaluate::Breakdown| -> Vec<(f64, u32)> {
        months
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    i as f64,
                    b.by_month.get(m).map_or(0, evaluate::Tally::inside_bp),
                )
            })
            .collect()
    };
    let lines = [
        Series {
            name: "calibrated window",
            color: "#2563eb",
            dash: None,
            points: points(&r.calibrated),
        },
        Series {
            name: "uncalibrated window",
            color: "#d97706",
            dash: Some("6 4"),
            points: points(&r.uncalibrated),
        },
        Series {
            name: "padded single date",
            color: "#7c3aed",
            dash: Some("2 3"),
            points: points(&r.padded),
        },
    ];
    put(
        "on-time-by-month.svg",
        &svg::on_time_by_month(&months, &lines, &subtitle),
    )?;
    Ok(())
}
