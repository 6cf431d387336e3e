//! Replaced values' allocations are reused by later stores (`src/husk.rs`),
//! counted with a counting global allocator; and a value with a `Weak`
//! outstanding is never reused.
#![cfg(not(gosync_loom))]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{Ledger, Tracked};
use gosync_atomic_value::AtomicValue;

/// Counts every allocation of the process (this test binary only).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to `System`, counting on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn steady_stores_reuse_the_allocations_of_replaced_values() {
    let stores = if cfg!(miri) { 200 } else { 20_000 };
    let value = AtomicValue::new([0u64; 4]);
    // Warm up: the first passes have no husks yet, and the list's vectors
    // grow to their working size.
    for i in 0..stores {
        value.store([i; 4]);
    }
    value.reclaim();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for i in 0..stores {
        value.store([i; 4]);
        if i % 16 == 0 {
            value.reclaim();
        }
    }
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    assert!(
        allocations < stores as usize / 8,
        "{allocations} allocations for {stores} stores: replaced values' memory is not reused"
    );
    assert_eq!(*value.load().unwrap(), [stores - 1; 4]);
}

#[test]
fn a_value_with_a_weak_outstanding_is_dropped_not_reused() {
    let ledger = Ledger::new();
    let value = AtomicValue::new(Tracked::new(&ledger, 0));
    let weak = Arc::downgrade(&value.load_arc().unwrap());
    value.store(Tracked::new(&ledger, 1));
    value.reclaim();
    assert!(
        weak.upgrade().is_none(),
        "the value outlived its last strong count"
    );
    assert_eq!(ledger.alive(), [1], "value 0 was dropped once");
    // The allocation stays the Weak's; later stores make their own.
    value.store(Tracked::new(&ledger, 2));
    value.reclaim();
    assert_eq!(ledger.alive(), [2]);
    assert_eq!(value.load().unwrap().key(), 2);
    drop(weak);
    drop(value);
    ledger.assert_all_dropped_once();
}

#[test]
fn a_value_whose_arc_is_still_held_is_not_reused() {
    let value = AtomicValue::new(String::from("first"));
    let kept = value.load_arc().unwrap();
    for i in 0..100 {
        value.store(format!("v{i}"));
    }
    value.reclaim();
    assert_eq!(
        *kept, "first",
        "reusing a held value's allocation would overwrite it"
    );
    assert_eq!(*value.load().unwrap(), "v99");
}
