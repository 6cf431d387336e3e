//! What the loom models share: a payload whose every read and its drop go
//! through loom, so loom reports a read racing the free (use-after-free) and
//! a payload never dropped (leak).
#![allow(dead_code)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;

/// A stored value. `id` tells values apart; `cell` is read through loom on
/// every use and written by `Drop`, so a free that is not ordered after a
/// reader's use is a loom "causality violation"; `alive` is a loom `Arc`, so
/// a value that is never dropped is a loom leak.
pub struct Payload {
    pub id: u32,
    cell: UnsafeCell<u32>,
    alive: Arc<()>,
}

// SAFETY: `cell` is only read through `&self` and written in `drop`, with
// `&mut self`; loom checks that every such pair is ordered.
unsafe impl Sync for Payload {}

impl Payload {
    pub fn new(id: u32) -> Self {
        Self {
            id,
            cell: UnsafeCell::new(id),
            alive: Arc::new(()),
        }
    }

    /// Reads the payload through loom and checks it is still intact.
    pub fn use_it(&self) -> u32 {
        // SAFETY: a shared read; loom checks it against the write in `drop`.
        let seen = self.cell.with(|cell| unsafe { *cell });
        assert_eq!(seen, self.id, "payload read after it was dropped");
        seen
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        // SAFETY: `&mut self`; loom checks this write against every read.
        self.cell.with_mut(|cell| unsafe { *cell = u32::MAX });
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.use_it() == other.use_it()
    }
}

/// Runs `f` under loom with the preemption bound from `LOOM_MAX_PREEMPTIONS`
/// (test.sh sets 3) or 3 when unset, so a model is bounded even when run by
/// hand.
pub fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}
