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

# name | file | exact text | replacement | model::test that must fail
# Every test of every loom model appears at least once in the last column.
mutations=(
  "add-no-release|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Acquire)|loom_done_before_wait::done_happens_before_wait_returns_on_the_fast_path"
  "add-no-acquire|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Release)|loom_done_before_wait::done_happens_before_wait_returns"
  "bump-relaxed|waitgroup/src/futex.rs|fetch_add(1, Ordering::Release)|fetch_add(1, Ordering::Relaxed)|loom_reuse::second_round_after_first_wait"
  "timeout-reload-relaxed|waitgroup/src/raw.rs|break self.epoch.load(Ordering::Acquire) != epoch;|break self.epoch.load(Ordering::Relaxed) != epoch;|loom_wait_timeout::timeout_races_done"
  "timeout-keeps-registration|waitgroup/src/raw.rs|self.state.fetch_sub(1, Ordering::Relaxed);\n        released|if released { self.state.fetch_sub(1, Ordering::Relaxed); }\n        released|loom_wait_timeout::timeout_races_done"
  "epoch-read-after-register|waitgroup/src/raw.rs|Ok(_) => break,|Ok(_) => { epoch = self.epoch.load(Ordering::Acquire); break }|loom_no_lost_wakeup::two_waiters_one_done"
  "epoch-read-after-register|waitgroup/src/raw.rs|Ok(_) => break,|Ok(_) => { epoch = self.epoch.load(Ordering::Acquire); break }|loom_no_lost_wakeup::waiter_and_two_dones_on_two_threads"
  "async-first-poll-relaxed|waitgroup/src/wait_async.rs|let state = self.state.load(Ordering::Acquire);\n        if counter(state) == 0 {|let state = self.state.load(Ordering::Relaxed);\n        if counter(state) == 0 {|loom_async_done_before_wait::done_happens_before_wait_async_returns_on_the_fast_path"
  "async-register-no-acquire|waitgroup/src/wait_async.rs|                Ordering::AcqRel,\n                Ordering::Acquire,\n            ) {\n                Ok(_) => break,|                Ordering::AcqRel,\n                Ordering::Relaxed,\n            ) {\n                Ok(_) => break,|loom_async_done_before_wait::done_happens_before_wait_async_returns"
  "async-recheck-skipped|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|if false {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|loom_async_no_lost_wakeup::waiter_registered_concurrently_with_the_last_done"
  "async-recheck-skipped|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|if false {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|loom_async_no_lost_wakeup::async_and_blocking_waiters_with_one_done"
  "async-repoll-never-released|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            let old = slab.remove(slot);|if false {\n            let old = slab.remove(slot);|loom_async_no_lost_wakeup::released_then_re_added_before_the_next_poll"
)

failed=0
for m in "${mutations[@]}"; do
  IFS='|' read -r name file from to target <<<"$m"
  model="${target%%::*}" test="${target#*::}"
  cp "$root/$file" "$scratch/$file"
  python3 - "$scratch/$file" "$from" "$to" <<'PY' || { echo "$name: pattern not found"; failed=1; continue; }
import sys
path, old, new = (a.replace("\\n", "\n") for a in sys.argv[1:])
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
  elif (cd "$scratch" && cargo test --release -q -p gosync-waitgroup --test "$model" -- --exact "$test" >"$scratch/$name.log" 2>&1); then
    # A name that matches no test also "passes": say which it was.
    ran=$(grep -oE "[0-9]+ passed" "$scratch/$name.log" | head -n 1)
    echo "SURVIVED  $name: $target still passes with this weakening (${ran:-?})"
    failed=1
  else
    reason=$(grep -m1 -oiE "causality violation[^.]*|deadlock[^.]*|assertion[^:]*failed[^\n]*|[a-z ]*spurious[^.]*" "$scratch/$name.log")
    echo "killed    $name: $target fails (${reason:-see log})"
  fi
  cp "$root/$file" "$scratch/$file"
done
exit "$failed"
