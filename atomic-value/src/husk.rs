//! Husks: the allocations of replaced values, kept for the next stores.
//!
//! A pass frees replaced values in a batch, tens to thousands at once.
//! Freed like that they overflow the allocator's per-thread cache, and the
//! stores that follow each pay a slow `malloc` (and the pass a slow `free`
//! per value), where a `RwLock<Arc<T>>`'s store frees one allocation and
//! gets it straight back. So a pass that finds it holds the last reference
//! to a value (no guard, no other `Arc`, no `Weak`) drops the value in
//! place and keeps the allocation, counts and all, as a *husk*; a store
//! moves its new value into a husk instead of allocating.
//!
//! Only memory is kept: the value itself is dropped when it would have
//! been, so the rule that replaced values do not linger is untouched. The
//! husks of one list are bounded by count and by bytes, and the list's
//! drop frees them.

use std::mem::{ManuallyDrop, MaybeUninit};
use std::ptr::NonNull;

use crate::sync::Arc;

/// The allocation of an `Arc<T>` whose value has been dropped, with its
/// counts at one strong, no weak: the only reference to it.
pub(crate) struct Husk<T> {
    /// From `Arc::<T>::into_raw`.
    value: NonNull<T>,
}

/// At most this many bytes of husks wait on one list.
const HUSK_BYTES: usize = 32 << 10;

/// At most this many husks wait on one list: the largest batch a pass
/// frees ([`crate::fence::batch_limit`]), so a zero-sized `T` keeps no more
/// than one batch.
const HUSK_COUNT: usize = 4096;

/// How many husks a list keeps for `T`.
pub(crate) fn capacity<T>() -> usize {
    // The allocation also holds the two counts.
    let bytes = std::mem::size_of::<T>() + 2 * std::mem::size_of::<usize>();
    (HUSK_BYTES / bytes).min(HUSK_COUNT)
}

impl<T> Husk<T> {
    /// Moves `value` into the husk: an `Arc<T>`, without allocating.
    #[inline]
    pub(crate) fn fill(self, value: T) -> Arc<T> {
        let pointer = ManuallyDrop::new(self).value.as_ptr();
        // SAFETY: the allocation is live and nothing else refers to it
        // (struct invariant), so writing its value slot races nothing; the
        // slot holds no value (it was dropped), so nothing is overwritten
        // unseen. `Arc::into_raw`'s pointer is derived from the allocation
        // itself, not from a shared reference, so it may write.
        unsafe { pointer.write(value) };
        // SAFETY: from `Arc::<T>::into_raw`, and the value is initialised
        // again; the husk's one strong count becomes this `Arc`'s.
        unsafe { Arc::from_raw(pointer) }
    }
}

impl<T> Drop for Husk<T> {
    fn drop(&mut self) {
        let pointer = self.value.as_ptr().cast::<MaybeUninit<T>>();
        // SAFETY: from `Arc::<T>::into_raw`, and `MaybeUninit<T>` has `T`'s
        // size and alignment; as a `MaybeUninit` the dropped value is not
        // dropped again, only the allocation is freed.
        drop(unsafe { Arc::from_raw(pointer) });
    }
}

/// Whether `arc` is the only reference of any kind to its value: nobody
/// else can read the value, or come to.
///
/// `Arc::get_mut`, whose compare-exchange on the weak count and Acquire
/// load of the strong count pair with the Release decrements of every
/// other owner: their uses of the value happen-before it is dropped in
/// place. (Two plain loads with an Acquire fence between them would do
/// the same a little cheaper, but ThreadSanitizer does not model
/// fences and reports the refill as a race.)
fn is_unique<T>(arc: &mut Arc<T>) -> bool {
    Arc::get_mut(arc).is_some()
}

/// Releases the count of `pointer` its list owned. If that was the only
/// reference of any kind to the value and `husks` has fewer than `room`,
/// the value is dropped in place and its allocation pushed on `husks`;
/// otherwise the count is just dropped (freeing the value if it was the
/// last strong one).
///
/// If the value's `Drop` panics, its allocation is freed (not kept) and the
/// panic continues.
///
/// # Safety
/// `pointer` came from `Arc::<T>::into_raw` and the caller owns one strong
/// count of it, which this consumes. No hazard slot holds it, and none can
/// come to (it is in no cell).
pub(crate) unsafe fn release<T>(pointer: *mut T, husks: &mut Vec<Husk<T>>, room: usize) {
    // SAFETY: the caller's count (function contract).
    let mut arc = unsafe { Arc::from_raw(pointer) };
    if husks.len() >= room || !is_unique(&mut arc) {
        drop(arc);
        return;
    }
    let value = NonNull::new(Arc::into_raw(arc).cast_mut()).expect("an Arc is never null");
    // Frees the allocation (without dropping the value again) if the
    // value's drop unwinds.
    let husk = Husk { value };
    // SAFETY: the value is initialised and unique (checked above; it is in
    // no cell and no slot either), so nothing reads it while or after it is
    // dropped; from here on the husk treats it as dropped.
    unsafe { std::ptr::drop_in_place(value.as_ptr()) };
    husks.push(husk);
}
