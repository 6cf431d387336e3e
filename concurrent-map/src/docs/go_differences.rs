//! # Differences from Go's `sync.Map`
//!
//! * **Which Go.** This is Go's classic design (1.9 to 1.23). Go 1.24
//!   replaced it with a concurrent hash-trie with the same API; the
//!   benchmarks in `benches/` race both designs.
//! * **Values are returned as guards**, not copies: a [`Guard`](crate::Guard)
//!   derefs to the value and keeps it alive. A guard is not `Send`; turn it
//!   into an `Arc` with `Guard::into_arc` to move it to another thread.
//! * **Equality is `PartialEq`**: `compare_and_swap` and
//!   `compare_and_delete` compare with `==`, where Go compares interface
//!   values (and panics on incomparable types; here that is a compile
//!   error).
//! * **`compare_and_swap` hands `new` back** in its `Err`.
//! * **Drops**: a replaced or deleted value is dropped once no guard holds
//!   it, in a batch, not when it is replaced; [`Map::reclaim`](crate::Map::reclaim)
//!   frees what it can now. Dropping the map drops everything no guard
//!   holds. Go's garbage collector has no such promise at all.
//! * **Panics** in user `Hash`, `Eq`, `PartialEq`, `Drop` or in `range`'s
//!   closure leave the map usable and consistent; Go has no equivalent.
//! * **Bounds**: keys and values must be `Send + Sync + 'static`, because a
//!   replaced value may be dropped later on another thread.
//! * **`hasher()` and `with_hasher`**: Rust's usual hasher choice; Go's map
//!   hashes with its runtime's AES-based hash.
