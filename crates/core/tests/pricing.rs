//! The seller pricing engine: hand-checked breakdowns per market and mode, the duty and
//! VAT rules of every market, the laws (margin rises with price, break-even breaks even,
//! the suggestion reaches its target, promotions never help, every figure is rounded as
//! documented), the pricing file's validation, the PRODUCT.md landed-cost figures seen
//! through the pricing engine, and the margin chart.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crossdock_core::engine::{Destination, Listing, Mode, StockLine};
use crossdock_core::landed::{Item, direct, via_warehouse};
use crossdock_core::money::{Rounding, convert, div_round};
use crossdock_core::pricing::*;
use crossdock_core::{Currency, CurrencyCode, Date, Instant, Money, Network};
use proptest::prelude::*;

const PRICING_JSON: &str = include_str!("../../../data/pricing.json");
/// Tuesday 2026-09-15, 10:00 in Guangzhou (22:00 on Monday in New York): far from any
/// holiday; US duty 15 % (rule from 2026-07-24), the EU's €3 flat duty in force.
const NOW: &str = "2026-09-15T02:00:00Z";

fn rules(net: &Network) -> PricingRules {
    PricingRules::from_json(PRICING_JSON, net).expect("the default pricing file is valid")
}

fn cur(code: &str) -> Currency {
    let exponent = if code == "KRW" { 0 } else { 2 };
    Currency {
        code: CurrencyCode::new(code).unwrap(),
        exponent,
    }
}

fn m(minor: i64, code: &str) -> Money {
    Money::from_minor(minor, cur(code))
}

fn currency_of(market: &str) -> &'static str {
    match market {
        "US" => "USD",
        "DE" => "EUR",
        "GB" => "GBP",
        "KR" => "KRW",
        "ZA" => "ZAR",
        _ => "AED",
    }
}

/// A 300 g phone case in a 180 × 100 × 30 mm box that costs ¥20.00 to make.
fn phone_case() -> Sku {
    Sku {
        weight_g: 300,
        dims_mm: [180, 100, 30],
        category: "phone_accessories".into(),
        origin: "cn-gz".into(),
        cost_of_goods: m(2000, "CNY"),
    }
}

fn request(market: &str, price: i64, supply: i64) -> PricingRequest {
    let c = currency_of(market);
    PricingRequest {
        sku: phone_case(),
        market: market.into(),
        price: Some(m(price, c)),
        supply_price: Some(m(supply, c)),
        inventory_age_days: 45,
        promotion: None,
        target_margin_bp: 2000,
        now: at(NOW),
        destination: None,
        warehouses: vec![],
    }
}

fn priced(net: &Network, req: &PricingRequest, mode: Mode) -> ModePricing {
    price_mode(net, &rules(net), req, mode).unwrap()
}

fn line(side: &Side, kind: LineKind) -> i64 {
    side.lines
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.amount.minor())
        .sum()
}

fn lines(side: &Side) -> Vec<(LineKind, i64)> {
    side.lines
        .iter()
        .map(|l| (l.kind, l.amount.minor()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Hand-checked breakdowns.

#[test]
fn a_us_phone_case_semi_managed_at_19_99_is_worked_out_line_by_line() {
    use LineKind::*;
    let net = network();
    let p = priced(&net, &request("US", 1999, 899), Mode::SemiManaged);
    // Ships from the seller's NJ 3PL to New York (10001).
    assert_eq!(p.warehouse, "us-3pl-nj");
    assert_eq!(
        lines(&p.seller),
        vec![
            (Price, 1999),
            // ¥20.00 at 6.7703 CNY per USD = $2.9541, rounded up (a seller's own cost).
            (CostOfGoods, -296),
            // LCL to NY/NJ $260 per m³ × 0.00054 m³ = $0.1404, up.
            (SeaFreight, -15),
            (Receiving, -50),
            // $29 per m³-month × 0.00054 m³ × 45/30 months = $0.02349, up.
            (Storage, -3),
            (Handling, -400),
            // USPS Ground Advantage within the Northeast, up to 1 kg.
            (LastMile, -405),
            // Stock arrived 2026-08-01: rule from 2026-07-24, 15 % of FOB $2.96 = $0.444, up.
            (Duty, -45),
            // Commission 15 % and payment 2.9 % of $19.99 together: $3.57821 → $3.58,
            // split 1500 : 290 → $3.00 and $0.58; the payment fee adds its fixed $0.30.
            (Commission, -300),
            (PaymentFee, -88),
        ]
    );
    // 1999 − 1602 = 397; 397 / 1999 = 19.86 % → 1985 bp (down).
    assert_eq!(p.seller.margin, m(397, "USD"));
    assert_eq!(p.seller.margin_bp, Some(1985));
    assert_eq!(p.seller.revenue_ex_vat, m(1999, "USD"));
    // margin(P) = P − round(0.179 P) − 1244: zero first at P = 1515 (1515 − 271 − 1244).
    assert_eq!(p.break_even, Some(m(1515, "USD")));
    // 20 %: 0.621 P ≥ 1244 from P = 2004; the next price point is $20.99.
    assert_eq!(p.suggested, Some(m(2099, "USD")));
    // In CNY: $3.97 × 6.7703 = ¥26.878, half up.
    assert_eq!(p.seller.margin_in_cost_currency, m(2688, "CNY"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn a_us_phone_case_fully_managed_splits_into_seller_and_platform_sides() {
    use LineKind::*;
    let net = network();
    let p = priced(&net, &request("US", 1999, 899), Mode::FullyManaged);
    assert_eq!(p.seller_sets, SellerSets::SupplyPrice);
    assert_eq!(
        lines(&p.seller),
        vec![
            (SupplyPrice, 899),
            (CostOfGoods, -296),
            // ¥1.00 per kg × 0.3 kg = ¥0.30 = $0.0443, up.
            (InboundDelivery, -5),
        ]
    );
    assert_eq!(p.seller.margin, m(598, "USD"));
    // Break-even supply price: the seller's costs, 296 + 5.
    assert_eq!(p.break_even, Some(m(301, "USD")));
    // 20 %: S − 301 ≥ 0.2 S from S = 376.25 → 377 (supply prices are not price points).
    assert_eq!(p.suggested, Some(m(377, "USD")));
    // Retail: $8.99 × 2.0 = $17.98 → $17.99.
    assert_eq!(p.list_price, m(1799, "USD"));
    let platform = p.platform.as_ref().unwrap();
    assert_eq!(
        lines(platform),
        vec![
            (Price, 1799),
            // Below $35: the shopper pays $4.99 delivery.
            (DeliveryFee, 499),
            (SupplyPrice, -899),
            (Handling, -30),
            // Air CAN→JFK: 0.3 kg chargeable × $6.80 + $0.80 per shipment.
            (AirFreight, -284),
            (CustomsClearance, -60),
            (LastMile, -450),
            // $12 per m³-month × 0.00054 m³ × 1.5 months = $0.00972, up.
            (Storage, -1),
            // 2.9 % of $22.98 = $0.66642 → $0.67, + $0.30.
            (PaymentFee, -97),
            // No de minimis since 2025-08-29: 15 % × $17.99 = $2.6985, up.
            (Duty, -270),
        ]
    );
    assert_eq!(platform.margin, m(207, "USD"));
    assert!(matches!(
        p.duty.treatment,
        DutyTreatment::AdValorem { rate_bp: 1500 }
    ));
}

#[test]
fn a_us_phone_case_platform_local_ships_next_day_from_the_east() {
    use LineKind::*;
    let net = network();
    let p = priced(&net, &request("US", 1999, 899), Mode::PlatformLocal);
    assert_eq!(p.warehouse, "us-east");
    assert_eq!(
        lines(&p.seller),
        vec![
            (Price, 1999),
            (CostOfGoods, -296),
            (SeaFreight, -15),
            (Receiving, -40),
            // $33 × 0.00054 × 1.5 = $0.02673, up.
            (Storage, -3),
            (Handling, -470),
            (LastMile, -450),
            (Duty, -45),
            (Commission, -300),
            (PaymentFee, -88),
        ]
    );
    assert_eq!(p.seller.margin, m(292, "USD"));
    // 22:00 on Monday in New York: handled Tuesday, delivered Wednesday or Thursday.
    assert_eq!(p.delivery.today, Date::parse("2026-09-14").unwrap());
    assert_eq!(
        (p.delivery.window.earliest, p.delivery.window.latest),
        (
            Date::parse("2026-09-16").unwrap(),
            Date::parse("2026-09-17").unwrap()
        )
    );
}

#[test]
fn german_prices_include_vat_and_the_seller_keeps_the_net() {
    use LineKind::*;
    let net = network();
    let p = priced(&net, &request("DE", 1999, 799), Mode::SemiManaged);
    // VAT 19/119, commission 15 % and payment 1.5 % of €19.99, worked out together:
    // 1999 × (1900·10000 + 1500·11900 + 150·11900) / (10000·11900) = 649.003 → 649.
    // Exact parts 319.16, 299.85 and 29.985 floor to 319 + 299 + 29 = 647; the two spare
    // units go to the largest remainders (.985, then .848): 319, 300, 30.
    let vat = -line(&p.seller, Vat);
    let commission = -line(&p.seller, Commission);
    let payment = -line(&p.seller, PaymentFee) - 25;
    assert_eq!(vat + commission + payment, 649);
    assert_eq!((vat, commission, payment), (319, 300, 30));
    assert_eq!(p.seller.revenue_ex_vat, m(1999 - 319, "EUR"));
    assert!(matches!(
        p.vat,
        VatTreatment::Included { rate_bp: 1900, .. }
    ));
    // Bulk duty: CIF (goods €2.60 + sea €0.10) × 5 %, up: €0.135 → €0.14.
    assert_eq!(line(&p.seller, Duty), -14);
}

// ---------------------------------------------------------------------------------------
// Duty and VAT on parcels (fully managed) and bulk stock, market by market.

/// Fully managed pricing of the phone case at a supply price, on a given day.
fn parcel(net: &Network, market: &str, supply: i64, now: &str) -> ModePricing {
    let mut req = request(market, 1999, supply);
    req.now = at(now);
    priced(net, &req, Mode::FullyManaged)
}

#[test]
fn parcel_duty_and_vat_follow_each_markets_rules() {
    let net = network();
    struct Case {
        market: &'static str,
        now: &'static str,
        supply: i64,
        /// Expected retail price and what duty and VAT come to.
        retail: i64,
        duty: &'static str,
        vat: &'static str,
    }
    let cases = [
        // US before 2025-05-02: $800 de minimis. $8.99 × 2 → $17.99: exempt.
        Case {
            market: "US",
            now: "2025-03-04T02:00:00Z",
            supply: 899,
            retail: 1799,
            duty: "exempt",
            vat: "checkout",
        },
        // US 2025-06: de minimis suspended for China, ~45 %: $17.99 × 45 % = 8.0955 → 8.10.
        Case {
            market: "US",
            now: "2025-06-10T02:00:00Z",
            supply: 899,
            retail: 1799,
            duty: "810",
            vat: "checkout",
        },
        // DE before July 2026: no duty up to €150. €7.99 × 1.8 × 1.19 = 17.115 → €17.99.
        Case {
            market: "DE",
            now: "2026-03-10T02:00:00Z",
            supply: 799,
            retail: 1799,
            duty: "exempt",
            vat: "1900",
        },
        // DE from July 2026: €3 flat below €150 (net €15.12).
        Case {
            market: "DE",
            now: NOW,
            supply: 799,
            retail: 1799,
            duty: "flat 300",
            vat: "1900",
        },
        // DE from July 2026 at €150 or more: ad valorem. €80 × 1.8 × 1.19 = €171.36 →
        // €171.99; net 171.99 − 27.46 = €144.53 — still below €150: flat.
        Case {
            market: "DE",
            now: NOW,
            supply: 8000,
            retail: 17199,
            duty: "flat 300",
            vat: "1900",
        },
        // €85 → 182.07 → €182.99; VAT 29.22 → net €153.77 ≥ €150: 5 % → 7.6885 → 7.69.
        Case {
            market: "DE",
            now: NOW,
            supply: 8500,
            retail: 18299,
            duty: "769",
            vat: "1900",
        },
        // DE from July 2028 (projected): ad valorem from the first euro: 5 % of €15.12.
        Case {
            market: "DE",
            now: "2028-09-12T02:00:00Z",
            supply: 799,
            retail: 1799,
            duty: "76",
            vat: "1900",
        },
        // GB: £6.99 × 1.7 × 1.2 = 14.26 → £14.99: no duty at or below £135; VAT due.
        Case {
            market: "GB",
            now: NOW,
            supply: 699,
            retail: 1499,
            duty: "exempt",
            vat: "2000",
        },
        // GB: £80 → 163.2 → £163.99; net 136.66 > £135: 4 % → 5.4664 → 5.47.
        Case {
            market: "GB",
            now: NOW,
            supply: 8000,
            retail: 16399,
            duty: "547",
            vat: "2000",
        },
        // KR below US$150 (₩220,909): neither duty nor VAT. ₩11,000 × 1.87 = 20,570 → 20,900.
        Case {
            market: "KR",
            now: NOW,
            supply: 11000,
            retail: 20900,
            duty: "exempt",
            vat: "waived",
        },
        // KR above: ₩130,000 × 1.87 = 243,100 → 249,000; net 226,364: 8 % → 18,109.12 → 18,110.
        Case {
            market: "KR",
            now: NOW,
            supply: 130_000,
            retail: 249_000,
            duty: "18110",
            vat: "1000",
        },
        // ZA before 2024-09: VAT waived below R500, 20 % flat rate. R140 × 2.0 × 1.15 =
        // R322 → R329; net of 15 % 286.09: 20 % → 57.218 → 57.22.
        Case {
            market: "ZA",
            now: "2024-05-14T02:00:00Z",
            supply: 14000,
            retail: 32900,
            duty: "5722",
            vat: "waived",
        },
        // ZA from 2024-09: VAT on everything, 20 % as before.
        Case {
            market: "ZA",
            now: NOW,
            supply: 14000,
            retail: 32900,
            duty: "5722",
            vat: "1500",
        },
        // AE: AED 30 × 1.8 × 1.05 = 56.7 → AED 59: below AED 300, no duty; VAT 5 %.
        Case {
            market: "AE",
            now: NOW,
            supply: 3000,
            retail: 5900,
            duty: "exempt",
            vat: "500",
        },
        // AE: AED 200 → 378 → AED 379; net 360.95: 5 % → 18.0475 → 18.05.
        Case {
            market: "AE",
            now: NOW,
            supply: 20000,
            retail: 37900,
            duty: "1805",
            vat: "500",
        },
    ];
    for c in &cases {
        let p = parcel(&net, c.market, c.supply, c.now);
        let what = format!("{} {} supply {}", c.market, c.now, c.supply);
        assert_eq!(p.list_price.minor(), c.retail, "{what}: retail");
        let duty = match p.duty.treatment {
            DutyTreatment::Exempt { .. } => {
                assert_eq!(p.duty.duty.minor(), 0);
                "exempt".to_string()
            }
            DutyTreatment::Flat { per_item, .. } => {
                assert_eq!(p.duty.duty, per_item);
                format!("flat {}", per_item.minor())
            }
            DutyTreatment::AdValorem { .. } => p.duty.duty.minor().to_string(),
        };
        assert_eq!(duty, c.duty, "{what}: duty");
        let vat = match p.vat {
            VatTreatment::Included { rate_bp, .. } => rate_bp.to_string(),
            VatTreatment::AddedAtCheckout { .. } => "checkout".into(),
            VatTreatment::Waived { .. } => "waived".into(),
        };
        assert_eq!(vat, c.vat, "{what}: VAT");
        let platform = p.platform.as_ref().unwrap();
        assert_eq!(
            line(platform, LineKind::Duty),
            -p.duty.duty.minor(),
            "{what}"
        );
    }
}

#[test]
fn the_eu_150_euro_limit_switches_from_flat_to_ad_valorem_at_exactly_150_net() {
    // Check the boundary directly: the value compared is the price net of 19 % VAT.
    let net = network();
    let r = rules(&net);
    let de = net.file.markets.iter().find(|m| m.id == "DE").unwrap();
    let (rule, exact) = duty_rule_on(de, Date::parse("2026-09-15").unwrap()).unwrap();
    assert!(exact);
    assert_eq!(rule.flat_duty_per_item_minor, Some(300));
    assert_eq!(r.market("DE").unwrap().flat_duty_below_minor, Some(15000));
    // Find supply prices whose retail nets just below and at/above €150.
    let mut seen_flat = false;
    let mut seen_ad_valorem = false;
    // €80.00 × 1.8 × 1.19 → €171.99, net €144.53; €85.00 → €182.99, net €153.77.
    for supply in (8000..=8600).step_by(20) {
        let p = parcel(&net, "DE", supply, NOW);
        match p.duty.treatment {
            DutyTreatment::Flat { .. } => {
                assert!(p.duty.value.minor() < 15000, "{:?}", p.duty);
                seen_flat = true;
            }
            DutyTreatment::AdValorem { rate_bp } => {
                assert!(p.duty.value.minor() >= 15000, "{:?}", p.duty);
                assert_eq!(rate_bp, 500);
                assert_eq!(
                    p.duty.duty.minor(),
                    div_round(i128::from(p.duty.value.minor()) * 500, 10_000, Rounding::Up).unwrap()
                        as i64
                );
                seen_ad_valorem = true;
            }
            DutyTreatment::Exempt { .. } => panic!("no exemption from 2026-07-01"),
        }
    }
    assert!(seen_flat && seen_ad_valorem);
}

#[test]
fn bulk_stock_pays_the_duty_of_the_day_it_arrived_and_no_de_minimis() {
    let net = network();
    // Sold 2026-09-15 (New York date 2026-09-14). Held 45 days: arrived 2026-07-31, under
    // the 15 % rule; held 120 days: arrived 2026-05-17, under the 25 % Section 122 rule.
    for (age, rate, from) in [(45, 1500, "2026-07-24"), (120, 2500, "2026-02-24")] {
        let mut req = request("US", 1999, 899);
        req.inventory_age_days = age;
        let p = priced(&net, &req, Mode::SemiManaged);
        assert_eq!(
            p.duty.treatment,
            DutyTreatment::AdValorem { rate_bp: rate },
            "age {age}"
        );
        assert_eq!(p.duty.rule_from, Date::parse(from).unwrap());
        // FOB: the goods alone, even though a $19.99 parcel would once have been exempt.
        assert_eq!(p.duty.value, m(296, "USD"));
    }
    // Korea values CIF and charges 8 % on the container even below US$150 a unit.
    let p = priced(&net, &request("KR", 25_900, 11_000), Mode::PlatformLocal);
    let goods = -line(&p.seller, LineKind::CostOfGoods);
    let sea = -line(&p.seller, LineKind::SeaFreight);
    assert_eq!(p.duty.value.minor(), goods + sea);
    assert_eq!(p.duty.treatment, DutyTreatment::AdValorem { rate_bp: 800 });
}

#[test]
fn a_date_outside_every_duty_rule_uses_the_nearest_and_says_so() {
    let net = network();
    // Korea's rules start 2025-01-01; stock held 700 days arrived in October 2024.
    let mut req = request("KR", 25_900, 11_000);
    req.inventory_age_days = 700;
    let p = priced(&net, &req, Mode::PlatformLocal);
    assert_eq!(p.duty.rule_from, Date::parse("2025-01-01").unwrap());
    assert!(
        p.warnings
            .iter()
            .any(|w| matches!(w, Warning::DutyRuleAssumed { .. }))
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| matches!(w, Warning::AgedInventorySurcharge { days: 700 }))
    );
}

// ---------------------------------------------------------------------------------------
// Storage by inventory age.

#[test]
fn storage_grows_with_age_and_platform_warehouses_surcharge_aged_stock() {
    let net = network();
    let mut req = request("US", 1999, 899);
    // A bulky item so the figures are large: 600 × 400 × 400 mm = 0.096 m³.
    req.sku = Sku {
        weight_g: 5000,
        dims_mm: [600, 400, 400],
        category: "home_garden".into(),
        origin: "cn-gz".into(),
        cost_of_goods: m(10_000, "CNY"),
    };
    let storage = |age: u32, mode: Mode| {
        let mut r = req.clone();
        r.inventory_age_days = age;
        -line(&priced(&net, &r, mode).seller, LineKind::Storage)
    };
    // us-east: $33 per m³-month. 30 days: 33 × 0.096 = $3.168 → $3.17.
    assert_eq!(storage(30, Mode::PlatformLocal), 317);
    // 180 days: six months, no surcharge yet: $19.008 → $19.01.
    assert_eq!(storage(180, Mode::PlatformLocal), 1901);
    // 200 days: + 20 days at 64.10 %: 33 × 0.096 × (200 + 20 × 0.641) / 30 = $22.474 → $22.48.
    assert_eq!(storage(200, Mode::PlatformLocal), 2248);
    // A seller's 3PL (us-3pl-nj, $29) charges no surcharge: 29 × 0.096 × 200/30 = $18.56.
    assert_eq!(storage(200, Mode::SemiManaged), 1856);
    let mut last = 0;
    for age in (0..=400).step_by(20) {
        let s = storage(age, Mode::PlatformLocal);
        assert!(s >= last, "storage fell at {age} days");
        last = s;
    }
}

// ---------------------------------------------------------------------------------------
// Promotions.

fn promo(kind: PromotionKind) -> Promotion {
    Promotion {
        kind,
        starts: at("2026-09-01T00:00:00Z"),
        ends: at("2026-10-01T00:00:00Z"),
    }
}

#[test]
fn promotions_show_their_cost_split_and_warn_when_the_margin_goes_negative() {
    let net = network();
    let run = |mode: Mode, kind: PromotionKind| {
        let mut req = request("US", 1999, 899);
        req.promotion = Some(promo(kind));
        priced(&net, &req, mode)
    };
    // 30 % off $19.99: sale price $13.99 (13.993, half up), the seller funds $6.00.
    let p = run(
        Mode::SemiManaged,
        PromotionKind::PercentOff { percent_bp: 3000 },
    );
    assert_eq!(p.shopper_pays, m(1399, "USD"));
    let e = p.promotion.unwrap();
    assert!(e.running);
    assert_eq!(e.seller_cost, m(600, "USD"));
    assert_eq!(e.platform_cost, m(0, "USD"));
    assert_eq!(e.margin_before, m(397, "USD"));
    assert_eq!(
        e.margin_impact.minor(),
        p.seller.margin.minor() - e.margin_before.minor()
    );
    // Costs other than commission and payment fee: 1214 (see the first test).
    // 1399 × 0.179 = 250.4 → 250 for commission and payment, + $0.30: margin −$0.95.
    assert_eq!(p.seller.margin, m(1399 - 1214 - 250 - 30, "USD"));
    assert_eq!(p.seller.margin, m(-95, "USD"));
    assert!(p.warnings.contains(&Warning::PromotionMakesMarginNegative));

    // A platform subsidy costs the seller nothing.
    let p = run(
        Mode::SemiManaged,
        PromotionKind::PlatformSubsidy {
            amount: m(300, "USD"),
        },
    );
    assert_eq!(p.shopper_pays, m(1699, "USD"));
    assert_eq!(p.seller.margin, m(397, "USD"));
    assert_eq!(p.promotion.unwrap().platform_cost, m(300, "USD"));

    // Free shipping over $15: the shopper would pay $4.99, the seller reimburses it.
    let p = run(
        Mode::SemiManaged,
        PromotionKind::FreeShippingOver {
            threshold: m(1500, "USD"),
        },
    );
    assert_eq!(p.delivery_fee, m(0, "USD"));
    assert_eq!(line(&p.seller, LineKind::FreeShipping), -499);
    assert_eq!(p.seller.margin, m(397 - 499, "USD"));

    // Fully managed: the supply price drops by the same 20 %, the platform funds the rest.
    let p = run(
        Mode::FullyManaged,
        PromotionKind::PercentOff { percent_bp: 2000 },
    );
    let e = p.promotion.unwrap();
    // Supply $8.99 → $7.19 (7.192): the seller gives $1.80; retail $17.99 → $14.39.
    assert_eq!(e.seller_cost, m(180, "USD"));
    assert_eq!(p.shopper_pays, m(1439, "USD"));
    assert_eq!(e.platform_cost, m(360 - 180, "USD"));
    assert_eq!(p.seller.margin, m(598 - 180, "USD"));
}

#[test]
fn a_promotion_outside_its_dates_changes_nothing_and_says_so() {
    let net = network();
    let mut req = request("US", 1999, 899);
    req.promotion = Some(Promotion {
        kind: PromotionKind::PercentOff { percent_bp: 5000 },
        starts: at("2026-11-27T00:00:00Z"),
        ends: at("2026-11-30T00:00:00Z"),
    });
    let p = priced(&net, &req, Mode::SemiManaged);
    assert_eq!(p.seller.margin, m(397, "USD"));
    assert!(!p.promotion.unwrap().running);
    assert!(p.warnings.contains(&Warning::PromotionNotRunning));
}

// ---------------------------------------------------------------------------------------
// Side by side and the delivery promise.

#[test]
fn side_by_side_prices_every_mode_and_explains_the_ones_that_cannot_be() {
    let net = network();
    let r = rules(&net);
    let sbs = price_all_modes(&net, &r, &request("KR", 25_900, 11_000)).unwrap();
    let modes: Vec<Mode> = sbs.columns.iter().map(|c| c.mode).collect();
    assert_eq!(modes, Mode::ALL.to_vec());
    let semi = &sbs.columns[1].outcome;
    match semi {
        ModeOutcome::Unavailable { error, message } => {
            assert_eq!(
                *error,
                PricingError::NoWarehouse {
                    mode: Mode::SemiManaged,
                    market: "KR".into()
                }
            );
            assert!(message.contains("no semi-managed warehouse"), "{message}");
        }
        ModeOutcome::Priced { .. } => panic!("Korea has no seller 3PL"),
    }
    assert!(matches!(sbs.columns[0].outcome, ModeOutcome::Priced { .. }));
    assert!(matches!(sbs.columns[2].outcome, ModeOutcome::Priced { .. }));
    // The whole answer serialises for the API.
    let json = serde_json::to_string(&sbs).unwrap();
    assert!(json.contains("\"status\":\"unavailable\""));

    // A power bank cannot fly: fully managed explains why, the others are priced.
    let mut req = request("US", 2999, 1200);
    req.sku.category = "power_banks".into();
    let sbs = price_all_modes(&net, &r, &req).unwrap();
    match &sbs.columns[0].outcome {
        ModeOutcome::Unavailable {
            error: PricingError::NoRoute { reason, .. },
            ..
        } => assert!(reason.to_lowercase().contains("lithium"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(sbs.columns[1].outcome, ModeOutcome::Priced { .. }));
}

#[test]
fn the_promised_window_is_the_one_the_storefront_shows() {
    let net = network();
    let req = request("US", 1999, 899);
    for (mode, stock) in [
        (Mode::FullyManaged, vec!["cn-gz"]),
        (Mode::SemiManaged, vec!["us-3pl-ca", "us-3pl-nj"]),
        (
            Mode::PlatformLocal,
            vec!["us-west", "us-central", "us-east"],
        ),
    ] {
        let p = priced(&net, &req, mode);
        let listing = Listing {
            weight_g: 300,
            dims_mm: [180, 100, 30],
            category: "phone_accessories".into(),
            mode,
            stock: stock
                .iter()
                .map(|w| StockLine {
                    warehouse: (*w).into(),
                    quantity: 1,
                })
                .collect(),
            unit_price: None,
        };
        let q = quote(&net, &request_for(listing, to("US", "10001"), NOW));
        let plan = q.plan.unwrap();
        assert_eq!(p.delivery.window, plan.window, "{mode:?}");
        assert_eq!(p.delivery.cutoff, plan.cutoff, "{mode:?}");
        assert_eq!(p.delivery.ships_from, plan.parts[0].warehouse, "{mode:?}");
        assert_eq!(p.delivery.destination, "New York (10001)");
    }
}

fn request_for(
    listing: Listing,
    dest: Destination,
    now: &str,
) -> crossdock_core::engine::QuoteRequest {
    common::request(listing, dest, 1, now)
}

// ---------------------------------------------------------------------------------------
// PRODUCT.md: the landed-cost figures hold inside the pricing engine.

/// Shipping a unit: head-haul, receiving, handling, customs and last mile, plus storage
/// when asked (the direct landed cost has none).
fn logistics(side: &Side, storage: bool) -> i64 {
    use LineKind::*;
    side.lines
        .iter()
        .filter(|l| {
            matches!(
                l.kind,
                SeaFreight | AirFreight | Receiving | Handling | CustomsClearance | LastMile
            ) || (storage && l.kind == Storage)
        })
        .map(|l| -l.amount.minor())
        .sum()
}

fn to_la(sku: Sku, age: u32) -> PricingRequest {
    let mut req = request("US", 4999, 2000);
    req.sku = sku;
    req.inventory_age_days = age;
    req.destination = Some(to("US", "90012"));
    req.warehouses = vec!["us-west".into()];
    req
}

#[test]
fn product_figures_a_light_auto_part_costs_about_the_same_either_way_a_kettle_half() {
    let net = network();
    let now = at(NOW);
    for (sku, low, high) in [
        (
            Sku {
                weight_g: 750,
                dims_mm: [200, 150, 100],
                category: "auto_parts".into(),
                origin: "cn-gz".into(),
                cost_of_goods: m(3000, "CNY"),
            },
            85,
            115,
        ),
        (
            Sku {
                weight_g: 3000,
                dims_mm: [350, 250, 250],
                category: "small_appliances".into(),
                origin: "cn-gz".into(),
                cost_of_goods: m(8000, "CNY"),
            },
            40,
            60,
        ),
    ] {
        // One month in the warehouse, as the landed-cost figures assume.
        let req = to_la(sku.clone(), 30);
        let fm = priced(&net, &req, Mode::FullyManaged);
        let pl = priced(&net, &req, Mode::PlatformLocal);
        assert_eq!(pl.warehouse, "us-west");
        let item = Item {
            weight_g: sku.weight_g,
            dims_mm: sku.dims_mm,
            category: &sku.category,
        };
        let dest = to("US", "90012");
        let d = direct(&net, &item, "cn-gz", &dest, now)
            .unwrap()
            .total
            .minor();
        let w = via_warehouse(&net, &item, "cn-gz", "us-west", 1, &dest, now)
            .unwrap()
            .total
            .minor();
        // The pricing engine's logistics lines are exactly the landed costs.
        let air = logistics(fm.platform.as_ref().unwrap(), false);
        let sea = logistics(&pl.seller, true);
        assert_eq!((air, sea), (d, w), "{}", sku.category);
        assert!(
            sea * 100 >= low * air && sea * 100 <= high * air,
            "{}: via warehouse {sea} vs direct {air}",
            sku.category
        );
    }
}

// ---------------------------------------------------------------------------------------
// Request validation.

#[test]
fn bad_requests_are_refused_with_a_named_error() {
    let net = network();
    let r = rules(&net);
    let base = request("US", 1999, 899);
    let check = |f: &dyn Fn(&mut PricingRequest), want: &dyn Fn(&PricingError) -> bool| {
        let mut req = base.clone();
        f(&mut req);
        let e = price_all_modes(&net, &r, &req).unwrap_err();
        assert!(want(&e), "{e:?}");
        assert!(!e.to_string().is_empty());
    };
    check(&|q| q.market = "FR".into(), &|e| {
        matches!(e, PricingError::UnknownMarket { .. })
    });
    check(&|q| q.sku.category = "jewellery".into(), &|e| {
        matches!(e, PricingError::UnknownCategory { .. })
    });
    check(&|q| q.sku.origin = "us-west".into(), &|e| {
        matches!(e, PricingError::NotAnOrigin { .. })
    });
    check(&|q| q.price = Some(m(0, "USD")), &|e| {
        matches!(
            e,
            PricingError::PriceNotPositive {
                field: PriceField::Price
            }
        )
    });
    check(&|q| q.price = Some(m(-5, "USD")), &|e| {
        matches!(e, PricingError::PriceNotPositive { .. })
    });
    check(&|q| q.price = Some(m(1999, "EUR")), &|e| {
        matches!(e, PricingError::CurrencyNotMarket { .. })
    });
    check(&|q| q.supply_price = Some(m(1_000_001, "USD")), &|e| {
        matches!(
            e,
            PricingError::PriceAboveLimit {
                field: PriceField::SupplyPrice,
                ..
            }
        )
    });
    check(&|q| q.target_margin_bp = 9_500, &|e| {
        matches!(e, PricingError::TargetMarginOutOfRange { .. })
    });
    check(&|q| q.inventory_age_days = 4_000, &|e| {
        matches!(e, PricingError::InventoryTooOld { .. })
    });
    check(&|q| q.sku.weight_g = 0, &|e| {
        matches!(e, PricingError::ZeroWeight)
    });
    check(&|q| q.sku.cost_of_goods = m(-1, "CNY"), &|e| {
        matches!(e, PricingError::CostNegative)
    });
    check(
        &|q| q.promotion = Some(promo(PromotionKind::PercentOff { percent_bp: 9_100 })),
        &|e| matches!(e, PricingError::DiscountOutOfRange { .. }),
    );
    check(
        &|q| {
            q.promotion = Some(Promotion {
                kind: PromotionKind::Voucher {
                    amount: m(200, "USD"),
                },
                starts: at("2026-10-01T00:00:00Z"),
                ends: at("2026-09-01T00:00:00Z"),
            })
        },
        &|e| matches!(e, PricingError::PromotionEndsBeforeStart),
    );
    check(
        &|q| {
            q.promotion = Some(promo(PromotionKind::Voucher {
                amount: m(200, "GBP"),
            }))
        },
        &|e| {
            matches!(
                e,
                PricingError::CurrencyNotMarket {
                    field: PriceField::Voucher,
                    ..
                }
            )
        },
    );
    check(&|q| q.destination = Some(to("GB", "SW1A 1AA")), &|e| {
        matches!(e, PricingError::BadDestination { .. })
    });
    check(&|q| q.destination = Some(to("US", "ABCDE")), &|e| {
        matches!(e, PricingError::BadDestination { .. })
    });
    // Missing prices only close their own columns.
    let mut req = base.clone();
    req.price = None;
    req.supply_price = None;
    let sbs = price_all_modes(&net, &r, &req).unwrap();
    for c in &sbs.columns {
        assert!(matches!(
            c.outcome,
            ModeOutcome::Unavailable {
                error: PricingError::NoPrice { .. } | PricingError::NoSupplyPrice,
                ..
            }
        ));
    }
}

// ---------------------------------------------------------------------------------------
// The pricing file.

#[test]
fn the_pricing_file_names_every_problem_by_its_path() {
    let net = network();
    let mut file: serde_json::Value = serde_json::from_str(PRICING_JSON).unwrap();
    file["commission"]["categories"][0]["category"] = "jewellery".into();
    file["markets"][0]["payment"]["rate_bp"] = 4_000.into();
    file["markets"][1]["flat_duty_below_minor"] = serde_json::Value::Null;
    file["markets"][2]["currency"] = "EUR".into();
    file["markets"][3]["reference"]["postal_code"] = "ABC".into();
    file["markets"][4]["price_points"][0]["ending_minor"] = 1_000.into();
    file["aged_inventory"]["tiers"][1]["after_days"] = 100.into();
    file["markets"].as_array_mut().unwrap().pop();
    let e = PricingRules::from_json(&file.to_string(), &net).unwrap_err();
    let PricingRulesError::Invalid(problems) = &e else {
        panic!("{e}")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for want in [
        "commission.categories[0].category",
        "markets[0].payment.rate_bp",
        "markets[1].flat_duty_below_minor",
        "markets[2].currency",
        "markets[3].reference.postal_code",
        "markets[4].price_points[0].ending_minor",
        "aged_inventory.tiers[1].after_days",
        "markets",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    assert!(e.to_string().contains("AE"), "{e}");
    let syntax = PricingRules::from_json("{\"version\": 1}", &net).unwrap_err();
    assert!(matches!(syntax, PricingRulesError::Syntax(_)));
}

#[test]
fn both_readers_of_the_pricing_file_build_the_same_rules() {
    let net = network();
    let with_serde = PricingRules::from_json(PRICING_JSON, &net).unwrap();
    let without = PricingRules::read(PRICING_JSON, &net).unwrap();
    assert_eq!(with_serde, without);

    // The same files are refused, and a file that reads but is wrong gets the same
    // problems from both.
    let base: serde_json::Value = serde_json::from_str(PRICING_JSON).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 6] = [
        ("an unknown field", |f| {
            f["markets"][0]["discount"] = 5.into()
        }),
        ("a missing field", |f| {
            f["commission"].as_object_mut().unwrap().remove("source");
        }),
        ("a string for a number", |f| {
            f["markets"][1]["max_price_minor"] = "100".into()
        }),
        ("an unknown customs basis", |f| {
            f["markets"][2]["customs_value"] = "ddp".into()
        }),
        ("a wrong currency", |f| {
            f["markets"][2]["currency"] = "EUR".into()
        }),
        ("a null optional field", |f| {
            f["markets"][1]["flat_duty_below_minor"] = serde_json::Value::Null
        }),
    ];
    for (what, edit) in edits {
        let mut file = base.clone();
        edit(&mut file);
        let text = file.to_string();
        let a = PricingRules::from_json(&text, &net);
        let b = PricingRules::read(&text, &net);
        match (&a, &b) {
            (Err(PricingRulesError::Syntax(_)), Err(PricingRulesError::Syntax(_))) => {}
            (Err(PricingRulesError::Invalid(x)), Err(PricingRulesError::Invalid(y))) => {
                assert_eq!(x, y, "{what}")
            }
            _ => panic!("{what}: serde {a:?}, crate::json {b:?}"),
        }
    }
    // Optional fields may be left out by both.
    let mut file = base.clone();
    for c in file["commission"]["categories"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("note");
    }
    let text = file.to_string();
    assert_eq!(
        PricingRules::from_json(&text, &net).unwrap(),
        PricingRules::read(&text, &net).unwrap()
    );
}

#[test]
fn a_pricing_request_reads_back_without_serde_as_serde_writes_it() {
    let base = request("US", 1999, 999);
    let at = |s: &str| Instant::parse(s).unwrap();
    let kinds = [
        PromotionKind::PercentOff { percent_bp: 2500 },
        PromotionKind::Voucher {
            amount: m(300, "USD"),
        },
        PromotionKind::PlatformSubsidy {
            amount: m(150, "USD"),
        },
        PromotionKind::FreeShippingOver {
            threshold: m(4900, "USD"),
        },
    ];
    let mut cases = vec![base.clone()];
    for kind in kinds {
        cases.push(PricingRequest {
            promotion: Some(Promotion {
                kind,
                starts: at("2026-09-01T00:00:00Z"),
                ends: at("2026-10-01T00:00:00Z"),
            }),
            destination: Some(Destination {
                market: "US".into(),
                postal_code: Some("10001".into()),
                zone: None,
            }),
            warehouses: vec!["us-3pl-ca".into()],
            inventory_age_days: 45,
            ..base.clone()
        });
    }
    cases.push(PricingRequest {
        price: None,
        supply_price: None,
        ..base.clone()
    });
    for req in cases {
        let text = serde_json::to_string(&req).unwrap();
        let back: PricingRequest = crossdock_core::json::from_str(&text).unwrap();
        assert_eq!(back, req, "{text}");
    }
    let bad = r#"{"percent_off": {"percent_bp": 10}, "voucher": {"amount": 1}}"#;
    assert!(crossdock_core::json::from_str::<PromotionKind>(bad).is_err());
    let bad = r#"{"coupon": {"amount": 1}}"#;
    assert!(crossdock_core::json::from_str::<PromotionKind>(bad).is_err());
}

// ---------------------------------------------------------------------------------------
// The chart.

/// A strict little XML well-formedness check: balanced tags, quoted attributes, escaped
/// text, one root.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    let mut roots = 0;
    while !rest.is_empty() {
        match rest.find('<') {
            None => {
                check_text(rest)?;
                break;
            }
            Some(i) => {
                check_text(&rest[..i])?;
                if stack.is_empty() && !rest[..i].trim().is_empty() {
                    return Err("text outside the root".into());
                }
                rest = &rest[i..];
                let end = rest.find('>').ok_or("unclosed tag")?;
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    let open = stack.pop().ok_or("close without open")?;
                    if open != name.trim() {
                        return Err(format!("</{name}> closes <{open}>"));
                    }
                    continue;
                }
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(format!("bad tag name in <{tag}>"));
                }
                check_attributes(&body[name.len()..])?;
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} roots"));
    }
    Ok(())
}

fn check_text(s: &str) -> Result<(), String> {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or("bare &")?;
        if !["amp", "lt", "gt", "quot", "apos"].contains(&&after[..end]) {
            return Err(format!("unknown entity &{};", &after[..end]));
        }
        rest = &after[end + 1..];
    }
    if s.contains('>') {
        return Err("bare > in text".into());
    }
    Ok(())
}

fn check_attributes(s: &str) -> Result<(), String> {
    let mut rest = s.trim();
    let mut names = Vec::new();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .ok_or(format!("attribute without value: {rest}"))?;
        let name = rest[..eq].trim();
        if names.contains(&name) {
            return Err(format!("duplicate attribute {name}"));
        }
        names.push(name);
        let after = &rest[eq + 1..];
        let value = after.strip_prefix('"').ok_or("unquoted attribute")?;
        let close = value.find('"').ok_or("unterminated attribute")?;
        check_text(&value[..close])?;
        if value[..close].contains('<') {
            return Err("< in attribute".into());
        }
        rest = value[close + 1..].trim_start();
    }
    Ok(())
}

#[test]
fn the_margin_chart_is_well_formed_svg_with_its_markers() {
    let net = network();
    let r = rules(&net);
    let mut req = request("US", 1999, 899);
    req.promotion = Some(promo(PromotionKind::PercentOff { percent_bp: 1000 }));
    for mode in Mode::ALL {
        let curve = margin_curve(&net, &r, &req, mode, None, 60).unwrap();
        assert_eq!(curve.points.len(), 60);
        let svg = margin_chart_svg(&curve);
        well_formed(&svg).unwrap_or_else(|e| panic!("{mode:?}: {e}\n{svg}"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id="));
        assert!(svg.contains("<desc id="));
        assert!(svg.contains("data-testid=\"break-even\""), "{svg}");
        assert!(svg.contains("data-testid=\"current-price\""));
        assert!(svg.contains("data-testid=\"loss-zone\""));
        assert!(svg.contains("data-testid=\"margin-before-promotion\""));
        let be = curve.break_even.unwrap().to_decimal_string();
        assert!(svg.contains(&format!("Break-even {be} USD")), "{svg}");
        // Pure: the same curve draws the same bytes.
        assert_eq!(svg, margin_chart_svg(&curve));
        // No floating point in any coordinate.
        for attr in [
            " x=\"",
            " y=\"",
            " x1=\"",
            " y2=\"",
            " cx=\"",
            " cy=\"",
            " points=\"",
        ] {
            for value in svg.split(attr).skip(1) {
                let value = value.split('"').next().unwrap();
                assert!(
                    value
                        .chars()
                        .all(|c| c.is_ascii_digit() || " ,-".contains(c)),
                    "{attr}{value}"
                );
            }
        }
    }
    // A title with markup characters is escaped.
    let mut curve = margin_curve(&net, &r, &req, Mode::SemiManaged, None, 2).unwrap();
    curve.market = "<US & \"co\">".into();
    well_formed(&margin_chart_svg(&curve)).unwrap();
    // An explicit range, and a bad one.
    let c = margin_curve(
        &net,
        &r,
        &req,
        Mode::SemiManaged,
        Some((m(1000, "USD"), m(3000, "USD"))),
        21,
    )
    .unwrap();
    assert_eq!(c.points[0].price, m(1000, "USD"));
    assert_eq!(c.points[20].price, m(3000, "USD"));
    assert_eq!(c.points[1].price, m(1100, "USD"));
    assert!(
        margin_curve(
            &net,
            &r,
            &req,
            Mode::SemiManaged,
            Some((m(3000, "USD"), m(1000, "USD"))),
            21
        )
        .is_err()
    );
    assert!(margin_curve(&net, &r, &req, Mode::SemiManaged, None, 1).is_err());
}

// ---------------------------------------------------------------------------------------
// Laws.

const MARKETS: [&str; 6] = ["US", "DE", "GB", "KR", "ZA", "AE"];
const CATEGORIES: [&str; 6] = [
    "phone_accessories",
    "apparel",
    "auto_parts",
    "toys",
    "home_garden",
    "lighting",
];

fn arb_sku() -> impl Strategy<Value = Sku> {
    (
        50u32..20_000,
        (50u32..800, 50u32..600, 20u32..500),
        0usize..CATEGORIES.len(),
        100i64..50_000,
    )
        .prop_map(|(w, (l, b, h), c, cost)| Sku {
            weight_g: w,
            dims_mm: [l, b, h],
            category: CATEGORIES[c].into(),
            origin: "cn-gz".into(),
            cost_of_goods: m(cost, "CNY"),
        })
}

/// A price in a market's currency, in its usual range.
fn scaled(market: &str, dollars_cents: i64) -> i64 {
    match market {
        "KR" => dollars_cents * 14,
        "ZA" => dollars_cents * 18,
        "AE" => dollars_cents * 4,
        _ => dollars_cents,
    }
}

fn arb_promotion(market: &'static str) -> impl Strategy<Value = Option<PromotionKind>> {
    let c = currency_of(market);
    prop_oneof![
        Just(None),
        (1u32..=9_000).prop_map(|b| Some(PromotionKind::PercentOff { percent_bp: b })),
        (1i64..5_000).prop_map(move |a| Some(PromotionKind::Voucher {
            amount: m(scaled(market, a), c)
        })),
        (1i64..5_000).prop_map(move |a| Some(PromotionKind::PlatformSubsidy {
            amount: m(scaled(market, a), c)
        })),
        (1i64..10_000).prop_map(move |a| Some(PromotionKind::FreeShippingOver {
            threshold: m(scaled(market, a), c)
        })),
    ]
}

struct Fixture {
    net: Network,
    rules: PricingRules,
}

fn fixture() -> &'static Fixture {
    use std::sync::OnceLock;
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let net = network();
        let rules = rules(&net);
        Fixture { net, rules }
    })
}

fn arb_request() -> impl Strategy<Value = (PricingRequest, Mode)> {
    (0usize..MARKETS.len(), 0usize..3).prop_flat_map(|(mi, mode)| {
        let market = MARKETS[mi];
        let c = currency_of(market);
        (
            arb_sku(),
            100i64..30_000,
            100i64..20_000,
            0u32..500,
            0u32..=6_000,
            arb_promotion(market),
            0i64..400,
        )
            .prop_map(move |(sku, price, supply, age, target, promo, day)| {
                let mode = Mode::ALL[mode];
                let now = Instant::from_unix(at("2025-01-01T03:00:00Z").unix() + day * 86_400 * 2)
                    .unwrap();
                (
                    PricingRequest {
                        sku,
                        market: market.into(),
                        price: Some(m(scaled(market, price), c)),
                        supply_price: Some(m(scaled(market, supply), c)),
                        inventory_age_days: age,
                        promotion: promo.map(|kind| Promotion {
                            kind,
                            starts: at("2024-01-01T00:00:00Z"),
                            ends: at("2030-01-01T00:00:00Z"),
                        }),
                        target_margin_bp: target,
                        now,
                        destination: None,
                        warehouses: vec![],
                    },
                    mode,
                )
            })
    })
}

/// `price_mode`, or `None` when the mode cannot ship the SKU at all (too big to fly,
/// no warehouse of the kind, a retail price above the limit).
fn try_price(req: &PricingRequest, mode: Mode) -> Option<ModePricing> {
    let f = fixture();
    match price_mode(&f.net, &f.rules, req, mode) {
        Ok(p) => Some(p),
        Err(
            PricingError::NoRoute { .. }
            | PricingError::NoWarehouse { .. }
            | PricingError::RetailAboveLimit { .. },
        ) => None,
        Err(e) => panic!("{e:?} for {req:?} {mode:?}"),
    }
}

fn margin_at(req: &PricingRequest, mode: Mode, price: Money) -> Option<(Money, Money)> {
    let mut r = req.clone();
    match mode {
        Mode::FullyManaged => r.supply_price = Some(price),
        _ => r.price = Some(price),
    }
    r.promotion = None;
    try_price(&r, mode).map(|p| (p.seller.margin, p.seller.revenue_ex_vat))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Without a promotion — and with any but free shipping, whose waived fee starts at a
    /// threshold — the seller's margin never falls as the price rises, minor unit by
    /// minor unit.
    #[test]
    fn margin_never_falls_as_the_price_rises((req, mode) in arb_request()) {
        let f = fixture();
        let mut req = req;
        if matches!(req.promotion.map(|p| p.kind), Some(PromotionKind::FreeShippingOver { .. })) {
            req.promotion = None;
        }
        let base = match mode { Mode::FullyManaged => req.supply_price, _ => req.price }.unwrap();
        let to = m(base.minor() + 399, &base.currency().code.to_string());
        let curve = match margin_curve(&f.net, &f.rules, &req, mode, Some((base, to)), 400) {
            Ok(c) => c,
            // The mode cannot ship this SKU at all.
            Err(PricingError::NoRoute { .. } | PricingError::NoWarehouse { .. }) => return Ok(()),
            Err(e) => panic!("{e:?}"),
        };
        prop_assert_eq!(curve.points.len(), 400);
        for w in curve.points.windows(2) {
            prop_assert_eq!(w[1].price.minor() - w[0].price.minor(), 1);
            prop_assert!(w[1].margin.minor() >= w[0].margin.minor(), "{:?} then {:?}", w[0], w[1]);
            prop_assert!(w[1].margin.minor() - w[0].margin.minor() <= 1);
            prop_assert!(w[1].margin_before_promotion.minor() >= w[0].margin_before_promotion.minor());
        }
    }

    /// At the break-even price the margin is zero, give or take one minor unit, and one
    /// minor unit less loses money; the suggested price reaches the target margin and is a
    /// price point.
    #[test]
    fn break_even_breaks_even_and_the_suggestion_reaches_the_target((req, mode) in arb_request()) {
        let Some(p) = try_price(&req, mode) else { return Ok(()) };
        if let Some(be) = p.break_even {
            let (margin, _) = margin_at(&req, mode, be).unwrap();
            prop_assert!((0..=1).contains(&margin.minor()), "margin {margin} at break-even {be}");
            if be.minor() > 1 {
                let (below, _) = margin_at(&req, mode, Money::from_minor(be.minor() - 1, be.currency())).unwrap();
                prop_assert!(below.minor() < 0);
            }
        }
        if let Some(s) = p.suggested {
            let (margin, revenue) = margin_at(&req, mode, s).unwrap();
            prop_assert!(revenue.minor() > 0);
            prop_assert!(
                i128::from(margin.minor()) * 10_000 >= i128::from(req.target_margin_bp) * i128::from(revenue.minor()),
                "{margin} on {revenue} at {s} misses {} bp", req.target_margin_bp
            );
            if mode != Mode::FullyManaged {
                let bands = &fixture().rules.market(&req.market).unwrap().price_points;
                prop_assert_eq!(round_up_to_price_point(s.minor(), bands), Some(s.minor()));
            }
        }
    }

    /// A promotion never raises the seller's margin, and reports its own impact.
    #[test]
    fn promotions_never_increase_the_margin((req, mode) in arb_request()) {
        let Some(p) = try_price(&req, mode) else { return Ok(()) };
        let mut plain = req.clone();
        plain.promotion = None;
        let Some(q) = try_price(&plain, mode) else { return Ok(()) };
        prop_assert!(p.seller.margin.minor() <= q.seller.margin.minor());
        if let Some(e) = p.promotion {
            prop_assert_eq!(e.margin_before, q.seller.margin);
            prop_assert!(e.margin_impact.minor() <= 0);
            prop_assert_eq!(e.margin_impact.minor(), p.seller.margin.minor() - q.seller.margin.minor());
            prop_assert!(e.seller_cost.minor() >= 0);
            if p.seller.margin.minor() < 0 && q.seller.margin.minor() >= 0 {
                prop_assert!(p.warnings.contains(&Warning::PromotionMakesMarginNegative));
            }
        }
    }

    /// Every figure is minor units of the market's currency, rounded as documented: the
    /// lines add up to the margin; VAT, commission and the payment fee's percentage add
    /// up to their exact total rounded half up and each is within 1½ minor units of its
    /// exact value; equivalents are half-up conversions; margin % is rounded down.
    #[test]
    fn every_money_figure_is_rounded_as_documented((req, mode) in arb_request()) {
        let f = fixture();
        let Some(p) = try_price(&req, mode) else { return Ok(()) };
        let mi = f.net.market_index(&req.market).unwrap();
        let mdef = &f.net.file.markets[mi];
        let mrules = f.rules.market(&req.market).unwrap();
        let fx = |c: CurrencyCode| f.net.fx_rate(c).unwrap();
        for side in std::iter::once(&p.seller).chain(p.platform.as_ref()) {
            let sum: i64 = side.lines.iter().map(|l| l.amount.minor()).sum();
            prop_assert_eq!(sum, side.margin.minor());
            for l in &side.lines {
                prop_assert_eq!(l.amount.currency(), p.currency);
                if !matches!(l.kind, LineKind::CostOfGoods | LineKind::InboundDelivery) {
                    let want = convert(l.amount, fx(p.currency.code), cur("CNY"), fx(CurrencyCode::new("CNY").unwrap()), Rounding::HalfUp).unwrap();
                    prop_assert_eq!(l.in_cost_currency, want);
                }
            }
            if side.revenue_ex_vat.minor() > 0 {
                let bp = div_round(i128::from(side.margin.minor()) * 10_000, i128::from(side.revenue_ex_vat.minor()), Rounding::Down).unwrap();
                prop_assert_eq!(side.margin_bp, Some(bp as i64));
            }
        }
        if mode != Mode::FullyManaged {
            let s = &p.seller;
            let basis = s.lines.iter().filter(|l| matches!(l.kind, LineKind::Price | LineKind::Promotion)).map(|l| l.amount.minor()).sum::<i64>();
            let r = i128::from(mdef.vat.rate_bp);
            let c = i128::from(f.rules.commission_bp(mrules, &req.sku.category));
            let fee = i128::from(mrules.payment.rate_bp);
            let b = i128::from(basis);
            let vat = i128::from(-line(s, LineKind::Vat));
            let commission = i128::from(-line(s, LineKind::Commission));
            let payment = i128::from(-line(s, LineKind::PaymentFee) - mrules.payment.fixed_minor);
            // Exact values over a common denominator.
            let den = 10_000 * (10_000 + r);
            let exact = [b * r * 10_000, b * c * (10_000 + r), b * fee * (10_000 + r)];
            let total = div_round(exact.iter().sum(), den, Rounding::HalfUp).unwrap();
            prop_assert_eq!(vat + commission + payment, total);
            for (got, want) in [vat, commission, payment].into_iter().zip(exact) {
                prop_assert!(2 * (got * den - want).abs() < 3 * den, "{} vs {}/{}", got, want, den);
            }
            // Bulk duty is rounded up from the customs value.
            let d = &p.duty;
            if let DutyTreatment::AdValorem { rate_bp } = d.treatment {
                let want = div_round(i128::from(d.value.minor()) * i128::from(rate_bp), 10_000, Rounding::Up).unwrap();
                prop_assert_eq!(i128::from(d.duty.minor()), want);
            }
        }
    }

    /// Parcels (fully managed) pay duty and VAT exactly as the market's rule in force on
    /// the order date says, de-minimis thresholds and the EU's €150 included — checked
    /// against the rules read straight from the network file.
    #[test]
    fn parcel_duty_and_vat_follow_the_rule_in_force((req, _mode) in arb_request()) {
        let f = fixture();
        let Some(p) = try_price(&req, Mode::FullyManaged) else { return Ok(()) };
        let mi = f.net.market_index(&req.market).unwrap();
        let mdef = &f.net.file.markets[mi];
        let mrules = f.rules.market(&req.market).unwrap();
        let date = p.delivery.today;
        let rule = mdef.duty.iter().find(|r| r.from <= date && r.to.is_none_or(|t| date <= t)).unwrap();
        prop_assert_eq!(p.duty.rule_from, rule.from);
        let sale = i128::from(p.shopper_pays.minor());
        let r = i128::from(mdef.vat.rate_bp);
        let value = if mdef.vat.prices_include_vat {
            sale - div_round(sale * r, 10_000 + r, Rounding::HalfUp).unwrap()
        } else {
            sale
        };
        prop_assert_eq!(i128::from(p.duty.value.minor()), value);
        let v = value as i64;
        let want_duty = match (rule.flat_duty_per_item_minor, mrules.flat_duty_below_minor) {
            (Some(flat), Some(below)) if v < below => i128::from(flat),
            _ => match rule.duty_free_below_minor {
                Some(t) if v < t => 0,
                _ => div_round(value * i128::from(rule.duty_rate_bp), 10_000, Rounding::Up).unwrap(),
            },
        };
        prop_assert_eq!(i128::from(p.duty.duty.minor()), want_duty);
        let waived = rule.vat_free_below_minor.is_some_and(|t| v < t);
        match p.vat {
            VatTreatment::Waived { .. } => prop_assert!(waived),
            VatTreatment::Included { vat, .. } => {
                prop_assert!(!waived && mdef.vat.prices_include_vat);
                prop_assert_eq!(i128::from(vat.minor()), sale - value);
            }
            VatTreatment::AddedAtCheckout { .. } => prop_assert!(!waived && !mdef.vat.prices_include_vat),
        }
    }
}

#[test]
fn what_if_figures_are_the_same_on_every_call() {
    // The server recomputes on save: same request, same bytes.
    let net = network();
    let r = rules(&net);
    let req = request("GB", 1799, 699);
    let a = serde_json::to_string(&price_all_modes(&net, &r, &req).unwrap()).unwrap();
    let b = serde_json::to_string(&price_all_modes(&net, &r, &req).unwrap()).unwrap();
    assert_eq!(a, b);
}
