//! [`ArcCell`]: one atomically replaceable `Option<Arc<T>>` whose loads are
//! hazard-protected, without a retired list of its own.
//!
//! # Invariants
//!
//! 1. `current` is null ([`Seen::Empty`]), the tombstone address
//!    ([`Seen::Tombstone`]), or `Arc::into_raw` of a value whose strong
//!    count includes one owned by this cell.
//! 2. A pointer replaced in `current` is handed out as a [`Retired`], which
//!    keeps that count until a reclamation pass finds it in no hazard slot.
//! 3. A guard's hazard slot holds its pointer from before the load
//!    validated it (re-read `current` and found it unchanged) until the
//!    guard is dropped. By the light/heavy fence pair, a pass whose
//!    replacement came after that validation sees the slot; a pass whose
//!    replacement came before it made the re-read see a different pointer,
//!    and the load retried.
//!
//! # Orderings
//!
//! Every access to `current` is SeqCst. The Release half of each swap or
//! compare-exchange pairs with the Acquire half of the load that reads it:
//! that is Go's "a store happens-before the load that observes it", and it
//! makes the value's contents (written before `Arc::new` returned) visible
//! to the reader. SeqCst on top of that puts every access of every cell in
//! one total order, which is Go's sequential-consistency promise for its
//! atomics; on x86_64 it costs nothing on the load side (a SeqCst load is
//! a plain `mov`).

use std::fmt;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use crate::fence;
use crate::guard::Guard;
use crate::reclaim;
use crate::registry::{self, SlotRef};
use crate::sync::{Arc, AtomicPtr, Ordering};

/// An atomic `Option<Arc<T>>` with a third state, the *tombstone*, whose
/// loads return hazard-protected [`Guard`]s: the building block of
/// [`AtomicValue`](crate::AtomicValue), for structures that keep many such
/// cells and one shared [`RetiredList`](crate::raw::RetiredList) (such as
/// the entries of gosync-concurrent-map).
///
/// A cell is one pointer wide. Every replacement hands back the old value
/// as a [`Retired`], which must outlive any guard still reading it: give it
/// to a [`RetiredList`](crate::raw::RetiredList) (batched, cheap), or drop
/// it (frees it at once if no guard holds it, one heavy fence each).
/// Dropping the cell frees its current value the same way, except that
/// values still guarded then are freed by their last guard.
///
/// The tombstone is a marker for the structure built on top (Go's
/// `sync.Map` calls it "expunged"): loads treat it as empty, and only
/// [`compare_exchange`](Self::compare_exchange) and
/// [`try_tombstone`](Self::try_tombstone) move into or out of it.
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::raw::{ArcCell, RetiredList, Seen};
/// use std::sync::Arc;
///
/// let retired = RetiredList::new();
/// let cell = ArcCell::new(Some(Arc::new(1)));
/// let one = cell.load().unwrap();
///
/// // Replace 1 by 2 only if the cell still holds what we loaded.
/// let old = cell
///     .compare_exchange(Seen::Value(&*one), Some(Arc::new(2)))
///     .unwrap();
/// retired.retire(old.unwrap()); // freed once `one` is dropped and a pass runs
/// assert_eq!(*one, 1);
/// assert_eq!(*cell.load().unwrap(), 2);
/// ```
///
/// Its `Send`/`Sync` impls need `T: Send + Sync` (it drops and shares `T`s
/// on any thread), which the type itself requires:
///
/// ```compile_fail
/// let _: Option<gosync_atomic_value::raw::ArcCell<std::cell::Cell<u8>>> = None;
/// ```
pub struct ArcCell<T: Send + Sync + 'static> {
    current: AtomicPtr<T>,
    _owns: PhantomData<Arc<T>>,
}

// SAFETY: the cell owns strong counts of `Arc<T>`s and hands out `&T` and
// `Arc<T>`s across threads: exactly what `Arc<T>` allows for T: Send + Sync.
unsafe impl<T: Send + Sync + 'static> Send for ArcCell<T> {}
// SAFETY: as above; every shared access is atomic.
unsafe impl<T: Send + Sync + 'static> Sync for ArcCell<T> {}

/// What an [`ArcCell`] held at one moment: its identity only. A
/// `Seen::Value` pointer is not protected (the value may be freed by the
/// time it is looked at); it is for [`ArcCell::compare_exchange`] and
/// comparisons.
///
/// ```
/// use gosync_atomic_value::raw::{ArcCell, Seen};
/// use std::sync::Arc;
///
/// let cell = ArcCell::new(Some(Arc::new('a')));
/// let seen = cell.seen();
/// assert!(matches!(seen, Seen::Value(_)));
/// // Replace only if nothing changed since `seen`.
/// assert!(cell.compare_exchange(seen, None).is_ok());
/// assert_eq!(cell.seen(), Seen::Empty);
/// ```
pub enum Seen<T> {
    /// The cell held no value.
    Empty,
    /// The cell held the tombstone.
    Tombstone,
    /// The cell held this value.
    Value(*const T),
}

impl<T> Clone for Seen<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Seen<T> {}
impl<T> PartialEq for Seen<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Seen::Empty, Seen::Empty) | (Seen::Tombstone, Seen::Tombstone) => true,
            (Seen::Value(a), Seen::Value(b)) => ptr::eq(*a, *b),
            _ => false,
        }
    }
}
impl<T> Eq for Seen<T> {}
impl<T> fmt::Debug for Seen<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seen::Empty => f.write_str("Empty"),
            Seen::Tombstone => f.write_str("Tombstone"),
            Seen::Value(pointer) => f.debug_tuple("Value").field(pointer).finish(),
        }
    }
}

impl<T> Seen<T> {
    #[inline(always)]
    fn from_raw(pointer: *mut T) -> Self {
        if pointer.is_null() {
            Seen::Empty
        } else if pointer == tombstone() {
            Seen::Tombstone
        } else {
            Seen::Value(pointer)
        }
    }

    #[inline(always)]
    fn into_raw(self) -> *mut T {
        match self {
            Seen::Empty => ptr::null_mut(),
            Seen::Tombstone => tombstone(),
            Seen::Value(pointer) => pointer.cast_mut(),
        }
    }
}

/// The tombstone's address: `T`'s dangling pointer. No `Arc<T>` can have
/// it, because an `Arc`'s value lies after the two counts of a live
/// allocation, at an address above `align_of::<T>()`.
#[inline(always)]
fn tombstone<T>() -> *mut T {
    NonNull::dangling().as_ptr()
}

/// A value replaced in an [`ArcCell`] that guards may still be reading. It
/// owns the cell's strong count of the value.
///
/// Give it to a [`RetiredList`](crate::raw::RetiredList), which frees it in
/// a batch once no guard holds it. Dropping it instead frees it at once if
/// no guard holds it (or hands it to its last guard), at the cost of one
/// heavy fence.
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::raw::ArcCell;
/// use std::sync::Arc;
///
/// let cell = ArcCell::new(Some(Arc::new("old")));
/// let old = cell.swap(Some(Arc::new("new"))).unwrap();
/// let still_old: Arc<&str> = old.to_arc(); // an owned count, for the caller
/// drop(old); // no guard holds it: the cell's count is released now
/// assert_eq!(*still_old, "old");
/// ```
#[must_use = "a Retired value is freed by dropping it (a heavy fence) or by a RetiredList (batched)"]
///
/// As for [`ArcCell`], `T: Send + Sync` is required:
///
/// ```compile_fail
/// let _: Option<gosync_atomic_value::raw::Retired<std::rc::Rc<u8>>> = None;
/// ```
pub struct Retired<T: Send + Sync + 'static> {
    pointer: NonNull<T>,
    _owns: PhantomData<Arc<T>>,
}

// SAFETY: owns one strong count of an `Arc<T>`, as `Arc<T>` would.
unsafe impl<T: Send + Sync + 'static> Send for Retired<T> {}
// SAFETY: `&Retired` only hands out new `Arc<T>`s and the address.
unsafe impl<T: Send + Sync + 'static> Sync for Retired<T> {}

impl<T: Send + Sync + 'static> Retired<T> {
    /// # Safety
    /// `pointer` came from `Arc::<T>::into_raw`, is no longer reachable
    /// from its cell, and the caller hands over one strong count of it.
    pub(crate) unsafe fn new(pointer: *mut T) -> Self {
        Self {
            // SAFETY: a value pointer of a cell is never null (invariant 1).
            pointer: unsafe { NonNull::new_unchecked(pointer) },
            _owns: PhantomData,
        }
    }

    /// Gives up the retired pointer and its count (to a retired list).
    pub(crate) fn into_raw(self) -> *mut T {
        std::mem::ManuallyDrop::new(self).pointer.as_ptr()
    }

    /// A new strong count of the value, for the caller to keep.
    pub fn to_arc(&self) -> Arc<T> {
        // SAFETY: we own a count, so the value is alive (contract of `new`).
        unsafe { arc_from_protected(self.pointer.as_ptr()) }.expect("not null")
    }

    /// A guard for the value, protected by a hazard slot of this thread (or
    /// an owned count if all are held): no reference-count traffic, and it
    /// stays valid after the `Retired` is given to a list or dropped.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, RetiredList};
    /// use std::sync::Arc;
    ///
    /// let retired = RetiredList::new();
    /// let cell = ArcCell::new(Some(Arc::new(1)));
    /// let old = cell.swap(Some(Arc::new(2))).unwrap();
    /// let previous = old.guard();
    /// retired.retire(old);
    /// retired.reclaim(); // `previous` still protects 1
    /// assert_eq!(*previous, 1);
    /// ```
    pub fn guard(&self) -> Guard<T> {
        match registry::reserve_local_slot() {
            Some(slot) => {
                // Release: as in `ArcCell::protect`. No re-validation: our
                // count keeps the value alive until this store is done, and
                // every pass that could free it starts after the value
                // leaves us (given to a list or dropped), so it sees the slot.
                slot.slot()
                    .store(self.pointer.as_ptr().cast(), Ordering::Release);
                // SAFETY: the slot holds the pointer from while it was alive
                // (see above) until the guard is dropped.
                unsafe { Guard::protected(self.pointer, slot) }
            }
            None => Guard::owned(self.to_arc()),
        }
    }

    /// The value's address (compare only).
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, Seen};
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(Some(Arc::new(1)));
    /// let Seen::Value(before) = cell.seen() else { unreachable!() };
    /// let old = cell.swap(None).unwrap();
    /// assert_eq!(old.as_ptr(), before);
    /// ```
    pub fn as_ptr(&self) -> *const T {
        self.pointer.as_ptr()
    }
}

impl<T: Send + Sync + 'static> Drop for Retired<T> {
    fn drop(&mut self) {
        // SAFETY: we own one count and the pointer is unreachable from its
        // cell (contract of `new`); loads of the cell may still be running,
        // so the heavy fence is needed.
        unsafe { reclaim::release_unreachable(&mut [self.pointer.as_ptr()], true) }
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for Retired<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Retired").field(&self.pointer).finish()
    }
}

impl<T: Send + Sync + 'static> ArcCell<T> {
    /// A cell holding `value` (or empty).
    ///
    /// ```
    /// use gosync_atomic_value::raw::ArcCell;
    /// use std::sync::Arc;
    ///
    /// assert!(ArcCell::<u8>::new(None).load().is_none());
    /// assert_eq!(*ArcCell::new(Some(Arc::new(3))).load().unwrap(), 3);
    /// ```
    pub fn new(value: Option<Arc<T>>) -> Self {
        Self {
            current: AtomicPtr::new(value.map_or(ptr::null_mut(), into_raw)),
            _owns: PhantomData,
        }
    }

    /// What the cell holds now (SeqCst), as an identity.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, Seen};
    ///
    /// let cell = ArcCell::<u8>::new(None);
    /// assert_eq!(cell.seen(), Seen::Empty);
    /// assert!(cell.try_tombstone());
    /// assert_eq!(cell.seen(), Seen::Tombstone);
    /// ```
    #[inline(always)]
    pub fn seen(&self) -> Seen<T> {
        Seen::from_raw(self.current.load(Ordering::SeqCst))
    }

    /// Whether the cell holds the value at `address` now (SeqCst, the
    /// cell's one order; 0: empty). For a caller that owns a count of that
    /// value, so that its address cannot have been reused.
    #[inline(always)]
    pub(crate) fn holds_address(&self, address: usize) -> bool {
        self.current.load(Ordering::SeqCst) as usize == address
    }

    /// Publishes `pointer` in `slot` and re-reads `current` until the two
    /// agree; returns the protected pointer, or null/tombstone (slot
    /// cleared) if the cell stopped holding a value.
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
            if !holds_value(pointer) {
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

    /// Protects the current value in `slot` (which the caller owns) and
    /// returns it; `None` (slot untouched) when there is none.
    #[inline(always)]
    pub(crate) fn protect_in(&self, slot: &AtomicPtr<()>) -> Option<*mut T> {
        let first = self.current.load(Ordering::SeqCst);
        if !holds_value(first) {
            return None;
        }
        let protected = self.protect(slot, first);
        holds_value(protected).then_some(protected)
    }

    /// Protects the current value in one of this thread's hazard slots:
    /// `Ok(None)` when there is none, `Err(NoFreeSlot)` when the thread has
    /// no slot to spare (the caller takes the spare-record path).
    #[inline(always)]
    fn protect_in_own_slot(&self) -> Result<Option<(NonNull<T>, SlotRef)>, NoFreeSlot> {
        let first = self.current.load(Ordering::SeqCst);
        if !holds_value(first) {
            return Ok(None);
        }
        let slot = registry::reserve_local_slot().ok_or(NoFreeSlot)?;
        let protected = self.protect(slot.slot(), first);
        if holds_value(protected) {
            // SAFETY: `holds_value` excludes null.
            Ok(Some((unsafe { NonNull::new_unchecked(protected) }, slot)))
        } else {
            slot.release();
            Ok(None)
        }
    }

    /// The current value, kept alive by the returned guard; `None` when the
    /// cell is empty or holds the tombstone. Lock-free.
    ///
    /// ```
    /// use gosync_atomic_value::raw::ArcCell;
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(Some(Arc::new(String::from("hi"))));
    /// assert_eq!(cell.load().as_deref().map(String::as_str), Some("hi"));
    /// ```
    #[inline(always)]
    pub fn load(&self) -> Option<Guard<T>> {
        match self.protect_in_own_slot() {
            // SAFETY: `protect` validated the pointer in this slot.
            Ok(found) => found.map(|(value, slot)| unsafe { Guard::protected(value, slot) }),
            Err(NoFreeSlot) => self.load_through_spare_slot().map(Guard::owned),
        }
    }

    /// The current value as an owned `Arc` (`None`: empty or tombstone).
    ///
    /// ```
    /// use gosync_atomic_value::raw::ArcCell;
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(Some(Arc::new(7)));
    /// let arc: Arc<i32> = cell.load_arc().unwrap();
    /// drop(cell);
    /// assert_eq!(*arc, 7);
    /// ```
    pub fn load_arc(&self) -> Option<Arc<T>> {
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
            let first = self.current.load(Ordering::SeqCst);
            if !holds_value(first) {
                return None;
            }
            let protected = self.protect(slot, first);
            if !holds_value(protected) {
                return None;
            }
            // SAFETY: validated by `protect`, alive until the slot clears.
            let arc = unsafe { arc_from_protected(protected) };
            // Release: as in `Record::release`.
            slot.store(ptr::null_mut(), Ordering::Release);
            arc
        })
    }

    /// Replaces the content with `new` if it is still `current`; on success
    /// returns the replaced value (if there was one) to be retired, on
    /// failure hands `new` back.
    ///
    /// A `Seen::Value` from a guard that is still alive cannot be an ABA
    /// false match: the guard keeps the address from being reused.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, Seen};
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(None);
    /// assert!(cell.compare_exchange(Seen::Empty, Some(Arc::new(1))).is_ok());
    /// let lost = cell.compare_exchange(Seen::Empty, Some(Arc::new(2))).unwrap_err();
    /// assert_eq!(lost.as_deref(), Some(&2));
    /// ```
    pub fn compare_exchange(
        &self,
        current: Seen<T>,
        new: Option<Arc<T>>,
    ) -> Result<Option<Retired<T>>, Option<Arc<T>>> {
        let replacement = new.map_or(ptr::null_mut(), into_raw);
        match self.current.compare_exchange(
            current.into_raw(),
            replacement,
            Ordering::SeqCst,
            Ordering::SeqCst,
        ) {
            // SAFETY: swapped out just now, so unreachable from the cell,
            // and its count (invariant 1) passes to the `Retired`.
            Ok(old) => Ok(holds_value(old).then(|| unsafe { Retired::new(old) })),
            // SAFETY: `replacement` was never published; take back the only
            // count, made by `into_raw` above.
            Err(_) => Err((!replacement.is_null()).then(|| unsafe { Arc::from_raw(replacement) })),
        }
    }

    /// Replaces whatever the cell holds (a tombstone included) with `new`,
    /// returning the replaced value if there was one.
    ///
    /// ```
    /// use gosync_atomic_value::raw::ArcCell;
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(Some(Arc::new(1)));
    /// let old = cell.swap(Some(Arc::new(2))).unwrap();
    /// assert_eq!(*old.to_arc(), 1);
    /// ```
    pub fn swap(&self, new: Option<Arc<T>>) -> Option<Retired<T>> {
        let old = self
            .current
            .swap(new.map_or(ptr::null_mut(), into_raw), Ordering::SeqCst);
        // SAFETY: swapped out just now; its count passes to the `Retired`.
        holds_value(old).then(|| unsafe { Retired::new(old) })
    }

    /// Turns an empty cell into the tombstone; `false` if it was not empty.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, Seen};
    ///
    /// let cell = ArcCell::<u8>::new(None);
    /// assert!(cell.try_tombstone());
    /// assert!(!cell.try_tombstone());
    /// assert!(cell.load().is_none());
    /// assert!(cell.compare_exchange(Seen::Tombstone, None).is_ok());
    /// ```
    pub fn try_tombstone(&self) -> bool {
        self.current
            .compare_exchange(
                ptr::null_mut(),
                tombstone(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok()
    }
}

impl<T: Send + Sync + 'static> Drop for ArcCell<T> {
    fn drop(&mut self) {
        // Relaxed: dropping needs ownership, so every other access to
        // `current` already happened-before this drop.
        let current = self.current.load(Ordering::Relaxed);
        if holds_value(current) {
            // SAFETY: the cell owned this count (invariant 1) and is going
            // away, so nobody can reach the value through it any more; every
            // load of it happened-before this drop, so no heavy fence.
            unsafe { reclaim::release_unreachable(&mut [current], false) }
        }
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for ArcCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ArcCell").field(&self.seen()).finish()
    }
}

/// All of this thread's hazard slots are held by guards.
struct NoFreeSlot;

/// Whether a `current` pointer is a value (neither empty nor tombstone).
#[inline(always)]
fn holds_value<T>(pointer: *mut T) -> bool {
    !pointer.is_null() && pointer != tombstone()
}

pub(crate) fn into_raw<T>(arc: Arc<T>) -> *mut T {
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
