//! Server-rendered SVG charts (no JavaScript): a line chart and a bar chart,
//! each with a `<title>` and a description, drawn next to a table holding the
//! same numbers.

use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

pub struct Series {
    pub name: String,
    /// CSS class giving the colour (`s0` … `s5`).
    pub class: &'static str,
    pub values: Vec<f64>,
}

fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    // Tops whose quarters are round numbers (the grid has four steps).
    for step in [1.0, 2.0, 4.0, 8.0, 10.0] {
        if step * mag >= max {
            return step * mag;
        }
    }
    10.0 * mag
}

fn fmt_axis(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.0}%", v * 100.0)
    } else if v >= 1000.0 {
        let k = format!("{:.2}", v / 1000.0);
        format!("{}k", k.trim_end_matches('0').trim_end_matches('.'))
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn frame(labels: &[String], max: f64, percent: bool) -> AnyView {
    let grid = (0..=4)
        .map(|i| {
            let v = max * f64::from(i) / 4.0;
            let y = TOP + (H - TOP - BOTTOM) * (1.0 - f64::from(i) / 4.0);
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y y2=y />
                <text class="axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{fmt_axis(v, percent)}</text>
            }
        })
        .collect_view();
    let first = labels.first().cloned().unwrap_or_default();
    let last = labels.last().cloned().unwrap_or_default();
    view! {
        {grid}
        <text class="axis" x=LEFT y=H - 8.0>{first}</text>
        <text class="axis" x=W - RIGHT y=H - 8.0 text-anchor="end">{last}</text>
    }
    .into_any()
}

fn x_at(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (W - LEFT - RIGHT) / 2.0
    } else {
        LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
    }
}

fn y_at(v: f64, max: f64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - v / max)
}

fn legend(series: &[Series]) -> AnyView {
    series
        .iter()
        .map(|s| {
            let class = format!("swatch {}", s.class);
            view! { <li><span class=class aria-hidden="true"></span>{s.name.clone()}</li> }
        })
        .collect_view()
        .into_any()
}

/// The `<figure>` around a chart: the SVG with its title, and the legend.
fn figure(id: &str, title: &str, body: AnyView, series: &[Series]) -> AnyView {
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let legend = legend(series);
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{title.to_string()}</title>
                {body}
            </svg>
            <figcaption><ul class="legend">{legend}</ul></figcaption>
        </figure>
    }
    .into_any()
}

/// A line per series over `labels` (days).
pub fn line(
    id: &str,
    title: &str,
    labels: &[String],
    series: Vec<Series>,
    percent: bool,
) -> AnyView {
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let n = labels.len();
    let lines = series
        .iter()
        .map(|s| {
            let points = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x_at(i, n), y_at(*v, max)))
                .collect::<Vec<_>>()
                .join(" ");
            let class = format!("line {}", s.class);
            view! { <polyline class=class points=points fill="none" /> }
        })
        .collect_view();
    figure(
        id,
        title,
        view! { {frame(labels, max, percent)} {lines} }.into_any(),
        &series,
    )
}

/// Grouped bars: one group per label, one bar per series.
pub fn bars(id: &str, title: &str, labels: &[String], series: Vec<Series>) -> AnyView {
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let n = labels.len().max(1);
    let slot = (W - LEFT - RIGHT) / n as f64;
    let bar_w = (slot * 0.8 / series.len().max(1) as f64).max(1.0);
    let rects = series
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            s.values.iter().enumerate().map(move |(i, v)| {
                let x = LEFT + slot * i as f64 + slot * 0.1 + bar_w * si as f64;
                let y = y_at(*v, max);
                let h = (H - BOTTOM - y).max(0.0);
                let class = format!("bar {}", s.class);
                view! { <rect class=class x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{h:.1}") /> }
            })
        })
        .collect_view();
    figure(
        id,
        title,
        view! { {frame(labels, max, false)} {rects} }.into_any(),
        &series,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_numbers_above_the_data() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 8.0);
        assert_eq!(nice_max(130.0), 200.0);
        assert_eq!(fmt_axis(1_500.0, false), "1.5k");
        assert_eq!(fmt_axis(0.25, true), "25%");
        assert_eq!(nice_max(0.23), 0.4);
        assert_eq!(nice_max(1_900.0), 2_000.0);
        assert_eq!(nice_max(2_300.0), 4_000.0);
    }
}
