//! # Differences from Go's `atomic.Value`
//!
//! | Go | this crate | why |
//! |---|---|---|
//! | `var v atomic.Value` (zero value, empty) | [`AtomicValue::empty`](crate::AtomicValue::empty) or `Default` | Rust has no zero values |
//! | `v.Load() any` (nil when empty) | [`load`](crate::AtomicValue::load) `-> Option<Guard<T>>`, [`load_arc`](crate::AtomicValue::load_arc) `-> Option<Arc<T>>` | a guard keeps the value alive without the GC; `Arc` when it must live long or cross threads |
//! | `v.Load()` in a hot loop of one goroutine | a [`Reader`](crate::Reader) (`v.reader()`), whose [`load`](crate::Reader::load) returns `Option<&Arc<T>>` | Go's load is a plain pointer read (its GC reclaims); ours publishes a hazard pointer each time, which a reader caching an `Arc` of the current value avoids, at the price of keeping a replaced value until its next load |
//! | `v.Store(x)` | [`store`](crate::AtomicValue::store) | — |
//! | `v.Swap(new) (old any)` | [`swap`](crate::AtomicValue::swap) `-> Option<Arc<T>>` | — |
//! | `v.CompareAndSwap(old, new) bool` | [`compare_and_swap`](crate::AtomicValue::compare_and_swap) `(Option<&T>, T) -> Result<(), T>` | failure hands `new` back instead of dropping it |
//! | panics on `Store(nil)` | storing "nothing" is not expressible | `T` is always a value |
//! | panics when stored types differ ("store of inconsistently typed value") | impossible | `T` is fixed at compile time |
//! | `CompareAndSwap` panics if `old` is not comparable | `T: PartialEq` bound, checked at compile time | — |
//! | old values freed by the GC whenever it runs | dropped exactly once, after the last guard/`Arc`, by a reclamation pass, within 10 ms (the reclaimer thread's 2 ms rounds; see [`design`](super::design)); [`reclaim`](crate::AtomicValue::reclaim) forces one | no GC; the batching keeps stores cheap |
//!
//! ## Compare-and-swap semantics
//!
//! Go compares with `==` on the interface values, so `CompareAndSwap(old,
//! new)` succeeds when the stored value equals `old`, whichever `Store` put
//! it there. This crate does the same with `PartialEq`, and is atomic
//! against concurrent stores: it loads the current value (under a guard),
//! compares, and replaces it only if the *same stored value* (the same
//! allocation) is still current, else starts over. So:
//!
//! * a store that lands between the comparison and the replacement is never
//!   overwritten unseen: the call compares the newly stored value instead;
//! * if that value is equal to `old` too, the call replaces it and succeeds
//!   (exactly as if the store had come just before the call);
//! * the guard keeps the compared value's memory alive, so its address
//!   cannot be reused by a later store in the meantime (no ABA).
//!
//! With `old = None` the call succeeds only on an empty `AtomicValue`.
//!
//! ## Memory model
//!
//! Go: "if the effect of an atomic operation A is observed by atomic
//! operation B, then A is synchronized before B", and all atomic operations
//! behave as if executed in some sequentially consistent order. Both hold
//! here (see [`design`](super::design#sequential-consistency)); the first is
//! checked by loom ([`proofs`](super::proofs)), the second by a litmus test
//! in `tests/stress.rs`.
//!
//! ## Bounds
//!
//! `AtomicValue<T>` requires `T: Send + Sync + 'static`. A replaced value
//! may be dropped by whichever thread runs the pass that frees it, possibly
//! after the `AtomicValue` itself is gone (when a guard outlives it, the
//! guard's thread frees it), which is exactly what `Arc<T>` shared across
//! threads needs. Go has no such bound because every Go value is
//! garbage-collected and shareable.
