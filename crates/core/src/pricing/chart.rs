//! The margin-against-price chart as an SVG string, drawn from Rust so the browser needs
//! no chart library and the server could render the same picture.
//!
//! The picture: the unit margin (y) against the seller's price (x) as a line, the
//! margin without the running promotion as a dashed line when there is one, the loss zone
//! (margin below zero) shaded, a vertical break-even line, and a dot at the current price.
//! Every coordinate is an integer worked out with integer arithmetic (no floating point,
//! so native and wasm draw the same bytes). The `<svg>` has `role="img"` and is labelled
//! by its `<title>` and `<desc>`, which state the figures in words for screen readers.

use serde::Serialize;

use super::SellerSets;
use crate::engine::Mode;
use crate::money::{Currency, Money, Rounding, div_round};

/// The seller's margin at one price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MarginPoint {
    pub price: Money,
    /// With the promotion when it runs.
    pub margin: Money,
    pub margin_before_promotion: Money,
    pub margin_bp: Option<i64>,
}

/// What the chart shows ([`super::margin_curve`] builds it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarginCurve {
    pub mode: Mode,
    pub market: String,
    pub currency: Currency,
    pub seller_sets: SellerSets,
    /// Sorted by price.
    pub points: Vec<MarginPoint>,
    pub break_even: Option<Money>,
    pub current_price: Money,
    pub current_margin: Money,
    pub promotion_running: bool,
}

const WIDTH: i128 = 640;
const HEIGHT: i128 = 360;
const LEFT: i128 = 80;
const RIGHT: i128 = WIDTH - 24;
const TOP: i128 = 24;
const BOTTOM: i128 = HEIGHT - 60;

/// Renders the chart. Pure: the same curve gives the same bytes.
pub fn margin_chart_svg(curve: &MarginCurve) -> String {
    let slug = match curve.mode {
        Mode::FullyManaged => "fully-managed",
        Mode::SemiManaged => "semi-managed",
        Mode::PlatformLocal => "platform-local",
    };
    let code = curve.currency.code;
    let money = |m: i128| {
        Money::from_minor(i64::try_from(m).unwrap_or(0), curve.currency).to_decimal_string()
    };
    let price_name = match curve.seller_sets {
        SellerSets::RetailPrice => "Price",
        SellerSets::SupplyPrice => "Supply price",
    };

    let xs: Vec<i128> = curve
        .points
        .iter()
        .map(|p| i128::from(p.price.minor()))
        .collect();
    let x_min = xs.first().copied().unwrap_or(0);
    let mut x_max = xs.last().copied().unwrap_or(1);
    if x_max <= x_min {
        x_max = x_min + 1;
    }
    let margins = curve
        .points
        .iter()
        .flat_map(|p| [p.margin.minor(), p.margin_before_promotion.minor()])
        .chain([0, curve.current_margin.minor()])
        .map(i128::from);
    let (lo, hi) = margins.fold((0i128, 0i128), |(a, b), m| (a.min(m), b.max(m)));
    let pad = ((hi - lo) / 10).max(1);
    let (y_min, y_max) = (lo - pad, hi + pad);

    let sx = |v: i128| {
        let v = v.clamp(x_min, x_max);
        LEFT + div_round(
            (v - x_min) * (RIGHT - LEFT),
            x_max - x_min,
            Rounding::HalfUp,
        )
        .unwrap_or(0)
    };
    let sy = |v: i128| {
        let v = v.clamp(y_min, y_max);
        TOP + div_round(
            (y_max - v) * (BOTTOM - TOP),
            y_max - y_min,
            Rounding::HalfUp,
        )
        .unwrap_or(0)
    };

    let title = format!(
        "Unit margin against {} — {}, {} ({code})",
        price_name.to_ascii_lowercase(),
        curve.mode.label(),
        curve.market
    );
    let mut desc = String::new();
    if let (Some(first), Some(last)) = (curve.points.first(), curve.points.last()) {
        desc.push_str(&format!(
            "Margin per unit goes from {} {code} at a {} of {} {code} to {} {code} at {} {code}. ",
            first.margin.to_decimal_string(),
            price_name.to_ascii_lowercase(),
            first.price.to_decimal_string(),
            last.margin.to_decimal_string(),
            last.price.to_decimal_string(),
        ));
    }
    match curve.break_even {
        Some(b) => desc.push_str(&format!(
            "It breaks even at {} {code}. ",
            b.to_decimal_string()
        )),
        None => desc.push_str("It does not break even within the market's price limit. "),
    }
    desc.push_str(&format!(
        "At the current {} of {} {code} the margin is {} {code}.",
        price_name.to_ascii_lowercase(),
        curve.current_price.to_decimal_string(),
        curve.current_margin.to_decimal_string()
    ));
    if curve.promotion_running {
        desc.push_str(" The dashed line is the margin without the running promotion.");
    }

    let mut s = String::with_capacity(4096);
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"margin-chart-{slug}-title margin-chart-{slug}-desc\" class=\"margin-chart\" data-testid=\"margin-chart-{slug}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
    ));
    s.push_str(&format!(
        "<title id=\"margin-chart-{slug}-title\">{}</title>",
        crate::xml::escape(&title)
    ));
    s.push_str(&format!(
        "<desc id=\"margin-chart-{slug}-desc\">{}</desc>",
        crate::xml::escape(&desc)
    ));

    // Loss zone: everything below zero margin.
    let y0 = sy(0);
    if BOTTOM > y0 {
        s.push_str(&format!(
            "<rect class=\"loss-zone\" data-testid=\"loss-zone\" x=\"{LEFT}\" y=\"{y0}\" width=\"{}\" height=\"{}\" fill=\"#fbe3e4\"/>",
            RIGHT - LEFT,
            BOTTOM - y0
        ));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"#9f1d24\" text-anchor=\"end\">Loss</text>",
            RIGHT - 6,
            BOTTOM - 6
        ));
    }

    // Axes and ticks.
    s.push_str(&format!(
        "<g class=\"axes\" stroke=\"#555\" stroke-width=\"1\"><line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{RIGHT}\" y2=\"{BOTTOM}\"/><line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{BOTTOM}\"/></g>"
    ));
    s.push_str("<g class=\"ticks\" fill=\"#333\">");
    for i in 0..=4i128 {
        let xv = x_min + div_round((x_max - x_min) * i, 4, Rounding::Down).unwrap_or(0);
        let x = sx(xv);
        s.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{BOTTOM}\" x2=\"{x}\" y2=\"{}\" stroke=\"#555\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            BOTTOM + 5,
            BOTTOM + 18,
            crate::xml::escape(&money(xv))
        ));
        let yv = y_min + div_round((y_max - y_min) * i, 4, Rounding::Down).unwrap_or(0);
        let y = sy(yv);
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{LEFT}\" y2=\"{y}\" stroke=\"#555\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LEFT - 5,
            LEFT - 8,
            y + 4,
            crate::xml::escape(&money(yv))
        ));
    }
    s.push_str("</g>");
    s.push_str(&format!(
        "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333\">{} ({code})</text>",
        (LEFT + RIGHT) / 2,
        HEIGHT - 14,
        crate::xml::escape(price_name)
    ));
    s.push_str(&format!(
        "<text class=\"axis-title\" x=\"16\" y=\"{mid}\" transform=\"rotate(-90 16 {mid})\" text-anchor=\"middle\" fill=\"#333\">Margin per unit ({code})</text>",
        mid = (TOP + BOTTOM) / 2
    ));

    // Zero line.
    s.push_str(&format!(
        "<line class=\"zero\" x1=\"{LEFT}\" y1=\"{y0}\" x2=\"{RIGHT}\" y2=\"{y0}\" stroke=\"#9f1d24\" stroke-width=\"1\"/>"
    ));

    let polyline = |f: &dyn Fn(&MarginPoint) -> i64| -> String {
        curve
            .points
            .iter()
            .map(|p| {
                format!(
                    "{},{}",
                    sx(i128::from(p.price.minor())),
                    sy(i128::from(f(p)))
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if curve.promotion_running {
        s.push_str(&format!(
            "<polyline class=\"margin-before-promotion\" data-testid=\"margin-before-promotion\" points=\"{}\" fill=\"none\" stroke=\"#6b7280\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            polyline(&|p| p.margin_before_promotion.minor())
        ));
    }
    s.push_str(&format!(
        "<polyline class=\"margin\" data-testid=\"margin-line\" points=\"{}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>",
        polyline(&|p| p.margin.minor())
    ));

    // Break-even.
    if let Some(b) = curve.break_even {
        let bv = i128::from(b.minor());
        let inside = (x_min..=x_max).contains(&bv);
        let x = sx(bv);
        s.push_str("<g class=\"break-even\" data-testid=\"break-even\">");
        if inside {
            s.push_str(&format!(
                "<line x1=\"{x}\" y1=\"{TOP}\" x2=\"{x}\" y2=\"{BOTTOM}\" stroke=\"#111\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>"
            ));
        }
        let anchor = if x > (LEFT + RIGHT) / 2 {
            "end"
        } else {
            "start"
        };
        let tx = if anchor == "end" { x - 4 } else { x + 4 };
        s.push_str(&format!(
            "<text x=\"{tx}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#111\">Break-even {} {code}{}</text></g>",
            TOP + 12,
            crate::xml::escape(&b.to_decimal_string()),
            if inside { "" } else { " (off the chart)" }
        ));
    }

    // Current price.
    let cx = sx(i128::from(curve.current_price.minor()));
    let cy = sy(i128::from(curve.current_margin.minor()));
    let anchor = if cx > (LEFT + RIGHT) / 2 {
        "end"
    } else {
        "start"
    };
    let tx = if anchor == "end" { cx - 8 } else { cx + 8 };
    s.push_str(&format!(
        "<g class=\"current-price\" data-testid=\"current-price\"><circle cx=\"{cx}\" cy=\"{cy}\" r=\"5\" fill=\"#1f5fbf\" stroke=\"#fff\" stroke-width=\"2\"/><text x=\"{tx}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#1f5fbf\">Now {} → {} {code}</text></g>",
        cy - 8,
        crate::xml::escape(&curve.current_price.to_decimal_string()),
        crate::xml::escape(&curve.current_margin.to_decimal_string())
    ));
    s.push_str("</svg>");
    s
}
