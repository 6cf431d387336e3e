//! [`Guard`]: a loaded value, kept alive by a hazard slot.

use crate::sync::Arc;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

use crate::reclaim;
use crate::registry::SlotRef;

/// A value loaded from an [`AtomicValue`](crate::AtomicValue), returned by
/// [`load`](crate::AtomicValue::load).
///
/// Dereferences to the value. While the guard lives, the value stays alive
/// even if the `AtomicValue` is stored to or dropped; the guard does not
/// borrow the `AtomicValue`.
///
/// A guard normally costs no atomic read-modify-write: it holds one of its
/// thread's hazard slots (8 per thread). A thread that holds more guards at
/// once gets owned ones, which cost an `Arc` increment and decrement, as
/// does [`Clone`]. Because the slot belongs to the thread, a guard cannot be
/// sent to another thread: turn it into an `Arc` with [`Guard::into_arc`]
/// first.
///
/// ```compile_fail
/// use gosync_atomic_value::AtomicValue;
///
/// let value = AtomicValue::new(1);
/// let guard = value.load().unwrap();
/// std::thread::spawn(move || println!("{}", *guard)); // Guard is !Send
/// ```
///
/// A shared `&Guard<T>` lets another thread clone it and turn the clone
/// into the last `Arc<T>`, dropping the `T` there; so a guard is `Sync`
/// only when `T` is `Send + Sync`, as for `Arc<T>`. A `MutexGuard` (`Sync`
/// but not `Send`) must not be dropped on another thread:
///
/// ```compile_fail
/// fn sync<S: Sync>() {}
/// sync::<gosync_atomic_value::Guard<std::sync::MutexGuard<'static, u8>>>();
/// ```
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::AtomicValue;
///
/// let value = AtomicValue::new(String::from("v1"));
/// let guard = value.load().unwrap();
/// value.store(String::from("v2"));
/// assert_eq!(*guard, "v1"); // still the value it loaded
/// assert_eq!(*value.load().unwrap(), "v2");
/// ```
pub struct Guard<T> {
    value: NonNull<T>,
    /// The hazard slot protecting `value`, or `None` when the guard owns a
    /// strong count of the `Arc` instead.
    hazard: Option<SlotRef>,
    /// Owns (a share of) an `Arc<T>`; `!Send` because the slot is this
    /// thread's.
    _marker: PhantomData<(Arc<T>, *const ())>,
}

// SAFETY: a `&Guard<T>` hands out `&T` (needs `T: Sync`) and clones: an
// owned guard on the other thread, which `into_arc` turns into an `Arc<T>`
// that may be the last one and drop the `T` there (needs `T: Send`), the
// same bounds as `Arc<T>: Sync`. Releasing the slot needs ownership of the
// original guard, which stays on its thread (`!Send`).
unsafe impl<T: Send + Sync> Sync for Guard<T> {}

impl<T> Guard<T> {
    /// # Safety
    /// `value` came from `Arc::<T>::into_raw`, and `slot` holds it and was
    /// validated: the value was still current after the slot was published.
    #[inline(always)]
    pub(crate) unsafe fn protected(value: NonNull<T>, slot: SlotRef) -> Self {
        Self {
            value,
            hazard: Some(slot),
            _marker: PhantomData,
        }
    }

    pub(crate) fn owned(arc: Arc<T>) -> Self {
        // SAFETY: `Arc::into_raw` never returns null.
        let value = unsafe { NonNull::new_unchecked(Arc::into_raw(arc).cast_mut()) };
        Self {
            value,
            hazard: None,
            _marker: PhantomData,
        }
    }

    /// Turns the guard into an `Arc` to the same value (one atomic increment
    /// if the guard held a hazard slot, none if it was already owned).
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::{AtomicValue, Guard};
    /// use std::sync::Arc;
    ///
    /// let value = AtomicValue::new(7);
    /// let arc: Arc<i32> = Guard::into_arc(value.load().unwrap());
    /// std::thread::spawn(move || assert_eq!(*arc, 7)).join().unwrap();
    /// ```
    pub fn into_arc(this: Self) -> Arc<T> {
        let this = std::mem::ManuallyDrop::new(this);
        if this.hazard.is_some() {
            // SAFETY: the slot keeps the value (and the AtomicValue's strong
            // count of it) alive, so adding a count is sound.
            unsafe { Arc::increment_strong_count(this.value.as_ptr()) };
        }
        // SAFETY: we now own one strong count of `value`: the one just added,
        // or the owned guard's, which `ManuallyDrop` keeps from being
        // released twice.
        let arc = unsafe { Arc::from_raw(this.value.as_ptr()) };
        if let Some(slot) = this.hazard {
            slot.release();
            reclaim::after_guard_release(this.value.as_ptr().cast());
        }
        arc
    }

    /// Whether two guards (or a guard and an `Arc`, through
    /// [`Arc::as_ptr`]) refer to the same stored value, not merely equal ones.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::{AtomicValue, Guard};
    ///
    /// let value = AtomicValue::new(1);
    /// let a = value.load().unwrap();
    /// let b = value.load().unwrap();
    /// value.store(1);
    /// let c = value.load().unwrap();
    /// assert!(Guard::ptr_eq(&a, &b));
    /// assert!(!Guard::ptr_eq(&a, &c)); // equal, but a different store
    /// ```
    pub fn ptr_eq(this: &Self, other: &Self) -> bool {
        this.value == other.value
    }

    /// A raw pointer to the value, valid while the guard lives.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::{AtomicValue, Guard};
    ///
    /// let value = AtomicValue::new(5);
    /// let guard = value.load().unwrap();
    /// let arc = value.load_arc().unwrap();
    /// assert_eq!(Guard::as_ptr(&guard), std::sync::Arc::as_ptr(&arc));
    /// // SAFETY: the guard is alive, so the value is.
    /// assert_eq!(unsafe { *Guard::as_ptr(&guard) }, 5);
    /// ```
    pub fn as_ptr(this: &Self) -> *const T {
        this.value.as_ptr()
    }
}

impl<T> Deref for Guard<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the value is alive while the guard is (the hazard slot or
        // the owned count keeps it), and is never mutated after its store.
        unsafe { self.value.as_ref() }
    }
}

impl<T> From<Arc<T>> for Guard<T> {
    /// An owned guard: it keeps `arc`'s strong count instead of a hazard
    /// slot. Structures built on this crate (such as gosync-concurrent-map)
    /// use it to hand out values they already hold an `Arc` to.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::Guard;
    /// use std::sync::Arc;
    ///
    /// let guard = Guard::from(Arc::new(5));
    /// assert_eq!(*guard, 5);
    /// assert_eq!(*Guard::into_arc(guard), 5);
    /// ```
    fn from(arc: Arc<T>) -> Self {
        Self::owned(arc)
    }
}

impl<T> Clone for Guard<T> {
    /// An owned guard to the same value: one `Arc` increment.
    fn clone(&self) -> Self {
        // SAFETY: `self` keeps the value alive, so adding a count is sound;
        // the new guard owns it.
        unsafe { Arc::increment_strong_count(self.value.as_ptr()) };
        Self {
            value: self.value,
            hazard: None,
            _marker: PhantomData,
        }
    }
}

impl<T> Drop for Guard<T> {
    #[inline(always)]
    fn drop(&mut self) {
        match self.hazard {
            Some(slot) => {
                slot.release();
                reclaim::after_guard_release(self.value.as_ptr().cast());
            }
            None => drop_owned(self.value),
        }
    }
}

/// Releases an owned guard's strong count; out of line so that the slot
/// guard's drop stays small enough to inline.
#[cold]
#[inline(never)]
fn drop_owned<T>(value: NonNull<T>) {
    // SAFETY: an owned guard holds one strong count (see `Guard::owned`).
    unsafe { Arc::decrement_strong_count(value.as_ptr()) }
}

impl<T: fmt::Debug> fmt::Debug for Guard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: fmt::Display> fmt::Display for Guard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T> AsRef<T> for Guard<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T> std::borrow::Borrow<T> for Guard<T> {
    fn borrow(&self) -> &T {
        self
    }
}
