#!/usr/bin/env bash
# Compatibility name for benches/report.sh, the one command for the benchmark
# report (RESULTS.md, RESULTS.tsv and the charts). Same arguments: [--quick].
exec "$(dirname "${BASH_SOURCE[0]}")/report.sh" "$@"
