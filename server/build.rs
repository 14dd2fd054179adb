//! Records the git commit the binary is built from (`ats_scorer_build_info{commit}`).
//! `ATS_BUILD_COMMIT` overrides it (builds from a tarball); without git it is "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ATS_BUILD_COMMIT");
    println!("cargo:rerun-if-changed=../.git/HEAD");
    println!("cargo:rerun-if-changed=../.git/refs/heads");
    let commit = std::env::var("ATS_BUILD_COMMIT").ok().or_else(|| {
        Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    println!(
        "cargo:rustc-env=ATS_BUILD_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}
