//! Model-based test: random sequences of all ten operations (plus keeping
//! and dropping guards) on one thread, checked after every step against a
//! `HashMap<u8, u32>` model, with every value's drops counted: nothing
//! dropped while the map or a guard holds it, nothing dropped twice, and
//! everything dropped exactly once after the map and the guards are gone.
//! Few keys and few distinct values, so that deletes, re-inserts and
//! chance compare-and-swap matches are common.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use common::{Counted, Ledger};
use gosync_concurrent_map::{Guard, Map};
use proptest::prelude::*;

const KEYS: u8 = 8;
/// Distinct values (equality is by value, as in Go, not by identity).
const VALUES: u32 = 4;

#[derive(Debug, Clone)]
enum Op {
    Load(u8),
    Store(u8, u32),
    LoadOrStore(u8, u32),
    LoadAndDelete(u8),
    Delete(u8),
    Swap(u8, u32),
    /// `compare_and_swap` with `old` equal to the model's value, if any.
    CasCurrent(u8, u32),
    CasWith {
        key: u8,
        old: u32,
        new: u32,
    },
    /// `compare_and_delete` with `old` equal to the model's value, if any.
    CadCurrent(u8),
    CadWith {
        key: u8,
        old: u32,
    },
    /// `range`, stopping after `stop_after` calls (0: never).
    Range {
        stop_after: usize,
    },
    Clear,
    /// `load`, with the guard kept until a later `DropGuard`.
    KeepGuard(u8),
    DropGuard(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0..KEYS;
    let value = 0..VALUES;
    prop_oneof![
        3 => key.clone().prop_map(Op::Load),
        5 => (key.clone(), value.clone()).prop_map(|(k, v)| Op::Store(k, v)),
        3 => (key.clone(), value.clone()).prop_map(|(k, v)| Op::LoadOrStore(k, v)),
        2 => key.clone().prop_map(Op::LoadAndDelete),
        2 => key.clone().prop_map(Op::Delete),
        3 => (key.clone(), value.clone()).prop_map(|(k, v)| Op::Swap(k, v)),
        2 => (key.clone(), value.clone()).prop_map(|(k, v)| Op::CasCurrent(k, v)),
        2 => (key.clone(), value.clone(), value.clone())
            .prop_map(|(key, old, new)| Op::CasWith { key, old, new }),
        1 => key.clone().prop_map(Op::CadCurrent),
        2 => (key.clone(), value.clone()).prop_map(|(key, old)| Op::CadWith { key, old }),
        2 => (0usize..4).prop_map(|stop_after| Op::Range { stop_after }),
        1 => Just(Op::Clear),
        2 => key.prop_map(Op::KeepGuard),
        2 => any::<usize>().prop_map(Op::DropGuard),
    ]
}

/// The model: each key's value, and which `Counted` (by ledger id) holds it.
type Model = HashMap<u8, (u32, usize)>;

struct Harness {
    ledger: Arc<Ledger>,
    map: Map<u8, Counted>,
    model: Model,
    guards: Vec<(Guard<Counted>, usize)>,
}

fn seen(guard: &Guard<Counted>) -> (u32, usize) {
    guard.assert_intact();
    (guard.tag() as u32, guard.id())
}

impl Harness {
    fn value(&self, v: u32) -> (Counted, usize) {
        let value = Counted::new(&self.ledger, u64::from(v));
        let id = value.id();
        (value, id)
    }

    /// Checks that hold after every step.
    fn check(&self) -> Result<(), TestCaseError> {
        self.ledger.assert_no_double_drop();
        for key in 0..KEYS {
            let loaded = self.map.load(&key).map(|g| seen(&g));
            prop_assert_eq!(
                loaded,
                self.model.get(&key).copied(),
                "load({}) disagrees with the model",
                key
            );
        }
        for (guard, id) in &self.guards {
            prop_assert_eq!(guard.id(), *id);
            guard.assert_intact();
        }
        for &(_, id) in self.model.values() {
            prop_assert_eq!(self.ledger.drops_of(id), 0, "stored value {} dropped", id);
        }
        Ok(())
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Load(key) => {
                let loaded = self.map.load(&key).map(|g| seen(&g));
                prop_assert_eq!(loaded, self.model.get(&key).copied());
            }
            Op::Store(key, v) => {
                let (value, id) = self.value(v);
                self.map.store(key, value);
                self.model.insert(key, (v, id));
            }
            Op::LoadOrStore(key, v) => {
                let (value, id) = self.value(v);
                let (actual, loaded) = self.map.load_or_store(key, value);
                match self.model.get(&key) {
                    Some(&existing) => {
                        prop_assert!(loaded, "load_or_store({key}) stored over {existing:?}");
                        prop_assert_eq!(seen(&actual), existing);
                    }
                    None => {
                        prop_assert!(!loaded, "load_or_store({key}) loaded from nothing");
                        prop_assert_eq!(seen(&actual), (v, id));
                        self.model.insert(key, (v, id));
                    }
                }
            }
            Op::LoadAndDelete(key) => {
                let taken = self.map.load_and_delete(&key).map(|g| seen(&g));
                prop_assert_eq!(taken, self.model.remove(&key));
            }
            Op::Delete(key) => {
                self.map.delete(&key);
                self.model.remove(&key);
            }
            Op::Swap(key, v) => {
                let (value, id) = self.value(v);
                let previous = self.map.swap(key, value).map(|g| seen(&g));
                prop_assert_eq!(previous, self.model.insert(key, (v, id)));
            }
            Op::CasCurrent(key, new) => {
                let old = self.model.get(&key).map_or(new, |&(v, _)| v);
                self.cas(key, old, new)?;
            }
            Op::CasWith { key, old, new } => self.cas(key, old, new)?,
            Op::CadCurrent(key) => {
                let old = self.model.get(&key).map_or(0, |&(v, _)| v);
                self.cad(key, old)?;
            }
            Op::CadWith { key, old } => self.cad(key, old)?,
            Op::Range { stop_after } => {
                let mut visits = Vec::new();
                self.map.range(|&k, v| {
                    v.assert_intact();
                    visits.push((k, (v.tag() as u32, v.id())));
                    visits.len() != stop_after
                });
                let keys: BTreeSet<u8> = visits.iter().map(|&(k, _)| k).collect();
                prop_assert_eq!(
                    keys.len(),
                    visits.len(),
                    "a key visited twice: {:?}",
                    visits
                );
                for (k, v) in &visits {
                    prop_assert_eq!(Some(v), self.model.get(k), "range saw ({}, {:?})", k, v);
                }
                let expected = if stop_after == 0 {
                    self.model.len()
                } else {
                    stop_after.min(self.model.len())
                };
                prop_assert_eq!(visits.len(), expected, "range visits of {:?}", self.model);
            }
            Op::Clear => {
                self.map.clear();
                self.model.clear();
            }
            Op::KeepGuard(key) => {
                if let Some(guard) = self.map.load(&key) {
                    let id = guard.id();
                    self.guards.push((guard, id));
                }
            }
            Op::DropGuard(i) => {
                if !self.guards.is_empty() {
                    let i = i % self.guards.len();
                    drop(self.guards.swap_remove(i));
                }
            }
        }
        self.check()
    }

    fn cas(&mut self, key: u8, old: u32, new: u32) -> Result<(), TestCaseError> {
        // `old` is a separate value, equal or not to the stored one.
        let (probe, _) = self.value(old);
        let (value, id) = self.value(new);
        let matches = self.model.get(&key).is_some_and(|&(v, _)| v == old);
        match self.map.compare_and_swap(&key, &probe, value) {
            Ok(()) => {
                prop_assert!(matches, "CAS({key}, {old}) succeeded on {:?}", self.model);
                self.model.insert(key, (new, id));
            }
            Err(back) => {
                prop_assert!(!matches, "CAS({key}, {old}) failed on {:?}", self.model);
                back.assert_intact();
                prop_assert_eq!(
                    (back.tag() as u32, back.id()),
                    (new, id),
                    "Err gives `new` back"
                );
            }
        }
        Ok(())
    }

    fn cad(&mut self, key: u8, old: u32) -> Result<(), TestCaseError> {
        let (probe, _) = self.value(old);
        let matches = self.model.get(&key).is_some_and(|&(v, _)| v == old);
        let deleted = self.map.compare_and_delete(&key, &probe);
        prop_assert_eq!(
            deleted,
            matches,
            "CAD({}, {}) on {:?}",
            key,
            old,
            self.model
        );
        if deleted {
            self.model.remove(&key);
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    #[cfg_attr(miri, ignore = "proptest touches the file system for its regression files")]
    fn matches_a_hashmap_model(ops in proptest::collection::vec(op(), 0..96)) {
        let ledger = Ledger::new();
        let mut h = Harness {
            ledger: Arc::clone(&ledger),
            map: Map::new(),
            model: Model::new(),
            guards: Vec::new(),
        };
        h.check()?;
        for op in ops {
            h.step(op)?;
        }
        // The map goes first, then the guards still read their values.
        let Harness { map, guards, .. } = h;
        drop(map);
        for (guard, id) in &guards {
            prop_assert_eq!(guard.id(), *id);
            guard.assert_intact();
        }
        drop(guards);
        ledger.assert_all_dropped_once();
    }
}
