#!/usr/bin/env bash
# Shows that each loom model can fail: applies one deliberate weakening at a
# time to a scratch copy of the workspace and checks that the named model
# then FAILS. Prints one line per mutation; exits non-zero if any weakened
# build still passes its model (that model would be proving nothing).
#
#   waitgroup/loom-mutations.sh            all mutations (~10 min on 2 cores)
#
# The repository itself is never modified.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && xargs -0 cp --parents -t "$scratch")
# Share compiled dependencies with the normal loom runs.
export CARGO_TARGET_DIR="$root/target/loom-mutations"
export RUSTFLAGS="--cfg gosync_loom" LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"

# name | file | exact text | replacement | model that must fail
mutations=(
  "add-no-release|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Acquire)|loom_done_before_wait"
  "add-no-acquire|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Release)|loom_done_before_wait"
  "bump-relaxed|waitgroup/src/futex.rs|fetch_add(1, Ordering::Release)|fetch_add(1, Ordering::Relaxed)|loom_reuse"
  "timeout-reload-relaxed|waitgroup/src/raw.rs|break self.epoch.load(Ordering::Acquire) != epoch;|break self.epoch.load(Ordering::Relaxed) != epoch;|loom_wait_timeout"
  "epoch-read-after-register|waitgroup/src/raw.rs|Ok(_) => break,|Ok(_) => { epoch = self.epoch.load(Ordering::Acquire); break }|loom_no_lost_wakeup"
)

failed=0
for m in "${mutations[@]}"; do
  IFS='|' read -r name file from to model <<<"$m"
  cp "$root/$file" "$scratch/$file"
  python3 - "$scratch/$file" "$from" "$to" <<'PY' || { echo "$name: pattern not found"; failed=1; continue; }
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if old not in text:
    sys.exit(1)
if "epoch = self.epoch" in new:
    text = text.replace("let epoch = self.epoch.load", "let mut epoch = self.epoch.load")
open(path, "w").write(text.replace(old, new, 1))
PY
  if ! (cd "$scratch" && cargo test --release -q -p gosync-waitgroup --test "$model" --no-run >"$scratch/$name.log" 2>&1); then
    echo "BROKEN    $name: the weakened build does not compile"; sed -n 1,20p "$scratch/$name.log"
    failed=1
  elif (cd "$scratch" && cargo test --release -q -p gosync-waitgroup --test "$model" >"$scratch/$name.log" 2>&1); then
    echo "SURVIVED  $name: $model still passes with this weakening"
    failed=1
  else
    reason=$(grep -m1 -oiE "causality violation[^.]*|deadlock[^.]*|assertion[^:]*failed[^\n]*|[a-z ]*spurious[^.]*" "$scratch/$name.log")
    echo "killed    $name: $model fails (${reason:-see log})"
  fi
  cp "$root/$file" "$scratch/$file"
done
exit "$failed"
