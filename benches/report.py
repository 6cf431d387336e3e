#!/usr/bin/env python3
"""Builds the results table of benches/run.sh.

Reads criterion's median estimates (target/criterion/<group>/<fn>/new/
estimates.json) and the raw output of `go test -bench`, prints the table and
writes benches/RESULTS-waitgroup.md.

Usage: report.py --criterion DIR --since EPOCH_SECONDS --go-output FILE|"" \
                 --out FILE --mode full|quick --elapsed SECONDS --machine FILE
"""

import argparse
import json
import os
import re
import statistics
import sys

# (Go benchmark name without "BenchmarkWaitGroup", criterion group)
WORKLOADS = [
    ("Uncontended", "WaitGroupUncontended"),
    ("AddDone", "WaitGroupAddDone"),
    ("AddDoneWork", "WaitGroupAddDoneWork"),
    ("Wait", "WaitGroupWait"),
    ("WaitWork", "WaitGroupWaitWork"),
    ("ActuallyWait", "WaitGroupActuallyWait"),
    ("ActuallyWaitSingle", "WaitGroupActuallyWaitSingle"),
    ("WakeLatency", "WaitGroupWakeLatency"),
    ("WakeLatencyParked", "WaitGroupWakeLatencyParked"),
]
IMPLS = ["gosync", "crossbeam", "mutex_condvar"]

FALSE_SHARING = [
    ("FalseSharingAddDone", "gosync_padded128", "shipped gosync WaitGroup, 128-byte slots"),
    ("FalseSharingAddDone", "raw_unpadded", "same code, unpadded (16 bytes apart, one 64-byte line)"),
    ("FalseSharingAddDone", "raw_padded64", "same code, 64 bytes apart"),
    ("FalseSharingAddDone", "raw_padded128", "same code, 128 bytes apart"),
    ("FalseSharingAtomic", "shared_line", "bare AtomicU64 fetch_add, same line"),
    ("FalseSharingAtomic", "padded64", "bare AtomicU64 fetch_add, 64 bytes apart"),
    ("FalseSharingAtomic", "padded128", "bare AtomicU64 fetch_add, 128 bytes apart (CachePadded)"),
]


def criterion_median(root, since, group, function, problems):
    path = os.path.join(root, group, function, "new", "estimates.json")
    try:
        if os.path.getmtime(path) < since:
            problems.append(f"stale (not from this run): {path}")
            return None
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        problems.append(f"missing: {path}")
        return None


def go_medians(path):
    """Median ns/op per benchmark name over the -count runs."""
    runs = {}
    if not path or not os.path.exists(path):
        return runs
    line_re = re.compile(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+(.*)$")
    with open(path) as f:
        for line in f:
            m = line_re.match(line.strip())
            if not m:
                continue
            fields = m.group(2).split()
            for value, unit in zip(fields[::2], fields[1::2]):
                if unit == "ns/op":
                    runs.setdefault(m.group(1), []).append(float(value))
    return {name: (statistics.median(v), len(v)) for name, v in runs.items()}


def fmt_ns(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    if ns >= 100:
        return f"{ns:.0f} ns"
    if ns >= 10:
        return f"{ns:.1f} ns"
    return f"{ns:.2f} ns"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    r = a / b
    if r >= 10:
        return f"{r:.1f}"
    if r >= 0.1:
        return f"{r:.2f}"
    return f"{r:.3f}"


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    def line(r):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--criterion", required=True)
    ap.add_argument("--since", type=float, required=True)
    ap.add_argument("--go-output", default="")
    ap.add_argument("--go-status", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", default="full")
    ap.add_argument("--elapsed", default="?")
    ap.add_argument("--machine", required=True)
    args = ap.parse_args()

    problems = []
    go = go_medians(args.go_output)
    go_counts = sorted({n for _, n in go.values()})

    rows = []
    for go_name, group in WORKLOADS:
        med = {i: criterion_median(args.criterion, args.since, group, i, problems) for i in IMPLS}
        g = go.get("WaitGroup" + go_name, (None, 0))[0]
        rows.append([
            f"{go_name} (`{group}`)",
            fmt_ns(med["gosync"]),
            fmt_ns(med["crossbeam"]),
            fmt_ns(med["mutex_condvar"]),
            fmt_ns(g),
            fmt_ratio(med["gosync"], med["crossbeam"]),
            fmt_ratio(med["gosync"], g),
        ])
    main_table = table(
        ["workload (Go name, criterion group)", "gosync", "crossbeam", "mutex+condvar", "Go",
         "ratio gosync/crossbeam", "ratio gosync/Go"],
        rows,
    )
    work_rust = criterion_median(args.criterion, args.since, "LocalWorkOnly", "rust", problems)
    work_go = go.get("LocalWorkOnly", (None, 0))[0]
    work_line = (f"Local work alone (`LocalWorkOnly`, calibration for the ...Work rows): "
                 f"Rust {fmt_ns(work_rust)}, Go {fmt_ns(work_go)} per op.")

    fs = {}
    fs_rows = []
    for group, function, what in FALSE_SHARING:
        fs[function] = criterion_median(args.criterion, args.since, group, function, problems)
    base_wg = fs["raw_padded128"]
    base_atomic = fs["padded128"]
    for group, function, what in FALSE_SHARING:
        base = base_wg if group == "FalseSharingAddDone" else base_atomic
        base_name = "raw_padded128" if group == "FalseSharingAddDone" else "padded128"
        fs_rows.append([f"`{group}/{function}`", what, fmt_ns(fs[function]),
                        f"{fmt_ratio(fs[function], base)} × {base_name}"])
    fs_table = table(["criterion id", "layout", "median per op", "ratio"], fs_rows)
    fs_summary = [
        f"- unpadded / shipped padded gosync: "
        f"**{fmt_ratio(fs['raw_unpadded'], fs['gosync_padded128'])}×**",
        f"- unpadded / re-padded to 128: "
        f"**{fmt_ratio(fs['raw_unpadded'], fs['raw_padded128'])}×**"
        f" (64-byte spacing: {fmt_ratio(fs['raw_padded64'], fs['raw_padded128'])}×)",
        f"- re-padded to 128 / shipped gosync (≈ 1: the same code, only the layout differs): "
        f"{fmt_ratio(fs['raw_padded128'], fs['gosync_padded128'])}×",
        f"- calibration, bare atomics same line / 128 apart: "
        f"**{fmt_ratio(fs['shared_line'], fs['padded128'])}×**"
        f" (64 apart: {fmt_ratio(fs['padded64'], fs['padded128'])}×)",
    ]

    with open(args.machine) as f:
        machine = f.read().strip()

    go_note = args.go_status or (
        f"Go: median of {', '.join(map(str, go_counts))} `-count` runs." if go else "Go: not run.")
    text = "\n".join([
        "# WaitGroup benchmark results",
        "",
        f"Written by `benches/run.sh` ({args.mode} mode). Median time per operation; "
        "for the parallel workloads that is wall time over the operations of both "
        "threads, as Go's `RunParallel` reports it. Ratios below 1 mean gosync is faster. "
        "See `benches/README.md` for what each workload measures. This is a shared, "
        "noisy 2-vCPU VM: read the ratios of numbers measured side by side, not the "
        "absolute values.",
        "",
        "## Machine",
        "",
        machine,
        "",
        "## WaitGroup workloads",
        "",
        main_table,
        "",
        work_line,
        "",
        go_note,
        "",
        "Reading notes (details in `benches/README.md`): the `...Work` rows include the local "
        "work, which costs more in Rust than in Go (Go's compiler deletes its arithmetic; see "
        "the calibration line). `ActuallyWait` runs 4 OS threads on 2 cores in Rust but "
        "goroutines on 2 Ps in Go, so its Go ratio compares mechanisms; "
        "`ActuallyWaitSingle` is the same with one waiter and one helper, not oversubscribed. `WakeLatency` and "
        "`WakeLatencyParked` depend on where the scheduler puts the two threads and on how "
        "fast the VM wakes an idle vCPU (30-50 µs when the waiter's vCPU has gone idle, "
        "~1-3 µs for an ordinary context switch, ~0.15 µs when a spinning waiter just sees "
        "the done); which mix a run gets varies, so these rows (and `ActuallyWait`) can move "
        "10-300x between runs. Rerun before trusting one run's ratio there.",
        "",
        "## False sharing (2 threads, each on its own group, the two groups in one array)",
        "",
        fs_table,
        "",
        *fs_summary,
        "",
        f"Whole run (`benches/run.sh`, {args.mode} mode): {args.elapsed}.",
    ])
    if problems:
        text += "\n\n## Problems\n\n" + "\n".join(f"- {p}" for p in problems)
    text += "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
