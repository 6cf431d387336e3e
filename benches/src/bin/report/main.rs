//! `report`: the benchmark report of `benches/report.sh`, in two steps.
//!
//! ```text
//! report collect --criterion DIR --since EPOCH_SECONDS [--go-output FILE]
//!                [--meta KEY=VALUE]... --out SUMMARY.tsv
//! report render  --summary SUMMARY.tsv --results RESULTS.md --charts DIR
//! ```
//!
//! `collect` reads every criterion result written since the run started
//! (`DIR/<group>/<function>/new/{estimates,sample}.json`) and Go's raw
//! `go test -bench` output, and writes the summary (see [`summary`]).
//! `render` writes `RESULTS.md` (per crate a table of ours, each peer and
//! Go with ratios; the false-sharing table; the machine) and, per crate and
//! for false sharing, a chart as SVG and PNG. What the tables and charts
//! contain is declared in [`suites`]. `render` exits with status 1, after
//! writing everything, when a result the suites declare is missing.

mod chart;
mod markdown;
mod suites;
mod summary;
mod units;

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use plotters::style::RGBColor;

use crate::chart::{BarChart, Cell, Row, Scale, Series};
use crate::suites::{CrateSuite, Layout, CRATES, FALSE_SHARING};
use crate::summary::Summary;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage:
  report collect --criterion DIR --since EPOCH_SECONDS [--go-output FILE]
                 [--meta KEY=VALUE]... --out SUMMARY.tsv
  report render  --summary SUMMARY.tsv --results RESULTS.md --charts DIR";

/// Our implementation's colour (Rust's orange), Go's (the Go gopher's
/// blue), and the peers' (muted, so that ours and Go stand out).
const OURS: RGBColor = RGBColor(222, 84, 30);
const GO: RGBColor = RGBColor(0, 173, 216);
const PEERS: [RGBColor; 4] = [
    RGBColor(88, 101, 117),
    RGBColor(163, 175, 189),
    RGBColor(126, 99, 150),
    RGBColor(185, 160, 120),
];

/// The reference columns' (light, so that they read as background): a pale
/// orange (our other entry point comes first) and a near-black grey (the
/// floor).
const REFERENCES: [RGBColor; 2] = [RGBColor(240, 170, 130), RGBColor(60, 60, 60)];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("collect") => collect(&args[1..]),
        Some("render") => render(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("report: {e}");
            ExitCode::from(2)
        }
    }
}

/// `--flag value` pairs; a flag may repeat.
fn flags(args: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let Some(name) = flag.strip_prefix("--") else {
            return Err(format!("unexpected argument {flag:?}\n{USAGE}").into());
        };
        let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
        out.push((name.to_string(), value.clone()));
    }
    Ok(out)
}

fn one<'a>(flags: &'a [(String, String)], name: &str) -> Result<&'a str> {
    flags
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .ok_or_else(|| format!("--{name} is required\n{USAGE}").into())
}

fn collect(args: &[String]) -> Result<ExitCode> {
    let flags = flags(args)?;
    for (name, _) in &flags {
        if !matches!(
            name.as_str(),
            "criterion" | "since" | "go-output" | "meta" | "out"
        ) {
            return Err(format!("collect: unknown flag --{name}\n{USAGE}").into());
        }
    }
    let since: u64 = one(&flags, "since")?
        .parse()
        .map_err(|_| "--since: not a number")?;
    let since = SystemTime::UNIX_EPOCH + Duration::from_secs(since);
    let (rust, stale) = summary::read_criterion(&PathBuf::from(one(&flags, "criterion")?), since)?;
    if !stale.is_empty() {
        eprintln!(
            "report collect: skipped {} criterion results older than this run: {}",
            stale.len(),
            stale.join(", ")
        );
    }
    let go = match one(&flags, "go-output") {
        Ok(path) if !path.is_empty() => match fs::read_to_string(path) {
            Ok(text) => summary::parse_go_output(&text),
            Err(e) => {
                eprintln!("report collect: no Go results ({path}: {e})");
                Default::default()
            }
        },
        _ => Default::default(),
    };
    let mut meta = Vec::new();
    for (name, value) in &flags {
        if name == "meta" {
            let (k, v) = value.split_once('=').ok_or("--meta needs KEY=VALUE")?;
            meta.push((k.to_string(), v.to_string()));
        }
    }
    let summary = Summary { meta, rust, go };
    let out = one(&flags, "out")?;
    fs::write(out, summary.to_tsv()).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "report collect: {} criterion and {} Go results -> {out}",
        summary.rust.len(),
        summary.go.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn render(args: &[String]) -> Result<ExitCode> {
    let flags = flags(args)?;
    for (name, _) in &flags {
        if !matches!(name.as_str(), "summary" | "results" | "charts") {
            return Err(format!("render: unknown flag --{name}\n{USAGE}").into());
        }
    }
    let path = one(&flags, "summary")?;
    let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let summary = Summary::from_tsv(&text)?;
    let problems = write_report(&summary, one(&flags, "results")?, one(&flags, "charts")?)?;
    if problems.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            eprintln!("report render: PROBLEM: {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Writes the page and every chart; returns the problems found.
fn write_report(summary: &Summary, results: &str, charts: &str) -> Result<Vec<String>> {
    chart::register_fonts()?;
    let (page, problems) = markdown::results_md(summary);
    fs::write(results, page).map_err(|e| format!("{results}: {e}"))?;
    let dir = PathBuf::from(charts);
    fs::create_dir_all(&dir).map_err(|e| format!("{charts}: {e}"))?;
    for suite in CRATES {
        crate_chart(summary, suite).render(&dir, suite.chart)?;
    }
    false_sharing_chart(summary).render(&dir, "false_sharing")?;
    Ok(problems)
}

/// Small print under every chart: the run it comes from.
fn footer(summary: &Summary) -> String {
    let mut parts =
        vec!["2 threads on a shared 2-core VM: compare ratios, not absolute times.".to_string()];
    let mut run = format!(
        "benches/report.sh ({} mode)",
        summary.meta("mode").unwrap_or("?")
    );
    for key in ["date", "rustc", "go"] {
        if let Some(v) = summary.meta(key) {
            run.push_str(", ");
            run.push_str(v);
        }
    }
    parts.push(run);
    parts.join(" ")
}

fn crate_chart(summary: &Summary, suite: &CrateSuite) -> BarChart {
    let mut series = vec![Series {
        label: suite.ours.label.to_string(),
        color: OURS,
    }];
    for (peer, color) in suite.peers.iter().zip(PEERS.iter().cycle()) {
        series.push(Series {
            label: peer.label.to_string(),
            color: *color,
        });
    }
    for (reference, color) in suite.references.iter().zip(REFERENCES.iter().cycle()) {
        series.push(Series {
            label: format!("{} (reference)", reference.label),
            color: *color,
        });
    }
    series.push(Series {
        label: format!("Go {}", suite.go_type),
        color: GO,
    });
    let rows = suite
        .workloads
        .iter()
        .map(|w| {
            let rust = |i: &str| {
                if suite.expresses(w.group, i) {
                    Cell::or_missing(summary.rust.get(&format!("{}/{i}", w.group)).copied())
                } else {
                    Cell::Absent
                }
            };
            let mut values = vec![rust(suite.ours.id)];
            values.extend(suite.peers.iter().map(|p| rust(p.id)));
            values.extend(suite.references.iter().map(|r| rust(r.id)));
            values.push(match w.go {
                Some(g) => Cell::or_missing(summary.go.get(g).copied()),
                None => Cell::Absent,
            });
            Row {
                label: w.name.to_string(),
                values,
            }
        })
        .collect();
    let peers: Vec<&str> = suite.peers.iter().map(|p| p.label).collect();
    BarChart {
        title: format!(
            "{}: {} vs {} and Go's {}",
            suite.title,
            suite.ours.label,
            peers.join(", "),
            suite.go_type
        ),
        subtitle: "Median time per operation (log scale, lower is better); whiskers: fastest \
                   to slowest sample (Rust: criterion samples; Go: -count runs)."
            .to_string(),
        footer: footer(summary),
        x_desc: "time per operation (log scale)".to_string(),
        series,
        rows,
        scale: Scale::Log,
    }
}

fn false_sharing_chart(summary: &Summary) -> BarChart {
    let color = |layout| match layout {
        Layout::SameLine => RGBColor(204, 51, 41),
        Layout::Apart64 => RGBColor(238, 176, 62),
        Layout::Apart128 => RGBColor(68, 118, 178),
        Layout::Shipped => RGBColor(46, 150, 90),
    };
    let series = Layout::ALL.iter().map(|&l| Series {
        label: l.label().to_string(),
        color: color(l),
    });
    let rows = FALSE_SHARING
        .iter()
        .map(|fs| Row {
            label: format!("{} ({})", fs.label, fs.krate),
            values: Layout::ALL
                .iter()
                .map(|&l| match fs.entries.iter().find(|e| e.layout == l) {
                    Some(e) => Cell::or_missing(
                        summary
                            .rust
                            .get(&format!("{}/{}", fs.group, e.function))
                            .copied(),
                    ),
                    None => Cell::Absent,
                })
                .collect(),
        })
        .collect();
    BarChart {
        title: "False sharing: 2 threads, each on its own object, both in one array".to_string(),
        subtitle: "Median time per operation (lower is better); whiskers: fastest to slowest \
                   criterion sample."
            .to_string(),
        footer: footer(summary),
        x_desc: "time per operation".to_string(),
        series: series.collect(),
        rows,
        scale: Scale::Linear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::Measurement;

    /// A summary with every result the suites declare, and Go's.
    fn full_summary() -> Summary {
        let mut s = Summary::default();
        s.meta.push(("mode".into(), "quick".into()));
        s.meta
            .push(("date".into(), "2026-01-01 00:00:00 UTC".into()));
        s.meta.push(("nproc".into(), "2".into()));
        let mut v = 0.3;
        let mut next = || {
            v *= 1.9;
            Measurement {
                median: v,
                min: v * 0.9,
                max: v * 1.2,
                samples: 10,
            }
        };
        for suite in CRATES {
            for w in suite.workloads {
                for i in std::iter::once(&suite.ours)
                    .chain(suite.peers)
                    .chain(suite.references)
                    .filter(|i| suite.expresses(w.group, i.id))
                {
                    s.rust.insert(format!("{}/{}", w.group, i.id), next());
                }
                if let Some(g) = w.go {
                    s.go.insert(
                        g.to_string(),
                        Measurement {
                            samples: 3,
                            ..next()
                        },
                    );
                }
            }
            for c in suite.calibrations {
                s.rust.insert(c.rust.to_string(), next());
                if let Some(g) = c.go {
                    s.go.insert(
                        g.to_string(),
                        Measurement {
                            samples: 3,
                            ..next()
                        },
                    );
                }
            }
        }
        for fs in FALSE_SHARING {
            for e in fs.entries {
                s.rust
                    .insert(format!("{}/{}", fs.group, e.function), next());
            }
        }
        s
    }

    #[test]
    fn renders_page_and_charts() {
        let dir = std::env::temp_dir().join(format!("gosync-report-render-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let results = dir.join("RESULTS.md");
        let charts = dir.join("charts");
        let summary = full_summary();
        let problems = write_report(
            &summary,
            results.to_str().unwrap(),
            charts.to_str().unwrap(),
        )
        .unwrap();
        assert_eq!(problems, Vec::<String>::new());
        let page = fs::read_to_string(&results).unwrap();
        assert!(page.contains("| workload (criterion group)"), "{page}");
        assert!(page.contains("gosync / best peer"));
        assert!(page.contains("Go: median (min–max) of 3 `-count` runs."));
        assert!(page.contains("`FalseSharingAddDone/raw_unpadded`"));
        assert!(page.contains("Quick mode"));
        assert!(!page.contains("n/a"));
        for stem in CRATES.iter().map(|s| s.chart).chain(["false_sharing"]) {
            let png = fs::read(charts.join(format!("{stem}.png"))).unwrap();
            assert_eq!(&png[1..4], b"PNG");
            let svg = fs::read_to_string(charts.join(format!("{stem}.svg"))).unwrap();
            assert!(svg.starts_with("<svg"));
        }

        // Go not run, a Rust result missing: still written, with problems.
        let mut partial = summary.clone();
        partial.go.clear();
        partial
            .meta
            .push(("go_status".into(), "Go: NOT RUN".into()));
        partial.rust.remove("WaitGroupWait/gosync");
        let problems = write_report(
            &partial,
            results.to_str().unwrap(),
            charts.to_str().unwrap(),
        )
        .unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let page = fs::read_to_string(&results).unwrap();
        assert!(page.contains("**Go: NOT RUN**"));
        assert!(page.contains("## Problems"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
