//! [`HazardSlot`]: one hazard slot held across many loads, for walks over
//! many cells (such as gosync-concurrent-map's `range`).

use std::fmt;
use std::marker::PhantomData;
use std::ptr;

use crate::cell::ArcCell;
use crate::reclaim;
use crate::registry::{self, Record, SlotRef};
use crate::sync::{AtomicPtr, Ordering};

/// One of this thread's hazard slots, reserved until dropped, that protects
/// one value at a time: each [`protect`](Self::protect) moves it to the
/// value of another [`ArcCell`].
///
/// Walking `n` cells through one slot costs a store, a compiler fence and a
/// re-read per cell, where a [`Guard`](crate::Guard) per cell would also
/// reserve and release a slot each time. The borrow returned by `protect`
/// ends at the next `protect`, so only one value is protected at a time.
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::raw::{ArcCell, HazardSlot};
/// use std::sync::Arc;
///
/// let cells: Vec<ArcCell<u64>> = (1..=4).map(|i| ArcCell::new(Some(Arc::new(i)))).collect();
/// let mut slot = HazardSlot::new();
/// let mut sum = 0;
/// for cell in &cells {
///     if let Some(value) = slot.protect(cell) {
///         sum += *value;
///     }
/// }
/// assert_eq!(sum, 10);
/// ```
pub struct HazardSlot {
    place: Place,
    /// The pointer the slot protects (null: none).
    protected: *mut (),
    /// A slot belongs to its thread's record: not `Send`.
    _not_send: PhantomData<*const ()>,
}

enum Place {
    /// A slot of this thread's record.
    Own(SlotRef),
    /// Slot 0 of a record claimed for as long as this `HazardSlot` lives
    /// (this thread's slots were all held, or its thread-local is gone).
    Spare(&'static Record),
}

impl HazardSlot {
    /// Reserves a slot of this thread's record (or, if all are held, a
    /// spare record's).
    ///
    /// ```
    /// let _slot = gosync_atomic_value::raw::HazardSlot::new();
    /// ```
    pub fn new() -> Self {
        let place = match registry::reserve_local_slot() {
            Some(slot) => Place::Own(slot),
            None => Place::Spare(registry::claim_record()),
        };
        Self {
            place,
            protected: ptr::null_mut(),
            _not_send: PhantomData,
        }
    }

    #[inline(always)]
    fn slot(&self) -> &'static AtomicPtr<()> {
        match self.place {
            Place::Own(slot) => slot.slot(),
            Place::Spare(record) => record.slot(0),
        }
    }

    /// Protects `cell`'s current value, if it holds one, and returns it;
    /// whatever the slot protected before is no longer protected by it.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, HazardSlot};
    /// use std::sync::Arc;
    ///
    /// let cell = ArcCell::new(Some(Arc::new("a")));
    /// let mut slot = HazardSlot::new();
    /// assert_eq!(slot.protect(&cell), Some(&"a"));
    /// assert_eq!(slot.protect(&ArcCell::<&str>::new(None)), None);
    /// ```
    #[inline]
    pub fn protect<'s, T: Send + Sync + 'static>(&'s mut self, cell: &ArcCell<T>) -> Option<&'s T> {
        let slot = self.slot();
        let previous = self.protected;
        let protected = cell.protect_in(slot);
        if protected.is_none() && !previous.is_null() {
            // Release: as in `Record::release`.
            slot.store(ptr::null_mut(), Ordering::Release);
        }
        self.protected = protected.map_or(ptr::null_mut(), |value| value.cast());
        if !previous.is_null() && previous != self.protected {
            // Our slot no longer holds `previous`: if it was an orphan only
            // we protected, free it (as a dropped guard would).
            reclaim::after_guard_release(previous);
        }
        // SAFETY: `protect_in` validated the pointer in our slot, which
        // keeps it alive until the slot moves on, which takes `&mut self`.
        protected.map(|value| unsafe { &*value })
    }
}

impl Default for HazardSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for HazardSlot {
    fn drop(&mut self) {
        match self.place {
            Place::Own(slot) => slot.release(),
            Place::Spare(record) => {
                // Release: as in `Record::release`.
                record.slot(0).store(ptr::null_mut(), Ordering::Release);
                record.unclaim();
            }
        }
        if !self.protected.is_null() {
            reclaim::after_guard_release(self.protected);
        }
    }
}

impl fmt::Debug for HazardSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HazardSlot")
            .field("protected", &self.protected)
            .finish()
    }
}
