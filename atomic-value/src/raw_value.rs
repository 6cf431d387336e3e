//! The algorithm behind [`AtomicValue`](crate::AtomicValue), without the
//! cache-line padding (so the false-sharing benchmark can measure the same
//! code unpadded): one [`ArcCell`] and the [`RetiredList`] its replaced
//! values wait on. The cell's module has the invariants and orderings.

use crate::cell::{ArcCell, Seen};
use crate::guard::Guard;
use crate::reclaim::RetiredList;
use crate::sync::Arc;

pub(crate) struct RawAtomicValue<T: Send + Sync + 'static> {
    // Dropped first: the cell's value is freed (or orphaned) before the
    // list's, which changes nothing but the order of drops.
    cell: ArcCell<T>,
    retired: RetiredList<T>,
}

impl<T: Send + Sync + 'static> RawAtomicValue<T> {
    pub(crate) fn new(value: Option<T>) -> Self {
        Self {
            cell: ArcCell::new(value.map(Arc::new)),
            retired: RetiredList::new(),
        }
    }

    #[inline(always)]
    pub(crate) fn load(&self) -> Option<Guard<T>> {
        self.cell.load()
    }

    #[inline(always)]
    pub(crate) fn holds_address(&self, address: usize) -> bool {
        self.cell.holds_address(address)
    }

    pub(crate) fn load_arc(&self) -> Option<Arc<T>> {
        self.cell.load_arc()
    }

    pub(crate) fn store(&self, value: T) {
        self.retired.store_in(&self.cell, value, false);
    }

    pub(crate) fn swap(&self, value: T) -> Option<Arc<T>> {
        self.retired.store_in(&self.cell, value, true)
    }

    pub(crate) fn compare_and_swap(&self, old: Option<&T>, new: T) -> Result<(), T>
    where
        T: PartialEq,
    {
        let mut new = Some(self.retired.new_arc(new));
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
                .map_or(Seen::Empty, |guard| Seen::Value(Guard::as_ptr(guard)));
            // The guard keeps `expected` alive, so its address cannot be
            // reused by another value while we compare: no ABA.
            match self.cell.compare_exchange(expected, new.take()) {
                Ok(replaced) => {
                    drop(current);
                    if let Some(replaced) = replaced {
                        self.retired.retire(replaced);
                    }
                    return Ok(());
                }
                Err(back) => new = back,
            }
        }
    }

    pub(crate) fn reclaim(&self) {
        self.retired.reclaim();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.cell.seen() == Seen::Empty
    }
}

impl<T: Send + Sync + 'static> Drop for RawAtomicValue<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: every load of the cell (the only way to reach
        // a retired value) happened-before this drop.
        unsafe { self.retired.release_all_after_last_load() }
    }
}
