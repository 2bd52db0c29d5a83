//! What the explorer shows for a quote, as text and geometry, ready for the views: the
//! platform's choice and one card per route. Money is formatted by the function passed
//! in (the browser's `Intl.NumberFormat` in the app, a plain one in tests).

use crossdock_core::engine::{Part, Quote, RouteOption, RouteStatus};
use crossdock_core::{Instant, Money, Network};

use super::format::{
    capitalise, clock_text, days_text, leg_kind_text, offset_text, percent_text, short_date,
    weight_text, window_text,
};
use super::timeline::{Axis, Span, Tick, share_heights};

/// The platform's choice, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanView {
    pub window_text: String,
    pub probability_text: String,
    /// Order before this instant to keep the window.
    pub cutoff: Instant,
    /// "US West warehouse (Ontario, CA)", or the parts of a split shipment.
    pub ships_from: String,
    /// What the shopper pays for delivery ("$5.99", "Free").
    pub fee_text: String,
    /// What delivery costs the platform.
    pub cost_text: String,
    /// Why the platform chose it, in the engine's words.
    pub sentence: String,
}

/// One leg of a route on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegView {
    pub kind: &'static str,
    pub name: String,
    pub days_text: String,
    pub cost_text: String,
    /// "from Tue 15 Sep, done Wed 16 Sep – Thu 17 Sep".
    pub when_text: String,
    /// Days the leg surely takes, then the days it may take.
    pub sure: Span,
    pub maybe: Option<Span>,
}

/// One day's share of deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareBar {
    pub span: Span,
    /// Percent of the tallest bar.
    pub height: u32,
    /// "Wed 16 Sep: 62 % of orders".
    pub title: String,
}

/// A route that can ship the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeasibleView {
    pub window_text: String,
    pub probability_text: String,
    pub cutoff: Instant,
    /// "14:00 Tue 15 Sep warehouse time (UTC−07:00)".
    pub cutoff_text: String,
    pub cost_text: String,
    pub fee_text: String,
    /// "Chargeable weight 1 kg · 1 parcel".
    pub load_text: String,
    pub legs: Vec<LegView>,
    pub shares: Vec<ShareBar>,
    pub window_span: Span,
}

/// A route's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteVerdict {
    Feasible(FeasibleView),
    /// Why it cannot ship the order.
    Infeasible(String),
}

/// A route's share of a split shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartView {
    /// "Ships 10 of 15 in a split shipment".
    pub share_text: String,
    pub window_text: String,
    pub probability_text: String,
    pub cost_text: String,
}

/// One route card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteView {
    pub id: String,
    pub warehouse_name: String,
    /// "Ontario, California".
    pub city: String,
    pub verdict: RouteVerdict,
    /// The badge of a route the platform chose: "Platform's choice", or "Ships 6 of 10"
    /// for a part of a split shipment.
    pub chosen: Option<String>,
    /// What the route ships when the order is split (the route itself, asked for the
    /// whole quantity, is infeasible then).
    pub part: Option<PartView>,
}

/// Everything the results area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteView {
    pub zone_name: String,
    /// Today in the destination's time zone ("Tue 15 Sep").
    pub today_text: String,
    pub axis: Option<Axis>,
    pub ticks: Vec<Tick>,
    pub plan: Option<PlanView>,
    pub unavailable: Option<String>,
    /// "3 candidate routes · 2 can ship".
    pub routes_title: String,
    pub routes: Vec<RouteView>,
}

/// "Free" for nothing, else the formatted amount.
fn fee(m: &Money, money: &dyn Fn(&Money) -> String) -> String {
    if m.minor() == 0 {
        "Free".to_string()
    } else {
        money(m)
    }
}

/// The wall clock of `t` at a warehouse: "14:00 Tue 15 Sep warehouse time (UTC−07:00)".
pub fn warehouse_time_text(
    net: &Network,
    warehouse: &str,
    t: Instant,
    ref_year: i32,
) -> Option<String> {
    let w = net.warehouses.get(net.warehouse_index(warehouse)?)?;
    let tz = net.time_zones.get(w.time_zone)?;
    let (date, minute) = tz.local(t);
    Some(format!(
        "{} {} warehouse time ({})",
        clock_text(minute),
        short_date(date, ref_year),
        offset_text(tz.offset_at(t))
    ))
}

/// The results for a quote.
pub fn quote_view(net: &Network, quote: &Quote, money: &dyn Fn(&Money) -> String) -> QuoteView {
    let year = quote.today.ymd().0;
    let axis = Axis::for_routes(
        quote.today,
        quote.routes.iter().filter_map(|r| match &r.status {
            RouteStatus::Feasible(f) => Some(f),
            RouteStatus::Infeasible(_) => None,
        }),
    );
    let name_of = |id: &str| {
        net.file
            .warehouses
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let plan = quote.plan.as_ref().map(|p| {
        let ships_from = match p.parts.as_slice() {
            [one] => name_of(&one.warehouse),
            parts => {
                let list: Vec<String> = parts
                    .iter()
                    .map(|part| format!("{} from {}", part.quantity, name_of(&part.warehouse)))
                    .collect();
                format!("{} parts: {}", parts.len(), list.join(", "))
            }
        };
        PlanView {
            window_text: window_text(p.window.earliest, p.window.latest, year),
            probability_text: percent_text(p.window.probability_bp),
            cutoff: p.cutoff,
            ships_from,
            fee_text: fee(&p.shopper_fee, money),
            cost_text: money(&p.cost),
            sentence: p.sentence.clone(),
        }
    });
    let routes: Vec<RouteView> = quote
        .routes
        .iter()
        .map(|r| route_view(net, quote, r, axis.as_ref(), year, money))
        .collect();
    let routes_title = routes_title(quote);
    QuoteView {
        zone_name: quote.zone_name.clone(),
        today_text: short_date(quote.today, year),
        ticks: axis.map(|a| a.ticks()).unwrap_or_default(),
        axis,
        plan,
        unavailable: quote.unavailable.as_deref().map(capitalise),
        routes_title,
        routes,
    }
}

/// "3 candidate routes · 2 can ship", or how the order is split when no route ships it all.
fn routes_title(quote: &Quote) -> String {
    let total = quote.routes.len();
    let feasible = quote
        .routes
        .iter()
        .filter(|r| matches!(r.status, RouteStatus::Feasible(_)))
        .count();
    let parts = quote.plan.as_ref().map_or(0, |p| p.parts.len());
    format!(
        "{total} candidate {} · {}",
        if total == 1 { "route" } else { "routes" },
        if feasible == 0 && parts > 1 {
            format!(
                "none ships all {} alone: split in {parts} parts",
                quote.quantity
            )
        } else {
            format!("{feasible} can ship")
        }
    )
}

/// The city of warehouse `id` ("Ontario, California"), or nothing.
fn city_of(net: &Network, id: &str) -> String {
    net.file
        .warehouses
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.city.clone())
        .unwrap_or_default()
}

/// How many parts the plan has and the part `warehouse` ships, when it ships one.
fn plan_part<'q>(quote: &'q Quote, warehouse: &str) -> Option<(usize, &'q Part)> {
    let p = quote.plan.as_ref()?;
    let part = p.parts.iter().find(|part| part.warehouse == warehouse)?;
    Some((p.parts.len(), part))
}

/// The badge of a route the plan uses: "Platform's choice", or "Ships 6 of 10" for a part
/// of a split shipment.
fn chosen_badge(quote: &Quote, parts: usize, part: &Part) -> String {
    if parts == 1 {
        "Platform's choice".to_string()
    } else {
        format!("Ships {} of {}", part.quantity, quote.quantity)
    }
}

/// One route as a row of the listing page's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRow {
    pub warehouse_name: String,
    pub city: String,
    /// The window, or "—" when the route cannot ship.
    pub window_text: String,
    /// What the shopper pays for delivery ("Free", "$5.99"); empty for a part of a split.
    pub fee_text: String,
    /// What delivery costs the platform; empty when the route cannot ship.
    pub cost_text: String,
    /// The badge of a chosen route, or why the route cannot ship.
    pub note: String,
    pub chosen: bool,
}

/// The listing page's comparison of routes: the reason for the platform's choice and one
/// row per candidate route (the explorer's [`quote_view`] shows the same routes as cards
/// with a timeline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTableView {
    /// Why the platform chose its route, in the engine's words.
    pub sentence: Option<String>,
    /// "3 candidate routes · 2 can ship".
    pub title: String,
    pub rows: Vec<RouteRow>,
}

/// The table of routes for a quote.
pub fn route_table(
    net: &Network,
    quote: &Quote,
    money: &dyn Fn(&Money) -> String,
) -> RouteTableView {
    let year = quote.today.ymd().0;
    let rows = quote
        .routes
        .iter()
        .map(|r| {
            let share = plan_part(quote, &r.warehouse);
            let badge = share.map(|(n, part)| chosen_badge(quote, n, part));
            let (window_text, fee_text, cost_text, note) = match (&r.status, share) {
                (RouteStatus::Feasible(f), _) => (
                    window_text(f.window.earliest, f.window.latest, year),
                    fee(&f.shopper_fee, money),
                    money(&f.cost),
                    badge.clone().unwrap_or_default(),
                ),
                (RouteStatus::Infeasible(_), Some((n, part))) if n > 1 => (
                    window_text(part.window.earliest, part.window.latest, year),
                    String::new(),
                    money(&part.cost),
                    badge.clone().unwrap_or_default(),
                ),
                (RouteStatus::Infeasible(i), _) => (
                    "—".to_string(),
                    String::new(),
                    String::new(),
                    format!("Can't ship: {}", i.message),
                ),
            };
            RouteRow {
                warehouse_name: r.warehouse_name.clone(),
                city: city_of(net, &r.warehouse),
                window_text,
                fee_text,
                cost_text,
                note,
                chosen: badge.is_some(),
            }
        })
        .collect();
    RouteTableView {
        sentence: quote.plan.as_ref().map(|p| p.sentence.clone()),
        title: routes_title(quote),
        rows,
    }
}

fn route_view(
    net: &Network,
    quote: &Quote,
    r: &RouteOption,
    axis: Option<&Axis>,
    year: i32,
    money: &dyn Fn(&Money) -> String,
) -> RouteView {
    let city = city_of(net, &r.warehouse);
    let plan_part = plan_part(quote, &r.warehouse);
    let chosen = plan_part.map(|(n, part)| chosen_badge(quote, n, part));
    let part = plan_part.filter(|(n, _)| *n > 1).map(|(_, part)| PartView {
        share_text: format!(
            "Ships {} of {} in a split shipment",
            part.quantity, quote.quantity
        ),
        window_text: window_text(part.window.earliest, part.window.latest, year),
        probability_text: percent_text(part.window.probability_bp),
        cost_text: money(&part.cost),
    });
    let verdict = match (&r.status, axis) {
        (RouteStatus::Feasible(f), Some(axis)) => {
            let legs = f
                .legs
                .iter()
                .map(|leg| {
                    let done = window_text(leg.end_earliest, leg.end_latest, year);
                    LegView {
                        kind: leg_kind_text(leg.kind),
                        name: leg.name.clone(),
                        days_text: days_text(leg.min_days, leg.max_days, leg.unit),
                        cost_text: money(&leg.cost),
                        when_text: format!("from {}, done {done}", short_date(leg.start, year)),
                        sure: axis.span(leg.start, leg.end_earliest),
                        maybe: (leg.end_latest > leg.end_earliest)
                            .then(|| leg.end_earliest.succ().ok())
                            .flatten()
                            .map(|from| axis.span(from, leg.end_latest)),
                    }
                })
                .collect();
            let ppm: Vec<u32> = f.distribution.iter().map(|s| s.ppm).collect();
            let shares = f
                .distribution
                .iter()
                .zip(share_heights(&ppm))
                .map(|(s, height)| ShareBar {
                    span: axis.span(s.date, s.date),
                    height,
                    title: format!("{}: {}", short_date(s.date, year), ppm_text(s.ppm)),
                })
                .collect();
            RouteVerdict::Feasible(FeasibleView {
                window_text: window_text(f.window.earliest, f.window.latest, year),
                probability_text: percent_text(f.window.probability_bp),
                cutoff: f.cutoff,
                cutoff_text: warehouse_time_text(net, &r.warehouse, f.cutoff, year)
                    .unwrap_or_else(|| f.cutoff.to_string()),
                cost_text: money(&f.cost),
                fee_text: fee(&f.shopper_fee, money),
                load_text: format!(
                    "Chargeable weight {} · {} {}",
                    weight_text(f.chargeable_weight_g),
                    f.parcels,
                    if f.parcels == 1 { "parcel" } else { "parcels" }
                ),
                legs,
                shares,
                window_span: axis.span(f.window.earliest, f.window.latest),
            })
        }
        (RouteStatus::Feasible(_), None) => RouteVerdict::Infeasible("no timeline".to_string()),
        (RouteStatus::Infeasible(i), _) => RouteVerdict::Infeasible(capitalise(&i.message)),
    };
    RouteView {
        id: r.id.clone(),
        warehouse_name: r.warehouse_name.clone(),
        city,
        verdict,
        chosen,
        part,
    }
}

/// A share of orders in parts per million: "62 % of orders", "under 1 % of orders".
fn ppm_text(ppm: u32) -> String {
    if ppm > 0 && ppm < 10_000 {
        "under 1\u{a0}% of orders".to_string()
    } else {
        format!("{}\u{a0}% of orders", ppm / 10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::estimate::estimate;
    use crate::model::query::ExploreQuery;
    use crate::model::test_network;
    use crossdock_core::Mode;

    fn plain(m: &Money) -> String {
        m.to_string()
    }

    fn view(q: &ExploreQuery, at: &str) -> QuoteView {
        let net = test_network();
        let quote = estimate(&net, q, Instant::parse(at).unwrap())
            .quote
            .unwrap()
            .unwrap();
        quote_view(&net, &quote, &plain)
    }

    #[test]
    fn the_chosen_platform_local_route_reads_like_a_promise() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.mode = Mode::PlatformLocal;
        q.postal = "90012".into();
        let v = view(&q, "2026-09-15T20:59:00Z");
        let plan = v.plan.unwrap();
        assert_eq!(plan.window_text, "Wed 16 Sep – Thu 17 Sep");
        assert_eq!(plan.ships_from, "US West warehouse (Ontario, CA)");
        assert_eq!(v.today_text, "Tue 15 Sep");
        assert_eq!(v.routes.len(), 3);
        assert_eq!(v.routes_title, "3 candidate routes · 3 can ship");
        let west = &v.routes[0];
        assert_eq!(west.chosen.as_deref(), Some("Platform's choice"));
        assert_eq!(west.city, "Ontario, California");
        let RouteVerdict::Feasible(f) = &west.verdict else {
            panic!("west is feasible")
        };
        assert_eq!(f.cutoff_text, "14:00 Tue 15 Sep warehouse time (UTC−07:00)");
        assert!(
            f.legs
                .iter()
                .all(|l| l.sure.start >= 1 && l.sure.end > l.sure.start)
        );
        assert!(v.routes.iter().skip(1).all(|r| r.chosen.is_none()));
        let axis = v.axis.unwrap();
        assert!(v.ticks.len() == axis.days as usize);
    }

    #[test]
    fn a_split_shipment_badges_each_part() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.mode = Mode::PlatformLocal;
        q.qty = "15".into();
        let v = view(&q, "2026-09-15T20:59:00Z");
        let plan = v.plan.unwrap();
        assert!(
            plan.ships_from.starts_with("2 parts: "),
            "{}",
            plan.ships_from
        );
        assert_eq!(
            v.routes_title,
            "3 candidate routes · none ships all 15 alone: split in 2 parts"
        );
        let parts: Vec<_> = v.routes.iter().filter_map(|r| r.part.clone()).collect();
        assert_eq!(parts.len(), 2);
        assert!(
            parts
                .iter()
                .all(|p| p.window_text.contains(' ') && !p.cost_text.is_empty())
        );
        let badges: Vec<_> = v.routes.iter().filter_map(|r| r.chosen.clone()).collect();
        assert_eq!(badges.len(), 2, "{badges:?}");
        assert!(
            badges
                .iter()
                .all(|b| b.starts_with("Ships ") && b.ends_with(" of 15"))
        );
    }

    #[test]
    fn infeasible_routes_say_why_in_a_sentence() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.stock.insert("us-east".into(), "0".into());
        let v = view(&q, "2026-09-15T20:59:00Z");
        let east = v
            .routes
            .iter()
            .find(|r| r.id.starts_with("us-east"))
            .unwrap();
        assert_eq!(
            east.verdict,
            RouteVerdict::Infeasible("No stock in this warehouse".into())
        );
    }

    #[test]
    fn shares_read_as_whole_percentages() {
        assert_eq!(ppm_text(620_000), "62\u{a0}% of orders");
        assert_eq!(ppm_text(42), "under 1\u{a0}% of orders");
        assert_eq!(ppm_text(0), "0\u{a0}% of orders");
    }
}
