//! Reading network files, and the hand-set distributions of the default network: the
//! prior calibration starts from and the uncalibrated baseline the report compares with.

use std::collections::BTreeMap;
use std::path::Path;

use crossdock_core::Network;
use crossdock_core::schema::{DayDist, NetworkFile};
use serde::Deserialize;

use crate::error::Error;

/// Reads and validates a network file; returns its text too.
pub fn load(path: &Path) -> Result<(String, Network), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let net = Network::from_json(&text).map_err(|e| Error::Network {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((text, net))
}

/// A copy of `net` with another target coverage.
pub fn with_target(net: &Network, target_bp: u32) -> Result<Network, Error> {
    let mut file = net.file.clone();
    file.target_coverage_bp = target_bp;
    Network::from_file(file, format!("{}+target{target_bp}", net.content_hash()))
        .map_err(|e| Error::Data(format!("target {target_bp} bp: {e}")))
}

/// Leg distributions by leg, as the foundation set them by hand (network 2026.11.1).
#[derive(Debug, Clone, Deserialize)]
pub struct Handset {
    pub handling: BTreeMap<String, DayDist>,
    pub air: BTreeMap<String, DayDist>,
    pub customs: BTreeMap<String, DayDist>,
    pub last_mile: BTreeMap<String, DayDist>,
}

impl Handset {
    /// The table bundled with this crate (`src/handset.json`).
    pub fn bundled() -> Result<Handset, Error> {
        serde_json::from_str(include_str!("handset.json"))
            .map_err(|e| Error::Data(format!("the bundled hand-set table is not valid: {e}")))
    }

    /// The prior for one leg: the hand-set distribution when the table has the leg,
    /// otherwise the network's own base distribution.
    pub fn prior<'a>(
        map: &'a BTreeMap<String, DayDist>,
        id: &str,
        own: &'a DayDist,
    ) -> (u32, &'a [u32]) {
        match map.get(id) {
            Some(d) => (d.from_days, &d.weights),
            None => (own.from_days, &own.weights),
        }
    }

    /// `file` with every leg set back to its hand-set distribution (legs the table does
    /// not know keep their base distribution) and no seasonal distributions.
    pub fn uncalibrated(&self, file: &NetworkFile) -> Result<Network, Error> {
        let mut f = file.clone();
        let reset = |d: &mut DayDist, table: &BTreeMap<String, DayDist>, id: &str| {
            if let Some(h) = table.get(id) {
                d.from_days = h.from_days;
                d.weights = h.weights.clone();
            }
            d.seasonal.clear();
        };
        for w in &mut f.warehouses {
            reset(&mut w.handling, &self.handling, &w.id);
        }
        for l in &mut f.air_lanes {
            reset(&mut l.transit, &self.air, &l.id);
        }
        for c in &mut f.customs {
            reset(&mut c.clearance, &self.customs, &c.market);
        }
        for l in &mut f.last_mile {
            reset(&mut l.transit, &self.last_mile, &l.id);
        }
        f.version = format!("{} (hand-set, uncalibrated)", f.version);
        Network::from_file(f, "uncalibrated".to_string())
            .map_err(|e| Error::Data(format!("the uncalibrated network is not valid: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_covers_every_leg_of_the_default_network() {
        let h = Handset::bundled().unwrap();
        let net = Network::from_json(include_str!("../../../data/network.json")).unwrap();
        assert!(
            net.file
                .warehouses
                .iter()
                .all(|w| h.handling.contains_key(&w.id))
        );
        assert!(net.file.air_lanes.iter().all(|l| h.air.contains_key(&l.id)));
        assert!(
            net.file
                .customs
                .iter()
                .all(|c| h.customs.contains_key(&c.market))
        );
        assert!(
            net.file
                .last_mile
                .iter()
                .all(|l| h.last_mile.contains_key(&l.id))
        );
        let base = h.uncalibrated(&net.file).unwrap();
        assert!(
            base.file
                .last_mile
                .iter()
                .all(|l| l.transit.seasonal.is_empty())
        );
    }
}
