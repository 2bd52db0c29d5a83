//! The shopper's destination: a market and a postal code, mapped to a delivery zone in
//! the browser. Only the market and the zone ever reach the server.

use crossdock_core::Network;
use crossdock_core::engine::zone_for_postal;

/// Where the shopper wants things delivered, as remembered (postal code normalised, or
/// empty when none was given: the market's default zone is used then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dest {
    pub market: String,
    pub postal: String,
}

/// The destination resolved against the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub market: String,
    pub market_index: usize,
    pub zone: String,
    pub zone_name: String,
    /// BCP 47 locale of the market ("de-DE"), for prices.
    pub locale: String,
}

/// What a closed destination picker shows (the header's and the embed's): the market and
/// postal code ("US 10001"), or, with no postal code, the market and the first words of
/// its default zone's name ("DE · Berlin").
pub fn summary_text(d: &Dest, r: &Resolved) -> String {
    if d.postal.is_empty() {
        let area = r
            .zone_name
            .split([',', '('])
            .next()
            .unwrap_or_default()
            .trim();
        format!("{} · {area}", r.market)
    } else {
        format!("{} {}", r.market, d.postal)
    }
}

/// The markets for a picker's select: (id, name), in the network's order.
pub fn market_options(net: &Network) -> Vec<(String, String)> {
    net.file
        .markets
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect()
}

/// The postal code's label and example in `market` ("ZIP code", "94107"); empty when the
/// market is unknown.
pub fn postal_hint(net: &Network, market: &str) -> (String, String) {
    net.file
        .markets
        .iter()
        .find(|m| m.id == market)
        .map(|m| (m.postal.label.clone(), m.postal.example.clone()))
        .unwrap_or_default()
}

/// The market a browser language suggests ("de-AT" → DE, "en-GB" → GB, "ko" → KR).
pub fn guess_market(language: &str) -> &'static str {
    let lang = language.to_ascii_lowercase();
    let (primary, region) = match lang.split_once(['-', '_']) {
        Some((p, r)) => (p.to_string(), r.to_string()),
        None => (lang.clone(), String::new()),
    };
    match region.as_str() {
        "gb" | "uk" => return "GB",
        "kr" => return "KR",
        "za" => return "ZA",
        "ae" => return "AE",
        "de" | "at" => return "DE",
        "us" => return "US",
        _ => {}
    }
    match primary.as_str() {
        "de" => "DE",
        "ko" => "KR",
        "ar" => "AE",
        "af" | "zu" | "xh" => "ZA",
        _ => "US",
    }
}

impl Dest {
    /// The remembered form ("US|10001").
    pub fn encode(&self) -> String {
        format!("{}|{}", self.market, self.postal)
    }

    /// Reads the remembered form; `None` when it is not one of the network's markets or
    /// its postal code no longer validates.
    #[cfg(test)]
    pub fn decode(net: &Network, s: &str) -> Option<Dest> {
        let (market, postal) = s.split_once('|')?;
        let dest = Dest {
            market: market.to_string(),
            postal: postal.to_string(),
        };
        dest.resolve(net).ok()?;
        Some(dest)
    }

    /// A market with no postal code.
    pub fn market_only(market: &str) -> Dest {
        Dest {
            market: market.to_string(),
            postal: String::new(),
        }
    }

    /// Checks a postal code typed for `market`: the destination with the code normalised,
    /// or the engine's message ("\"123\" is not a valid ZIP code: enter 5 digits.").
    pub fn parse(net: &Network, market: &str, typed: &str) -> Result<Dest, String> {
        let mi = net
            .market_index(market)
            .ok_or_else(|| format!("\"{market}\" is not a market we deliver to."))?;
        let m = net
            .markets
            .get(mi)
            .ok_or_else(|| format!("\"{market}\" is not a market we deliver to."))?;
        if typed.trim().is_empty() {
            return Ok(Dest::market_only(market));
        }
        let code = m.postal.normalise(typed).map_err(|e| e.to_string())?;
        Ok(Dest {
            market: market.to_string(),
            postal: code,
        })
    }

    /// The zone and locale, by the network.
    pub fn resolve(&self, net: &Network) -> Result<Resolved, String> {
        let mi = net
            .market_index(&self.market)
            .ok_or_else(|| format!("\"{}\" is not a market we deliver to.", self.market))?;
        let market = net
            .markets
            .get(mi)
            .ok_or_else(|| format!("\"{}\" is not a market we deliver to.", self.market))?;
        let zi = if self.postal.is_empty() {
            market.default_zone
        } else {
            let code = market
                .postal
                .normalise(&self.postal)
                .map_err(|e| e.to_string())?;
            zone_for_postal(net, mi, &code)
        };
        let zone = net
            .zones
            .get(zi)
            .ok_or_else(|| "The delivery zone is missing from the network.".to_string())?;
        let locale = net
            .file
            .markets
            .get(mi)
            .map(|m| m.locale.clone())
            .unwrap_or_else(|| "en-US".to_string());
        Ok(Resolved {
            market: self.market.clone(),
            market_index: mi,
            zone: zone.id.clone(),
            zone_name: zone.name.clone(),
            locale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;

    #[test]
    fn guesses_the_market_from_the_language() {
        for (lang, market) in [
            ("en-US", "US"),
            ("en", "US"),
            ("de", "DE"),
            ("de-AT", "DE"),
            ("en-GB", "GB"),
            ("ko-KR", "KR"),
            ("ko", "KR"),
            ("en-ZA", "ZA"),
            ("ar-AE", "AE"),
            ("fr-FR", "US"),
            ("", "US"),
        ] {
            assert_eq!(guess_market(lang), market, "{lang}");
        }
    }

    #[test]
    fn a_closed_picker_names_the_postal_code_or_the_default_area() {
        let net = test_network();
        let ny = Dest::parse(&net, "US", "10001").expect("valid");
        assert_eq!(
            summary_text(&ny, &ny.resolve(&net).expect("resolves")),
            "US 10001"
        );
        let de = Dest::market_only("DE");
        let r = de.resolve(&net).expect("resolves");
        let area = summary_text(&de, &r);
        assert!(area.starts_with("DE · "), "{area}");
        assert!(!area.contains([',', '(']), "{area}");
        assert_eq!(market_options(&net).len(), net.file.markets.len());
        assert!(!postal_hint(&net, "US").1.is_empty());
        assert_eq!(postal_hint(&net, "XX"), (String::new(), String::new()));
    }

    #[test]
    fn a_postal_code_maps_to_a_zone_and_round_trips() {
        let net = test_network();
        let ny = Dest::parse(&net, "US", " 10001 ").expect("valid");
        assert_eq!(ny.postal, "10001");
        let la = Dest::parse(&net, "US", "90012").expect("valid");
        let (rn, rl) = (ny.resolve(&net).expect("ny"), la.resolve(&net).expect("la"));
        assert_ne!(rn.zone, rl.zone);
        assert_eq!(Dest::decode(&net, &ny.encode()), Some(ny));
    }

    #[test]
    fn a_bad_postal_code_gets_the_engines_message() {
        let net = test_network();
        let err = Dest::parse(&net, "US", "ABC").expect_err("invalid");
        assert!(err.contains("ABC"), "{err}");
        assert!(Dest::parse(&net, "XX", "1").is_err());
        assert_eq!(Dest::decode(&net, "US|ABC"), None);
        assert_eq!(Dest::decode(&net, "garbage"), None);
    }

    #[test]
    fn no_postal_code_uses_the_default_zone() {
        let net = test_network();
        for m in &net.file.markets {
            let r = Dest::market_only(&m.id).resolve(&net).expect("resolves");
            assert_eq!(r.zone, m.default_zone);
        }
    }
}
