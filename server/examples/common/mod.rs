//! What the benchmarks share: arguments and starting the release binary.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use serde_json::Value;

/// `--name value` from the command line, or `default`.
pub fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// Starts `binary serve` on a free port with the database `dir/db_file` and
/// returns it with the address it logged.
#[allow(dead_code)] // not every example uses both
pub fn start_server(binary: &str, dir: &std::path::Path, db_file: &str) -> (Child, String) {
    start_server_with(binary, dir, db_file, &[])
}

/// [`start_server`] with extra environment variables (flags such as `EVENTS_BURST`).
#[allow(dead_code)]
pub fn start_server_with(
    binary: &str,
    dir: &std::path::Path,
    db_file: &str,
    envs: &[(&str, &str)],
) -> (Child, String) {
    std::fs::create_dir_all(dir.join("site/pkg")).unwrap();
    let mut child = Command::new(binary)
        .args(["serve", "--listen", "127.0.0.1:0", "--site-root"])
        .arg(dir.join("site"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join(db_file).display()),
        )
        .env("LOG_LEVEL", "info")
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary}: {e} (run `cargo leptos build --release` first)")
        });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("the server logs").unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        if v["message"] == "listening" {
            break v["address"].as_str().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}
