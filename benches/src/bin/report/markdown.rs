//! `RESULTS.md`: per crate a table (ours, each peer, Go, ratios), then the
//! false-sharing table, then the machine and the run.

use std::fmt::Write as _;

use crate::suites::{CrateSuite, FalseSharing, RowRatio, CRATES, FALSE_SHARING};
use crate::summary::{Measurement, Summary};
use crate::units::{fmt_cell, fmt_ratio};

/// `(meta key, label)` of the facts listed under "Machine and run", in
/// order; other keys follow under their own names.
const MACHINE_KEYS: &[(&str, &str)] = &[
    ("machine", "machine"),
    ("nproc", "nproc"),
    ("cpu", "CPU"),
    ("kernel", "kernel"),
    ("rustc", "rustc"),
    ("go", "go"),
    ("date", "date"),
    ("mode", "mode"),
    ("settings", "settings"),
    ("duration", "duration (whole run, benchmarks and build)"),
    ("load_before", "load average (1, 5, 15 min) before the run"),
    ("load_after", "load average after the benchmarks"),
];

/// Keys used elsewhere on the page, not listed under "Machine and run".
const OTHER_KEYS: &[&str] = &["go_status"];

/// The page, and the problems found while writing it (results the suites
/// define but the summary lacks).
pub(crate) fn results_md(summary: &Summary) -> (String, Vec<String>) {
    let mut problems = Vec::new();
    let mut out = String::new();
    let mode = summary.meta("mode").unwrap_or("unknown");
    let date = summary.meta("date").unwrap_or("an unknown date");
    let machine = summary
        .meta("machine")
        .unwrap_or("a shared, noisy 2-core VM");
    let _ = write!(
        out,
        "# Benchmark results\n\n\
         Written by `benches/report.sh` ({mode} mode) on {date}. The numbers are in \
         [`RESULTS.tsv`](RESULTS.tsv) beside this file; \
         `cargo run --bin report -- render` (in `benches/`) redraws this page and the \
         charts from them. What each workload measures: [`README.md`](README.md).\n\n\
         **The machine is {machine}** (details at the end). Absolute times move by tens of \
         percent between runs there; what we claim are the **ratios** of numbers measured \
         side by side in one run, not the absolute times.\n\n\
         How to read the tables: each cell is the median time per operation, then the \
         min–max range in the same unit. Rust: criterion's median estimate \
         (`new/estimates.json`), and the fastest and the slowest of its samples \
         (`new/sample.json`, each sample's time divided by its iteration count), not \
         criterion's confidence interval. Go: median, fastest and slowest of the `-count` \
         runs. For the parallel workloads time per operation is wall time over the \
         operations of both threads, as Go's `RunParallel` reports it, except where a \
         table's notes say it is per thread (the `AtomicValue` loads). Ratios below 1 mean \
         ours is faster; \"best peer\" is the fastest Rust peer of that row.\n\n"
    );
    if mode == "quick" {
        out.push_str(
            "> **Quick mode**: short measurements (a smoke run). Not for publishing: rerun \
             `benches/report.sh` without `--quick`.\n\n",
        );
    }
    for suite in CRATES {
        crate_section(&mut out, summary, suite, &mut problems);
    }
    false_sharing_section(&mut out, summary, &mut problems);
    machine_section(&mut out, summary);
    if !problems.is_empty() {
        out.push_str("\n## Problems\n\n");
        for p in &problems {
            let _ = writeln!(out, "- {p}");
        }
    }
    (out, problems)
}

fn rust<'a>(summary: &'a Summary, id: &str, problems: &mut Vec<String>) -> Option<&'a Measurement> {
    let m = summary.rust.get(id);
    if m.is_none() {
        problems.push(format!("no criterion result from this run for `{id}`"));
    }
    m
}

fn go<'a>(
    summary: &'a Summary,
    name: Option<&str>,
    problems: &mut Vec<String>,
) -> Option<&'a Measurement> {
    let name = name?;
    let m = summary.go.get(name);
    if m.is_none() && go_ran(summary) {
        problems.push(format!("no Go result for `Benchmark{name}`"));
    }
    m
}

/// Go ran unless `report.sh` said otherwise.
fn go_ran(summary: &Summary) -> bool {
    summary.meta("go_status").map_or(true, str::is_empty)
}

fn crate_section(
    out: &mut String,
    summary: &Summary,
    suite: &CrateSuite,
    problems: &mut Vec<String>,
) {
    let peers: Vec<&str> = suite.peers.iter().map(|p| p.label).collect();
    let _ = write!(
        out,
        "## {} (`{}` vs {} and Go's `{}`)\n\n\
         ![{}: time per operation, log scale](charts/{}.svg)\n\n\
         The same chart as PNG: [`charts/{}.png`](charts/{}.png). \
         Per operation; ratio < 1: {} faster.\n\n",
        suite.title,
        suite.krate,
        peers.join(", "),
        suite.go_type,
        suite.title,
        suite.chart,
        suite.chart,
        suite.chart,
        suite.ours.label,
    );
    let mut header = vec![
        "workload (criterion group)".to_string(),
        suite.ours.label.to_string(),
    ];
    header.extend(peers.iter().map(|p| p.to_string()));
    header.extend(
        suite
            .references
            .iter()
            .map(|r| format!("{} (ref.)", r.label)),
    );
    header.push("Go".to_string());
    header.push(format!("{} / best peer", suite.ours.label));
    header.push(format!("{} / Go", suite.ours.label));
    let mut rows = Vec::new();
    for w in suite.workloads {
        let id = |i: &str| format!("{}/{}", w.group, i);
        // `None` for a cell the implementation cannot express (`—`), else
        // the result (itself `None`, a problem, when missing).
        let mut cell = |i: &str| {
            suite
                .expresses(w.group, i)
                .then(|| rust(summary, &id(i), problems))
        };
        let ours = cell(suite.ours.id);
        let peer_values: Vec<Option<Option<&Measurement>>> =
            suite.peers.iter().map(|p| cell(p.id)).collect();
        let reference_values: Vec<Option<Option<&Measurement>>> =
            suite.references.iter().map(|r| cell(r.id)).collect();
        let go_value = go(summary, w.go, problems);
        let best = suite
            .peers
            .iter()
            .zip(&peer_values)
            .filter_map(|(p, m)| Some((p.label, (*m)??.median)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let shown = |m: &Option<Option<&Measurement>>| match m {
            Some(m) => fmt_cell(*m),
            None => "—".to_string(),
        };
        let mut row = vec![format!("{} (`{}`)", w.name, w.group), shown(&ours)];
        row.extend(peer_values.iter().map(shown));
        row.extend(reference_values.iter().map(shown));
        let ours = ours.flatten();
        row.push(if w.go.is_some() {
            fmt_cell(go_value)
        } else {
            "—".to_string()
        });
        let ours_median = ours.map(|m| m.median);
        row.push(match best {
            Some((label, median)) => format!("{} ({label})", fmt_ratio(ours_median, Some(median))),
            None => "n/a".to_string(),
        });
        row.push(if w.go.is_some() {
            fmt_ratio(ours_median, go_value.map(|m| m.median))
        } else {
            "—".to_string()
        });
        rows.push(row);
    }
    out.push_str(&table(&header, &rows));
    for c in suite.calibrations {
        let r = rust(summary, c.rust, problems);
        let _ = write!(out, "\n{}: Rust {}", c.label, fmt_cell(r));
        if c.go.is_some() {
            let g = go(summary, c.go, problems);
            let _ = write!(out, ", Go {}", fmt_cell(g));
        }
        out.push_str(" per op.\n");
    }
    for r in suite.row_ratios {
        out.push('\n');
        out.push_str(&row_ratio_line(summary, suite, r));
    }
    out.push('\n');
    out.push_str(&go_line(summary));
    out.push_str("\n\n");
    out.push_str(suite.notes);
    out.push_str("\n\n");
}

/// `label: ours 1.02×, peer 0.98×, ..., Go 1.40×.`: the ratio of two rows,
/// per column. A missing result reads n/a (its row already reports it).
fn row_ratio_line(summary: &Summary, suite: &CrateSuite, r: &RowRatio) -> String {
    let median =
        |group: &str, id: &str| summary.rust.get(&format!("{group}/{id}")).map(|m| m.median);
    let go_median = |group: &str| {
        let w = suite.workloads.iter().find(|w| w.group == group)?;
        summary.go.get(w.go?).map(|m| m.median)
    };
    let mut parts: Vec<String> = std::iter::once(&suite.ours)
        .chain(suite.peers)
        .chain(suite.references)
        .map(|i| {
            format!(
                "{} {}×",
                i.label,
                fmt_ratio(median(r.num, i.id), median(r.den, i.id))
            )
        })
        .collect();
    if go_ran(summary) {
        parts.push(format!(
            "Go {}×",
            fmt_ratio(go_median(r.num), go_median(r.den))
        ));
    }
    format!("{}: {}.\n", r.label, parts.join(", "))
}

/// How the Go column was obtained, or a loud line that it was not.
fn go_line(summary: &Summary) -> String {
    if !go_ran(summary) {
        return format!("**{}**", summary.meta("go_status").unwrap_or_default());
    }
    let mut counts: Vec<usize> = summary.go.values().map(|m| m.samples).collect();
    counts.sort_unstable();
    counts.dedup();
    let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
    format!(
        "Go: median (min–max) of {} `-count` runs.",
        counts.join(", ")
    )
}

fn false_sharing_section(out: &mut String, summary: &Summary, problems: &mut Vec<String>) {
    out.push_str(
        "## False sharing (2 threads, each on its own object, the two objects in one array)\n\n\
         ![False sharing: time per operation](charts/false_sharing.svg)\n\n\
         The same chart as PNG: [`charts/false_sharing.png`](charts/false_sharing.png). \
         Every crate's false-sharing groups, one table; the ratio is to the same group's \
         entry named in the column.\n\n",
    );
    let header: Vec<String> = [
        "crate",
        "criterion id",
        "layout",
        "median (min–max) per op",
        "ratio",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let mut headlines = Vec::new();
    for fs in FALSE_SHARING {
        let get = |f: &str, problems: &mut Vec<String>| {
            rust(summary, &format!("{}/{f}", fs.group), problems).copied()
        };
        let base = get(fs.baseline, &mut Vec::new()).map(|m| m.median);
        for e in fs.entries {
            let m = get(e.function, problems);
            rows.push(vec![
                fs.krate.to_string(),
                format!("`{}/{}`", fs.group, e.function),
                e.what.to_string(),
                fmt_cell(m.as_ref()),
                format!("{} × {}", fmt_ratio(m.map(|m| m.median), base), fs.baseline),
            ]);
        }
        headlines.extend(fs_headlines(summary, fs));
    }
    out.push_str(&table(&header, &rows));
    if !headlines.is_empty() {
        out.push('\n');
        for h in headlines {
            let _ = writeln!(out, "- {h}");
        }
    }
    out.push('\n');
}

fn fs_headlines(summary: &Summary, fs: &FalseSharing) -> Vec<String> {
    let median = |f: &str| {
        summary
            .rust
            .get(&format!("{}/{f}", fs.group))
            .map(|m| m.median)
    };
    fs.headlines
        .iter()
        .map(|h| {
            format!(
                "{}: **{}×**",
                h.text,
                fmt_ratio(median(h.num), median(h.den))
            )
        })
        .collect()
}

fn machine_section(out: &mut String, summary: &Summary) {
    out.push_str("## Machine and run\n\n");
    for (key, label) in MACHINE_KEYS {
        if let Some(value) = summary.meta(key) {
            let _ = writeln!(out, "- {label}: {value}");
        }
    }
    for (key, value) in &summary.meta {
        let known = MACHINE_KEYS.iter().any(|(k, _)| k == key) || OTHER_KEYS.contains(&&**key);
        if !known {
            let _ = writeln!(out, "- {key}: {value}");
        }
    }
}

/// A Markdown table with padded columns (readable as plain text too).
pub(crate) fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c))))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(header);
    let dashes: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
    let _ = writeln!(out, "|{}|", dashes.join("|"));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_table() {
        let t = table(
            &["a".to_string(), "bb".to_string()],
            &[vec!["µµµ".to_string(), "c".to_string()]],
        );
        assert_eq!(t, "| a   | bb |\n|-----|----|\n| µµµ | c  |\n");
    }

    /// References (here the `AtomicPtr` floor, the fastest column) get a
    /// column but are never "best peer"; row ratios cover every column.
    #[test]
    fn references_are_never_best_peer() {
        let suite = CRATES
            .iter()
            .find(|s| !s.references.is_empty() && !s.row_ratios.is_empty())
            .expect("a suite with reference columns and row ratios");
        let at = |ns: f64| Measurement {
            median: ns,
            min: ns,
            max: ns,
            samples: 10,
        };
        let mut summary = Summary::default();
        for w in suite.workloads {
            let id = |i: &str| format!("{}/{i}", w.group);
            summary.rust.insert(id(suite.ours.id), at(10.0));
            for (n, p) in suite.peers.iter().enumerate() {
                summary.rust.insert(id(p.id), at(20.0 + n as f64));
            }
            for r in suite.references {
                summary.rust.insert(id(r.id), at(1.0));
            }
            if let Some(g) = w.go {
                summary.go.insert(g.to_string(), at(5.0));
            }
        }
        let mut out = String::new();
        let mut problems = Vec::new();
        crate_section(&mut out, &summary, suite, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        let best = format!("0.50 ({})", suite.peers[0].label);
        assert!(out.contains(&best), "{out}");
        for r in suite.references {
            assert!(out.contains(&format!("{} (ref.)", r.label)), "{out}");
            assert!(out.contains(&format!("{} 1.00×", r.label)), "{out}");
        }
        assert!(out.contains("Go 1.00×"), "{out}");
    }

    /// A cell the implementation cannot express reads `—`, is no problem
    /// and is never "best peer"; a row without a Go benchmark has no Go
    /// ratio.
    #[test]
    fn inexpressible_cells_are_blank() {
        let suite = CRATES
            .iter()
            .find(|s| !s.not_expressible.is_empty() && s.workloads.iter().any(|w| w.go.is_none()))
            .expect("a suite with inexpressible cells and a row without Go");
        let at = |ns: f64| Measurement {
            median: ns,
            min: ns,
            max: ns,
            samples: 10,
        };
        let mut summary = Summary::default();
        for w in suite.workloads {
            let id = |i: &str| format!("{}/{i}", w.group);
            summary.rust.insert(id(suite.ours.id), at(10.0));
            for p in suite.peers {
                if suite.expresses(w.group, p.id) {
                    summary.rust.insert(id(p.id), at(20.0));
                }
            }
            if let Some(g) = w.go {
                summary.go.insert(g.to_string(), at(5.0));
            }
        }
        let mut out = String::new();
        let mut problems = Vec::new();
        crate_section(&mut out, &summary, suite, &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        assert!(!out.contains("n/a"), "{out}");
        let absent = suite.not_expressible[0];
        let row = out
            .lines()
            .find(|l| l.contains(&format!("`{}`", absent.groups[0])))
            .expect("the row");
        assert!(row.contains('—'), "{row}");
        assert!(row.contains("0.50"), "{row}");
    }
}
