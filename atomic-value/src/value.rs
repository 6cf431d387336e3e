//! The public [`AtomicValue`] and its unpadded twin for the benchmarks.

use crate::sync::Arc;
use std::fmt;

use crossbeam_utils::CachePadded;

use crate::guard::Guard;
use crate::raw_value::RawAtomicValue;

/// A value that threads load and replace atomically: Go's `atomic.Value`.
///
/// Loads are lock-free and write no memory that another reader writes: a
/// load publishes the value's pointer in one of its own thread's hazard
/// slots (see [`Guard`]). Stores swap the pointer and hand the old value to
/// a reclamation pass, which drops it once no guard holds it; see
/// [`crate::docs::design`] for the scheme and when exactly old values are
/// dropped.
///
/// The `AtomicValue` fills one cache-line slot by itself (128 bytes on
/// x86_64 and aarch64), so values in an array or next to other hot fields do
/// not slow each other down.
///
/// `T: Send + Sync + 'static` because a replaced value can be dropped by
/// whichever thread runs the pass that frees it, possibly after the
/// `AtomicValue` itself is gone (when a guard outlives it).
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::AtomicValue;
/// use std::sync::Arc;
/// use std::thread;
///
/// let config = Arc::new(AtomicValue::new(String::from("v1")));
/// let reader = {
///     let config = Arc::clone(&config);
///     thread::spawn(move || {
///         // Every load sees a whole value: "v1" or "v2", never a mix.
///         let seen = config.load().unwrap();
///         assert!(*seen == "v1" || *seen == "v2");
///     })
/// };
/// config.store(String::from("v2"));
/// reader.join().unwrap();
/// assert_eq!(*config.load().unwrap(), "v2");
/// ```
pub struct AtomicValue<T: Send + Sync + 'static> {
    raw: CachePadded<RawAtomicValue<T>>,
}

impl<T: Send + Sync + 'static> AtomicValue<T> {
    /// Creates an `AtomicValue` holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(5);
    /// assert_eq!(*value.load().unwrap(), 5);
    /// ```
    pub fn new(value: T) -> Self {
        Self {
            raw: CachePadded::new(RawAtomicValue::new(Some(value))),
        }
    }

    /// Creates an empty `AtomicValue`, like Go's zero `atomic.Value`:
    /// [`load`](Self::load) returns `None` until the first store.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::<u32>::empty();
    /// assert!(value.load().is_none());
    /// value.store(1);
    /// assert_eq!(*value.load().unwrap(), 1);
    /// ```
    pub fn empty() -> Self {
        Self {
            raw: CachePadded::new(RawAtomicValue::new(None)),
        }
    }

    /// Returns the most recently stored value, or `None` if nothing has been
    /// stored yet.
    ///
    /// Lock-free, and on Linux free of atomic read-modify-writes and of
    /// store-load fences: it costs a few plain loads and stores to this
    /// thread's own cache line. The guard keeps the value alive; drop it
    /// promptly (a thread holding more than 8 guards at once gets slower,
    /// owned guards).
    ///
    /// A store, swap or successful compare-and-swap happens-before every load
    /// that returns its value.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(vec![1, 2, 3]);
    /// let guard = value.load().unwrap();
    /// assert_eq!(guard.len(), 3);
    /// ```
    #[inline(always)]
    pub fn load(&self) -> Option<Guard<T>> {
        self.raw.load()
    }

    /// Returns the most recently stored value as an `Arc`, or `None` if
    /// nothing has been stored yet.
    ///
    /// Like [`load`](Self::load) plus one atomic increment of the `Arc`'s
    /// count; use it to keep the value for long or to send it to another
    /// thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(String::from("config"));
    /// let arc = value.load_arc().unwrap();
    /// std::thread::spawn(move || assert_eq!(*arc, "config")).join().unwrap();
    /// ```
    pub fn load_arc(&self) -> Option<Arc<T>> {
        self.raw.load_arc()
    }

    /// Whether the value stored now is exactly the allocation at `address`
    /// (0: empty), for [`Reader`](crate::Reader), which owns a count of it.
    #[inline(always)]
    pub(crate) fn holds_address(&self, address: usize) -> bool {
        self.raw.holds_address(address)
    }

    /// Replaces the value with `value`.
    ///
    /// The old value is dropped when no guard or `Arc` holds it any more:
    /// by this store's reclamation pass, a later one, or at the latest
    /// a few ms (within 10) after its last guard goes, by the reclaimer
    /// thread (see
    /// [`reclaim`](Self::reclaim)). It never waits for another store.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(1);
    /// value.store(2);
    /// assert_eq!(*value.load().unwrap(), 2);
    /// ```
    pub fn store(&self, value: T) {
        self.raw.store(value)
    }

    /// Replaces the value with `value` and returns the previous one (`None`
    /// if it was empty), like Go's `Value.Swap`.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::empty();
    /// assert_eq!(value.swap(1), None);
    /// assert_eq!(value.swap(2).as_deref(), Some(&1));
    /// ```
    pub fn swap(&self, value: T) -> Option<Arc<T>> {
        self.raw.swap(value)
    }

    /// Replaces the value with `new` if the current value equals `old`
    /// (`None`: if it is empty), like Go's `Value.CompareAndSwap`.
    ///
    /// Comparison is by value (`PartialEq`), as in Go. The operation is
    /// atomic: it succeeds only if the value it compared is still the stored
    /// one when it swaps, so a store that lands in between is never
    /// overwritten unseen; if it stored an equal value, that value is
    /// compared in turn and replaced, if a different one, the call fails.
    ///
    /// # Errors
    ///
    /// Returns `Err(new)`, handing `new` back, when the current value is not
    /// equal to `old`.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::empty();
    /// assert_eq!(value.compare_and_swap(None, 1), Ok(()));
    /// assert_eq!(value.compare_and_swap(Some(&5), 2), Err(2));
    /// assert_eq!(value.compare_and_swap(Some(&1), 2), Ok(()));
    /// assert_eq!(*value.load().unwrap(), 2);
    /// ```
    pub fn compare_and_swap(&self, old: Option<&T>, new: T) -> Result<(), T>
    where
        T: PartialEq,
    {
        self.raw.compare_and_swap(old, new)
    }

    /// Drops, now, every replaced value that no guard holds.
    ///
    /// Stores free replaced values in batches, and a process-wide
    /// reclaimer thread frees what they leave within a few ms (see
    /// [`crate::docs::design`]); call this after a burst of stores when the
    /// old values hold memory or resources that should go at once, not
    /// after the next tick. A value that a guard still holds stays until
    /// its guard is dropped and a later pass runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    /// use std::sync::Arc;
    ///
    /// let first = Arc::new(());
    /// let value = AtomicValue::new(Arc::clone(&first));
    /// value.store(Arc::new(()));
    /// value.reclaim();
    /// assert_eq!(Arc::strong_count(&first), 1); // the old value was dropped
    /// ```
    pub fn reclaim(&self) {
        self.raw.reclaim()
    }

    /// Whether nothing has been stored yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::empty();
    /// assert!(value.is_empty());
    /// value.store('x');
    /// assert!(!value.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

impl<T: Send + Sync + 'static> Default for AtomicValue<T> {
    /// An empty `AtomicValue`, as [`AtomicValue::empty`].
    fn default() -> Self {
        Self::empty()
    }
}

impl<T: Send + Sync + 'static> From<T> for AtomicValue<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T: Send + Sync + fmt::Debug + 'static> fmt::Debug for AtomicValue<T> {
    /// Shows the current value: `AtomicValue(Some(..))` or
    /// `AtomicValue(None)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AtomicValue").field(&self.load()).finish()
    }
}
