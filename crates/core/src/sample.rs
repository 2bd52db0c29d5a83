//! A deterministic mix of listings for benchmarks: every mode and category, stock
//! spread over the network's warehouses, some sold out. Used by the native benchmark
//! and by the in-browser benchmark of the app, so both time the same work.

use crate::engine::{Listing, Mode, StockLine};
use crate::network::Network;

/// A small linear congruential generator: reproducible everywhere, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from(self.0 >> 33).unwrap_or(0)
    }

    fn below(&mut self, n: u32) -> u32 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// `n` listings drawn from `seed`.
pub fn sample_listings(net: &Network, n: usize, seed: u64) -> Vec<Listing> {
    let mut rng = Lcg(seed);
    let cats = &net.file.categories;
    let whs = &net.file.warehouses;
    (0..n)
        .map(|_| {
            let cat = cats.get(rng.below(u32::try_from(cats.len()).unwrap_or(1)) as usize);
            let category = cat.map(|c| c.id.clone()).unwrap_or_default();
            let mode = match rng.below(10) {
                0..=4 if cat.is_some_and(|c| c.fully_managed) => Mode::FullyManaged,
                0..=6 => Mode::SemiManaged,
                _ => Mode::PlatformLocal,
            };
            let kind = mode.warehouse_kind();
            let mut stock = Vec::new();
            for w in whs.iter().filter(|w| w.kind == kind) {
                if rng.below(3) != 0 {
                    stock.push(StockLine {
                        warehouse: w.id.clone(),
                        quantity: rng.below(40),
                    });
                }
            }
            let heavy = category == "furniture";
            Listing {
                weight_g: if heavy {
                    8_000 + rng.below(40_000)
                } else {
                    50 + rng.below(5_000)
                },
                dims_mm: if heavy {
                    [
                        600 + rng.below(1600),
                        400 + rng.below(600),
                        300 + rng.below(600),
                    ]
                } else {
                    [
                        50 + rng.below(450),
                        30 + rng.below(300),
                        10 + rng.below(250),
                    ]
                },
                category,
                mode,
                stock,
                unit_price: None,
            }
        })
        .collect()
}
