//! Hazard slots: where readers say which values they are using.
//!
//! Every thread that loads gets a [`Record`]: [`SLOTS`] hazard slots on a
//! cache-line pair of their own, so a load writes only to memory no other
//! reader writes. Records live in one process-wide, push-only linked list
//! (the registry) and are never freed; a record whose thread has exited is
//! unclaimed and reused by the next thread that needs one, so the registry
//! grows to the largest number of threads that ever loaded at the same time
//! (plus one per thread that is momentarily borrowing a second record, see
//! [`with_spare_slot`]).
//!
//! # Record state
//!
//! | field | written by | read by |
//! |---|---|---|
//! | `slots[i]` | the owning thread (protect, release) | reclaimers (scan) |
//! | `claimed` | a thread claiming (CAS) or releasing the record | threads looking for a free record |
//! | `next` | the thread pushing the record, before publishing it | everybody walking the list |
//! | `detached` | the owning thread only | the owning thread only |
//!
//! A slot is null when free. A record is released (`claimed = false`) only
//! when every slot is free *and* its thread no longer holds it: that is when
//! the thread's thread-local handle is dropped, or, if guards outlive the
//! handle (a guard kept in another thread-local), when the last such guard
//! is dropped.

use std::ptr;

use crate::sync::{thread_local_handle, AtomicBool, AtomicPtr, Ordering, UnsafeCell};

/// Hazard slots per record: how many guards one thread can hold at once
/// before `load` falls back to handing out an owned `Arc` reference.
///
/// Two under loom: every slot is another atomic a reclamation pass reads,
/// so another branch of the state space, and two are enough to reach the
/// fallback path in a small model.
pub(crate) const SLOTS: usize = if cfg!(gosync_loom) { 2 } else { 8 };

/// One thread's hazard slots, alone on a 128-byte, 128-aligned block: the
/// cache-line pair that x86_64's adjacent-line prefetcher moves together
/// (as `crossbeam_utils::CachePadded` on x86_64 and aarch64), so no two
/// threads' slots share a line. The alignment also leaves the low 7 bits of
/// a record's address free for [`SlotRef`] to pack a slot index into.
#[repr(C, align(128))]
pub(crate) struct Record {
    slots: [AtomicPtr<()>; SLOTS],
    claimed: AtomicBool,
    /// The record pushed before this one. Written only before this record is
    /// published by the Release CAS on the registry head.
    next: AtomicPtr<Record>,
    /// The thread-local handle is gone; the last guard unclaims the record.
    ///
    /// Owner-only. The owner changes only through `claimed`: the Release
    /// store that unclaims and the Acquire CAS that claims order the previous
    /// owner's accesses before the next owner's.
    detached: UnsafeCell<bool>,
}

/// The registry: a push-only list of every record ever created.
pub(crate) struct Registry {
    head: AtomicPtr<Record>,
}

crate::sync::global! {
    fn registry() -> &'static Registry = Registry { head: AtomicPtr::new(ptr::null_mut()) };
}

impl Record {
    fn new_claimed() -> Self {
        Self {
            slots: std::array::from_fn(|_| AtomicPtr::new(ptr::null_mut())),
            claimed: AtomicBool::new(true),
            next: AtomicPtr::new(ptr::null_mut()),
            detached: UnsafeCell::new(false),
        }
    }

    /// The hazard slot `index`.
    #[inline]
    pub(crate) fn slot(&self, index: usize) -> &AtomicPtr<()> {
        &self.slots[index]
    }

    /// Finds a free slot for a new guard, or `None` when all are in use.
    ///
    /// A slot is in use exactly when it is non-null, so the caller must
    /// store its (non-null) pointer in the slot before it reserves another.
    /// Reading our own slots keeps the fast path free of data dependencies
    /// through memory: the first slot is free, the branch is predicted, and
    /// nothing waits for the load.
    ///
    /// Must be called on the owning thread.
    #[inline(always)]
    pub(crate) fn reserve_slot(&self) -> Option<usize> {
        // Relaxed: only this thread writes its slots; we read our own stores.
        if self.slots[0].load(Ordering::Relaxed).is_null() {
            Some(0)
        } else {
            self.reserve_other_slot()
        }
    }

    /// `reserve_slot` when slot 0 is taken (the thread already holds a
    /// guard): out of line, so the one-guard-at-a-time load stays short.
    #[cold]
    #[inline(never)]
    fn reserve_other_slot(&self) -> Option<usize> {
        // Relaxed: as in `reserve_slot`.
        self.slots
            .iter()
            .position(|slot| slot.load(Ordering::Relaxed).is_null())
    }

    /// Clears `slot` (one of ours) and gives it back; unclaims the record if
    /// its thread has already let go of it and this was its last guard.
    ///
    /// Must be called on the owning thread, for a slot it reserved.
    #[inline(always)]
    fn release(&self, slot: &AtomicPtr<()>) {
        // Release: pairs with the Acquire scan in `for_each_protected`; a
        // reclaimer that reads this null (or any later value of the slot)
        // sees every read the guard made of its value, before it frees it.
        slot.store(ptr::null_mut(), Ordering::Release);
        // SAFETY: owner-only state, and we are the owner (see `detached`).
        if self.detached.with_mut(|detached| unsafe { *detached }) {
            self.release_detached();
        }
    }

    #[cold]
    fn release_detached(&self) {
        if self.all_slots_free() {
            // SAFETY: owner-only state, and we are the owner.
            self.detached
                .with_mut(|detached| unsafe { *detached = false });
            self.unclaim();
        }
    }

    fn all_slots_free(&self) -> bool {
        // Relaxed: our own slots (see `reserve_slot`).
        self.slots
            .iter()
            .all(|slot| slot.load(Ordering::Relaxed).is_null())
    }

    /// The thread-local handle is going away: unclaim now if no guard is
    /// live, or leave it to the last guard.
    fn detach(&self) {
        if self.all_slots_free() {
            self.unclaim();
        } else {
            // SAFETY: owner-only state; the handle is dropped on its thread.
            self.detached
                .with_mut(|detached| unsafe { *detached = true });
        }
    }

    pub(crate) fn unclaim(&self) {
        // Release: pairs with the Acquire claim in `claim_record`; the next
        // owner sees our final `owner` state and our null slots.
        self.claimed.store(false, Ordering::Release);
    }
}

/// Claims a free record, pushing a new one if none is free.
pub(crate) fn claim_record() -> &'static Record {
    let registry = registry();
    // Acquire: pairs with the Release CAS that published the head (and, since
    // every push is an RMW in the same release sequence, every record behind
    // it); we read the records' `next` and slots.
    let mut node = registry.head.load(Ordering::Acquire);
    // SAFETY: records are never freed, and every pointer in the list was
    // published initialized (see the Acquire above).
    while let Some(record) = unsafe { node.as_ref() } {
        if !record.claimed.load(Ordering::Relaxed)
            // Acquire: pairs with the Release in `unclaim`, handing over the
            // previous owner's state.
            && record
                .claimed
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        {
            return record;
        }
        // Relaxed: `next` was written before the record was published, which
        // the Acquire load of the head already ordered before us.
        node = record.next.load(Ordering::Relaxed);
    }
    let record: &'static Record = Box::leak(Box::new(Record::new_claimed()));
    let new = record as *const Record as *mut Record;
    let mut head = registry.head.load(Ordering::Relaxed);
    loop {
        // Relaxed: published by the Release CAS below.
        record.next.store(head, Ordering::Relaxed);
        // Release: pairs with the Acquire head loads in `claim_record` and
        // `for_each_protected`, publishing the record's initialized fields.
        match registry
            .head
            .compare_exchange_weak(head, new, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => return record,
            Err(current) => head = current,
        }
    }
}

/// Calls `f` with every non-null hazard slot value of every record.
///
/// The caller must have run [`crate::fence::heavy`] after making the
/// pointers it is about to free unreachable: then any reader still using one
/// of them is seen here.
pub(crate) fn for_each_protected(mut f: impl FnMut(*mut ())) {
    // Acquire: as in `claim_record`.
    let mut node = registry().head.load(Ordering::Acquire);
    // SAFETY: records are never freed and were published initialized.
    while let Some(record) = unsafe { node.as_ref() } {
        for slot in &record.slots {
            // Acquire: pairs with the Release stores in `Record::release` and
            // `protect` (a slot moving on to another pointer also ends its
            // use of the previous one).
            let protected = slot.load(Ordering::Acquire);
            if !protected.is_null() {
                f(protected);
            }
        }
        // Relaxed: as in `claim_record`.
        node = record.next.load(Ordering::Relaxed);
    }
}

/// This thread's claim on a record, made on its first load and given back
/// when the thread exits (the thread-local's destructor).
struct LocalHandle {
    record: std::cell::Cell<Option<&'static Record>>,
}

impl Drop for LocalHandle {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            // Later loads from other thread-locals' destructors must not use
            // the record we are giving up. `try_with`: under loom the cache
            // may already be gone.
            let _ = RECORD.try_with(|cached| cached.set(None));
            record.detach();
        }
    }
}

thread_local_handle! {
    static LOCAL: LocalHandle = LocalHandle { record: std::cell::Cell::new(None) };
}

thread_local_handle! {
    /// The record `LOCAL` holds, cached in a thread-local with no destructor:
    /// reading it on every load costs no "is it still alive?" check.
    static RECORD: std::cell::Cell<Option<&'static Record>> = std::cell::Cell::new(None);
}

/// Claims a record for this thread on its first load; `None` once the
/// thread's `LOCAL` has been destroyed.
#[cold]
fn claim_thread_record() -> Option<&'static Record> {
    LOCAL
        .try_with(|local| {
            let record = claim_record();
            local.record.set(Some(record));
            // `LOCAL` is alive, so the destructor-less `RECORD` is too.
            RECORD.with(|cached| cached.set(Some(record)));
            record
        })
        .ok()
}

/// A reserved hazard slot of this thread's record: a pointer to the slot
/// itself. The record is found again by rounding down to its 128-byte
/// alignment (the slots are its first field and all fit in the first 128
/// bytes), by subtracting the offset from the pointer, so the record keeps
/// its provenance (no integer-to-pointer cast, which Miri's strict
/// provenance rejects). One word keeps a guard at two words, which Rust
/// returns in registers, and the hot path needs no index arithmetic.
#[derive(Clone, Copy)]
pub(crate) struct SlotRef(std::ptr::NonNull<AtomicPtr<()>>);

const _: () = assert!(
    SLOTS * std::mem::size_of::<AtomicPtr<()>>() <= std::mem::align_of::<Record>(),
    "every slot must lie within the record's first aligned block"
);

impl SlotRef {
    const OFFSET_MASK: usize = std::mem::align_of::<Record>() - 1;

    #[inline(always)]
    fn new(record: &'static Record, index: usize) -> Self {
        assert!(index < SLOTS);
        let record: *const Record = record;
        // SAFETY: `index < SLOTS`, so the slot is in bounds of the record.
        // The pointer is derived from the whole record's, not from a
        // reference to the one slot, so `record()` may step back to the
        // record without leaving its provenance (Stacked Borrows).
        let slot = unsafe {
            std::ptr::addr_of!((*record).slots)
                .cast::<AtomicPtr<()>>()
                .add(index)
        };
        // SAFETY: derived from a reference, so never null.
        Self(unsafe { std::ptr::NonNull::new_unchecked(slot.cast_mut()) })
    }

    #[inline(always)]
    pub(crate) fn record(self) -> &'static Record {
        // A pointer-to-integer cast reads the address only.
        let offset = self.0.as_ptr() as usize & Self::OFFSET_MASK;
        let record = self
            .0
            .as_ptr()
            .cast::<u8>()
            .wrapping_sub(offset)
            .cast::<Record>();
        // SAFETY: the slot lies `offset` bytes into a `&'static Record`
        // (`repr(C)`, slots first, 128-aligned, never freed).
        unsafe { &*record }
    }

    #[inline(always)]
    pub(crate) fn slot(self) -> &'static AtomicPtr<()> {
        // SAFETY: points into a `&'static Record`, never freed.
        unsafe { self.0.as_ref() }
    }

    /// Clears and gives back the slot (see `Record::release`).
    #[inline(always)]
    pub(crate) fn release(self) {
        self.record().release(self.slot())
    }
}

/// Reserves a slot of this thread's record, or `None` when all [`SLOTS`]
/// are held by guards or the thread-local is already destroyed (a load from
/// another thread-local's destructor).
#[inline(always)]
pub(crate) fn reserve_local_slot() -> Option<SlotRef> {
    let record = match RECORD.try_with(|cached| cached.get()).ok().flatten() {
        Some(record) => record,
        None => claim_thread_record()?,
    };
    record
        .reserve_slot()
        .map(|index| SlotRef::new(record, index))
}

/// Runs `f` with a hazard slot of a record borrowed for the duration of the
/// call (claimed from the registry, or pushed if none is free) and unclaims
/// it afterwards. `f` must leave the slot null.
///
/// This is the fallback of `load` when the thread's own slots are all held
/// by guards: the slot protects the value only while `f` takes an owned
/// reference to it, so it never needs to outlive the call.
pub(crate) fn with_spare_slot<R>(f: impl FnOnce(&AtomicPtr<()>) -> R) -> R {
    let record = claim_record();
    let result = f(record.slot(0));
    record.unclaim();
    result
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::*;

    #[test]
    fn records_fill_one_128_byte_block() {
        assert_eq!(std::mem::align_of::<Record>(), 128);
        assert_eq!(std::mem::size_of::<Record>(), 128);
    }

    #[test]
    fn slot_refs_round_trip() {
        let record = claim_record();
        for index in 0..SLOTS {
            let slot = SlotRef::new(record, index);
            assert!(std::ptr::eq(slot.record(), record));
            assert!(std::ptr::eq(slot.slot(), record.slot(index)));
        }
        record.unclaim();
    }

    #[test]
    fn slots_are_reserved_and_released_in_order() {
        let record = claim_record();
        let mut marker = 0u8;
        let in_use = (&mut marker as *mut u8).cast::<()>();
        let taken: Vec<usize> = (0..SLOTS)
            .map(|_| {
                let index = record.reserve_slot().unwrap();
                // Relaxed: single-threaded test; marks the slot in use.
                record.slot(index).store(in_use, Ordering::Relaxed);
                index
            })
            .collect();
        assert_eq!(taken, (0..SLOTS).collect::<Vec<_>>());
        assert!(record.reserve_slot().is_none());
        record.release(record.slot(3));
        assert_eq!(record.reserve_slot(), Some(3));
        for index in 0..SLOTS {
            record.release(record.slot(index));
        }
        record.unclaim();
    }
}
