//! The loom shim: every atomic, lock, cell and thread-local the crate uses
//! comes from here.
//!
//! Built normally these are `std`'s types. Built with
//! `RUSTFLAGS="--cfg gosync_loom"` they are loom's model-checked twins, so
//! the loom tests in `tests/loom_*.rs` run the production code itself. The
//! two process-wide pieces of state (the hazard-slot registry and the orphan
//! list, see [`crate::registry`] and [`crate::orphans`]) are `static`s on std
//! and loom `lazy_static!`s under loom, because loom must create its objects
//! afresh inside every explored execution.

#[cfg(not(gosync_loom))]
pub(crate) use std::sync::atomic::{
    fence, AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering,
};
#[cfg(not(gosync_loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

#[cfg(gosync_loom)]
pub(crate) use loom::sync::atomic::{
    fence, AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering,
};
// Loom's `Arc` under loom, so the strong count's Release/Acquire edges (a
// value freed by the last of several owners on different threads) are
// visible to the model. The public API names `std::sync::Arc` in every
// other build.
#[cfg(gosync_loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};

/// Locks `mutex`, ignoring poison.
///
/// Nothing of ours panics while holding one of our locks (user code, a
/// `Drop` or `PartialEq`, only ever runs after the lock is released), so a
/// poisoned lock can only come from an abort-worthy bug elsewhere; the data
/// behind it is always consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// An `UnsafeCell` with loom's closure-based access on both sides, so code
/// that keeps owner-only state in a cell reads the same under loom and std.
#[cfg(not(gosync_loom))]
#[derive(Debug, Default)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(gosync_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(std::cell::UnsafeCell::new(value))
    }

    /// Runs `f` with a unique raw pointer to the contents.
    #[inline]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(gosync_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// Declares a thread-local: `std::thread_local!` with a `const` initializer
/// (no lazy-init check on access), or loom's mock under loom.
macro_rules! thread_local_handle {
    ($(#[$attr:meta])* static $name:ident: $ty:ty = $init:expr;) => {
        #[cfg(not(gosync_loom))]
        std::thread_local! { $(#[$attr])* static $name: $ty = const { $init }; }
        #[cfg(gosync_loom)]
        loom::thread_local! { $(#[$attr])* static $name: $ty = $init; }
    };
}
pub(crate) use thread_local_handle;

/// Declares a process-wide `static` (std, needs a `const` initializer) or a
/// loom `lazy_static!` reset for every explored execution; either way
/// `$name()` returns `&'static $ty`.
macro_rules! global {
    (fn $name:ident() -> &'static $ty:ty = $init:expr;) => {
        #[cfg(not(gosync_loom))]
        #[inline]
        pub(crate) fn $name() -> &'static $ty {
            static GLOBAL: $ty = $init;
            &GLOBAL
        }
        #[cfg(gosync_loom)]
        pub(crate) fn $name() -> &'static $ty {
            loom::lazy_static! { static ref GLOBAL: $ty = $init; }
            &GLOBAL
        }
    };
}
pub(crate) use global;
