#!/usr/bin/env bash
# Everything CI checks, in order; stops at the first failure.
#
#   ./test.sh            all stages
#   ./test.sh loom       one stage (fmt, clippy, test, doc, package, asm, loom, emulated, miri, tsan, msrv)
#   ./test.sh mutations  every crate's loom-mutations.sh: fails if a weakened
#                        build still passes its model. Not in the default
#                        run (about 1.5 hours on 2 cores, past CI's budget):
#                        run it after touching a loom model or an ordering.
#
# Loom: every crate's tests/loom_*.rs, in release mode, with
# LOOM_MAX_PREEMPTIONS (default 3). One model alone:
#   RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_reuse
set -euo pipefail
cd "$(dirname "$0")"

LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
MSRV="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
# Crates with loom models / Miri-checked tests; later crates append here.
CRATES=(gosync-waitgroup gosync-atomic-value gosync-concurrent-map gosync-channel)

stage() { printf '\n==> %s\n' "$*"; }

# A stage whose toolchain could not be installed. On a developer's machine
# that is a loud skip; in CI (CI=true) it fails the run, so that CI never
# passes on a check it did not make.
cannot_run() {
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  echo "$1 SKIPPED: $2"
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  if [ "${CI:-}" = true ]; then
    echo "CI=true: a stage that cannot run fails the run"
    return 1
  fi
}

# Every test runner's output is also appended here, to total the results.
RESULTS_LOG="$(mktemp)"
trap 'rm -f "$RESULTS_LOG"' EXIT
counted() { "$@" 2>&1 | tee -a "$RESULTS_LOG"; }
since() { echo "    ($(( SECONDS - $1 ))s)"; }

# benches/ is a workspace of its own (its .cargo/config.toml sets the
# benchmark-only cfg, gosync_bench): the stages below check it from there.
in_benches() { (cd benches && "$@"); }

run_fmt() {
  stage "rustfmt"
  cargo fmt --all -- --check
  in_benches cargo fmt -- --check
}

run_clippy() {
  stage "clippy (-D warnings)"
  cargo clippy --workspace --all-targets -- -D warnings
  stage "clippy (-D warnings): the benches workspace (--cfg gosync_bench)"
  in_benches cargo clippy --locked --all-targets -- -D warnings
}

run_test() {
  stage "tests: unit, integration, doctests"
  counted cargo test --workspace
  stage "tests: the benches workspace (its harness, the report)"
  in_benches counted cargo test --locked
}

run_doc() {
  stage "rustdoc (-D warnings)"
  RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
}

run_package() {
  stage "cargo package: the four crates and the facade, each built from its .crate file"
  # One command for all five, so that cargo verifies each against the
  # others' packaged sources (a local registry overlay) rather than against
  # crates.io, where they are not yet published. --allow-dirty: this checks
  # what can be published, not whether the tree is committed.
  cargo package --allow-dirty -p gosync -p gosync-waitgroup -p gosync-atomic-value \
    -p gosync-concurrent-map -p gosync-channel
}

run_asm() {
  stage "asm snapshots of the hot paths (benches/asm): current and within budget"
  benches/asm/asm.sh --check
}

run_loom() {
  stage "loom models (LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS, release)"
  local crate dir model t
  for crate in "${CRATES[@]}"; do
    dir="$(cargo metadata --no-deps --format-version 1 |
      python3 -c "import json,sys,os; print(next(os.path.dirname(p['manifest_path']) for p in json.load(sys.stdin)['packages'] if p['name']=='$crate'))")"
    for model in "$dir"/tests/loom_*.rs; do
      [ -e "$model" ] || continue
      model="$(basename "$model" .rs)"
      t=$SECONDS
      echo "--- $crate --test $model"
      # A target dir of its own: the cfg changes every crate's fingerprint,
      # and sharing `target/` would rebuild the normal tree each time.
      RUSTFLAGS="--cfg gosync_loom" LOOM_MAX_PREEMPTIONS="$LOOM_MAX_PREEMPTIONS" \
        CARGO_TARGET_DIR=target/loom \
        counted cargo test --release -p "$crate" --test "$model"
      since "$t"
    done
  done
}

run_emulated() {
  stage "tests on the portable backends (futex emulation; symmetric SeqCst fences, no membarrier)"
  local crate
  for crate in "${CRATES[@]}"; do
    # gosync-channel has no portable backend to switch to.
    [ "$crate" = gosync-channel ] && continue
    RUSTFLAGS="--cfg gosync_futex_emulation --cfg gosync_portable_fences" \
      CARGO_TARGET_DIR=target/emulated \
      counted cargo test -p "$crate" --lib --tests
  done
}

run_miri() {
  stage "miri (strict provenance; tests marked cfg_attr(miri, ignore) skipped)"
  if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "    installing miri on the nightly toolchain"
    if ! rustup +nightly component add miri rust-src; then
      cannot_run MIRI "rustup could not install miri on the nightly toolchain"
      return
    fi
  fi
  local crate
  for crate in "${CRATES[@]}"; do
    MIRIFLAGS="-Zmiri-strict-provenance" CARGO_TARGET_DIR=target/miri \
      counted cargo +nightly miri test -p "$crate" --lib --tests
  done
}

run_tsan() {
  stage "ThreadSanitizer (nightly, -Zbuild-std; the proptest model is skipped: single-threaded)"
  if ! rustup +nightly component list --installed 2>/dev/null | grep -q '^rust-src'; then
    if ! rustup +nightly component add rust-src; then
      cannot_run TSAN "rustup could not install rust-src on the nightly toolchain"
      return
    fi
  fi
  local crate target
  target="$(rustc -vV | sed -n 's/^host: //p')"
  for crate in "${CRATES[@]}"; do
    RUSTFLAGS="-Zsanitizer=thread" TSAN_OPTIONS="halt_on_error=1" \
      CARGO_TARGET_DIR=target/tsan \
      counted cargo +nightly test -Zbuild-std --target "$target" -p "$crate" --lib --tests \
      -- --skip matches_a_counter --skip matches_an_option_model --skip matches_a_hashmap_model \
      --skip matches_a_vecdeque_model
  done
}

run_msrv() {
  stage "MSRV $MSRV: cargo check of the library crates"
  if ! rustup run "$MSRV" rustc --version >/dev/null 2>&1; then
    if ! rustup toolchain install "$MSRV" --profile minimal; then
      cannot_run MSRV "rustup could not install Rust $MSRV"
      return
    fi
  fi
  CARGO_TARGET_DIR=target/msrv cargo "+$MSRV" check --locked \
    -p gosync -p gosync-waitgroup -p gosync-atomic-value \
    -p gosync-concurrent-map -p gosync-channel
}

run_mutations() {
  stage "loom mutations: each crate's deliberate weakenings must fail their models"
  local script failed=0
  for script in */loom-mutations.sh; do
    echo "--- $script"
    "./$script" || failed=1
  done
  return "$failed"
}

STAGES=(fmt clippy test doc package asm loom emulated miri tsan msrv)
[ $# -gt 0 ] && STAGES=("$@")
start=$SECONDS
for s in "${STAGES[@]}"; do
  t=$SECONDS
  "run_$s"
  since "$t"
done
echo
echo "test.sh: all stages passed (${STAGES[*]}) in $(( SECONDS - start ))s"
# One closing line for every stage that ran tests (cargo's own summary
# lines are per test binary).
sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored.*/\1 \2 \3/p' "$RESULTS_LOG" |
  awk '{ p += $1; f += $2; i += $3 } END { if (NR) printf "summary: %d passed, %d failed, %d skipped\n", p, f, i }'

