#!/usr/bin/env bash
# Shows that each loom model of gosync-waitgroup can fail: applies one
# deliberate weakening at a time to a scratch copy of the workspace and
# checks that the named model then FAILS (driver:
# scripts/loom-mutations-driver.sh, which every crate's script shares).
#
#   waitgroup/loom-mutations.sh          all mutations (~10 min on 2 cores)
#   waitgroup/loom-mutations.sh NAME...  only the named mutations
package=gosync-waitgroup
# name | file | exact text (\n for newlines) | replacement | model::test that must fail [| file2 | text2 | replacement2]
# Every test of every loom model appears at least once in the last column.
mutations=(
  "add-no-release|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Acquire)|loom_done_before_wait::done_happens_before_wait_returns_on_the_fast_path"
  "add-no-acquire|waitgroup/src/raw.rs|fetch_add(increment, Ordering::AcqRel)|fetch_add(increment, Ordering::Release)|loom_done_before_wait::done_happens_before_wait_returns"
  "bump-relaxed|waitgroup/src/futex.rs|fetch_add(1, Ordering::Release)|fetch_add(1, Ordering::Relaxed)|loom_reuse::second_round_after_first_wait"
  "timeout-reload-relaxed|waitgroup/src/raw.rs|break self.epoch.load(Ordering::Acquire) != epoch;|break self.epoch.load(Ordering::Relaxed) != epoch;|loom_wait_timeout::timeout_races_done"
  "timeout-keeps-registration|waitgroup/src/raw.rs|self.state.fetch_sub(1, Ordering::Relaxed);\n        released|if released { self.state.fetch_sub(1, Ordering::Relaxed); }\n        released|loom_wait_timeout::timeout_races_done"
  "epoch-read-after-register|waitgroup/src/raw.rs|Ok(_) => break,|Ok(_) => { epoch = self.epoch.load(Ordering::Acquire); break }|loom_no_lost_wakeup::two_waiters_one_done|waitgroup/src/raw.rs|let epoch = self.epoch.load|let mut epoch = self.epoch.load"
  "epoch-read-after-register|waitgroup/src/raw.rs|Ok(_) => break,|Ok(_) => { epoch = self.epoch.load(Ordering::Acquire); break }|loom_no_lost_wakeup::waiter_and_two_dones_on_two_threads|waitgroup/src/raw.rs|let epoch = self.epoch.load|let mut epoch = self.epoch.load"
  "async-first-poll-relaxed|waitgroup/src/wait_async.rs|let state = self.state.load(Ordering::Acquire);\n        if counter(state) == 0 {|let state = self.state.load(Ordering::Relaxed);\n        if counter(state) == 0 {|loom_async_done_before_wait::done_happens_before_wait_async_returns_on_the_fast_path"
  "async-register-no-acquire|waitgroup/src/wait_async.rs|                Ordering::AcqRel,\n                Ordering::Acquire,\n            ) {\n                Ok(_) => break,|                Ordering::AcqRel,\n                Ordering::Relaxed,\n            ) {\n                Ok(_) => break,|loom_async_done_before_wait::done_happens_before_wait_async_returns"
  "async-recheck-skipped|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|if false {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|loom_async_no_lost_wakeup::waiter_registered_concurrently_with_the_last_done"
  "async-recheck-skipped|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|if false {\n            drop(slab);\n            self.deregister_async();\n            return Stage::Finished;|loom_async_no_lost_wakeup::async_and_blocking_waiters_with_one_done"
  "async-repoll-never-released|waitgroup/src/wait_async.rs|if self.epoch.load(Ordering::Acquire) != epoch {\n            let old = slab.remove(slot);|if false {\n            let old = slab.remove(slot);|loom_async_no_lost_wakeup::released_then_re_added_before_the_next_poll"
)
source "$(dirname "$0")/../scripts/loom-mutations-driver.sh"
