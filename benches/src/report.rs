//! One markdown table per scenario, with every row's ratio to the floor and to this framework.

use std::fmt::Write as _;

use crate::contender::Library;

/// One line of a table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Whose result.
    pub(crate) library: Library,
    /// How it was used, when that needs saying.
    pub(crate) note: String,
    /// The measured value (lower is better), in the table's unit.
    pub(crate) value: f64,
    /// The 10th and 90th percentiles, for timed rows.
    pub(crate) spread: Option<(f64, f64)>,
    /// Further cells, one per [`Table::extra_headers`].
    pub(crate) extra: Vec<String>,
}

/// A scenario's results.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// `A: counter increment, no labels`.
    pub(crate) title: String,
    /// The unit of [`Row::value`]: `ns/op`, `µs/scrape`, `B/series`.
    pub(crate) unit: &'static str,
    /// Headers of the columns after the ratios.
    pub(crate) extra_headers: Vec<&'static str>,
    /// The rows, in measurement order.
    pub(crate) rows: Vec<Row>,
    /// Lines printed under the table.
    pub(crate) notes: Vec<String>,
}

impl Table {
    /// An empty table.
    pub(crate) fn new(title: impl Into<String>, unit: &'static str) -> Self {
        Self {
            title: title.into(),
            unit,
            extra_headers: Vec::new(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The first row of `library`.
    pub(crate) fn row(&self, library: Library) -> Option<&Row> {
        self.rows.iter().find(|r| r.library == library)
    }

    /// The markdown: a heading, the table, the notes.
    pub(crate) fn render(&self) -> String {
        let floor = self.row(Library::Floor).map(|r| r.value);
        let ours = self.row(Library::Ours).map(|r| r.value);
        let timed = self.rows.iter().any(|r| r.spread.is_some());
        let mut out = format!("### {}\n\n| library | {} |", self.title, self.unit);
        if timed {
            out.push_str(" p10–p90 |");
        }
        out.push_str(" × floor | × ours |");
        for header in &self.extra_headers {
            let _ = write!(out, " {header} |");
        }
        out.push_str("\n|---|---:|");
        if timed {
            out.push_str("---:|");
        }
        out.push_str("---:|---:|");
        out.push_str(&"---|".repeat(self.extra_headers.len()));
        out.push('\n');
        for row in &self.rows {
            let name = if row.note.is_empty() {
                row.library.name().to_owned()
            } else {
                format!("{} ({})", row.library.name(), row.note)
            };
            let _ = write!(out, "| {name} | {} |", number(row.value));
            if timed {
                match row.spread {
                    Some((low, high)) => {
                        let _ = write!(out, " {}–{} |", number(low), number(high));
                    }
                    None => out.push_str(" |"),
                }
            }
            let _ = write!(
                out,
                " {} | {} |",
                ratio(row.value, floor),
                ratio(row.value, ours)
            );
            for cell in &row.extra {
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        for note in &self.notes {
            let _ = write!(out, "\n{note}\n");
        }
        out
    }
}

/// Three significant figures, without an exponent.
pub(crate) fn number(value: f64) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$}")
}

fn ratio(value: f64, reference: Option<f64>) -> String {
    match reference {
        Some(reference) if reference > 0.0 => format!("{:.2}×", value / reference),
        _ => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(library: Library, value: f64) -> Row {
        Row {
            library,
            note: String::new(),
            value,
            spread: Some((value * 0.9, value * 1.2)),
            extra: vec!["x".into()],
        }
    }

    #[test]
    fn ratios_are_against_the_floor_and_ours() {
        let mut table = Table::new("B: labelled", "ns/op");
        table.extra_headers.push("note");
        table.rows = vec![
            row(Library::Floor, 2.0),
            row(Library::Ours, 2.5),
            row(Library::PrometheusClient, 20.0),
        ];
        let text = table.render();
        assert!(
            text.contains("| prometheus-client | 20.0 | 18.0–24.0 | 10.00× | 8.00× | x |"),
            "{text}"
        );
        assert!(text.contains("| floor (hand-written) | 2.00 | 1.80–2.40 | 1.00× | 0.80× | x |"));
        assert!(text.starts_with(
            "### B: labelled\n\n| library | ns/op | p10–p90 | × floor | × ours | note |\n|---|---:|---:|---:|---:|---|\n"
        ));
    }

    #[test]
    fn untimed_tables_have_no_spread_column() {
        let mut table = Table::new("G", "B/series");
        table.rows = vec![Row {
            spread: None,
            ..row(Library::Ours, 8.0)
        }];
        table.rows[0].extra.clear();
        let text = table.render();
        assert!(
            text.contains("| library | B/series | × floor | × ours |\n"),
            "{text}"
        );
        assert!(text.contains("| 8.00 | – | 1.00× |"), "{text}");
    }
}
