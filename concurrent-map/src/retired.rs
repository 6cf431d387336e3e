//! Where replaced and deleted values wait for reclamation: one retired
//! list per thread slot, so that writers on different threads do not
//! contend for one list's lock.
//!
//! Every store, swap, compare-and-swap and delete retires the value it
//! replaced. With a single list, two writing threads take turns on one
//! mutex on every write (a profile of Go's `SwapMostlyHits` workload spent
//! 42% of its time there). Each thread instead takes a shard, round-robin
//! at its first write, and retires into that shard's list; each list runs
//! its own batched passes. Passes are independent: any list may free a
//! value whatever thread replaced it, once no hazard slot holds it.

use crate::sync::Arc;
use crossbeam_utils::CachePadded;
use gosync_atomic_value::raw::{Retired, RetiredList};

/// How many lists: enough that up to this many writing threads never
/// share one; each costs one padded block per map.
const SHARDS: usize = 4;

pub(crate) struct RetiredValues<V: Send + Sync + 'static> {
    shards: [CachePadded<RetiredList<V>>; SHARDS],
}

impl<V: Send + Sync + 'static> RetiredValues<V> {
    pub(crate) fn new() -> Self {
        Self {
            shards: std::array::from_fn(|_| CachePadded::new(RetiredList::new())),
        }
    }

    /// Hands `value` to this thread's list.
    #[inline]
    pub(crate) fn retire(&self, value: Retired<V>) {
        self.shards[shard_of_this_thread()].retire(value);
    }

    /// An `Arc` for a new value, in an allocation this thread's list kept
    /// from a value it freed, if there is one (`RetiredList::new_arc`).
    #[inline]
    pub(crate) fn new_arc(&self, value: V) -> Arc<V> {
        self.shards[shard_of_this_thread()].new_arc(value)
    }

    /// Runs a pass on every list.
    pub(crate) fn reclaim(&self) {
        for shard in &self.shards {
            shard.reclaim();
        }
    }
}

/// This thread's shard: assigned round-robin on first use, then cached.
#[cfg(not(gosync_loom))]
#[inline]
fn shard_of_this_thread() -> usize {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::thread_local! {
        static SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    SHARD
        .try_with(|shard| {
            if shard.get() == usize::MAX {
                // Relaxed: only spreads threads over shards; any value is
                // correct.
                shard.set(NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS);
            }
            shard.get()
        })
        // A thread-local destructor storing into a map: any shard will do.
        .unwrap_or(0)
}

/// Under loom every thread shares shard 0: the models then exercise one
/// list's locking between threads, the harder case.
#[cfg(gosync_loom)]
fn shard_of_this_thread() -> usize {
    0
}
