//! The loom shim: every atomic, lock and `Arc` the crate uses comes from
//! here.
//!
//! Built normally these are `std`'s types. Built with
//! `RUSTFLAGS="--cfg gosync_loom"` they are loom's model-checked twins (and
//! gosync-atomic-value switches its own the same way), so the loom tests in
//! `tests/loom_*.rs` run the production code itself.

#[cfg(not(gosync_loom))]
pub(crate) use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(not(gosync_loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

#[cfg(gosync_loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, Ordering};
// Loom's `Arc` under loom: gosync-atomic-value's cells take and return it
// there, and the model then sees every entry's and value's strong count.
#[cfg(gosync_loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};

/// Locks `mutex`, ignoring poison.
///
/// User code runs under the map's lock only in `Eq` (looking a key up in
/// the dirty table) and `PartialEq` (compare-and-swap of a dirty-only
/// key), and both run before the locked code changes anything; a panic
/// there leaves the map as it was. So a poisoned lock never guards
/// inconsistent data and the map stays usable (Go has no poisoning).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
