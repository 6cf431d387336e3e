//! What the map's loom models share: a small deterministic map, plus the
//! loom-checked `Payload` and the model runner from gosync-testkit.
#![allow(dead_code)]

use gosync_concurrent_map::Map;
pub(crate) use gosync_testkit::loom_support::{model, Payload};
use std::hash::BuildHasherDefault;

/// A deterministic hasher, so a model explores the same table layout in
/// every execution (std's `RandomState` would differ per run).
pub(crate) type Hasher = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

pub(crate) type TestMap = Map<u8, Payload, Hasher>;

/// An empty map with the deterministic hasher.
pub(crate) fn new_map() -> TestMap {
    Map::with_hasher(Hasher::default())
}

/// A map where `key` is in the read snapshot with value `id`: stored (into
/// the dirty table), then promoted by a `range`, which promotes first when
/// the snapshot lacks keys.
pub(crate) fn map_with_key_in_snapshot(key: u8, id: u32) -> TestMap {
    let map = new_map();
    map.store(key, Payload::new(id));
    map.range(|_, _| true);
    map
}

/// The id stored for `key`, if any.
pub(crate) fn id_of(map: &TestMap, key: u8) -> Option<u32> {
    map.load(&key).map(|value| value.use_it())
}
