#!/usr/bin/env bash
# Shows that each loom model of gosync-atomic-value can fail: applies one
# deliberate weakening at a time to a scratch copy of the workspace and
# checks that the named model then FAILS (driver: scripts/loom-mutations-driver.sh).
#
#   atomic-value/loom-mutations.sh          all mutations (~1 min on 2 cores)
#   atomic-value/loom-mutations.sh NAME...  only the named mutations
package=gosync-atomic-value
src=atomic-value/src
# name | file | exact text (\n for newlines) | replacement | model::test that must fail
# Every test of every loom model appears at least once in the last column.
mutations=(
  "light-fence-dropped|$src/fence.rs|    // Symmetric: pairs with the fence(SeqCst) in \`heavy\`.\n    fence(Ordering::SeqCst);||loom_guard_across_swap::guard_keeps_value_alive_across_store_and_reclaim"
  "heavy-fence-dropped|$src/fence.rs|    // Symmetric: pairs with the fence(SeqCst) in \`light\`.\n    fence(Ordering::SeqCst);||loom_guard_across_swap::guard_keeps_value_alive_across_store_and_reclaim"
  "no-revalidation|$src/cell.rs|        if now == pointer {\n            pointer\n|        if now == now {\n            pointer\n|loom_guard_across_swap::swapped_out_arc_and_guard_share_the_value"
  "retired-guard-unpublished|$src/cell.rs|                    .store(self.pointer.as_ptr().cast(), Ordering::Release);|                    .store(ptr::null_mut(), Ordering::Release);|loom_guard_across_swap::guard_of_a_retired_value_keeps_it_alive_across_reclaim"
  "slot-release-relaxed|$src/registry.rs|        slot.store(ptr::null_mut(), Ordering::Release);\n        // SAFETY: owner-only state|        slot.store(ptr::null_mut(), Ordering::Relaxed);\n        // SAFETY: owner-only state|loom_guard_across_swap::guard_keeps_value_alive_across_store_and_reclaim"
  "cell-swap-relaxed|$src/cell.rs|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::Relaxed);|loom_store_load::store_happens_before_load"
  "cell-swap-relaxed|$src/cell.rs|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::Relaxed);|loom_store_load::store_happens_before_load_arc"
  "cell-swap-relaxed|$src/cell.rs|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::Relaxed);|loom_store_load::swap_happens_before_load"
  "cell-swap-relaxed|$src/cell.rs|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::Relaxed);|loom_store_load::store_happens_before_failed_compare_and_swap_that_saw_it"
  "cas-relaxed|$src/cell.rs|            current.into_raw(),\n            replacement,\n            Ordering::SeqCst,\n            Ordering::SeqCst,|            current.into_raw(),\n            replacement,\n            Ordering::Relaxed,\n            Ordering::Relaxed,|loom_store_load::compare_and_swap_happens_before_load"
  "cas-not-atomic|$src/cell.rs|match self.current.compare_exchange(\n            current.into_raw(),\n            replacement,\n            Ordering::SeqCst,\n            Ordering::SeqCst,\n        ) {|match Ok::<*mut T, *mut T>(self.current.swap(replacement, Ordering::SeqCst)) {|loom_compare_and_swap::two_compare_and_swaps_from_the_same_old_value_one_wins"
  "cas-ignores-current|$src/raw_value.rs|(None, None) => true,|(_, None) => true,|loom_compare_and_swap::compare_and_swap_from_empty_races_a_store"
  "full-record-reuses-slot-0|$src/registry.rs|slot.load(Ordering::Relaxed).is_null())\n    }\n\n    /// Clears \`slot\`|slot.load(Ordering::Relaxed).is_null()).or(Some(0))\n    }\n\n    /// Clears \`slot\`|loom_guard_fallback::loads_past_the_slots_fall_back_to_owned_guards"
  "guard-skips-orphans|$src/reclaim.rs|    if orphans_count().load(Ordering::Relaxed) != 0 {|    if false \&\& orphans_count().load(Ordering::Relaxed) != 0 {|loom_drop_with_guards::guard_outlives_its_atomic_value"
  "guard-skips-orphans|$src/reclaim.rs|    if orphans_count().load(Ordering::Relaxed) != 0 {|    if false \&\& orphans_count().load(Ordering::Relaxed) != 0 {|loom_drop_with_guards::replaced_value_guarded_when_the_atomic_value_drops"
  "drop-skips-orphan-pass|$src/reclaim.rs|        let ours = \&batch[..kept];|        let ours: \&[*mut T] = \&[];|loom_drop_with_guards::guard_outlives_its_atomic_value"
  "guard-misses-own-orphan|$src/reclaim.rs| orphan.pointer == pointer);| orphan.pointer != pointer);|loom_drop_with_guards::guard_outlives_its_atomic_value"
  "never-registers|$src/reclaim.rs|        let needed = !self.list.is_empty() \&\& !self.registered;|        let needed = false;|loom_no_linger::replaced_value_is_freed_by_a_reclaimer_round_without_another_store"
  "ignores-reclaimer-pass|$src/reclaim.rs|            Some(lock(\&self.reclaimer_pass))|            None|loom_no_linger::reclaimer_round_racing_the_drop_of_the_atomic_value"
  "ignores-reclaimer-pass|$src/reclaim.rs|            Some(lock(\&self.reclaimer_pass))|            None|loom_no_linger::reclaim_waits_for_a_reclaimer_round_in_flight"
  "deregisters-with-backlog|$src/reclaim.rs|                retired.registered = !retired.list.is_empty();|                retired.registered = false;|loom_no_linger::value_still_guarded_at_a_round_is_freed_by_the_next_round"
  "pass-forgets-kept|$src/reclaim.rs|            if kept > 0 {\n                retired.list.extend_from_slice(\&batch[..kept]);|            if false {\n                retired.list.extend_from_slice(\&batch[..kept]);|loom_no_linger::reclaimer_round_racing_a_store"
  "cell-swap-relaxed|$src/cell.rs|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);|            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::Relaxed);|loom_reader::store_happens_before_reader_load"
  "reader-never-refreshes|$src/reader.rs|        if self.value.holds_address(self.cached_at) {|        if self.value.holds_address(self.cached_at).max(self.cached.is_some()) {|loom_reader::reader_is_never_older_than_a_load_before_it"
  "refresh-keeps-old|$src/reader.rs|        drop(std::mem::replace(\&mut self.cached, fresh));|        std::mem::forget(std::mem::replace(\&mut self.cached, fresh));|loom_reader::reader_holds_a_replaced_value_only_until_its_next_load_or_drop"
  "husk-ignores-other-owners|$src/husk.rs|    Arc::get_mut(arc).is_some()|    { let _ = arc; true }|loom_husk::an_arc_still_held_is_never_made_a_husk"
  "husk-ignores-guards|$src/reclaim.rs|        unsafe { release_keeping_husks(\&batch[kept..], \&mut husks, husk_room) };|        unsafe { release_keeping_husks(\&batch[..], \&mut husks, husk_room) };|loom_husk::a_guarded_value_is_never_made_a_husk"
)

source "$(dirname "$0")/../scripts/loom-mutations-driver.sh"
