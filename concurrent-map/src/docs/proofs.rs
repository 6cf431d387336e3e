//! # Proofs
//!
//! The loom models in `concurrent-map/tests/loom_*.rs` run the production
//! code on loom's model checker (the crate's `sync` shim swaps in loom's
//! atomics, mutex and `Arc`; gosync-atomic-value does the same for its
//! hazard slots and fences). Each Go rule the map promises is one named
//! test, runnable alone:
//!
//! ```text
//! RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test <file>
//! ```
//!
//! | rule | file :: test |
//! |------|--------------|
//! | store to a key in the snapshot → load that sees it | `loom_write_then_read::store_to_a_present_key_happens_before_load` |
//! | store of a new key → load that sees it | `loom_write_then_read::store_of_a_new_key_happens_before_load` |
//! | `load_or_store` that stored → load | `loom_write_then_read::load_or_store_that_stored_happens_before_load` |
//! | successful `compare_and_swap` → load | `loom_write_then_read::compare_and_swap_happens_before_load` |
//! | `delete` → `load_and_delete` that observes it | `loom_write_then_read::delete_happens_before_load_and_delete_that_observes_it` |
//! | `load_or_store` race: one stores, all see its value | `loom_load_or_store::{load_or_store_of_a_new_key_has_one_winner, load_or_store_of_a_deleted_key_has_one_winner}` |
//! | promotion racing a lock-free store loses nothing | `loom_promotion::promotion_racing_a_store_to_a_present_key_loses_nothing` |
//! | expunge / unexpunge racing a store loses nothing | `loom_expunge::{expunge_racing_a_store_loses_nothing, unexpunge_racing_a_store_loses_nothing}` |
//! | `range` concurrent with a store sees a valid value, no key twice | `loom_range::range_concurrent_with_store_sees_a_valid_value` |
//!
//! Every value in the models is a payload whose reads and drop go through
//! loom: a read racing its publication or its free is a causality
//! violation, and a value never dropped is a leak (loom checks at the end
//! of every execution, after the map is dropped).
//!
//! ## The bound
//!
//! At most 2 threads per model, `LOOM_MAX_PREEMPTIONS=3` (`test.sh` sets
//! it; the models default to 3 when it is unset). Under loom each thread
//! has 2 hazard slots, enough for one map operation (snapshot and value).
//!
//! ## The models can fail
//!
//! `concurrent-map/loom-mutations.sh` applies one weakening at a time to a
//! scratch copy and checks that the named test then fails: the entry
//! compare-exchange made Relaxed (kills the write→read models and the
//! range model), a store of a new key that does not set `amended`, a
//! `load_or_store` that overwrites instead of compare-exchanging, a locked
//! `load_or_store` that ignores the dirty table, dirty-table builds that
//! drop live entries, a lock-free store that ignores the tombstone, and an
//! unexpunge that does not put the entry back into the dirty table.
//!
//! ## What loom does not check
//!
//! Sequential consistency across keys (the entry cells are SeqCst, as in
//! Go); the stress tests in `tests/stress.rs` exercise it natively and
//! under Miri.
