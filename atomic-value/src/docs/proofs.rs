//! # Proofs: the loom models
//!
//! Every happens-before edge and reclamation rule the crate promises is one
//! named loom test, run against the production code through the loom shim
//! (`src/sync.rs`: loom's atomics, mutex, `UnsafeCell`, `Arc`,
//! thread-locals and lazy statics). Under loom the fences are the symmetric
//! pair (`fence(SeqCst)` on both sides; see [`design`](super::design)), and
//! a record has 2 hazard slots instead of 8 so the fallback path is reachable
//! in a small model.
//!
//! Each stored value in the models is a `Payload` whose every use reads a
//! loom `UnsafeCell` and whose `Drop` writes it, and which owns a loom `Arc`:
//! a free that is not ordered after a reader's last use is a loom *causality
//! violation*, and a value never freed is a loom *leak*.
//!
//! | rule | model (`tests/…`) | tests |
//! |---|---|---|
//! | a store, swap or successful CAS happens-before a load that observes it | `loom_store_load.rs` | `store_happens_before_load`, `store_happens_before_load_arc`, `swap_happens_before_load`, `compare_and_swap_happens_before_load`, `store_happens_before_failed_compare_and_swap_that_saw_it` |
//! | no use-after-free: a guard keeps its value alive across a concurrent store and pass; a swapped-out `Arc` and a guard share it safely | `loom_guard_across_swap.rs` | `guard_keeps_value_alive_across_store_and_reclaim`, `swapped_out_arc_and_guard_share_the_value`, `guard_of_a_retired_value_keeps_it_alive_across_reclaim` (a `raw::Retired::guard` outliving its retirement) |
//! | CAS is atomic: of two CASes from the same old value exactly one wins; CAS from empty against a store | `loom_compare_and_swap.rs` | `two_compare_and_swaps_from_the_same_old_value_one_wins`, `compare_and_swap_from_empty_races_a_store` |
//! | the fallback path (all slots held) keeps its value alive too | `loom_guard_fallback.rs` | `loads_past_the_slots_fall_back_to_owned_guards` |
//! | dropping the `AtomicValue` with a guard outstanding: no use-after-free, no leak, either drop order | `loom_drop_with_guards.rs` | `guard_outlives_its_atomic_value`, `replaced_value_guarded_when_the_atomic_value_drops` |
//! | replaced values do not linger: a value guarded at its store's pass (or at a round) is freed by the reclaimer's next round without another store; a round racing a store, `reclaim` or the `AtomicValue`'s drop frees every value exactly once, before the drop or `reclaim` returns | `loom_no_linger.rs` (the round runs on a model thread: loom cannot host the reclaimer thread) | `replaced_value_is_freed_by_a_reclaimer_round_without_another_store`, `value_still_guarded_at_a_round_is_freed_by_the_next_round`, `reclaimer_round_racing_a_store`, `reclaimer_round_racing_the_drop_of_the_atomic_value`, `reclaim_waits_for_a_reclaimer_round_in_flight` |
//! | the cached [`Reader`](crate::Reader) returns what `load()` would: a store happens-before the reader load that returns it; a reader load is never older than a `load()` its thread made before it; a replaced value stays cached only until the reader's next load or its drop, never past them | `loom_reader.rs` | `store_happens_before_reader_load`, `reader_is_never_older_than_a_load_before_it`, `reader_holds_a_replaced_value_only_until_its_next_load_or_drop` |
//! | a pass keeps a freed value's allocation for reuse (a husk) only when nothing refers to it: an `Arc` still held, or a guard's slot, keeps the value intact | `loom_husk.rs` | `an_arc_still_held_is_never_made_a_husk`, `a_guarded_value_is_never_made_a_husk` |
//!
//! Run one model:
//!
//! ```text
//! RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_store_load
//! ```
//!
//! `test.sh loom` runs them all with `LOOM_MAX_PREEMPTIONS=3` (the models
//! default to 3 when the variable is unset); every model has at most 2
//! threads.
//!
//! ## The models can fail
//!
//! `atomic-value/loom-mutations.sh` applies one weakening at a time to a
//! scratch copy of the workspace and checks that the named test then fails.
//! Every test above is killed by at least one mutation:
//!
//! | mutation | killed by |
//! |---|---|
//! | reader's light fence removed | `guard_keeps_value_alive_across_store_and_reclaim` (causality violation) |
//! | pass's heavy fence removed | `guard_keeps_value_alive_across_store_and_reclaim` (causality violation) |
//! | load does not re-validate the pointer | `swapped_out_arc_and_guard_share_the_value` |
//! | `Retired::guard` does not publish the value in its slot | `guard_of_a_retired_value_keeps_it_alive_across_reclaim` |
//! | guard drop clears its slot Relaxed instead of Release | `guard_keeps_value_alive_across_store_and_reclaim` |
//! | the cell's swap (`store`, `swap`) Relaxed | `store_happens_before_load`, `store_happens_before_load_arc`, `store_happens_before_failed_compare_and_swap_that_saw_it`, `swap_happens_before_load`, `store_happens_before_reader_load` |
//! | CAS Relaxed | `compare_and_swap_happens_before_load` |
//! | CAS replaced by an unconditional swap | `two_compare_and_swaps_from_the_same_old_value_one_wins` |
//! | `None` matches any current value | `compare_and_swap_from_empty_races_a_store` |
//! | a full record hands out slot 0 again instead of falling back | `loads_past_the_slots_fall_back_to_owned_guards` (causality violation) |
//! | guard drop ignores orphans | `guard_outlives_its_atomic_value`, `replaced_value_guarded_when_the_atomic_value_drops` (leak) |
//! | `AtomicValue` drop's orphan pass selects none of its values | `guard_outlives_its_atomic_value` (leak) |
//! | a guard does not recognise its own value among the orphans | `guard_outlives_its_atomic_value` (leak) |
//! | a list left with a backlog never registers with the reclaimer | `replaced_value_is_freed_by_a_reclaimer_round_without_another_store` |
//! | dropping the list and `reclaim` do not wait for a reclaimer pass in flight | `reclaimer_round_racing_the_drop_of_the_atomic_value` (a value outlives the drop), `reclaim_waits_for_a_reclaimer_round_in_flight` |
//! | the reclaimer's pass deregisters a list that still has a backlog | `value_still_guarded_at_a_round_is_freed_by_the_next_round` |
//! | a pass forgets the values a guard held instead of putting them back | `reclaimer_round_racing_a_store` (leak) |
//! | a reader that caches a value never looks at the cell again | `reader_is_never_older_than_a_load_before_it` |
//! | a reader's refresh forgets the old `Arc` instead of dropping it | `reader_holds_a_replaced_value_only_until_its_next_load_or_drop` |
//! | the husk check (`Arc::get_mut`) takes any value | `an_arc_still_held_is_never_made_a_husk` (causality violation) |
//! | a pass makes husks of values a guard holds too | `a_guarded_value_is_never_made_a_husk` (causality violation) |
//!
//! ## What loom does not check
//!
//! * The asymmetric mode: loom cannot model `membarrier`. Its soundness is
//!   the kernel's documented guarantee (every running thread of the process
//!   executes a full barrier before the call returns), the argument in
//!   [`design`](super::design), and the native stress tests, which run in
//!   that mode.
//! * Sequential consistency (loom treats SeqCst accesses as AcqRel): the
//!   store-buffering litmus test in `tests/stress.rs`.
//! * The batching policy (time and count thresholds): under loom every store
//!   runs a pass, which is the strictest case for the models.
//! * The reclaimer's timing (its 2 ms rounds, the thread itself): the
//!   models run a round where they choose; `tests/no_linger.rs` measures
//!   the real thread natively.
