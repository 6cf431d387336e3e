//! The algorithm behind [`AtomicValue`](crate::AtomicValue), without the
//! cache-line padding (so the false-sharing benchmark can measure the same
//! code unpadded).
//!
//! # Invariants
//!
//! 1. `current` is null (empty) or `Arc::into_raw` of a value whose strong
//!    count includes one owned by this `AtomicValue`.
//! 2. A pointer swapped out of `current` keeps that count until a
//!    reclamation pass ([`crate::reclaim`]) finds it in no hazard slot.
//! 3. A guard's hazard slot holds its pointer from before the load
//!    validated it (re-read `current` and found it unchanged) until the
//!    guard is dropped. By the light/heavy fence pair, a pass whose swap
//!    came after that validation sees the slot; a pass whose swap came before
//!    it made the re-read see a different pointer, and the load retried.
//!
//! # Orderings
//!
//! Every access to `current` is SeqCst. The Release half of each swap
//! pairs with the Acquire half of the load that reads it: that is Go's
//! "a store happens-before the load that observes it", and it makes the
//! value's contents (written before `Arc::new` returned) visible to the
//! reader. SeqCst on top of that puts every load, store, swap and
//! compare-and-swap of every `AtomicValue` in one total order, which is
//! Go's sequential-consistency promise for its atomics; on x86_64 it costs
//! nothing on the load side (a SeqCst load is a plain `mov`).

use crate::sync::Arc;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use crate::fence;
use crate::guard::Guard;
use crate::reclaim::RetiredList;
use crate::registry::{self, SlotRef};
use crate::sync::{AtomicPtr, Ordering};

pub(crate) struct RawAtomicValue<T: Send + Sync + 'static> {
    current: AtomicPtr<T>,
    retired: RetiredList<T>,
    _owns: PhantomData<Arc<T>>,
}

impl<T: Send + Sync + 'static> RawAtomicValue<T> {
    pub(crate) fn new(value: Option<T>) -> Self {
        let current = value.map_or(ptr::null_mut(), |value| into_raw(Arc::new(value)));
        Self {
            current: AtomicPtr::new(current),
            retired: RetiredList::new(),
            _owns: PhantomData,
        }
    }

    /// Publishes `pointer` in `slot` and re-reads `current` until the two
    /// agree; returns the protected pointer, or null (slot cleared) if the
    /// value became empty.
    #[inline(always)]
    fn protect(&self, slot: &AtomicPtr<()>, pointer: *mut T) -> *mut T {
        // Release: pairs with the Acquire scan of a reclamation pass. The
        // slot moving on from an older pointer must also publish this
        // thread's reads of that older value (see `Record::release`).
        slot.store(pointer.cast(), Ordering::Release);
        // Pairs with the heavy fence of every reclamation pass (invariant 3).
        fence::light();
        let now = self.current.load(Ordering::SeqCst);
        if now == pointer {
            pointer
        } else {
            self.protect_after_a_store(slot, now)
        }
    }

    /// `protect` when a store replaced the value between our two reads:
    /// retry with the newer pointer until one holds still.
    #[cold]
    #[inline(never)]
    fn protect_after_a_store(&self, slot: &AtomicPtr<()>, mut pointer: *mut T) -> *mut T {
        loop {
            if pointer.is_null() {
                // Release: as in `protect`.
                slot.store(ptr::null_mut(), Ordering::Release);
                return pointer;
            }
            // Release: as in `protect`.
            slot.store(pointer.cast(), Ordering::Release);
            // Pairs with the heavy fence of every reclamation pass.
            fence::light();
            let now = self.current.load(Ordering::SeqCst);
            if now == pointer {
                return pointer;
            }
            pointer = now;
        }
    }

    /// Protects the current value in one of this thread's hazard slots:
    /// `Ok(None)` when empty, `Err(NoFreeSlot)` when the thread has no slot
    /// to spare (the caller takes the spare-record path).
    #[inline(always)]
    fn protect_in_own_slot(&self) -> Result<Option<(NonNull<T>, SlotRef)>, NoFreeSlot> {
        let first = self.current.load(Ordering::SeqCst);
        if first.is_null() {
            return Ok(None);
        }
        let slot = registry::reserve_local_slot().ok_or(NoFreeSlot)?;
        match NonNull::new(self.protect(slot.slot(), first)) {
            Some(value) => Ok(Some((value, slot))),
            None => {
                slot.release();
                Ok(None)
            }
        }
    }

    #[inline(always)]
    pub(crate) fn load(&self) -> Option<Guard<T>> {
        match self.protect_in_own_slot() {
            // SAFETY: `protect` validated the pointer in this slot.
            Ok(found) => found.map(|(value, slot)| unsafe { Guard::protected(value, slot) }),
            Err(NoFreeSlot) => self.load_through_spare_slot().map(Guard::owned),
        }
    }

    pub(crate) fn load_arc(&self) -> Option<Arc<T>> {
        match self.protect_in_own_slot() {
            Ok(found) => found.map(|(value, slot)| {
                // SAFETY: validated by `protect`, so alive until the slot is
                // released just below.
                let arc = unsafe { arc_from_protected(value.as_ptr()) };
                slot.release();
                arc.expect("a validated pointer is not null")
            }),
            Err(NoFreeSlot) => self.load_through_spare_slot(),
        }
    }

    /// The fallback when this thread's hazard slots are all taken (or its
    /// thread-local is gone): protect through a borrowed record just long
    /// enough to take an owned count.
    #[cold]
    fn load_through_spare_slot(&self) -> Option<Arc<T>> {
        registry::with_spare_slot(|slot| {
            let protected = self.protect(slot, self.current.load(Ordering::SeqCst));
            // SAFETY: validated by `protect`, alive until the slot clears.
            let arc = unsafe { arc_from_protected(protected) };
            // Release: as in `Record::release`.
            slot.store(ptr::null_mut(), Ordering::Release);
            arc
        })
    }

    pub(crate) fn store(&self, value: T) {
        let old = self
            .current
            .swap(into_raw(Arc::new(value)), Ordering::SeqCst);
        self.retire(old);
    }

    pub(crate) fn swap(&self, value: T) -> Option<Arc<T>> {
        let old = self
            .current
            .swap(into_raw(Arc::new(value)), Ordering::SeqCst);
        // SAFETY: we still own the AtomicValue's count of `old` (retired
        // below), so it is alive and a new count can be taken for the caller.
        let previous = unsafe { arc_from_protected(old) };
        self.retire(old);
        previous
    }

    pub(crate) fn compare_and_swap(&self, old: Option<&T>, new: T) -> Result<(), T>
    where
        T: PartialEq,
    {
        let mut new = Some(Arc::new(new));
        loop {
            let current = self.load();
            let matches = match (&current, old) {
                (None, None) => true,
                (Some(current), Some(old)) => **current == *old,
                _ => false,
            };
            if !matches {
                let new = new
                    .take()
                    .expect("the new value is only consumed on success");
                return Err(Arc::try_unwrap(new)
                    .unwrap_or_else(|_| unreachable!("the new value was never published")));
            }
            let expected = current
                .as_ref()
                .map_or(ptr::null_mut(), |guard| Guard::as_ptr(guard).cast_mut());
            let replacement = into_raw(new.take().expect("consumed only on success"));
            // The guard keeps `expected` alive, so its address cannot be
            // reused by another value while we compare: no ABA.
            match self.current.compare_exchange(
                expected,
                replacement,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => {
                    drop(current);
                    self.retire(expected);
                    return Ok(());
                }
                Err(_) => {
                    // SAFETY: `replacement` was never published; take back the
                    // only count, made by `into_raw` above.
                    new = Some(unsafe { Arc::from_raw(replacement) });
                }
            }
        }
    }

    /// Hands the AtomicValue's count of a swapped-out pointer to the retired
    /// list (invariant 2).
    fn retire(&self, old: *mut T) {
        if !old.is_null() {
            // SAFETY: `old` was just swapped out of `current`, so it is no
            // longer reachable through this AtomicValue, and its count
            // (invariant 1) passes to the list.
            unsafe { self.retired.retire(old) };
        }
    }

    pub(crate) fn reclaim(&self) {
        self.retired.pass();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.current.load(Ordering::SeqCst).is_null()
    }
}

impl<T: Send + Sync + 'static> Drop for RawAtomicValue<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self` means every other access to `current` already
        // happened-before this drop.
        let current = self.current.load(Ordering::Relaxed);
        self.retired.drop_all(current);
    }
}

/// All of this thread's hazard slots are held by guards.
struct NoFreeSlot;

fn into_raw<T>(arc: Arc<T>) -> *mut T {
    Arc::into_raw(arc).cast_mut()
}

/// A new `Arc` for a pointer that is null or currently kept alive (by a
/// validated hazard slot or by a count the caller owns).
///
/// # Safety
/// `pointer` is null, or came from `Arc::<T>::into_raw` and is alive for
/// the duration of this call.
unsafe fn arc_from_protected<T>(pointer: *mut T) -> Option<Arc<T>> {
    if pointer.is_null() {
        return None;
    }
    // SAFETY: alive (contract), so its count is at least one; the count we
    // add is owned by the returned Arc.
    unsafe {
        Arc::increment_strong_count(pointer);
        Some(Arc::from_raw(pointer))
    }
}
