//! `ats-scorer score`: the scoring engine on files, for batch use. Text for
//! people, `--json` for scripts (the same `Report` the page renders).

use std::{
    io::{Read, Write},
    path::Path,
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::{Context, bail};
use scoring::{KeywordStatus, Options, Report, month_index};

use crate::cli::ScoreArgs;

/// Exit status when an input cannot be scored (empty, too long).
pub const EXIT_INPUT_PROBLEM: i32 = 2;

/// Runs the command, writing to `out`; returns the process exit status.
pub fn run(args: &ScoreArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    let resume = read_document(&args.resume, "resume")?;
    let job = read_document(&args.job, "job description")?;
    let options = Options {
        variant: args.variant,
        today: Some(current_month()),
    };
    match scoring::score_with(&resume, &job, options) {
        Ok(report) => {
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)?;
            } else {
                write_text(&report, out)?;
            }
            Ok(0)
        }
        Err(problem) => {
            if args.json {
                serde_json::to_writer_pretty(
                    &mut *out,
                    &serde_json::json!({ "error": { "code": problem_code(&problem), "message": problem.message() } }),
                )?;
                writeln!(out)?;
            } else {
                eprintln!("ats-scorer: {}", problem.message());
            }
            Ok(EXIT_INPUT_PROBLEM)
        }
    }
}

fn problem_code(p: &scoring::InputProblem) -> &'static str {
    match p {
        scoring::InputProblem::EmptyResume => "empty_resume",
        scoring::InputProblem::EmptyJob => "empty_job",
        scoring::InputProblem::TooLong { .. } => "too_long",
    }
}

/// Reads a document as text: PDF and DOCX through the same extraction code the
/// browser uses, text files decoded (UTF-8, UTF-16 with BOM, Latin-1); `-` is
/// standard input (text).
pub fn read_document(path: &Path, what: &str) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        return extract::text::decode(&buf)
            .map_err(|e| anyhow::anyhow!("the {what} on standard input is not text: {e}"));
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match extract_guarded(&bytes, name) {
        Ok(doc) => {
            for w in &doc.warnings {
                eprintln!("ats-scorer: {}: {w}", path.display());
            }
            Ok(doc.text)
        }
        Err(e) => bail!("the {what} {}: {}", path.display(), e.message()),
    }
}

/// Extraction with a panic in a parser turned into an error: a damaged file
/// must never crash the command (the browser runs it in a restartable worker).
fn extract_guarded(bytes: &[u8], name: &str) -> Result<extract::Extracted, extract::ExtractError> {
    std::panic::catch_unwind(|| extract::extract(bytes, name)).unwrap_or_else(|_| {
        Err(extract::ExtractError::Corrupt {
            detail: "the parser failed on it".into(),
        })
    })
}

/// `ats-scorer extract FILE [--json]`.
pub fn run_extract(args: &crate::cli::ExtractArgs, out: &mut dyn Write) -> anyhow::Result<i32> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match extract_guarded(&bytes, name) {
        Ok(doc) => {
            if args.json {
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                writeln!(out)?;
            } else {
                for w in &doc.warnings {
                    eprintln!("ats-scorer: {w}");
                }
                writeln!(out, "{}", doc.text)?;
            }
            Ok(0)
        }
        Err(e) => {
            if args.json {
                serde_json::to_writer_pretty(
                    &mut *out,
                    &serde_json::json!({ "error": e.report() }),
                )?;
                writeln!(out)?;
            } else {
                eprintln!("ats-scorer: {}: {}", args.file.display(), e.message());
            }
            Ok(EXIT_INPUT_PROBLEM)
        }
    }
}

/// The current month from the system clock (UTC), for roles ending "Present".
pub fn current_month() -> scoring::MonthIndex {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m) = civil_from_days(days);
    month_index(y, m)
}

/// Year and month of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as u32, m as u32)
}

fn write_text(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "ATS match score: {}/100  ({} {})",
        r.score, r.variant, r.algorithm
    )?;
    if let Some(t) = &r.job.title {
        writeln!(out, "Job: {t}")?;
    }
    writeln!(out)?;
    writeln!(out, "Breakdown")?;
    for c in &r.categories {
        if c.applies {
            writeln!(out, "  {:<22} {:>5.1} / {:<5.1}", c.label, c.points, c.max)?;
        } else {
            writeln!(out, "  {:<22}   n/a", c.label)?;
        }
        for reason in &c.reasons {
            writeln!(
                out,
                "      {} {}",
                if reason.ok { "+" } else { "-" },
                reason.text
            )?;
        }
    }
    let chip = |k: &scoring::Keyword| {
        let mut s = k.name.clone();
        if let Some(a) = &k.matched_as {
            s.push_str(&format!(" (as {a})"));
        }
        if k.job_mentions > 1 {
            s.push_str(&format!(" ×{}", k.job_mentions));
        }
        s
    };
    for (label, status) in [
        ("Matched", KeywordStatus::Matched),
        ("Listed only", KeywordStatus::Listed),
        ("Missing", KeywordStatus::Missing),
    ] {
        let items: Vec<String> = r
            .keywords
            .iter()
            .filter(|k| k.status == status)
            .map(|k| {
                format!(
                    "{}{}",
                    chip(k),
                    if k.importance == scoring::job::Importance::Required {
                        ""
                    } else {
                        " (preferred)"
                    }
                )
            })
            .collect();
        if !items.is_empty() {
            writeln!(out)?;
            writeln!(out, "{label} keywords: {}", items.join(", "))?;
        }
    }
    writeln!(out)?;
    if r.recommendations.is_empty() {
        writeln!(out, "No change we can suggest would raise the score.")?;
    } else {
        writeln!(out, "Recommendations (by points gained)")?;
        for (i, rec) in r.recommendations.iter().enumerate() {
            writeln!(out, "  {}. +{} {}", i + 1, rec.gain, rec.title)?;
            writeln!(out, "     {}", rec.detail)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_day_counts_to_year_and_month() {
        assert_eq!(civil_from_days(0), (1970, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11));
        assert_eq!(civil_from_days(11_016), (2000, 2));
    }
}
