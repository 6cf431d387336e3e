//! What the map's loom models share: a value type whose reads and drop go
//! through loom, a small deterministic map, and the model runner.
#![allow(dead_code)]

use gosync_concurrent_map::Map;
use loom::cell::UnsafeCell;
use loom::sync::Arc;
use std::hash::BuildHasherDefault;

/// A deterministic hasher, so a model explores the same table layout in
/// every execution (std's `RandomState` would differ per run).
pub type Hasher = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

pub type TestMap = Map<u8, Payload, Hasher>;

/// A stored value. `cell` is written at construction and by `Drop`, and
/// read through loom on every use: a use not ordered after the value's
/// publication, or racing its free, is a loom causality violation. `alive`
/// is a loom `Arc`, so a value never dropped is a loom leak.
pub struct Payload {
    pub id: u32,
    cell: UnsafeCell<u32>,
    alive: Arc<()>,
}

// SAFETY: `cell` is read through `&self` and written only in `new` and in
// `drop` (`&mut self`); loom checks every such pair is ordered.
unsafe impl Sync for Payload {}

impl Payload {
    pub fn new(id: u32) -> Self {
        Self {
            id,
            cell: UnsafeCell::new(id),
            alive: Arc::new(()),
        }
    }

    /// Reads the payload through loom; checks it is intact; returns its id.
    pub fn use_it(&self) -> u32 {
        // SAFETY: a shared read; loom checks it against the writes.
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

/// An empty map with the deterministic hasher.
pub fn new_map() -> TestMap {
    Map::with_hasher(Hasher::default())
}

/// A map where `key` is in the read snapshot with value `id`: stored (into
/// the dirty table), then promoted by a `range`, which promotes first when
/// the snapshot lacks keys.
pub fn map_with_key_in_snapshot(key: u8, id: u32) -> TestMap {
    let map = new_map();
    map.store(key, Payload::new(id));
    map.range(|_, _| true);
    map
}

/// The id stored for `key`, if any.
pub fn id_of(map: &TestMap, key: u8) -> Option<u32> {
    map.load(&key).map(|value| value.use_it())
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
