//! The "local work" of Go's `AddDoneWork` and `WaitWork` benchmarks.

/// Iterations of local work per operation in the `...Work` workloads, as in
/// Go's `benchmarkWaitGroupAddDone(b, 100)` and `benchmarkWaitGroupWait(b,
/// 100)`.
pub const LOCAL_WORK: usize = 100;

/// Go's local work, `for i := 0; i < localWork; i++ { foo *= 2; foo /= 2 }`,
/// on `value` (Go's `foo`), returning the new value.
///
/// Never inlined, so every workload runs the very same machine code for it
/// (inlined, its cost shifted by tens of nanoseconds with the code around
/// it). The value passes through [`opaque`] every iteration, which keeps the
/// compiler from folding the loop while leaving it in a register, the way
/// Go's compiled loop keeps it (a [`std::hint::black_box`] per iteration
/// would add a store and a reload, tripling the cost of the loop).
///
/// Go's compiler, for its part, deletes the arithmetic of this loop (`foo`
/// is never used after it) and runs an empty 100-iteration loop; the `LocalWorkOnly`
/// workload in both languages measures what the work costs on its own.
///
/// # Examples
///
/// ```
/// assert_eq!(gosync_benches::work::local_work(3), 3);
/// ```
#[inline(never)]
pub fn local_work(mut value: i64) -> i64 {
    for _ in 0..LOCAL_WORK {
        value = opaque(value).wrapping_mul(2);
        value /= 2;
    }
    value
}

/// Returns `value` unchanged, in a way the optimiser cannot see through,
/// without touching memory: an empty `asm!` block that claims to modify the
/// register holding it. Falls back to [`std::hint::black_box`] on other
/// architectures.
#[inline(always)]
pub fn opaque(mut value: i64) -> i64 {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // SAFETY: the template is empty: it executes no instruction, reads and
    // writes no memory and leaves the register (declared as read and written)
    // as it was.
    unsafe {
        std::arch::asm!("/* {0} */", inout(reg) value, options(nomem, nostack, preserves_flags));
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        value = std::hint::black_box(value);
    }
    value
}
