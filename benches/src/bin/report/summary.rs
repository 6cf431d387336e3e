//! The summary: every number of one benchmark run, in one small TSV file.
//!
//! `report collect` builds it from criterion's output directory and the raw
//! output of `go test -bench`; `report render` reads it back and writes
//! `RESULTS.md` and the charts. The file (`benches/RESULTS.tsv`) is kept
//! next to `RESULTS.md`, so the report can be re-rendered without rerunning
//! the benchmarks.
//!
//! Format: `#` lines are comments; every other line is tab-separated:
//!
//! ```text
//! meta      <key>                     <value>
//! rust      <criterion id>            <median> <min> <max> <samples>
//! go        <Go benchmark name>       <median> <min> <max> <runs>
//! ```
//!
//! Times are nanoseconds per operation. For Rust, `median` is criterion's
//! median estimate (`new/estimates.json`) and `min`/`max` the fastest and the
//! slowest sample (`new/sample.json`: each sample's time divided by its
//! iteration count). For Go, all three are taken over the `-count` runs; the
//! Go name drops the `Benchmark` prefix and the `-GOMAXPROCS` suffix.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::Result;

/// One benchmark's time per operation, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measurement {
    /// The median (see the module docs for what it is the median of).
    pub(crate) median: f64,
    /// The fastest sample or run.
    pub(crate) min: f64,
    /// The slowest sample or run.
    pub(crate) max: f64,
    /// How many samples (criterion) or runs (Go) the numbers come from.
    pub(crate) samples: usize,
}

impl Measurement {
    /// Median, min and max of `values` (at least one).
    pub(crate) fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Self {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            samples: n,
        })
    }
}

/// Everything one run measured, plus its metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Summary {
    /// `key = value` facts about the run (machine, toolchains, duration...),
    /// in the order `report.sh` gave them.
    pub(crate) meta: Vec<(String, String)>,
    /// Criterion results by id (`group/function`).
    pub(crate) rust: BTreeMap<String, Measurement>,
    /// Go results by benchmark name (`WaitGroupAddDone`).
    pub(crate) go: BTreeMap<String, Measurement>,
}

impl Summary {
    /// The value of a `meta` key.
    pub(crate) fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Writes the TSV form (see the module docs).
    pub(crate) fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# gosync benchmark summary, written by `report collect` (benches/report.sh).\n\
             # Nanoseconds per operation. rust: criterion's median estimate, fastest and\n\
             # slowest sample; go: median, fastest and slowest of the -count runs.\n\
             # kind\tid\tmedian_ns\tmin_ns\tmax_ns\tsamples\n",
        );
        for (key, value) in &self.meta {
            let _ = writeln!(out, "meta\t{}\t{}", clean(key), clean(value));
        }
        for (kind, map) in [("rust", &self.rust), ("go", &self.go)] {
            for (id, m) in map {
                let _ = writeln!(
                    out,
                    "{kind}\t{}\t{}\t{}\t{}\t{}",
                    clean(id),
                    m.median,
                    m.min,
                    m.max,
                    m.samples
                );
            }
        }
        out
    }

    /// Parses the TSV form.
    pub(crate) fn from_tsv(text: &str) -> Result<Self> {
        let mut summary = Self::default();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || format!("summary line {}: cannot parse {line:?}", index + 1);
            match fields.as_slice() {
                ["meta", key, value] => summary.meta.push((key.to_string(), value.to_string())),
                [kind @ ("rust" | "go"), id, median, min, max, samples] => {
                    let number = |s: &str| s.parse::<f64>().map_err(|_| bad());
                    let m = Measurement {
                        median: number(median)?,
                        min: number(min)?,
                        max: number(max)?,
                        samples: samples.parse().map_err(|_| bad())?,
                    };
                    let map = if *kind == "rust" {
                        &mut summary.rust
                    } else {
                        &mut summary.go
                    };
                    map.insert(id.to_string(), m);
                }
                _ => return Err(bad().into()),
            }
        }
        Ok(summary)
    }
}

/// A field without the tabs and newlines that would break the format.
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Reads every criterion result under `root` that was written at or after
/// `since` (older ones are left over from earlier runs and skipped), by id:
/// the path from `root` to the `new/` directory, `group/function`.
///
/// Returns the results and the ids of the stale ones.
pub(crate) fn read_criterion(
    root: &Path,
    since: SystemTime,
) -> Result<(BTreeMap<String, Measurement>, Vec<String>)> {
    let mut found = BTreeMap::new();
    let mut stale = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let estimates = dir.join("new").join("estimates.json");
        if estimates.is_file() {
            let id = dir
                .strip_prefix(root)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            // A second of slack: some filesystems keep whole-second mtimes.
            let fresh = fs::metadata(&estimates)?.modified()? + Duration::from_secs(1) >= since;
            if fresh {
                found.insert(id, read_criterion_result(&dir.join("new"))?);
            } else {
                stale.push(id);
            }
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if dir == root => return Err(format!("{}: {e}", root.display()).into()),
            Err(_) => continue,
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            // `report` is criterion's HTML report; `base`/`new`/`change` hold
            // the data of the directory above.
            if entry.file_type()?.is_dir()
                && !matches!(name.to_str(), Some("report" | "new" | "base" | "change"))
            {
                stack.push(entry.path());
            }
        }
    }
    Ok((found, stale))
}

/// One criterion function's `new/` directory: the median estimate and the
/// per-iteration time of the fastest and slowest sample.
fn read_criterion_result(new_dir: &Path) -> Result<Measurement> {
    let read = |name: &str| -> Result<serde_json::Value> {
        let path = new_dir.join(name);
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()).into())
    };
    let estimates = read("estimates.json")?;
    let median = estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median.point_estimate", new_dir.display()))?;
    let sample = read("sample.json")?;
    let numbers = |key: &str| -> Vec<f64> {
        sample[key]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
            .unwrap_or_default()
    };
    let per_iter: Vec<f64> = numbers("times")
        .iter()
        .zip(numbers("iters"))
        .filter(|(_, iters)| *iters > 0.0)
        .map(|(time, iters)| time / iters)
        .collect();
    let spread = Measurement::of(&per_iter)
        .ok_or_else(|| format!("{}: sample.json has no samples", new_dir.display()))?;
    Ok(Measurement { median, ..spread })
}

/// Go's results from the raw output of `go test -bench` (any number of
/// `-count` runs): median, min and max ns/op per benchmark.
pub(crate) fn parse_go_output(text: &str) -> BTreeMap<String, Measurement> {
    let mut runs: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let Some(name) = fields.next().and_then(|n| n.strip_prefix("Benchmark")) else {
            continue;
        };
        // `-2` at the end is GOMAXPROCS (`-cpu 2`).
        let name = match name.rsplit_once('-') {
            Some((base, procs)) if procs.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => name,
        };
        // Then the iteration count, then value-unit pairs.
        let Some(Ok(_iterations)) = fields.next().map(str::parse::<u64>) else {
            continue;
        };
        let rest: Vec<&str> = fields.collect();
        for pair in rest.chunks(2) {
            if let [value, "ns/op"] = pair {
                if let Ok(v) = value.parse::<f64>() {
                    runs.entry(name.to_string()).or_default().push(v);
                }
            }
        }
    }
    runs.into_iter()
        .filter_map(|(name, v)| Some((name, Measurement::of(&v)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_max() {
        let m = Measurement::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((m.median, m.min, m.max, m.samples), (2.0, 1.0, 3.0, 3));
        let m = Measurement::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!((m.median, m.min, m.max, m.samples), (2.5, 1.0, 4.0, 4));
        assert!(Measurement::of(&[]).is_none());
    }

    #[test]
    fn go_output() {
        let text = "goos: linux\n\
            pkg: gosyncbench\n\
            BenchmarkWaitGroupWait-2   \t450045026\t         2.355 ns/op\n\
            BenchmarkWaitGroupWait-2   \t450045026\t         2.5 ns/op\n\
            BenchmarkWaitGroupWait-2   \t450045026\t         2.0 ns/op\n\
            BenchmarkLocalWorkOnly     \t54236456\t        22.95 ns/op\t  0 B/op\n\
            BenchmarkWakeParked-2 \t 1000 \t 51000 ns/op \t 18020 wake-ns/op\n\
            BenchmarkBroken-2 --- FAIL\n\
            PASS\n\
            ok  \tgosyncbench\t75.347s\n";
        let go = parse_go_output(text);
        assert_eq!(go.len(), 3);
        let wait = go["WaitGroupWait"];
        assert_eq!(
            (wait.median, wait.min, wait.max, wait.samples),
            (2.355, 2.0, 2.5, 3)
        );
        assert_eq!(go["LocalWorkOnly"].median, 22.95);
        assert_eq!(go["WakeParked"].median, 51000.0);
    }

    #[test]
    fn tsv_round_trip() {
        let mut s = Summary::default();
        s.meta.push(("mode".into(), "full".into()));
        s.meta.push(("cpu".into(), "Intel(R)\tXeon".into()));
        let m = Measurement {
            median: 0.1 + 0.2,
            min: 1e-3,
            max: 4.5e4,
            samples: 25,
        };
        s.rust.insert("Group/function".into(), m);
        s.go.insert("Group".into(), Measurement { samples: 5, ..m });
        let back = Summary::from_tsv(&s.to_tsv()).unwrap();
        assert_eq!(back.meta("cpu"), Some("Intel(R) Xeon"));
        assert_eq!(back.rust, s.rust);
        assert_eq!(back.go, s.go);
        assert!(Summary::from_tsv("rust\tx\t1\t2\n").is_err());
    }

    #[test]
    fn criterion_directory() {
        let root = std::env::temp_dir().join(format!("gosync-report-test-{}", std::process::id()));
        let new = root.join("Group").join("function").join("new");
        fs::create_dir_all(&new).unwrap();
        fs::create_dir_all(root.join("report")).unwrap();
        fs::write(
            new.join("estimates.json"),
            r#"{"mean":{"point_estimate":5.0},"median":{"point_estimate":4.5}}"#,
        )
        .unwrap();
        fs::write(
            new.join("sample.json"),
            r#"{"sampling_mode":"Flat","iters":[10.0,10.0,10.0],"times":[30.0,45.0,80.0]}"#,
        )
        .unwrap();
        let (found, stale) = read_criterion(&root, SystemTime::UNIX_EPOCH).unwrap();
        assert!(stale.is_empty());
        let m = found["Group/function"];
        assert_eq!((m.median, m.min, m.max, m.samples), (4.5, 3.0, 8.0, 3));
        let later = SystemTime::now() + Duration::from_secs(3600);
        let (found, stale) = read_criterion(&root, later).unwrap();
        assert!(found.is_empty());
        assert_eq!(stale, ["Group/function"]);
        fs::remove_dir_all(&root).unwrap();
    }
}
