//! Product presets of the explorer: typical SKUs that show the trade-offs PRODUCT.md
//! describes (light and air-safe, heavy, bulky, battery-powered).

/// A ready-made product: what a seller would type for a typical SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Id used in the URL (`preset=phone-case`).
    pub id: &'static str,
    pub name: &'static str,
    /// Packed weight of one unit, in grams.
    pub weight_g: u32,
    /// Packed length, width and height, in millimetres.
    pub dims_mm: [u32; 3],
    /// A category id of the default network.
    pub category: &'static str,
}

/// The presets, in the order the picker lists them. The first is the default.
pub const PRESETS: [Preset; 5] = [
    Preset {
        id: "phone-case",
        name: "Phone case",
        weight_g: 120,
        dims_mm: [180, 100, 20],
        category: "phone_accessories",
    },
    Preset {
        id: "auto-part",
        name: "Auto part",
        weight_g: 750,
        dims_mm: [200, 150, 100],
        category: "auto_parts",
    },
    Preset {
        id: "small-appliance",
        name: "Small appliance",
        weight_g: 3000,
        dims_mm: [350, 250, 250],
        category: "small_appliances",
    },
    Preset {
        id: "sofa",
        name: "Sofa",
        weight_g: 45_000,
        dims_mm: [2100, 900, 850],
        category: "furniture",
    },
    Preset {
        id: "power-bank",
        name: "Power bank",
        weight_g: 350,
        dims_mm: [150, 80, 25],
        category: "power_banks",
    },
];

/// The preset shown when the URL names none.
pub const DEFAULT_PRESET: Preset = PRESETS[0];

/// The preset with this id.
pub fn preset(id: &str) -> Option<Preset> {
    PRESETS.iter().copied().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_found_by_id_and_have_unique_ids() {
        assert_eq!(preset("sofa").map(|p| p.weight_g), Some(45_000));
        assert_eq!(preset("Sofa"), None);
        for (i, p) in PRESETS.iter().enumerate() {
            assert!(PRESETS.iter().skip(i + 1).all(|q| q.id != p.id));
        }
    }

    #[test]
    fn every_preset_category_exists_in_the_default_network() {
        let net = crate::model::test_network();
        for p in PRESETS {
            assert!(net.category_index(p.category).is_some(), "{}", p.category);
        }
    }
}
