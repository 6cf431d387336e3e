//! [`Reader`]: one thread's cached view of an [`AtomicValue`], for loops
//! that load the same value over and over.
//!
//! The cache is an `Arc` to the value the reader last saw. Because the
//! reader owns a count of it, that allocation cannot be freed and its
//! address cannot be handed to another value while it is cached, so "the
//! cell still holds the cached pointer" means "the cached value is still the
//! stored one": no version word is needed, and the steady-state load is one
//! load of the cell's pointer (a line only stores write) and a compare.

use std::fmt;
use std::ops::Deref;

use crate::sync::Arc;
use crate::value::AtomicValue;

/// A cached reader of an [`AtomicValue`]: loads that cost one shared read
/// and a compare while the value stays the same.
///
/// [`AtomicValue::load`] publishes a hazard pointer on every call, so it
/// can be called from anywhere, holds nothing between calls and never
/// delays a replaced value's drop. A `Reader` trades that for speed: it
/// keeps an `Arc` to the value it last returned, and each
/// [`load`](Self::load) only checks that the `AtomicValue` still holds that
/// value. When a store has replaced it, the load takes the new value (as
/// [`AtomicValue::load_arc`] does) and releases the old one.
///
/// Use one where a thread loads the same value many times and can keep
/// state between the loads: a worker reading its configuration on every
/// request, an event loop checking a routing table. Each thread keeps its
/// own reader (`load` takes `&mut self`).
///
/// What it costs:
/// * A value replaced while a reader caches it stays alive until that
///   reader's next `load` or its drop, like any other `Arc` to it (the
///   10 ms rule of [`crate::docs::design`] starts when the last `Arc`
///   goes). An idle reader of a value that is replaced with something
///   large keeps the old one; drop the reader, or call
///   [`clear`](Self::clear), when it will be idle for long.
/// * The value may be dropped on the reader's thread, by the `load` that
///   releases the last `Arc` to it.
///
/// `V` is whatever gives access to the `AtomicValue`: `&AtomicValue<T>`
/// (from [`AtomicValue::reader`]), or an `Arc<AtomicValue<T>>` or other
/// owner (through [`Reader::new`]) for a reader that is stored in a struct
/// or moved to a thread.
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::AtomicValue;
///
/// let config = AtomicValue::new(String::from("v1"));
/// let mut reader = config.reader();
/// assert_eq!(**reader.load().unwrap(), "v1");
/// assert_eq!(**reader.load().unwrap(), "v1"); // a compare, no new count
///
/// config.store(String::from("v2"));
/// assert_eq!(**reader.load().unwrap(), "v2"); // sees the store at once
/// ```
///
/// A worker thread that owns its reader:
///
/// ```
/// use gosync_atomic_value::{AtomicValue, Reader};
/// use std::sync::Arc;
///
/// let limit = Arc::new(AtomicValue::new(10_u32));
/// let worker = {
///     let mut limit = Reader::new(Arc::clone(&limit));
///     std::thread::spawn(move || {
///         let mut served = 0;
///         while served < **limit.load().unwrap() {
///             served += 1;
///         }
///         served
///     })
/// };
/// assert!(worker.join().unwrap() >= 10);
/// limit.store(20);
/// ```
pub struct Reader<V, T: Send + Sync + 'static> {
    value: V,
    cached: Option<Arc<T>>,
    /// The address of `cached`'s value, 0 for `None`: what the cell holds
    /// while the cache is current, kept beside it so that the check is one
    /// compare (an address, not a pointer, so the reader stays `Send` and
    /// `Sync` by its fields alone).
    cached_at: usize,
}

impl<V, T> Reader<V, T>
where
    V: Deref<Target = AtomicValue<T>>,
    T: Send + Sync + 'static,
{
    /// A reader of the `AtomicValue` behind `value`. It loads nothing yet:
    /// the first [`load`](Self::load) does.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::{AtomicValue, Reader};
    /// use std::sync::Arc;
    ///
    /// struct Worker {
    ///     config: Reader<Arc<AtomicValue<String>>, String>,
    /// }
    ///
    /// let config = Arc::new(AtomicValue::new(String::from("a")));
    /// let mut worker = Worker { config: Reader::new(Arc::clone(&config)) };
    /// assert_eq!(**worker.config.load().unwrap(), "a");
    /// ```
    pub fn new(value: V) -> Self {
        Self {
            value,
            cached: None,
            cached_at: 0,
        }
    }

    /// The most recently stored value, or `None` if nothing has been stored
    /// yet: what [`AtomicValue::load`] would return at this moment.
    ///
    /// While the value is the one this reader returned last time, this is
    /// one load of the `AtomicValue`'s pointer and a compare: no store to
    /// any shared memory, no fence, no count. After a store it takes the
    /// new value (a hazard-protected load and one atomic increment) and
    /// drops the reader's count of the old one.
    ///
    /// A store, swap or successful compare-and-swap happens-before every
    /// load that returns its value, as for [`AtomicValue::load`].
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    /// use std::sync::Arc;
    ///
    /// let value = AtomicValue::empty();
    /// let mut reader = value.reader();
    /// assert!(reader.load().is_none());
    /// value.store(7);
    /// let seven: Arc<i32> = Arc::clone(reader.load().unwrap());
    /// assert_eq!(*seven, 7);
    /// ```
    #[inline]
    pub fn load(&mut self) -> Option<&Arc<T>> {
        if self.value.holds_address(self.cached_at) {
            return self.cached.as_ref();
        }
        // Out of line (cold), so that the check above stays a few
        // instructions wherever `load` is inlined.
        self.refresh()
    }

    /// The store replaced what this reader saw: take the new value, then
    /// release the old one (in that order, so that the drop of the old
    /// value, which may run user code, comes after the reader is current).
    #[cold]
    #[inline(never)]
    fn refresh(&mut self) -> Option<&Arc<T>> {
        let fresh = self.value.load_arc();
        self.cached_at = address_of(fresh.as_ref());
        drop(std::mem::replace(&mut self.cached, fresh));
        self.cached.as_ref()
    }

    /// Releases the cached value (if this reader held the last `Arc` to a
    /// replaced value, it is dropped now). The next [`load`](Self::load)
    /// loads afresh.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    /// use std::sync::Arc;
    ///
    /// let first = Arc::new(());
    /// let value = AtomicValue::new(Arc::clone(&first));
    /// let mut reader = value.reader();
    /// reader.load();
    /// value.store(Arc::new(()));
    /// value.reclaim();
    /// assert_eq!(Arc::strong_count(&first), 2); // the reader still caches it
    /// reader.clear();
    /// assert_eq!(Arc::strong_count(&first), 1);
    /// ```
    pub fn clear(&mut self) {
        self.cached_at = 0;
        self.cached = None;
    }

    /// The `AtomicValue` this reader reads, for storing to it.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(1);
    /// let mut reader = value.reader();
    /// reader.value().store(2);
    /// assert_eq!(**reader.load().unwrap(), 2);
    /// ```
    pub fn value(&self) -> &AtomicValue<T> {
        &self.value
    }

    /// Gives back what the reader was made from, releasing its cache.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::{AtomicValue, Reader};
    /// use std::sync::Arc;
    ///
    /// let value = Arc::new(AtomicValue::new(1));
    /// let reader = Reader::new(Arc::clone(&value));
    /// let back: Arc<AtomicValue<i32>> = reader.into_inner();
    /// assert!(Arc::ptr_eq(&back, &value));
    /// ```
    pub fn into_inner(self) -> V {
        self.value
    }
}

/// Where `cached`'s value lives, as the cell stores it (0: none).
fn address_of<T>(cached: Option<&Arc<T>>) -> usize {
    cached.map_or(0, |arc| Arc::as_ptr(arc) as usize)
}

impl<V: Clone, T: Send + Sync + 'static> Clone for Reader<V, T> {
    /// Another reader of the same value, starting with the same cache.
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            cached: self.cached.clone(),
            cached_at: self.cached_at,
        }
    }
}

impl<V, T> fmt::Debug for Reader<V, T>
where
    T: Send + Sync + fmt::Debug + 'static,
{
    /// Shows the cached value (which may be older than the stored one).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("cached", &self.cached)
            .finish_non_exhaustive()
    }
}

impl<T: Send + Sync + 'static> AtomicValue<T> {
    /// A [`Reader`] of this value: a cache for a thread that loads it over
    /// and over (see [`Reader`] for when to use one over
    /// [`load`](Self::load)).
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_atomic_value::AtomicValue;
    ///
    /// let value = AtomicValue::new(3);
    /// let mut reader = value.reader();
    /// let sum: i32 = (0..4).map(|_| **reader.load().unwrap()).sum();
    /// assert_eq!(sum, 12);
    /// ```
    pub fn reader(&self) -> Reader<&Self, T> {
        Reader::new(self)
    }
}
