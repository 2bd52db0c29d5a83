//! The report's two charts, drawn as plain SVG (no chart library). Shares arrive in basis
//! points; floating point is used only for coordinates.

use std::fmt::Write as _;

use crate::evaluate::Reliability;

const W: f64 = 640.0;
const H: f64 = 400.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 64.0;

/// A line on a chart: its name, colour, dash pattern and points (x index or value, bp).
pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
    pub dash: Option<&'a str>,
    pub points: Vec<(f64, u32)>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.x0) / (self.x1 - self.x0) * (W - LEFT - RIGHT)
    }

    fn y(&self, bp: f64) -> f64 {
        H - BOTTOM - (bp - self.y0) / (self.y1 - self.y0) * (H - TOP - BOTTOM)
    }
}

fn open(out: &mut String, title: &str, subtitle: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" role="img" aria-label="{t}">
<title>{t}</title>
<rect width="{W}" height="{H}" fill="#ffffff"/>
<text x="{LEFT}" y="22" font-size="15" font-weight="600" fill="#1a1a1a">{t}</text>
<text x="{LEFT}" y="38" fill="#555">{s}</text>
"##,
        t = esc(title),
        s = esc(subtitle)
    );
}

fn y_grid(out: &mut String, f: &Frame, step_bp: u32) {
    let mut v = f.y0 as u32;
    while f64::from(v) <= f.y1 + 0.5 {
        let y = f.y(f64::from(v));
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e5e5e5"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{} %</text>"##,
            W - RIGHT,
            LEFT - 8.0,
            y + 4.0,
            v / 100
        );
        v += step_bp;
    }
}

fn series(out: &mut String, f: &Frame, s: &Series<'_>) {
    let pts: Vec<String> = s
        .points
        .iter()
        .map(|(x, bp)| format!("{:.1},{:.1}", f.x(*x), f.y(f64::from(*bp))))
        .collect();
    let dash = s
        .dash
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{dash}/>"#,
        pts.join(" "),
        s.color
    );
    for (x, bp) in &s.points {
        let _ = writeln!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"><title>{}: {:.1} %</title></circle>"#,
            f.x(*x),
            f.y(f64::from(*bp)),
            s.color,
            esc(s.name),
            f64::from(*bp) / 100.0
        );
    }
}

fn legend(out: &mut String, items: &[(&str, &str, Option<&str>)]) {
    let mut x = LEFT;
    let y = H - 16.0;
    for (name, color, dash) in items {
        let dash = dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="2.5"{dash}/><text x="{:.1}" y="{:.1}" fill="#333">{}</text>"##,
            y - 4.0,
            x + 22.0,
            y - 4.0,
            x + 28.0,
            y,
            esc(name)
        );
        x += 40.0 + 6.5 * name.chars().count() as f64;
    }
}

/// Promised coverage (the mean probability of the windows) against the share observed
/// inside them, one point per target the engine was re-run with, and the diagonal a
/// promise kept exactly would follow.
pub fn reliability(points: &[Reliability], subtitle: &str) -> String {
    let mut out = String::new();
    open(
        &mut out,
        "Promised coverage against observed (held-out shipments)",
        subtitle,
    );
    let lo = points
        .iter()
        .flat_map(|p| {
            [
                p.calibrated_promised_bp,
                p.calibrated_observed_bp,
                p.uncalibrated_promised_bp,
                p.uncalibrated_observed_bp,
            ]
        })
        .min()
        .unwrap_or(5000)
        .min(9000);
    let lo = f64::from(lo / 1000 * 1000);
    let f = Frame {
        x0: lo,
        x1: 10_000.0,
        y0: lo,
        y1: 10_000.0,
    };
    y_grid(&mut out, &f, 1000);
    let mut t = lo as u32;
    while t <= 10_000 {
        let x = f.x(f64::from(t));
        let _ = writeln!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{} %</text>"##,
            H - BOTTOM + 18.0,
            t / 100
        );
        t += 1000;
    }
    let _ = writeln!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">promised: mean probability of the windows (targets 50 % to 99 %)</text>"##,
        LEFT + (W - LEFT - RIGHT) / 2.0,
        H - BOTTOM + 36.0
    );
    let _ = writeln!(
        out,
        r##"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle" fill="#333">observed inside the window</text>"##,
        TOP + (H - TOP - BOTTOM) / 2.0
    );
    let _ = writeln!(
        out,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#999" stroke-dasharray="4 4"/>"##,
        f.x(lo),
        f.y(lo),
        f.x(10_000.0),
        f.y(10_000.0)
    );
    series(
        &mut out,
        &f,
        &Series {
            name: "uncalibrated",
            color: "#d97706",
            dash: Some("6 4"),
            points: points
                .iter()
                .map(|p| {
                    (
                        f64::from(p.uncalibrated_promised_bp),
                        p.uncalibrated_observed_bp,
                    )
                })
                .collect(),
        },
    );
    series(
        &mut out,
        &f,
        &Series {
            name: "calibrated",
            color: "#2563eb",
            dash: None,
            points: points
                .iter()
                .map(|p| {
                    (
                        f64::from(p.calibrated_promised_bp),
                        p.calibrated_observed_bp,
                    )
                })
                .collect(),
        },
    );
    legend(
        &mut out,
        &[
            ("calibrated", "#2563eb", None),
            ("uncalibrated (hand-set)", "#d97706", Some("6 4")),
            ("promise kept exactly", "#999", Some("4 4")),
        ],
    );
    out.push_str("</svg>\n");
    out
}

/// Share of shipments inside their window by order month, per series, with the goals.
pub fn on_time_by_month(months: &[String], lines: &[Series<'_>], subtitle: &str) -> String {
    let mut out = String::new();
    open(
        &mut out,
        "Promises kept by order month (held-out shipments)",
        subtitle,
    );
    let lo = lines
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .min()
        .unwrap_or(9000)
        .min(9000);
    let n = months.len().max(1) as f64;
    let f = Frame {
        x0: -0.5,
        x1: n - 0.5,
        y0: f64::from(lo / 500 * 500),
        y1: 10_000.0,
    };
    y_grid(&mut out, &f, if f.y1 - f.y0 > 2500.0 { 1000 } else { 500 });
    for (i, m) in months.iter().enumerate() {
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
            f.x(i as f64),
            H - BOTTOM + 18.0,
            esc(m)
        );
    }
    for (goal, label) in [
        (9700.0, "goal 97 % overall"),
        (9500.0, "goal 95 % every month"),
    ] {
        let y = f.y(goal);
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#16a34a" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#16a34a" font-size="11">{label}</text>"##,
            W - RIGHT,
            W - RIGHT - 2.0,
            y - 4.0
        );
    }
    for s in lines {
        series(&mut out, &f, s);
    }
    let items: Vec<(&str, &str, Option<&str>)> =
        lines.iter().map(|s| (s.name, s.color, s.dash)).collect();
    legend(&mut out, &items);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_well_formed_svg_with_their_series() {
        let p = |t, c, u| Reliability {
            target_bp: t,
            calibrated_promised_bp: t + 100,
            calibrated_observed_bp: c,
            uncalibrated_promised_bp: t + 200,
            uncalibrated_observed_bp: u,
        };
        let r = reliability(&[p(5000, 5600, 4000), p(9700, 9800, 9000)], "test");
        assert!(r.starts_with("<svg") && r.trim_end().ends_with("</svg>"));
        assert_eq!(r.matches("<polyline").count(), 2);
        let m = on_time_by_month(
            &["2027-11".into(), "2027-12".into()],
            &[Series {
                name: "calibrated",
                color: "#2563eb",
                dash: None,
                points: vec![(0.0, 9800), (1.0, 9600)],
            }],
            "test",
        );
        assert!(m.contains("2027-12") && m.contains("goal 97 %"));
    }
}
