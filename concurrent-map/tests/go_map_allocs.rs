//! Ports of the allocation tests of Go's `src/sync/map_test.go` (Go 1.27):
//! `TestMapRangeNoAllocations` and `TestMapClearOneAllocation`. A test
//! binary of their own, for its counting global allocator; allocations are
//! counted per thread, so tests running in parallel do not disturb each
//! other.
#![cfg(not(gosync_loom))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use gosync_concurrent_map::Map;

/// The system allocator, counting this thread's allocations.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: the count may be gone during thread teardown.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards every call to `System` unchanged; counting touches a
// const-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Go's `testing.AllocsPerRun`: one warm-up call, then the average number
/// of allocations (on this thread) per call over `runs` calls.
fn allocs_per_run(runs: usize, mut f: impl FnMut()) -> usize {
    f();
    let before = ALLOCATIONS.with(Cell::get);
    for _ in 0..runs {
        f();
    }
    (ALLOCATIONS.with(Cell::get) - before) / runs
}

/// Go: `TestMapRangeNoAllocations` (issue 62404).
#[test]
fn test_map_range_no_allocations() {
    let m = Map::<u64, u64>::new();
    let allocs = allocs_per_run(10, || m.range(|_, _| true));
    assert_eq!(allocs, 0, "allocations per range of an empty map");
}

/// Go: `TestMapClearOneAllocation`.
#[test]
fn test_map_clear_one_allocation() {
    let m = Map::<u64, u64>::new();
    let allocs = allocs_per_run(10, || m.clear());
    assert!(
        allocs <= 1,
        "{allocs} allocations per clear; want at most 1"
    );
}
