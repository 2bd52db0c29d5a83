//! The default network reproduces the figures in PRODUCT.md. These fail when the data
//! drifts from what the source articles report.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crossdock_core::Date;
use crossdock_core::engine::{InfeasibleCode, LegKind, Mode, RouteStatus};
use crossdock_core::landed::{Item, direct, via_warehouse};

/// An ordinary Tuesday morning in Guangzhou (10:00 CST), far from any holiday.
const ORDINARY_CN_MORNING: &str = "2026-09-15T02:00:00Z";
/// An ordinary Tuesday morning on the US West Coast (10:00 PDT).
const ORDINARY_PT_MORNING: &str = "2026-09-15T17:00:00Z";

#[test]
fn a_light_auto_part_costs_about_the_same_direct_or_via_a_us_west_warehouse() {
    let net = network();
    let part = Item {
        weight_g: 750,
        dims_mm: [200, 150, 100],
        category: "auto_parts",
    };
    let la = to("US", "90012");
    let now = at(ORDINARY_CN_MORNING);
    let d = direct(&net, &part, "cn-gz", &la, now).unwrap();
    let w = via_warehouse(&net, &part, "cn-gz", "us-west", 1, &la, now).unwrap();
    let (a, b) = (d.total.minor(), w.total.minor());
    println!(
        "0.75 kg auto part: direct {} ({:?}), via US West {} ({:?})",
        d.total, d.lines, w.total, w.lines
    );
    assert!(
        (a - b).abs() * 100 <= 15 * a.max(b),
        "direct {a} vs warehouse {b} differ by more than 15 %"
    );
}

#[test]
fn a_three_kilo_appliance_costs_about_half_via_the_warehouse() {
    let net = network();
    let kettle = Item {
        weight_g: 3000,
        dims_mm: [350, 250, 250],
        category: "small_appliances",
    };
    let la = to("US", "90012");
    let now = at(ORDINARY_CN_MORNING);
    let d = direct(&net, &kettle, "cn-gz", &la, now)
        .unwrap()
        .total
        .minor();
    let w = via_warehouse(&net, &kettle, "cn-gz", "us-west", 1, &la, now)
        .unwrap()
        .total
        .minor();
    println!(
        "3 kg appliance: direct {d}, via US West {w} ({} %)",
        w * 100 / d
    );
    assert!(
        w * 100 >= 40 * d && w * 100 <= 60 * d,
        "warehouse {w} is not 40–60 % of direct {d}"
    );
}

#[test]
fn fully_managed_to_the_us_arrives_in_seven_to_fourteen_days() {
    let net = network();
    for zip in ["90012", "10001", "60601", "75201"] {
        let req = request(
            item(
                300,
                [180, 100, 30],
                "phone_accessories",
                Mode::FullyManaged,
                &[("cn-gz", 100)],
            ),
            to("US", zip),
            1,
            ORDINARY_CN_MORNING,
        );
        let q = quote(&net, &req);
        let (from, to) = window_days(&q);
        println!("fully managed to {zip}: {from}–{to} days");
        assert!(
            from >= 7 && to <= 14,
            "{zip}: window {from}–{to} days is not inside 7–14"
        );
    }
}

#[test]
fn semi_managed_from_a_us_warehouse_arrives_in_four_to_nine_days() {
    let net = network();
    for (wh, zip) in [
        ("us-3pl-ca", "10001"),
        ("us-3pl-ca", "60601"),
        ("us-3pl-nj", "94107"),
    ] {
        let req = request(
            item(
                1200,
                [300, 200, 150],
                "home_garden",
                Mode::SemiManaged,
                &[(wh, 10)],
            ),
            to("US", zip),
            1,
            ORDINARY_PT_MORNING,
        );
        let q = quote(&net, &req);
        let (from, to) = window_days(&q);
        println!("semi-managed {wh} to {zip}: {from}–{to} days");
        assert!(
            from >= 4 && to <= 9,
            "{wh} → {zip}: window {from}–{to} days is not inside 4–9"
        );
    }
}

#[test]
fn a_platform_local_warehouse_delivers_in_its_own_region_in_one_to_two_days() {
    let net = network();
    for (wh, zip, now) in [
        ("us-west", "90012", ORDINARY_PT_MORNING),
        ("us-east", "10001", "2026-09-15T14:00:00Z"),
        ("us-central", "75201", "2026-09-15T15:00:00Z"),
    ] {
        let req = request(
            item(500, [200, 150, 50], "toys", Mode::PlatformLocal, &[(wh, 5)]),
            to("US", zip),
            1,
            now,
        );
        let q = quote(&net, &req);
        let (from, to) = window_days(&q);
        println!("{wh} to {zip}: {from}–{to} days");
        assert_eq!((from, to), (1, 2), "{wh} → {zip}");
    }
}

#[test]
fn the_us_west_warehouse_reaches_new_york_by_ground_in_four_to_five_days() {
    let net = network();
    // Monday 10:00 PDT: ships Monday, ground takes 4–5 working days → Friday to Monday.
    let req = request(
        item(
            500,
            [200, 150, 50],
            "toys",
            Mode::PlatformLocal,
            &[("us-west", 5)],
        ),
        to("US", "10001"),
        1,
        "2026-09-14T17:00:00Z",
    );
    let q = quote(&net, &req);
    let RouteStatus::Feasible(r) = route(&q, "us-west") else {
        panic!("us-west must ship")
    };
    let ground = r.legs.iter().find(|l| l.kind == LegKind::LastMile).unwrap();
    assert_eq!((ground.min_days, ground.max_days), (4, 5));
    let plan = q.plan.as_ref().unwrap();
    assert_eq!(plan.window.earliest, Date::parse("2026-09-18").unwrap());
    assert_eq!(plan.window.latest, Date::parse("2026-09-21").unwrap());
}

#[test]
fn ordering_a_minute_before_the_cutoff_gives_an_earlier_window_than_a_minute_after() {
    let net = network();
    // us-west cuts off at 14:00 PDT = 21:00Z on Tuesday 2026-09-15.
    let listing = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 5)],
    );
    let before = quote(
        &net,
        &request(
            listing.clone(),
            to("US", "90012"),
            1,
            "2026-09-15T20:59:00Z",
        ),
    );
    let after = quote(
        &net,
        &request(listing, to("US", "90012"), 1, "2026-09-15T21:01:00Z"),
    );
    let (b, a) = (before.plan.unwrap(), after.plan.unwrap());
    assert_eq!(b.cutoff, at("2026-09-15T21:00:00Z"));
    assert!(
        b.window.earliest < a.window.earliest,
        "{:?} vs {:?}",
        b.window,
        a.window
    );
    assert_eq!(a.cutoff, at("2026-09-16T21:00:00Z"));
}

#[test]
fn an_order_in_the_2027_spring_festival_closure_arrives_after_it() {
    let net = network();
    let cal = net
        .file
        .calendars
        .iter()
        .find(|c| c.id == "cn-warehouse")
        .unwrap();
    let closure = cal
        .closures
        .iter()
        .find(|c| c.from.ymd().0 == 2027 && c.name.to_lowercase().contains("spring festival"))
        .expect("a 2027 Spring Festival closure in cn-warehouse");
    // Order on Chinese New Year's Day 2027 (6 February), midday in Guangzhou.
    let req = request(
        item(
            300,
            [180, 100, 30],
            "phone_accessories",
            Mode::FullyManaged,
            &[("cn-gz", 100)],
        ),
        to("US", "90012"),
        1,
        "2027-02-06T04:00:00Z",
    );
    let q = quote(&net, &req);
    let plan = q.plan.unwrap();
    assert!(
        closure.from <= Date::parse("2027-02-06").unwrap()
            && closure.to >= Date::parse("2027-02-06").unwrap()
    );
    assert!(
        plan.window.earliest > closure.to,
        "window {:?} starts before the closure ends {}",
        plan.window,
        closure.to
    );
}

#[test]
fn thanksgiving_moves_a_us_last_mile_delivery() {
    let net = network();
    let listing = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 5)],
    );
    // Wednesday 18 Nov, 10:00 PST → delivered Thursday 19 or Friday 20.
    let normal = quote(
        &net,
        &request(
            listing.clone(),
            to("US", "90012"),
            1,
            "2026-11-18T18:00:00Z",
        ),
    );
    assert_eq!(
        normal.plan.unwrap().window.earliest,
        Date::parse("2026-11-19").unwrap()
    );
    // Wednesday 25 Nov: Thursday is Thanksgiving, so the earliest is Friday 27.
    let holiday = quote(
        &net,
        &request(listing, to("US", "90012"), 1, "2026-11-25T18:00:00Z"),
    );
    assert_eq!(
        holiday.plan.unwrap().window.earliest,
        Date::parse("2026-11-27").unwrap()
    );
}

#[test]
fn a_lithium_battery_has_no_air_route() {
    let net = network();
    let req = request(
        item(
            350,
            [150, 80, 25],
            "power_banks",
            Mode::FullyManaged,
            &[("cn-gz", 100), ("cn-yw", 100)],
        ),
        to("US", "10001"),
        1,
        ORDINARY_CN_MORNING,
    );
    let q = quote(&net, &req);
    assert!(q.plan.is_none());
    assert!(!q.routes.is_empty());
    for r in &q.routes {
        let RouteStatus::Infeasible(why) = &r.status else {
            panic!("{} should not fly", r.id)
        };
        assert_eq!(why.code, InfeasibleCode::CategoryRestricted);
        assert!(
            why.message.to_lowercase().contains("lithium"),
            "{}",
            why.message
        );
    }
}

#[test]
fn an_oversize_sofa_cannot_fly_but_ships_semi_managed() {
    let net = network();
    let sofa =
        |mode, stock: &[(&str, u32)]| item(45_000, [2100, 900, 850], "furniture", mode, stock);
    let fm = quote(
        &net,
        &request(
            sofa(Mode::FullyManaged, &[("cn-gz", 10)]),
            to("US", "10001"),
            1,
            ORDINARY_CN_MORNING,
        ),
    );
    assert!(fm.plan.is_none());
    let RouteStatus::Infeasible(why) = route(&fm, "cn-gz") else {
        panic!("no sofa by air")
    };
    assert_eq!(why.code, InfeasibleCode::Oversize);
    let sm = quote(
        &net,
        &request(
            sofa(Mode::SemiManaged, &[("us-3pl-nj", 3)]),
            to("US", "10001"),
            1,
            ORDINARY_PT_MORNING,
        ),
    );
    let plan = sm.plan.expect("the sofa ships from the NJ 3PL");
    assert_eq!(plan.parts[0].warehouse, "us-3pl-nj");
}
