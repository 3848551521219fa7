//! A horizontal bar chart drawn as SVG by the app (no chart library), with the same numbers as a table
//! for screen readers: the picture is hidden from them, the table is hidden from the eye.

use leptos::prelude::*;

/// One bar: what it counts and how many.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

/// `count` of `total` as a percentage with one decimal (`0.0%` when nothing was counted).
pub fn percent(count: u64, total: u64) -> String {
    if total == 0 {
        return "0.0%".into();
    }
    format!("{:.1}%", count as f64 * 100.0 / total as f64)
}

/// A label short enough for the chart's left column (the table keeps it whole).
fn short_label(label: &str) -> String {
    const MAX: usize = 12;
    if label.chars().count() <= MAX {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 190.0;
const VALUE_WIDTH: f64 = 110.0;
const ROW: f64 = 30.0;
const BAR: f64 = 20.0;

/// Bars for `bars`, each `count` out of `total` (the percentages' base: respondents to the question, so a
/// multiple-choice question's percentages may add up to more than 100). `caption` names the chart and
/// its table; `first_column` heads the table's label column.
#[component]
pub fn BarChart(
    bars: Vec<Bar>,
    total: u64,
    caption: String,
    #[prop(default = "选项".into(), into)] first_column: String,
) -> impl IntoView {
    let most = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let height = (bars.len() as f64 * ROW).max(ROW);
    let plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(index, bar)| {
            let y = index as f64 * ROW;
            let length = if bar.count == 0 {
                0.0
            } else {
                (bar.count as f64 / most as f64 * plot).max(2.0)
            };
            view! {
                <g>
                    <text x=LABEL_WIDTH - 8.0 y=y + ROW / 2.0 + 5.0 text-anchor="end" class="bar-label">
                        {short_label(&bar.label)}
                    </text>
                    <rect x=LABEL_WIDTH y=y + (ROW - BAR) / 2.0 width=format!("{length:.1}") height=BAR rx="3" class="bar" />
                    <text x=LABEL_WIDTH + length + 6.0 y=y + ROW / 2.0 + 5.0 class="bar-value">
                        {format!("{}（{}）", bar.count, percent(bar.count, total))}
                    </text>
                </g>
            }
        })
        .collect_view();
    let table_rows = bars
        .iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row">{bar.label.clone()}</th>
                    <td>{bar.count}</td>
                    <td>{percent(bar.count, total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="bar-chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") width="100%" aria-hidden="true" focusable="false"
                preserveAspectRatio="xMinYMin meet">
                {rows}
            </svg>
            <table class="visually-hidden">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{first_column}</th><th scope="col">"人数"</th><th scope="col">"占比"</th>
                </tr></thead>
                <tbody>{table_rows}</tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_have_one_decimal_and_survive_an_empty_total() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 2), "100.0%");
        assert_eq!(percent(0, 0), "0.0%");
    }

    #[test]
    fn long_labels_are_cut_for_the_chart_only() {
        assert_eq!(short_label("满意"), "满意");
        assert_eq!(
            short_label("一二三四五六七八九十一二三"),
            "一二三四五六七八九十一…"
        );
    }
}
