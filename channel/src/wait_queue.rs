//! The order a channel's blocked operations queue in: oldest first, with
//! O(1) registration and O(1) withdrawal of any one of them.
//!
//! A waiter withdraws its own entry whenever its wait ends other than by
//! being claimed from this queue: a timeout, a dropped future, a claim by
//! another channel of a select, a close (which wakes every waiter at once
//! and leaves each to withdraw). With a plain vector each withdrawal is a
//! search and a shift, so 100,000 tasks woken by one close took quadratic
//! time to leave (flume #182 and tokio #5861 are the same shape). Here the
//! entries sit in a slab, threaded in arrival order by a doubly linked
//! list of slot numbers, and an index from [`Operation`] to slot finds an
//! entry without a search.
//!
//! The index exists only while the queue is long ([`INDEX_FROM`] entries
//! or more; dropped again below [`INDEX_UNTIL`]). A rendezvous channel
//! registers and claims a waiter under its one lock on every hand-over,
//! with one or two waiters queued: there a scan of a few slots is cheaper
//! than hashing, and every nanosecond inside that lock is paid again by
//! the partner waiting for it (a map kept always measured 1.3–1.9 × slower
//! on the blocking rendezvous rows).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::context::Operation;

/// No slot: the end of a chain.
const NIL: u32 = u32::MAX;

/// Below this many slots a queue is never compacted (a few waiters come
/// and go all the time; their slots are reused, not given back).
const KEEP_SLOTS: usize = 64;

/// A queue this long gets an index by operation (withdrawal by a scan
/// would cost O(n) from here).
const INDEX_FROM: usize = 32;

/// A queue with an index drops it once shorter than this (far enough
/// below [`INDEX_FROM`] that a queue hovering there does not rebuild it
/// back and forth).
const INDEX_UNTIL: usize = 8;

type Index = HashMap<Operation, u32, BuildHasherDefault<AddressHasher>>;

/// Something queued under an [`Operation`].
pub(crate) trait Keyed {
    /// The operation this entry is registered for, unique in its queue.
    fn key(&self) -> Operation;
}

#[derive(Debug)]
struct Slot<E> {
    /// `None` while the slot is free.
    entry: Option<E>,
    /// The neighbours in arrival order (free slots: `next` chains the free
    /// list).
    prev: u32,
    next: u32,
}

/// Entries in arrival order, removable by key or by the first match.
#[derive(Debug)]
pub(crate) struct WaitQueue<E> {
    slots: Vec<Slot<E>>,
    /// First free slot, chained through `next`.
    free: u32,
    head: u32,
    tail: u32,
    len: usize,
    /// Slot by operation, while the queue is long (module docs).
    index: Option<Index>,
}

impl<E> Default for WaitQueue<E> {
    fn default() -> Self {
        WaitQueue {
            slots: Vec::new(),
            free: NIL,
            head: NIL,
            tail: NIL,
            len: 0,
            index: None,
        }
    }
}

impl<E: Keyed> WaitQueue<E> {
    /// Queues `entry` last.
    pub(crate) fn push(&mut self, entry: E) {
        let key = entry.key();
        let at = if self.free == NIL {
            let at = u32::try_from(self.slots.len())
                .ok()
                .filter(|&at| at != NIL)
                .expect("more than 4 billion operations wait on one channel");
            self.slots.push(Slot {
                entry: None,
                prev: NIL,
                next: NIL,
            });
            at
        } else {
            let at = self.free;
            self.free = self.slots[at as usize].next;
            at
        };
        let slot = &mut self.slots[at as usize];
        slot.entry = Some(entry);
        slot.prev = self.tail;
        slot.next = NIL;
        match self.tail {
            NIL => self.head = at,
            tail => self.slots[tail as usize].next = at,
        }
        self.tail = at;
        self.len += 1;
        match &mut self.index {
            Some(index) => {
                let before = index.insert(key, at);
                debug_assert!(before.is_none(), "an operation queued twice");
            }
            None if self.len >= INDEX_FROM => self.build_index(),
            None => debug_assert!(
                self.iter().filter(|entry| entry.key() == key).count() == 1,
                "an operation queued twice"
            ),
        }
    }

    /// Removes the entry registered for `key`, if it is still queued.
    pub(crate) fn remove(&mut self, key: Operation) -> Option<E> {
        match &mut self.index {
            Some(index) => {
                let at = index.remove(&key)?;
                Some(self.unlink(at))
            }
            None => self.remove_first(|entry| entry.key() == key),
        }
    }

    /// Removes and returns the oldest entry for which `pick` is true.
    /// `pick` is called on entries oldest first, up to the first `true`
    /// (callers claim inside it: a `true` is a claim made).
    pub(crate) fn remove_first(&mut self, mut pick: impl FnMut(&E) -> bool) -> Option<E> {
        let mut at = self.head;
        while at != NIL {
            let slot = &self.slots[at as usize];
            let entry = slot.entry.as_ref().expect("a linked slot holds an entry");
            if pick(entry) {
                if let Some(index) = &mut self.index {
                    index.remove(&entry.key());
                }
                return Some(self.unlink(at));
            }
            at = slot.next;
        }
        None
    }

    /// The entries, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &E> + '_ {
        let mut at = self.head;
        std::iter::from_fn(move || {
            if at == NIL {
                return None;
            }
            let slot = &self.slots[at as usize];
            at = slot.next;
            slot.entry.as_ref()
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[cfg(all(test, not(gosync_loom)))]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn unlink(&mut self, at: u32) -> E {
        let slot = &mut self.slots[at as usize];
        let entry = slot.entry.take().expect("a linked slot holds an entry");
        let (prev, next) = (slot.prev, slot.next);
        slot.next = self.free;
        self.free = at;
        match prev {
            NIL => self.head = next,
            prev => self.slots[prev as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            next => self.slots[next as usize].prev = prev,
        }
        self.len -= 1;
        if self.len < INDEX_UNTIL {
            self.index = None;
        }
        if self.slots.len() > KEEP_SLOTS && self.len < self.slots.len() / 4 {
            self.compact();
        }
        entry
    }

    /// Indexes every entry (the queue just grew long).
    #[cold]
    fn build_index(&mut self) {
        let mut index = Index::with_capacity_and_hasher(self.len * 2, Default::default());
        let mut at = self.head;
        while at != NIL {
            let slot = &self.slots[at as usize];
            let key = slot
                .entry
                .as_ref()
                .expect("a linked slot holds an entry")
                .key();
            let before = index.insert(key, at);
            debug_assert!(before.is_none(), "an operation queued twice");
            at = slot.next;
        }
        self.index = Some(index);
    }

    /// Gives back the memory of a queue many waiters left (a burst of
    /// pending futures, all dropped): the live entries move to the front,
    /// in order. Runs once at least three quarters of the slots emptied
    /// since the last time, so it costs O(1) per removal, amortised.
    #[cold]
    fn compact(&mut self) {
        let mut slots = Vec::with_capacity(self.len * 2);
        let mut at = self.head;
        while at != NIL {
            let slot = &mut self.slots[at as usize];
            at = slot.next;
            let entry = slot.entry.take().expect("a linked slot holds an entry");
            let new = slots.len() as u32;
            if let Some(index) = &mut self.index {
                index.insert(entry.key(), new);
            }
            slots.push(Slot {
                entry: Some(entry),
                prev: new.wrapping_sub(1),
                next: new + 1,
            });
        }
        if let Some(first) = slots.first_mut() {
            first.prev = NIL;
        }
        if let Some(last) = slots.last_mut() {
            last.next = NIL;
        }
        self.head = if slots.is_empty() { NIL } else { 0 };
        self.tail = match slots.len() {
            0 => NIL,
            len => len as u32 - 1,
        };
        self.free = NIL;
        self.slots = slots;
        if let Some(index) = &mut self.index {
            index.shrink_to(self.len * 2);
        }
    }
}

/// Hashes an [`Operation`], an address: one multiply, folded so that both
/// the low bits (the table's bucket) and the high bits (its tag) depend on
/// every bit of the address.
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_usize(&mut self, addr: usize) {
        let product = u128::from(self.0 ^ addr as u64) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by `Operation`'s derived `Hash`, which writes one usize.
        for &byte in bytes {
            self.write_usize(usize::from(byte));
        }
    }
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Item(usize);

    impl Keyed for Item {
        fn key(&self) -> Operation {
            Operation::from_word_for_tests(self.0)
        }
    }

    fn keys(queue: &WaitQueue<Item>) -> Vec<usize> {
        queue.iter().map(|item| item.0).collect()
    }

    #[test]
    fn keeps_arrival_order_across_removals() {
        let mut queue = WaitQueue::default();
        for key in 10..20 {
            queue.push(Item(key));
        }
        assert_eq!(
            queue.remove(Operation::from_word_for_tests(15)),
            Some(Item(15))
        );
        assert_eq!(queue.remove(Operation::from_word_for_tests(15)), None);
        assert_eq!(queue.remove_first(|item| item.0 % 2 == 1), Some(Item(11)));
        queue.push(Item(30));
        assert_eq!(keys(&queue), [10, 12, 13, 14, 16, 17, 18, 19, 30]);
        assert_eq!(queue.len(), 9);
        assert_eq!(queue.remove_first(|_| true), Some(Item(10)));
        assert_eq!(
            queue.remove(Operation::from_word_for_tests(30)),
            Some(Item(30))
        );
        assert_eq!(keys(&queue), [12, 13, 14, 16, 17, 18, 19]);
    }

    #[test]
    fn compacts_after_a_burst_leaves() {
        // Smaller under Miri, which runs this about a thousand times slower.
        let (count, kept_every) = if cfg!(miri) {
            (4_000, 40)
        } else {
            (100_000, 1000)
        };
        let mut queue = WaitQueue::default();
        for key in 3..count + 3 {
            queue.push(Item(key));
        }
        // Withdrawn out of order, as dropped futures are.
        for key in (3..count + 3).rev().filter(|key| key % kept_every != 0) {
            assert_eq!(
                queue.remove(Operation::from_word_for_tests(key)),
                Some(Item(key))
            );
        }
        let kept: Vec<_> = (1..=100).map(|k| k * kept_every).collect();
        assert_eq!(keys(&queue), kept);
        // Compacted whenever under a quarter full: at most 4 slots per entry.
        assert!(
            queue.slots.len() <= 4 * 100 + 4,
            "{} slots kept",
            queue.slots.len()
        );
        assert!(queue.index.as_ref().map_or(0, HashMap::capacity) < 1000);
        queue.push(Item(7));
        assert_eq!(queue.remove_first(|item| item.0 == 7), Some(Item(7)));
        for key in kept {
            assert!(queue.remove(Operation::from_word_for_tests(key)).is_some());
        }
        assert!(queue.is_empty());
        assert_eq!(queue.iter().count(), 0);
    }

    /// Against a vector, the obvious model, over random pushes and
    /// removals: once growing (the index is built and used), once
    /// hovering around the index thresholds (built and dropped again).
    #[test]
    fn matches_a_vector_model() {
        let steps = if cfg!(miri) { 2_000 } else { 20_000 };
        for (seed, choices, pushes) in [(0x5eed, 4, 2), (0xfeed, 6, 3)] {
            let mut rng = gosync_testkit::Rng::new(seed);
            let mut queue = WaitQueue::default();
            let mut model: Vec<usize> = Vec::new();
            let mut next = 3;
            let mut indexed = 0;
            for _ in 0..steps {
                let choice = rng.below(choices);
                match choice {
                    _ if choice < pushes => {
                        queue.push(Item(next));
                        model.push(next);
                        next += 1;
                    }
                    _ if choice == pushes && !model.is_empty() => {
                        let key = model.remove(rng.below(model.len()));
                        assert_eq!(
                            queue.remove(Operation::from_word_for_tests(key)),
                            Some(Item(key))
                        );
                    }
                    _ => {
                        let modulus = rng.below(5) + 1;
                        let expected = model.iter().position(|key| key % modulus == 0);
                        let got = queue.remove_first(|item| item.0 % modulus == 0);
                        assert_eq!(got.map(|item| item.0), expected.map(|at| model.remove(at)));
                    }
                }
                assert_eq!(queue.len(), model.len());
                indexed += usize::from(queue.index.is_some());
            }
            assert_eq!(keys(&queue), model);
            assert!(indexed > 0, "seed {seed:#x} never built the index");
        }
    }
}
