//! Command line and environment: flags win over environment variables, which win over
//! the defaults.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// The `--help` text.
pub const USAGE: &str = "\
usage: crossdock-server [options]

  --addr ADDR      address to listen on      (env CROSSDOCK_ADDR, default 127.0.0.1)
  --port PORT      port to listen on         (env PORT, default 8080)
  --network PATH   the network file          (env CROSSDOCK_NETWORK, default data/network.json)
  --pricing PATH   the pricing rules file    (env CROSSDOCK_PRICING, default pricing.json beside the network file)
  --dist PATH      the built app (trunk)     (default dist)
  --db PATH        the SQLite database file  (env CROSSDOCK_DB, default var/crossdock.sqlite)
  -h, --help       print this help

Logs go to stderr, a line per request with its x-request-id: CROSSDOCK_LOG sets what is
logged (default info; e.g. warn, or crossdock_server=debug) and CROSSDOCK_LOG_FORMAT=json
writes one JSON object per line. GET /healthz, /readyz and /metrics are for operators.";

/// Where the server listens and what it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub addr: IpAddr,
    pub port: u16,
    pub network: PathBuf,
    /// The seller pricing rules (`data/pricing.json`): by default `pricing.json` in the
    /// network file's folder, so a network and its rules travel together.
    pub pricing: PathBuf,
    pub dist: PathBuf,
    pub db: PathBuf,
}

/// A command line the server cannot use, or a request for help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `--help`: print [`USAGE`] and exit successfully.
    Help,
    /// Anything wrong, said in one line.
    Invalid(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Help => f.write_str("help requested"),
            ConfigError::Invalid(m) => f.write_str(m),
        }
    }
}

impl Config {
    /// Reads `args` (without the program name) and the environment through `env`.
    pub fn parse<I, E>(args: I, env: E) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = String>,
        E: Fn(&str) -> Option<String>,
    {
        let mut addr = env("CROSSDOCK_ADDR");
        let mut port = env("PORT");
        let mut network = env("CROSSDOCK_NETWORK");
        let mut pricing = env("CROSSDOCK_PRICING");
        let mut dist = None;
        let mut db = env("CROSSDOCK_DB");

        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let slot = match flag.as_str() {
                "-h" | "--help" => return Err(ConfigError::Help),
                "--addr" => &mut addr,
                "--port" => &mut port,
                "--network" => &mut network,
                "--pricing" => &mut pricing,
                "--dist" => &mut dist,
                "--db" => &mut db,
                other => {
                    return Err(ConfigError::Invalid(format!("unknown option {other}")));
                }
            };
            let value = match inline {
                Some(v) => v,
                None => args
                    .next()
                    .ok_or_else(|| ConfigError::Invalid(format!("{flag} needs a value")))?,
            };
            *slot = Some(value);
        }

        let addr = match addr.as_deref().map(str::trim) {
            None | Some("") => IpAddr::V4(Ipv4Addr::LOCALHOST),
            Some("localhost") => IpAddr::V4(Ipv4Addr::LOCALHOST),
            Some(text) => text.parse().map_err(|_| {
                ConfigError::Invalid(format!(
                    "--addr {text:?} is not an IP address (try 127.0.0.1 or 0.0.0.0)"
                ))
            })?,
        };
        let port = match port.as_deref().map(str::trim) {
            None | Some("") => 8080,
            Some(text) => text.parse().map_err(|_| {
                ConfigError::Invalid(format!("--port {text:?} is not a port number (0–65535)"))
            })?,
        };
        let path = |value: Option<String>, default: &str| {
            PathBuf::from(
                value
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| default.into()),
            )
        };
        let network = path(network, "data/network.json");
        let pricing = match pricing.filter(|v| !v.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => network.with_file_name("pricing.json"),
        };
        Ok(Config {
            addr,
            port,
            network,
            pricing,
            dist: path(dist, "dist"),
            db: path(db, "var/crossdock.sqlite"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::parse(args.iter().map(|a| (*a).to_owned()), |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&[], &[]),
            Ok(Config {
                addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
                port: 8080,
                network: "data/network.json".into(),
                pricing: "data/pricing.json".into(),
                dist: "dist".into(),
                db: "var/crossdock.sqlite".into(),
            })
        );
    }

    #[test]
    fn flags_win_over_env() {
        let config = parse(
            &["--port", "9000", "--db=/tmp/x.sqlite", "--addr", "0.0.0.0"],
            &[("PORT", "8081"), ("CROSSDOCK_NETWORK", "n.json")],
        );
        let Ok(config) = config else {
            unreachable!("{config:?}")
        };
        assert_eq!(config.port, 9000);
        assert_eq!(config.db, PathBuf::from("/tmp/x.sqlite"));
        assert_eq!(config.network, PathBuf::from("n.json"));
        assert_eq!(config.pricing, PathBuf::from("pricing.json"));
        assert_eq!(config.addr, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }

    #[test]
    fn the_pricing_file_is_beside_the_network_unless_named() {
        let config = parse(&["--network", "/etc/crossdock/network.json"], &[]);
        assert_eq!(
            config.map(|c| c.pricing),
            Ok(PathBuf::from("/etc/crossdock/pricing.json"))
        );
        let config = parse(
            &["--pricing=/tmp/p.json"],
            &[("CROSSDOCK_PRICING", "/srv/other.json")],
        );
        assert_eq!(config.map(|c| c.pricing), Ok(PathBuf::from("/tmp/p.json")));
        let config = parse(&[], &[("CROSSDOCK_PRICING", "/srv/other.json")]);
        assert_eq!(
            config.map(|c| c.pricing),
            Ok(PathBuf::from("/srv/other.json"))
        );
    }

    #[test]
    fn bad_input_is_one_line() {
        assert!(matches!(
            parse(&["--port", "http"], &[]),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--port"], &[]),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            parse(&["--bogus"], &[]),
            Err(ConfigError::Invalid(_))
        ));
        assert_eq!(parse(&["-h"], &[]), Err(ConfigError::Help));
    }
}
