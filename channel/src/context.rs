//! A blocked thread's side of a wait: what it was woken for, and how it
//! waits.
//!
//! Every blocking operation (a `send` on a full channel, a `recv` on an
//! empty one, a `select` with no ready case) runs inside [`Context::with`]:
//! it registers the context on the wakers of the channels it waits on
//! ([`crate::waker`]), then calls [`Context::wait_until`]. Whoever makes
//! the operation possible claims the context with
//! [`Context::try_select`], which succeeds for exactly one claimant, and
//! then unparks it.
//!
//! # The `select` word
//!
//! | value          | meaning                                               |
//! |----------------|-------------------------------------------------------|
//! | 0              | waiting: nobody has claimed this context yet          |
//! | 1              | aborted: the waiter gave up (timeout, or a case it was registering on turned out ready) |
//! | 2              | closed: a channel it waits on was closed              |
//! | anything else  | the [`Operation`] a partner completed or reserved for it |
//!
//! The word leaves 0 exactly once per wait (a compare-exchange), so a
//! waiter registered on several channels is claimed by at most one of them.
//!
//! # Waiting: spin while the partner runs, park otherwise
//!
//! A parked thread takes about 15 µs to wake on a small VM, a hundred
//! times a rendezvous between two running threads. So a waiter first spins
//! briefly (its partner is likely running on another core and about to
//! claim it), then yields the core for a few rounds (if the partner shares
//! our core, it now gets to run: crossbeam #821 is what pure spinning
//! costs there), and only then parks.

use std::ptr;
use std::time::Instant;

use crate::sync::{
    lock, seqcst_fence_for_loom, thread, Arc, AtomicBool, AtomicPtr, AtomicUsize, Mutex, Ordering,
    Parker,
};

/// The identity of one case of one wait: the address of something the
/// waiter keeps alive and unique while it is registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Operation(usize);

impl Operation {
    /// The operation identified by `hook`'s address. `hook` must stay put
    /// and distinct from every other registered hook until unregistered;
    /// stack and heap addresses of live objects are.
    #[inline]
    pub(crate) fn hook<H>(hook: &H) -> Operation {
        let addr = ptr::from_ref(hook) as usize;
        // Addresses 0, 1 and 2 are the other states of the select word; no
        // real object lives there.
        debug_assert!(addr > 2);
        Operation(addr)
    }

    /// An operation with a made-up identity (above 2), for unit tests of
    /// the queues.
    #[cfg(all(test, not(gosync_loom)))]
    pub(crate) fn from_word_for_tests(word: usize) -> Operation {
        assert!(word > 2);
        Operation(word)
    }
}

/// What a wait ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Selected {
    Waiting,
    Aborted,
    Closed,
    Operation(Operation),
}

impl Selected {
    fn from_word(word: usize) -> Selected {
        match word {
            0 => Selected::Waiting,
            1 => Selected::Aborted,
            2 => Selected::Closed,
            oper => Selected::Operation(Operation(oper)),
        }
    }

    fn to_word(self) -> usize {
        match self {
            Selected::Waiting => 0,
            Selected::Aborted => 1,
            Selected::Closed => 2,
            Selected::Operation(Operation(oper)) => oper,
        }
    }
}

/// A thread's wait context. Cheap to clone (one `Arc`).
#[derive(Clone, Debug)]
pub(crate) struct Context {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// See the module docs' table.
    select: AtomicUsize,
    /// The rendezvous packet handed over with a claim (zero flavor only);
    /// null until then.
    packet: AtomicPtr<()>,
    /// The slot reserved for a blocked sender of a bounded channel by the
    /// claim that hands it a freed slot (its stamp, never 0); 0 until then.
    reserved: AtomicUsize,
    /// The waiter is parked or about to park: a claimant must unpark it.
    /// While it spins, claimants skip the `unpark` (a read-modify-write on
    /// the thread's parker, and a system call if it had parked). Always
    /// true for a task, which is woken on every claim.
    parked: AtomicBool,
    /// A task's future was dropped after a claim (set and read under the
    /// lock of the channel it was claimed on: see `flavors::zero`).
    abandoned: AtomicBool,
    /// Who waits: a thread, or a task.
    waiter: Waiter,
    /// The waiting thread's identity, cheap to compare (see
    /// [`current_thread_id`]); 0 for a task, which may run anywhere.
    thread_id: usize,
}

/// How a claimed waiter is woken.
#[derive(Debug)]
enum Waiter {
    /// A blocked thread: unparked.
    Thread(Parker),
    /// A pending future: its task's `Waker`, replaced when the future is
    /// polled with another one.
    Task(Mutex<std::task::Waker>),
}

#[cfg(not(gosync_loom))]
std::thread_local! {
    /// One context per thread, reused by every wait it makes.
    static CONTEXT: std::cell::Cell<Option<Context>> = const { std::cell::Cell::new(None) };
}

impl Context {
    /// Gives up this handle for a raw pointer, without touching the
    /// reference count (see [`WaiterSlot`]).
    fn into_raw(self) -> *const () {
        Arc::into_raw(self.inner).cast()
    }

    /// Takes back a handle given up with `into_raw`.
    ///
    /// # Safety
    ///
    /// `raw` came from `into_raw` and is taken back once.
    unsafe fn from_raw(raw: *const ()) -> Context {
        Context {
            // SAFETY: the caller's contract.
            inner: unsafe { Arc::from_raw(raw.cast::<Inner>()) },
        }
    }

    fn new() -> Context {
        Context {
            inner: Arc::new(Inner {
                select: AtomicUsize::new(0),
                packet: AtomicPtr::new(ptr::null_mut()),
                reserved: AtomicUsize::new(0),
                parked: AtomicBool::new(false),
                abandoned: AtomicBool::new(false),
                waiter: Waiter::Thread(Parker::for_current_thread()),
                thread_id: current_thread_id(),
            }),
        }
    }

    /// A context for one wait of a pending future, woken through `waker`.
    /// Each wait gets its own (a future keeps it across polls, and a
    /// claimant may still hold a clone after the wait is over).
    ///
    /// (A per-thread pool of finished task contexts was tried: it saved
    /// the allocation but measured no faster on the async suite's
    /// current-thread rendezvous rows, so the allocation is not where a
    /// wait's time goes.)
    pub(crate) fn for_task(waker: &std::task::Waker) -> Context {
        Context {
            inner: Arc::new(Inner {
                select: AtomicUsize::new(0),
                packet: AtomicPtr::new(ptr::null_mut()),
                reserved: AtomicUsize::new(0),
                parked: AtomicBool::new(true),
                abandoned: AtomicBool::new(false),
                waiter: Waiter::Task(Mutex::new(waker.clone())),
                thread_id: 0,
            }),
        }
    }

    /// True for a task's context. A task is never claimed for a
    /// rendezvous hand-over into its own packet (it could be dropped
    /// before it looks): see `flavors::zero`.
    #[inline]
    pub(crate) fn is_task(&self) -> bool {
        matches!(self.inner.waiter, Waiter::Task(_))
    }

    /// The identity of a future's one-case wait: this context's address
    /// (unique while the context lives, which the future ensures while it
    /// is registered).
    pub(crate) fn operation(&self) -> Operation {
        Operation::hook(&*self.inner)
    }

    /// True if `self` and `other` are the same wait.
    pub(crate) fn same(&self, other: &Context) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Makes a claim wake `waker` from now on (a future polled again by
    /// another task, or with a new waker). The caller looks at
    /// [`Context::selected`] afterwards: a claim made before this call
    /// woke the old waker, and the lock orders the two.
    pub(crate) fn set_waker(&self, waker: &std::task::Waker) {
        if let Waiter::Task(current) = &self.inner.waiter {
            let mut current = lock(current);
            if !current.will_wake(waker) {
                current.clone_from(waker);
            }
        }
    }

    /// Marks a task's claimed wait as given up (its future was dropped).
    /// Under the lock of the channel that claimed it.
    pub(crate) fn abandon(&self) {
        // Relaxed: written and read under that channel's lock.
        self.inner.abandoned.store(true, Ordering::Relaxed);
    }

    /// See [`Context::abandon`].
    pub(crate) fn is_abandoned(&self) -> bool {
        // Relaxed: as in `abandon`.
        self.inner.abandoned.load(Ordering::Relaxed)
    }

    /// Runs `f` with this thread's context, reset to waiting.
    ///
    /// The context is cached per thread. It is taken out of the cache for
    /// the duration of `f`, so a nested wait (none of ours nests, but a
    /// thread-local destructor could block on a channel) gets a fresh one.
    #[inline]
    pub(crate) fn with<R>(f: impl FnOnce(&Context) -> R) -> R {
        #[cfg(gosync_loom)]
        {
            f(&Context::new())
        }
        #[cfg(not(gosync_loom))]
        {
            let cached = CONTEXT.try_with(std::cell::Cell::take).ok().flatten();
            let cx = match cached {
                // Only we hold it now: every claimant that could still touch
                // it dropped its clone when it finished (see `reset`).
                Some(cx) if Arc::strong_count(&cx.inner) == 1 => {
                    cx.reset();
                    cx
                }
                _ => Context::new(),
            };
            let result = f(&cx);
            let _ = CONTEXT.try_with(|cache| cache.set(Some(cx)));
            result
        }
    }

    #[cfg(not(gosync_loom))]
    fn reset(&self) {
        // Acquire: pairs with the Release decrement each claimant's clone
        // made when it was dropped (the strong count of 1 we just read), so
        // their last accesses come before these stores.
        std::sync::atomic::fence(Ordering::Acquire);
        self.inner.select.store(0, Ordering::Relaxed);
        self.inner.packet.store(ptr::null_mut(), Ordering::Relaxed);
        self.inner.reserved.store(0, Ordering::Relaxed);
        self.inner.parked.store(false, Ordering::Relaxed);
        self.inner.abandoned.store(false, Ordering::Relaxed);
    }

    /// Claims this context for `select`; true if we were first.
    ///
    /// SeqCst: its Release half publishes what the claimant did for the
    /// waiter before claiming it (a message written into its slot) to the
    /// waiter's Acquire load in [`Context::selected`]; its Acquire half
    /// orders the claim after the waiter's registration; and it is the
    /// store half of the park pattern with `parked` (see [`Context::unpark`]).
    #[inline]
    pub(crate) fn try_select(&self, select: Selected) -> Result<(), Selected> {
        self.inner
            .select
            // Failure Acquire: the state another claimant (or the waiter's
            // abort) stored is returned to the caller, which may act on it.
            .compare_exchange(0, select.to_word(), Ordering::SeqCst, Ordering::Acquire)
            .map(|_| ())
            .map_err(Selected::from_word)
    }

    /// What this context has been claimed for, so far.
    ///
    /// Acquire: pairs with the Release half of [`Context::try_select`].
    #[inline]
    pub(crate) fn selected(&self) -> Selected {
        Selected::from_word(self.inner.select.load(Ordering::Acquire))
    }

    /// Hands the claimed waiter its rendezvous packet.
    ///
    /// Release: pairs with the Acquire load in [`Context::wait_packet`].
    #[inline]
    pub(crate) fn store_packet(&self, packet: *mut ()) {
        if !packet.is_null() {
            self.inner.packet.store(packet, Ordering::Release);
        }
    }

    /// Waits for the packet a claimant hands over with [`Context::store_packet`].
    pub(crate) fn wait_packet(&self) -> *mut () {
        let mut backoff = crate::sync::Backoff::new();
        loop {
            // Acquire: pairs with the Release store in `store_packet`.
            let packet = self.inner.packet.load(Ordering::Acquire);
            if !packet.is_null() {
                return packet;
            }
            backoff.snooze();
        }
    }

    /// Hands the claimed waiter the slot reserved for it (a bounded
    /// channel's stamp, not 0).
    ///
    /// Release: pairs with the Acquire load in [`Context::wait_reservation`]
    /// (the reservation, and the receive that freed the slot, happen-before
    /// the waiter's write into it).
    #[inline]
    pub(crate) fn store_reservation(&self, stamp: usize) {
        debug_assert_ne!(stamp, 0);
        self.inner.reserved.store(stamp, Ordering::Release);
    }

    /// Waits for the reservation a claimant hands over with
    /// [`Context::store_reservation`] (it stores it right after its claim).
    pub(crate) fn wait_reservation(&self) -> usize {
        let mut backoff = crate::sync::Backoff::new();
        loop {
            // Acquire: pairs with the Release store in `store_reservation`.
            let stamp = self.inner.reserved.load(Ordering::Acquire);
            if stamp != 0 {
                return stamp;
            }
            backoff.snooze();
        }
    }

    /// True if this context belongs to the calling thread (a select must
    /// not rendezvous with itself).
    #[inline]
    pub(crate) fn is_current_thread(&self) -> bool {
        self.inner.thread_id == current_thread_id()
    }

    /// Wakes the waiter after a successful claim, if it parked (or is
    /// about to).
    ///
    /// The claim (SeqCst) then this SeqCst load of `parked`, against the
    /// waiter's SeqCst store of `parked` then SeqCst load of `select` in
    /// [`Context::wait_until`]: a store-then-load pair on each side, so at
    /// least one side sees the other. Either the waiter sees the claim and
    /// does not park, or we see `parked` and unpark it.
    #[inline]
    pub(crate) fn unpark(&self) {
        seqcst_fence_for_loom();
        if self.inner.parked.load(Ordering::SeqCst) {
            match &self.inner.waiter {
                Waiter::Thread(parker) => parker.unpark(),
                Waiter::Task(waker) => {
                    // Woken outside our lock: a waker may run executor
                    // code, which must not find it held.
                    let waker = lock(waker).clone();
                    waker.wake();
                }
            }
        }
    }

    /// Sleeps until a claimant's `unpark` (a thread's context only: a
    /// task never blocks in [`Context::wait_until`]).
    fn park(&self) {
        match &self.inner.waiter {
            Waiter::Thread(parker) => parker.park(),
            Waiter::Task(_) => unreachable!("a task's context never blocks"),
        }
    }

    /// Waits until the context is claimed, or until `deadline`, when it
    /// claims itself as aborted (unless a claimant got there first).
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> Selected {
        // Phase 1 and 2 (the crate's spin policy, `sync::spin_then_yield`):
        // spin, then yield, while the partner is likely running. Skipped
        // under loom, which cannot explore a busy-wait.
        #[cfg(not(gosync_loom))]
        {
            let mut selected = Selected::Waiting;
            let seen = crate::sync::spin_then_yield(deadline, || {
                selected = self.selected();
                selected != Selected::Waiting
            });
            if seen {
                return selected;
            }
        }
        // Phase 3: park. Announce it first, then look once more (the load
        // half of the pattern described at `unpark`).
        self.inner.parked.store(true, Ordering::SeqCst);
        seqcst_fence_for_loom();
        loop {
            let selected = Selected::from_word(self.inner.select.load(Ordering::SeqCst));
            if selected != Selected::Waiting {
                return selected;
            }
            match deadline {
                None => self.park(),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return match self.try_select(Selected::Aborted) {
                            Ok(()) => Selected::Aborted,
                            Err(claimed) => claimed,
                        };
                    }
                    park_timeout(deadline - now);
                }
            }
        }
    }
}

#[cfg(not(gosync_loom))]
pub(crate) fn park_timeout(timeout: std::time::Duration) {
    thread::park_timeout(timeout);
}

/// Loom has no timed park; a timed wait yields and re-checks the clock.
/// (Loom models do not use timeouts.)
#[cfg(gosync_loom)]
pub(crate) fn park_timeout(_timeout: std::time::Duration) {
    thread::yield_now();
}

/// A number that tells live threads apart: the address of a thread-local
/// (unique among running threads), cheaper than `thread::current().id()`,
/// which clones the thread handle.
#[cfg(not(gosync_loom))]
#[inline]
fn current_thread_id() -> usize {
    std::thread_local! {
        static ANCHOR: u8 = const { 0 };
    }
    ANCHOR.with(|anchor| ptr::from_ref(anchor) as usize)
}

/// Under loom: loom's thread ids, hashed to a number.
#[cfg(gosync_loom)]
fn current_thread_id() -> usize {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    thread::current().id().hash(&mut hasher);
    hasher.finish() as usize
}

/// An optional [`Context`] held as a raw pointer: a reservation token keeps
/// the claimed waiter here between `start_*` and the `write`/`read` that
/// wakes it. As a raw pointer it gives the token no drop glue, so the hot
/// paths of the flavors that never use it pay nothing for it. A slot that
/// is set and never taken leaks one reference (only a `SelectedOperation`
/// dropped unfinished, which already panics, does that).
#[derive(Debug)]
pub(crate) struct WaiterSlot(*const ());

impl WaiterSlot {
    pub(crate) const fn empty() -> WaiterSlot {
        WaiterSlot(ptr::null())
    }

    /// Stores `cx` (replacing nothing: the slot is empty when set).
    pub(crate) fn set(&mut self, cx: Context) {
        debug_assert!(self.0.is_null());
        self.0 = cx.into_raw();
    }

    /// Takes the context out, if any.
    pub(crate) fn take(&mut self) -> Option<Context> {
        if self.0.is_null() {
            return None;
        }
        let raw = std::mem::replace(&mut self.0, ptr::null());
        // SAFETY: set by `set` from `into_raw`, and taken once (nulled).
        Some(unsafe { Context::from_raw(raw) })
    }
}
