//! Command line and configuration. Every option is a flag with an environment
//! variable and a working default, so `ats-scorer` alone serves the app.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};

use crate::{
    client::TrustedProxies,
    net::{
        DEFAULT_BODY_TIMEOUT_SECS, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_IDLE_TIMEOUT_SECS,
        DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, NetConfig,
    },
    ratelimit::Rate,
};

#[derive(Debug, Parser)]
#[command(
    name = "ats-scorer",
    version,
    about = "Resume ATS Scorer: web app, storage and metrics in one binary"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once at start: the size of the serve arguments beside the others costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app, its API and /metrics (the default).
    Serve(ServeArgs),
    /// Create the database if needed, apply pending migrations and exit.
    Migrate(MigrateArgs),
    /// Score a resume against a job description and print the report.
    Score(ScoreArgs),
    /// Print the text of a resume file (.pdf, .docx or .txt) as the scorer reads it.
    Extract(ExtractArgs),
    /// Manage the accounts of the product team's area.
    Admin(AdminArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AdminArgs {
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub action: AdminAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AdminAction {
    /// Create a user; the password is read from standard input (one line).
    CreateUser {
        #[arg(long)]
        email: String,
    },
    /// Set a user's new password (read from standard input) and end their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Create an API token for automation; it is printed once.
    CreateToken {
        #[arg(long)]
        name: String,
    },
    /// List users and tokens (never secrets).
    List,
    /// Disable a user or revoke a token.
    Revoke {
        #[arg(long, conflicts_with = "token", required_unless_present = "token")]
        email: Option<String>,
        #[arg(long)]
        token: Option<String>,
    },
}

impl Default for Command {
    fn default() -> Self {
        // `ats-scorer` with no subcommand behaves as `ats-scorer serve` with the
        // environment applied, so parse an empty `serve` to pick env vars up.
        Command::Serve(ServeArgs::parse_from_env())
    }
}

/// The SQLite file used when `DATABASE_URL` is not set, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/ats-scorer.db";

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Port 0 picks a free port (it is logged).
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// SQLite database URL; the file and its folder are created on first start.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// Folder with the built site (cargo-leptos output: pkg/ with the Wasm, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log filter: a level (`info`) or a tracing directive (`server=debug,info`).
    /// `RUST_LOG` is read when `LOG_LEVEL` is not set.
    #[arg(long, env = "LOG_LEVEL", default_value_t = default_log_level())]
    pub log_level: String,

    /// Longest wait, in seconds, for in-flight requests after SIGTERM/SIGINT.
    #[arg(long, env = "SHUTDOWN_TIMEOUT_SECS", default_value_t = 30)]
    pub shutdown_timeout_secs: u64,

    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` /
    /// `X-Forwarded-Proto` are believed: comma-separated CIDRs or addresses
    /// (`127.0.0.1/32,10.0.0.0/8`). Default: none (the TCP peer is the client).
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,

    /// Seconds a client may take to send a request's head (and to start the
    /// next request on a kept-alive connection).
    #[arg(long, env = "HEADER_TIMEOUT_SECS", default_value_t = DEFAULT_HEADER_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,

    /// Seconds a request body may take to arrive once it is read (then 408).
    #[arg(long, env = "BODY_TIMEOUT_SECS", default_value_t = DEFAULT_BODY_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_secs: u64,

    /// Seconds a connection may move no byte either way before it is closed.
    #[arg(long, env = "IDLE_TIMEOUT_SECS", default_value_t = DEFAULT_IDLE_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,

    /// Most connections open at once (per listener); beyond it new ones wait
    /// in the kernel's queue until one closes.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = parse_positive)]
    pub max_connections: usize,

    /// Most connections open at once from one address (an IPv4 address or an
    /// IPv6 /64; trusted proxies are exempt); more are closed as soon as they
    /// are accepted, so one client cannot take every connection.
    #[arg(long, env = "MAX_CONNECTIONS_PER_ADDRESS", default_value_t = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, value_parser = parse_positive)]
    pub max_connections_per_address: usize,

    /// Feedback submissions one visitor may send at once before being slowed
    /// down (one address may send three times as many).
    #[arg(long, env = "FEEDBACK_BURST", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub feedback_burst: u32,

    /// Feedback submissions per minute one visitor may send after the burst.
    #[arg(long, env = "FEEDBACK_PER_MINUTE", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..))]
    pub feedback_per_minute: u32,

    /// Event batches one visitor may send at once before being slowed down
    /// (one address may send five times as many).
    #[arg(long, env = "EVENTS_BURST", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub events_burst: u32,

    /// Event batches per minute one visitor may send after the burst (one
    /// address: five times as many).
    #[arg(long, env = "EVENTS_PER_MINUTE", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub events_per_minute: u32,

    /// Days raw events are kept (rollups are kept for ever).
    #[arg(long, env = "EVENT_RETENTION_DAYS", default_value_t = 180, value_parser = clap::value_parser!(u32).range(1..))]
    pub event_retention_days: u32,

    /// Require `Authorization: Bearer <token>` on /metrics (for deployments
    /// where the app's port is public).
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Serve /metrics on this address instead of the app's (e.g. 127.0.0.1:9464).
    #[arg(long, env = "METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// The experiments file. When the default is missing, the built-in copy of
    /// the repository's experiments.toml is used.
    #[arg(long, env = "EXPERIMENTS_FILE", default_value = DEFAULT_EXPERIMENTS_FILE)]
    pub experiments: PathBuf,

    /// Largest size of the database file in megabytes (2^20 bytes), applied as
    /// SQLite's `max_page_count` on every connection. At the cap writes answer
    /// 503/500 and `/ready` 503 ("database or disk is full") until rows are
    /// deleted or the cap is raised. Unset: only the disk limits it.
    #[arg(long, env = "DATABASE_MAX_SIZE_MB", value_parser = clap::value_parser!(u64).range(1..))]
    pub database_max_size_mb: Option<u64>,
}

/// Where `serve` looks for the experiments when `--experiments` is not given.
pub const DEFAULT_EXPERIMENTS_FILE: &str = "experiments.toml";

#[derive(Debug, Clone, Args)]
pub struct MigrateArgs {
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    #[arg(long, env = "LOG_LEVEL", default_value_t = default_log_level())]
    pub log_level: String,
}

#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    /// A .pdf, .docx or .txt file.
    pub file: PathBuf,

    /// Print JSON (`kind`, `text`, `pages`, `warnings`) instead of the text alone.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ScoreArgs {
    /// The resume: a .pdf, .docx or .txt file (`-` reads text from standard input).
    #[arg(long)]
    pub resume: PathBuf,

    /// The job description: a .pdf, .docx or .txt file.
    #[arg(long)]
    pub job: PathBuf,

    /// Scoring algorithm variant: v3 (the default: a score that means "match"),
    /// v2 or v1 (keyword overlap, kept for comparison).
    #[arg(long, default_value = "v3", value_parser = parse_variant)]
    pub variant: scoring::Variant,

    /// Print the report as JSON (the same `Report` the page uses) instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{s}` is not a whole number of at least 1")),
    }
}

fn parse_variant(s: &str) -> Result<scoring::Variant, String> {
    s.parse()
}

fn default_log_level() -> String {
    std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_string())
}

#[derive(Parser)]
struct ServeOnly {
    #[command(flatten)]
    args: ServeArgs,
}

impl ServeArgs {
    /// The `serve` options from the environment and defaults alone.
    pub fn parse_from_env() -> Self {
        ServeOnly::parse_from(["ats-scorer"]).args
    }

    pub fn into_config(self) -> Config {
        Config {
            listen: self.listen,
            database_url: self.database_url,
            site_root: self.site_root,
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_secs),
            feedback_rate: Rate {
                burst: self.feedback_burst,
                per_minute: self.feedback_per_minute,
            },
            events_rate: Rate {
                burst: self.events_burst,
                per_minute: self.events_per_minute,
            },
            event_retention_days: self.event_retention_days,
            experiments_default: self.experiments.as_os_str() == DEFAULT_EXPERIMENTS_FILE,
            experiments: self.experiments,
            metrics_token: self.metrics_token.filter(|t| !t.is_empty()),
            metrics_addr: self.metrics_addr,
            net: NetConfig {
                trusted_proxies: self.trusted_proxies,
                header_timeout: Duration::from_secs(self.header_timeout_secs),
                body_timeout: Duration::from_secs(self.body_timeout_secs),
                idle_timeout: Duration::from_secs(self.idle_timeout_secs),
                max_connections: self.max_connections,
                max_connections_per_address: self.max_connections_per_address,
            },
            database_max_size_mb: self.database_max_size_mb,
        }
    }
}

/// What the server needs to start, independent of how it was given.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    pub site_root: PathBuf,
    pub shutdown_timeout: Duration,
    /// Flood protection for `POST /api/feedback`, per visitor (an address:
    /// [`crate::ratelimit::FEEDBACK_ADDRESS_FACTOR`] times as much).
    pub feedback_rate: Rate,
    /// Flood protection for `POST /api/events`, per visitor, in batches (an
    /// address: [`crate::ratelimit::EVENTS_ADDRESS_FACTOR`] times as much).
    pub events_rate: Rate,
    pub event_retention_days: u32,
    /// The experiments file, and whether it is the default path (a missing
    /// default falls back to the built-in file; a missing given path is an error).
    pub experiments: PathBuf,
    pub experiments_default: bool,
    /// Bearer token /metrics requires, if any.
    pub metrics_token: Option<String>,
    /// A separate listen address for /metrics, if any.
    pub metrics_addr: Option<SocketAddr>,
    /// Trusted proxies, timeouts and the connection cap.
    pub net: NetConfig,
    /// `--database-max-size-mb`: the database's size cap, if any.
    pub database_max_size_mb: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_is_the_default_and_has_working_defaults() {
        let cli = Cli::parse_from(["ats-scorer", "serve"]);
        let Some(Command::Serve(args)) = cli.command else {
            panic!("expected serve");
        };
        assert_eq!(args.shutdown_timeout_secs, 30);
        assert!(args.database_url.starts_with("sqlite:"));
    }

    #[test]
    fn flags_override_defaults() {
        let cli = Cli::parse_from([
            "ats-scorer",
            "serve",
            "--listen",
            "0.0.0.0:8080",
            "--database-url",
            "sqlite:///tmp/x.db",
        ]);
        let Some(Command::Serve(args)) = cli.command else {
            panic!("expected serve");
        };
        assert_eq!(args.listen.port(), 8080);
        assert_eq!(args.database_url, "sqlite:///tmp/x.db");
    }

    #[test]
    fn score_takes_files_a_variant_and_json() {
        let cli = Cli::parse_from([
            "ats-scorer",
            "score",
            "--resume",
            "r.txt",
            "--job",
            "j.txt",
            "--variant",
            "v1",
            "--json",
        ]);
        let Some(Command::Score(args)) = cli.command else {
            panic!("expected score");
        };
        assert_eq!(args.variant, scoring::Variant::V1);
        assert!(args.json);
    }

    #[test]
    fn score_rejects_an_unknown_variant() {
        let err = Cli::try_parse_from([
            "ats-scorer",
            "score",
            "--resume",
            "r",
            "--job",
            "j",
            "--variant",
            "v9",
        ])
        .unwrap_err();
        assert!(err.to_string().contains("expected v1, v2 or v3"), "{err}");
    }

    #[test]
    fn the_network_limits_have_defaults_and_flags() {
        let Some(Command::Serve(args)) = Cli::parse_from(["ats-scorer", "serve"]).command else {
            panic!("expected serve");
        };
        let net = args.into_config().net;
        assert_eq!(net, NetConfig::default());
        assert!(net.trusted_proxies.is_empty());
        let Some(Command::Serve(args)) = Cli::parse_from([
            "ats-scorer",
            "serve",
            "--trusted-proxies",
            "127.0.0.1/32, 10.0.0.0/8,::1",
            "--header-timeout-secs",
            "2",
            "--body-timeout-secs",
            "3",
            "--idle-timeout-secs",
            "4",
            "--max-connections",
            "5",
            "--max-connections-per-address",
            "2",
        ])
        .command
        else {
            panic!("expected serve");
        };
        let net = args.into_config().net;
        assert_eq!(net.trusted_proxies.0.len(), 3);
        assert_eq!(net.header_timeout, Duration::from_secs(2));
        assert_eq!(net.body_timeout, Duration::from_secs(3));
        assert_eq!(net.idle_timeout, Duration::from_secs(4));
        assert_eq!(net.max_connections, 5);
        assert_eq!(net.max_connections_per_address, 2);
    }

    #[test]
    fn refuses_a_garbage_proxy_list_and_a_zero_cap() {
        for args in [
            ["ats-scorer", "serve", "--trusted-proxies", "10.0.0.0/40"],
            ["ats-scorer", "serve", "--trusted-proxies", "everyone"],
            ["ats-scorer", "serve", "--max-connections", "0"],
            ["ats-scorer", "serve", "--header-timeout-secs", "0"],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn rejects_a_listen_address_without_a_port() {
        assert!(Cli::try_parse_from(["ats-scorer", "serve", "--listen", "localhost"]).is_err());
    }
}
