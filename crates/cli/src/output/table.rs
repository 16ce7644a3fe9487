//! Upstream's `print_text_table`: one row per object, a header of column titles,
//! ASCII (`+-|=`) or UTF-8 box borders, numeric columns right-aligned, multi-line
//! cells, lines cut at the terminal width.

use super::{data_to_text, OutputOptions, Terminal};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use virton_schema::{Property, Schema};

/// One column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    /// The property shown.
    pub name: String,
    /// The header text.
    pub title: String,
    /// The property's schema (type, alignment, cut-off).
    pub schema: Option<Schema>,
}

impl Column {
    /// A text column titled with its name.
    pub fn plain(name: &str) -> Self {
        Column {
            name: name.into(),
            title: name.into(),
            schema: None,
        }
    }

    /// A column for a property of the item schema.
    pub fn of(name: &str, prop: Option<&Property>) -> Self {
        Column {
            name: name.into(),
            title: name.into(),
            schema: prop.map(|p| p.schema.clone()),
        }
    }

    /// The same column with another title.
    pub fn titled(mut self, title: &str) -> Self {
        self.title = title.into();
        self
    }

    fn numeric(&self) -> bool {
        matches!(self.schema, Some(Schema::Integer(_) | Schema::Number(_)))
    }

    fn max_length(&self) -> Option<usize> {
        match &self.schema {
            Some(Schema::String(s)) => s.max_length,
            _ => None,
        }
    }
}

/// Table switches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableOptions {
    /// No title row.
    pub noheader: bool,
    /// No borders.
    pub noborder: bool,
    /// Booleans as 1/0.
    pub human_readable: bool,
    /// Sort column; `None` = first column, `Some("")` = keep order.
    pub sort_key: Option<String>,
}

impl TableOptions {
    /// The table switches of the output options.
    pub fn from_output(o: &OutputOptions) -> Self {
        TableOptions {
            noheader: o.noheader,
            noborder: o.noborder,
            human_readable: o.human_readable,
            sort_key: o.sort_key.clone(),
        }
    }
}

struct Cell {
    lines: Vec<String>,
}

fn cell_text(row: &Map<String, Value>, col: &Column, opts: &TableOptions) -> Cell {
    let o = OutputOptions {
        human_readable: opts.human_readable,
        ..Default::default()
    };
    let text = row
        .get(&col.name)
        .map(|v| data_to_text(v, col.schema.as_ref(), &o))
        .unwrap_or_default();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    // Perl's split drops trailing empty fields.
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    Cell { lines }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn compare(a: Option<&Value>, b: Option<&Value>, numeric: bool) -> Ordering {
    let (a, b) = match (a.filter(|v| !v.is_null()), b.filter(|v| !v.is_null())) {
        (None, None) => return Ordering::Equal,
        (None, _) => return Ordering::Less,
        (_, None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    if numeric {
        let num = |v: &Value| match v {
            Value::Number(n) => n.as_f64().unwrap_or(0.0),
            Value::String(s) => s.trim().parse().unwrap_or(0.0),
            _ => 0.0,
        };
        return num(a).partial_cmp(&num(b)).unwrap_or(Ordering::Equal);
    }
    super::scalar_text(a).cmp(&super::scalar_text(b))
}

fn sort_rows(rows: &mut [&Map<String, Value>], columns: &[Column], key: &Option<String>) {
    let key = match key {
        Some(k) if k.is_empty() => return,
        Some(k) => k.as_str(),
        None => match columns.first() {
            Some(c) => c.name.as_str(),
            None => return,
        },
    };
    let numeric = columns.iter().any(|c| c.name == key && c.numeric());
    rows.sort_by(|a, b| compare(a.get(key), b.get(key), numeric));
}

struct Borders {
    top: String,
    head: String,
    mid: String,
    bottom: String,
    vertical: &'static str,
}

fn borders(widths: &[usize], utf8: bool) -> Borders {
    let line = |l: &str, fill: &str, sep: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{l}{}{r}", parts.join(sep))
    };
    if utf8 {
        return Borders {
            top: line("┌", "─", "┬", "┐"),
            head: line("╞", "═", "╪", "╡"),
            mid: line("├", "─", "┼", "┤"),
            bottom: line("└", "─", "┴", "┘"),
            vertical: "│",
        };
    }
    let mid = line("+", "-", "+", "+");
    // Upstream's ASCII header rule of a one-column table lacks the closing '+'.
    let head_end = if widths.len() == 1 { "" } else { "+" };
    Borders {
        top: mid.clone(),
        head: line("+", "=", "+", head_end),
        bottom: mid.clone(),
        mid,
        vertical: "|",
    }
}

fn pad(text: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(text)));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

fn cut(text: &str, w: usize) -> String {
    text.chars().take(w).collect()
}

fn line_of(cells: &[String], columns: &[Column], widths: &[usize], border: Option<&str>) -> String {
    let mut out = String::new();
    let last = cells.len().saturating_sub(1);
    for (i, text) in cells.iter().enumerate() {
        let (w, right) = (widths[i], columns[i].numeric());
        match border {
            Some(v) => out.push_str(&format!("{v} {} ", pad(text, w, right))),
            None if i == last => out.push_str(text),
            None => out.push_str(&format!("{} ", pad(text, w, right))),
        }
    }
    if let Some(v) = border {
        out.push_str(v);
    }
    out
}

/// Renders `rows` as a table of `columns`.
pub fn render(
    rows: &[Map<String, Value>],
    columns: &[Column],
    opts: &TableOptions,
    term: &Terminal,
) -> String {
    let mut sorted: Vec<&Map<String, Value>> = rows.iter().collect();
    sort_rows(&mut sorted, columns, &opts.sort_key);
    let cells: Vec<Vec<Cell>> = sorted
        .iter()
        .map(|r| columns.iter().map(|c| cell_text(r, c, opts)).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let longest = cells
                .iter()
                .flat_map(|row| row[i].lines.iter().map(|l| width(l)))
                .fold(width(&c.title), usize::max);
            c.max_length().map_or(longest, |m| m.min(longest))
        })
        .collect();
    let b = borders(&widths, term.utf8);
    let vertical = (!opts.noborder).then_some(b.vertical);
    let mut out = String::new();
    let mut writeln = |text: &str| {
        match term.columns {
            Some(cols) => out.push_str(&cut(text, cols)),
            None => out.push_str(text),
        }
        out.push('\n');
    };
    if !opts.noborder {
        writeln(&b.top);
    }
    let mut sep = &b.mid;
    if !opts.noheader {
        let titles: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        writeln(&line_of(&titles, columns, &widths, vertical));
        sep = &b.head;
    }
    for (i, row) in cells.iter().enumerate() {
        if !opts.noborder && (i != 0 || !opts.noheader) {
            writeln(sep);
            sep = &b.mid;
        }
        let height = row.iter().map(|c| c.lines.len()).max().unwrap_or(0).max(1);
        for n in 0..height {
            let texts: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| cut(c.lines.get(n).map_or("", String::as_str), *w))
                .collect();
            writeln(&line_of(&texts, columns, &widths, vertical));
        }
    }
    if !opts.noborder {
        writeln(&b.bottom);
    }
    out
}
