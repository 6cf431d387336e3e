#!/usr/bin/env bash
# Shows that each loom model of gosync-concurrent-map can fail: applies one
# deliberate weakening at a time to a scratch copy of the workspace and
# checks that the named model then FAILS (driver: scripts/loom-mutations-driver.sh).
#
#   concurrent-map/loom-mutations.sh          all mutations (~2 min on 2 cores)
#   concurrent-map/loom-mutations.sh NAME...  only the named mutations
package=gosync-concurrent-map
src=concurrent-map/src
cell=atomic-value/src/cell.rs
cas_seqcst='            current.into_raw(),\n            replacement,\n            Ordering::SeqCst,\n            Ordering::SeqCst,'
cas_relaxed='            current.into_raw(),\n            replacement,\n            Ordering::Relaxed,\n            Ordering::Relaxed,'
# Under loom both hazard fences are SeqCst fences, and every lock-free write
# loads the snapshot first, whose light fence alone orders everything before
# it. So a weakened entry compare-exchange is shown together with the light
# fence reduced to what it is in the asymmetric (membarrier) mode, a
# compiler fence: there, the compare-exchange is the only edge. (Reducing
# the light fence alone leaves every write→read model passing: the
# compare-exchange then carries the edge by itself. Checked once, by hand.)
light_fence='    // Symmetric: pairs with the fence(SeqCst) in `heavy`.\n    fence(Ordering::SeqCst);'
light_compiler='    std::sync::atomic::compiler_fence(Ordering::SeqCst);'
fence_rs=atomic-value/src/fence.rs
# name | file | exact text (\n for newlines) | replacement | model::test that must fail
# Every test of every loom model appears at least once in the last column.
mutations=(
  "entry-cas-relaxed-light-fence-as-asymmetric|$cell|$cas_seqcst|$cas_relaxed|loom_write_then_read::store_to_a_present_key_happens_before_load|$fence_rs|$light_fence|$light_compiler"
  "entry-cas-relaxed-light-fence-as-asymmetric|$cell|$cas_seqcst|$cas_relaxed|loom_write_then_read::load_or_store_that_stored_happens_before_load|$fence_rs|$light_fence|$light_compiler"
  "entry-cas-relaxed-light-fence-as-asymmetric|$cell|$cas_seqcst|$cas_relaxed|loom_write_then_read::compare_and_swap_happens_before_load|$fence_rs|$light_fence|$light_compiler"
  "entry-cas-relaxed-light-fence-as-asymmetric|$cell|$cas_seqcst|$cas_relaxed|loom_write_then_read::delete_happens_before_load_and_delete_that_observes_it|$fence_rs|$light_fence|$light_compiler"
  "entry-cas-relaxed-light-fence-as-asymmetric|$cell|$cas_seqcst|$cas_relaxed|loom_range::range_concurrent_with_store_sees_a_valid_value|$fence_rs|$light_fence|$light_compiler"
  "store-skips-amended|$src/raw_map.rs|        if first_new_key {\n            snapshot.set_amended();|        if false {\n            snapshot.set_amended();|loom_write_then_read::store_of_a_new_key_happens_before_load"
  "load-or-store-not-atomic|$src/entry.rs|                    if self\n                        .value\n                        .compare_exchange(Seen::Empty, Some(Arc::clone(new)))\n                        .is_ok()\n                    {|                    if self.value.swap(Some(Arc::clone(new))).map(drop).is_none() {|loom_load_or_store::load_or_store_of_a_deleted_key_has_one_winner"
  "locked-load-or-store-ignores-dirty|$src/raw_map.rs|let outcome = entry.try_load_or_store(\&new);\n            leftovers.key|let outcome = LoadOrStore::Stored;\n            let _ = entry;\n            leftovers.key|loom_load_or_store::load_or_store_of_a_new_key_has_one_winner"
  "expunge-live-entries|$src/entry.rs|                Seen::Value(_) => return false,|                Seen::Value(_) => return true,|loom_promotion::promotion_racing_a_store_to_a_present_key_loses_nothing"
  "try-swap-ignores-tombstone|$src/entry.rs|            if seen == Seen::Tombstone {\n                return Err(new);|            if false \&\& seen == Seen::Tombstone {\n                return Err(new);|loom_expunge::expunge_racing_a_store_loses_nothing"
  "unexpunge-skips-dirty|$src/raw_map.rs|                // (invariants 2, 3).\n                insert_new(\n                    Self::dirty_table_locked(\&mut locked, snapshot),\n                    Arc::clone(entry),\n                );|                // (invariants 2, 3).\n                let _ = Arc::clone(entry);|loom_expunge::unexpunge_racing_a_store_loses_nothing"
)

source "$(dirname "$0")/../scripts/loom-mutations-driver.sh"
