//! Date lines as the PDF reader gives them back: awesome-cv (LuaTeX) draws the
//! dash of "Mar. 2010 – Aug. 2017" with a glyph mapped to U+00AD, which the
//! reader used to drop, leaving "Mar. 2010 Aug. 2017"; it now reads "-".

use scoring::{month_index, normalize::normalize, profile::analyze};

fn months(lines: &str) -> u32 {
    let text = normalize(&format!("Jane Smith\n\nExperience\n{lines}\n"));
    analyze(&text, Some(month_index(2026, 6))).experience_months
}

#[test]
fn an_awesome_cv_date_line_with_its_dash_counts_its_years() {
    let line = "Site Reliability Engineer Feb. 2018 - Mar. 2021";
    assert_eq!(months(line), 38);
    let flush_right = "Founding Member & Director of Infrastructure Division Jun. 2018 - Jan. 2021";
    assert!(months(flush_right) > 12, "{}", months(flush_right));
}

#[test]
fn the_same_line_without_its_dash_is_not_read_as_a_range() {
    // What the reader gave before: the dash lost, two dates side by side.
    assert_eq!(months("Site Reliability Engineer Feb. 2018 Mar. 2021"), 0);
}
