//! Command line and environment: flags win over environment variables, which win over
//! the defaults.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use crate::seller::TrustedProxies;

/// The `--help` text.
pub const USAGE: &str = "\
usage: crossdock-server [options]
       crossdock-server backup FILE [--db PATH | --database-url URL]
       crossdock-server restore FILE [--db PATH | --database-url URL]

  --addr ADDR      address to listen on      (env CROSSDOCK_ADDR, default 127.0.0.1)
  --port PORT      port to listen on         (env PORT, default 8080)
  --network PATH   the network file          (env CROSSDOCK_NETWORK, default data/network.json)
  --pricing PATH   the pricing rules file    (env CROSSDOCK_PRICING, default pricing.json beside the network file)
  --dist PATH      the built app (trunk)     (default dist)
  --db PATH        the SQLite database file  (env CROSSDOCK_DB, default var/crossdock.sqlite)
  --database-url URL  a PostgreSQL database, postgres://USER[:PASSWORD]@HOST[:PORT]/NAME
                   (env DATABASE_URL; --db on the command line wins over it)
  --trusted-proxies LIST  reverse proxies whose X-Forwarded-For names the client, for
                   sign-in throttling: addresses or networks, e.g. 127.0.0.1,10.0.0.0/8
                   (env CROSSDOCK_TRUSTED_PROXIES, default none)
  -h, --help       print this help

backup FILE writes a copy of the database to FILE while the server runs (SQLite: VACUUM
INTO, then checks the copy and prints its rows per table; PostgreSQL: pg_dump's custom
format); it never overwrites FILE. restore FILE checks FILE and replaces the database with
it: stop the server first.

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
    /// A database named by URL (`--database-url`, env `DATABASE_URL`), for PostgreSQL.
    /// Only `backup` and `restore` use it yet; `None` when `--db` is on the command line
    /// and the URL comes from the environment (flags win).
    pub database_url: Option<String>,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxies`).
    pub trusted_proxies: TrustedProxies,
}

/// What the binary is asked to do: serve (no subcommand), `backup FILE`, `restore FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Serve(Config),
    /// Copy the database to `file` (which must not exist).
    Backup {
        file: PathBuf,
        config: Config,
    },
    /// Replace the database with the copy in `file`.
    Restore {
        file: PathBuf,
        config: Config,
    },
}

impl Command {
    /// Reads `args` (without the program name) and the environment through `env`.
    /// `backup` and `restore` take one FILE and only `--db`, `--database-url`, `--help`.
    pub fn parse<I, E>(args: I, env: E) -> Result<Command, ConfigError>
    where
        I: IntoIterator<Item = String>,
        E: Fn(&str) -> Option<String>,
    {
        let mut args = args.into_iter().peekable();
        let name: &'static str = match args.peek().map(String::as_str) {
            Some("backup") => "backup",
            Some("restore") => "restore",
            _ => return Config::parse(args, env).map(Command::Serve),
        };
        args.next();
        let bad = |message: String| ConfigError::BadCommand {
            command: name,
            message,
        };
        let mut file: Option<PathBuf> = None;
        let mut flags = Vec::new();
        while let Some(arg) = args.next() {
            if arg.starts_with('-') && arg != "-" {
                let flag = arg.split_once('=').map_or(arg.as_str(), |(f, _)| f);
                match flag {
                    "-h" | "--help" => return Err(ConfigError::Help),
                    "--db" | "--database-url" => {
                        let has_value = arg.contains('=');
                        flags.push(arg.clone());
                        if !has_value {
                            let value = args
                                .next()
                                .ok_or_else(|| bad(format!("{flag} needs a value")))?;
                            flags.push(value);
                        }
                    }
                    other => return Err(bad(format!("unknown option {other}"))),
                }
            } else if let Some(first) = &file {
                return Err(bad(format!(
                    "takes one FILE, got {} and {arg}",
                    first.display()
                )));
            } else if arg.is_empty() {
                return Err(bad("FILE is empty".into()));
            } else {
                file = Some(PathBuf::from(arg));
            }
        }
        let file = file.ok_or_else(|| bad("needs the FILE to use".into()))?;
        let config = Config::parse(flags, env).map_err(|e| match e {
            ConfigError::Invalid(message) => bad(message),
            other => other,
        })?;
        Ok(match name {
            "backup" => Command::Backup { file, config },
            _ => Command::Restore { file, config },
        })
    }
}

/// A command line the server cannot use, or a request for help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `--help`: print [`USAGE`] and exit successfully.
    Help,
    /// Anything wrong, said in one line.
    Invalid(String),
    /// Anything wrong with a `backup` or `restore` command line, said in one line.
    BadCommand {
        command: &'static str,
        message: String,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Help => f.write_str("help requested"),
            ConfigError::Invalid(m) => f.write_str(m),
            ConfigError::BadCommand { command, message } => write!(
                f,
                "{command}: {message} (usage: crossdock-server {command} FILE [--db PATH | --database-url URL])"
            ),
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
        let mut database_url = env("DATABASE_URL");
        let mut trusted_proxies = env("CROSSDOCK_TRUSTED_PROXIES");
        let (mut db_flag, mut url_flag) = (false, false);

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
                "--db" => {
                    db_flag = true;
                    &mut db
                }
                "--database-url" => {
                    url_flag = true;
                    &mut database_url
                }
                "--trusted-proxies" => &mut trusted_proxies,
                other if !other.starts_with('-') => {
                    return Err(ConfigError::Invalid(format!(
                        "unknown command {other} (the commands are backup and restore)"
                    )));
                }
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
        if db_flag && url_flag {
            return Err(ConfigError::Invalid(
                "--db and --database-url name two databases: give one".into(),
            ));
        }
        let database_url = database_url.filter(|u| !u.trim().is_empty() && !db_flag);
        let network = path(network, "data/network.json");
        let pricing = match pricing.filter(|v| !v.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => network.with_file_name("pricing.json"),
        };
        let trusted_proxies = TrustedProxies::parse(trusted_proxies.as_deref().unwrap_or(""))
            .map_err(|m| ConfigError::Invalid(format!("--trusted-proxies: {m}")))?;
        Ok(Config {
            addr,
            port,
            network,
            pricing,
            dist: path(dist, "dist"),
            db: path(db, "var/crossdock.sqlite"),
            database_url,
            trusted_proxies,
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
                database_url: None,
                trusted_proxies: TrustedProxies::default(),
            })
        );
    }

    #[test]
    fn trusted_proxies_come_from_the_flag_or_the_environment() {
        let from_env = parse(&[], &[("CROSSDOCK_TRUSTED_PROXIES", "10.0.0.0/8")]).unwrap();
        assert!(
            from_env
                .trusted_proxies
                .contains("10.1.2.3".parse().unwrap())
        );
        let flag = parse(
            &["--trusted-proxies", "127.0.0.1"],
            &[("CROSSDOCK_TRUSTED_PROXIES", "10.0.0.0/8")],
        )
        .unwrap();
        assert!(flag.trusted_proxies.contains("127.0.0.1".parse().unwrap()));
        assert!(!flag.trusted_proxies.contains("10.1.2.3".parse().unwrap()));
        assert_eq!(
            parse(&["--trusted-proxies=nginx"], &[]),
            Err(ConfigError::Invalid(
                "--trusted-proxies: \"nginx\" is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)".into()
            ))
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

    fn command(args: &[&str], env: &[(&str, &str)]) -> Result<Command, ConfigError> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Command::parse(args.iter().map(|a| (*a).to_owned()), |key| {
            env.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn backup_and_restore_take_a_file_and_the_database() {
        let Ok(Command::Backup { file, config }) =
            command(&["backup", "/tmp/b.sqlite", "--db", "/srv/c.sqlite"], &[])
        else {
            unreachable!()
        };
        assert_eq!(file, PathBuf::from("/tmp/b.sqlite"));
        assert_eq!(config.db, PathBuf::from("/srv/c.sqlite"));
        assert_eq!(config.database_url, None);

        let Ok(Command::Restore { file, config }) = command(
            &["restore", "--db=/srv/c.sqlite", "b.sqlite"],
            &[("CROSSDOCK_DB", "/other.sqlite")],
        ) else {
            unreachable!()
        };
        assert_eq!(file, PathBuf::from("b.sqlite"));
        assert_eq!(config.db, PathBuf::from("/srv/c.sqlite"));

        let Ok(Command::Backup { config, .. }) = command(
            &["backup", "dump.pgc"],
            &[("DATABASE_URL", "postgres://u@h/crossdock")],
        ) else {
            unreachable!()
        };
        assert_eq!(
            config.database_url.as_deref(),
            Some("postgres://u@h/crossdock")
        );
        let Ok(Command::Restore { config, .. }) = command(
            &["restore", "dump.pgc", "--database-url", "postgres://x/y"],
            &[],
        ) else {
            unreachable!()
        };
        assert_eq!(config.database_url.as_deref(), Some("postgres://x/y"));
    }

    #[test]
    fn db_on_the_command_line_wins_over_database_url_in_the_environment() {
        let Ok(Command::Backup { config, .. }) = command(
            &["backup", "b.sqlite", "--db", "c.sqlite"],
            &[("DATABASE_URL", "postgres://u@h/crossdock")],
        ) else {
            unreachable!()
        };
        assert_eq!(config.database_url, None);
        assert_eq!(config.db, PathBuf::from("c.sqlite"));
        assert!(matches!(
            command(
                &[
                    "backup",
                    "b",
                    "--db",
                    "c.sqlite",
                    "--database-url",
                    "postgres://h/d"
                ],
                &[]
            ),
            Err(ConfigError::BadCommand { .. })
        ));
    }

    #[test]
    fn no_subcommand_serves_and_an_unknown_one_is_refused() {
        assert_eq!(command(&[], &[]), parse(&[], &[]).map(Command::Serve));
        let Err(ConfigError::Invalid(message)) = command(&["backpu", "x"], &[]) else {
            unreachable!()
        };
        assert_eq!(
            message,
            "unknown command backpu (the commands are backup and restore)"
        );
    }

    #[test]
    fn bad_backup_and_restore_command_lines_say_what_is_wrong_in_one_line() {
        let cases: &[(&[&str], &str)] = &[
            (&["backup"], "backup: needs the FILE to use"),
            (
                &["restore", "--db", "c.sqlite"],
                "restore: needs the FILE to use",
            ),
            (&["backup", "a", "b"], "backup: takes one FILE, got a and b"),
            (
                &["backup", "a", "--port", "1"],
                "backup: unknown option --port",
            ),
            (&["restore", "a", "--db"], "restore: --db needs a value"),
            (&["backup", ""], "backup: FILE is empty"),
        ];
        for (args, start) in cases {
            let Err(error) = command(args, &[]) else {
                unreachable!("{args:?} was accepted")
            };
            let message = error.to_string();
            assert!(message.starts_with(start), "{args:?}: {message}");
            assert!(!message.contains('\n'), "{args:?}: {message}");
            assert!(
                message.ends_with(
                    "(usage: crossdock-server backup FILE [--db PATH | --database-url URL])"
                ) || message.ends_with(
                    "(usage: crossdock-server restore FILE [--db PATH | --database-url URL])"
                ),
                "{message}"
            );
        }
        assert_eq!(command(&["restore", "--help"], &[]), Err(ConfigError::Help));
    }
}
