//! Probes: one `#[inline(never)]` function per hot path of the gosync
//! crates, with an unmangled name so that `benches/asm/asm.sh` can find it
//! in the `--emit asm` output and snapshot it as `benches/asm/<name>.s`.
//!
//! Each probe does exactly one public operation, so its assembly is that
//! operation's code as a user's program gets it after inlining.

use gosync_atomic_value::{AtomicValue, Reader};
use gosync_channel::{Receiver, Sender};
use gosync_concurrent_map::Map;
use gosync_waitgroup::WaitGroup;

/// `WaitGroup::add(delta)`.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_waitgroup_add(wg: &WaitGroup, delta: isize) {
    wg.add(delta);
}

/// `WaitGroup::done()`.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_waitgroup_done(wg: &WaitGroup) {
    wg.done();
}

/// `WaitGroup::wait()`.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_waitgroup_wait(wg: &WaitGroup) {
    wg.wait();
}

/// `AtomicValue::load()` on a set value, a read through the guard, and the
/// guard's drop: the whole read side of one load.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_atomic_value_load(v: &AtomicValue<u64>) -> u64 {
    v.load().map_or(0, |guard| *guard)
}

/// `Reader::load()` and a read through the cached `Arc`, on a value the
/// reader already caches (the refresh after a store is out of line).
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_atomic_value_reader_load(
    reader: &mut Reader<&AtomicValue<u64>, u64>,
) -> u64 {
    reader.load().map_or(0, |arc| **arc)
}

/// `AtomicValue::store(x)`: allocating the new value, publishing it and
/// retiring the old one.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_atomic_value_store(v: &AtomicValue<u64>, x: u64) {
    v.store(x);
}

/// `Map::<u64, u64>::load(&key)` (the default hasher, SipHash-1-3), a read
/// through the guard, and the guard's drop: the whole read side of one
/// lookup, hit or miss.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_map_load(map: &Map<u64, u64>, key: u64) -> u64 {
    map.load(&key).map_or(0, |guard| *guard)
}

/// `Sender::try_send(x)` (on a `bounded(n)` channel, n ≥ 1, in the
/// benchmarks): the flavor match, then the bounded ring's lock-free fast
/// path of a send that finds room.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_channel_try_send(tx: &Sender<u64>, x: u64) -> bool {
    tx.try_send(x).is_ok()
}

/// `Receiver::try_recv()`: a receive that finds a message, or reports the
/// channel empty without waiting.
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_channel_try_recv(rx: &Receiver<u64>) -> u64 {
    rx.try_recv().unwrap_or(0)
}

/// Blocking `Sender::send(x)`, uncontended (there is room).
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_channel_send(tx: &Sender<u64>, x: u64) -> bool {
    tx.send(x).is_ok()
}

/// Blocking `Receiver::recv()`, uncontended (a message is there).
#[no_mangle]
#[inline(never)]
pub extern "Rust" fn probe_channel_recv(rx: &Receiver<u64>) -> u64 {
    rx.recv().unwrap_or(0)
}
