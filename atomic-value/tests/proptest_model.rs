//! Model-based test: random sequences of every operation on one thread,
//! checked step by step against an `Option` model, with every value's drops
//! counted: nothing dropped while a guard or `Arc` points at it, nothing
//! dropped twice, nothing left behind by `reclaim()` or the final drop.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Ledger, Tracked};
use gosync_atomic_value::{AtomicValue, Guard, Reader};
use proptest::prelude::*;

/// Keys are few, so that compare-and-swap often matches by chance and
/// distinct values are often equal.
const KEYS: u64 = 4;

#[derive(Debug, Clone)]
enum Op {
    Store(u64),
    /// `keep`: hold on to the returned `Arc` until a later `DropArc`.
    Swap {
        key: u64,
        keep: bool,
    },
    /// `compare_and_swap` with `old` equal to what the model holds.
    CasCurrent(u64),
    /// `compare_and_swap` with an arbitrary `old` (`None`: "empty").
    CasWith {
        old: Option<u64>,
        key: u64,
    },
    Load,
    /// `load_arc`, kept until a later `DropArc`.
    LoadArc,
    /// `load`, kept until a later `DropGuard`.
    KeepGuard,
    CloneGuard(usize),
    DropGuard(usize),
    DropArc(usize),
    Reclaim,
    /// A load through the harness's one cached `Reader`.
    ReaderLoad,
    /// `Reader::clear`.
    ReaderClear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..KEYS).prop_map(Op::Store),
        3 => (0..KEYS, any::<bool>()).prop_map(|(key, keep)| Op::Swap { key, keep }),
        2 => (0..KEYS).prop_map(Op::CasCurrent),
        3 => (proptest::option::of(0..KEYS), 0..KEYS).prop_map(|(old, key)| Op::CasWith { old, key }),
        2 => Just(Op::Load),
        2 => Just(Op::LoadArc),
        3 => Just(Op::KeepGuard),
        1 => any::<usize>().prop_map(Op::CloneGuard),
        3 => any::<usize>().prop_map(Op::DropGuard),
        2 => any::<usize>().prop_map(Op::DropArc),
        2 => Just(Op::Reclaim),
        3 => Just(Op::ReaderLoad),
        1 => Just(Op::ReaderClear),
    ]
}

/// The model's value: which `Tracked` (by id) is stored, and its key.
type Model = Option<(usize, u64)>;

struct Harness {
    ledger: Arc<Ledger>,
    v: Arc<AtomicValue<Tracked>>,
    model: Model,
    reader: Reader<Arc<AtomicValue<Tracked>>, Tracked>,
    /// The id of the value the reader caches.
    cached: Option<usize>,
    guards: Vec<(Guard<Tracked>, usize)>,
    arcs: Vec<(Arc<Tracked>, usize)>,
}

impl Harness {
    fn new_value(&self, key: u64) -> (Tracked, usize) {
        let value = Tracked::new(&self.ledger, key);
        let id = value.id();
        (value, id)
    }

    /// Ids that must still be alive: the current value and everything a
    /// kept guard, `Arc` or the reader's cache points at.
    fn protected(&self) -> BTreeSet<usize> {
        let held = self.guards.iter().map(|(_, id)| *id);
        let held = held.chain(self.arcs.iter().map(|(_, id)| *id));
        held.chain(self.model.map(|(id, _)| id))
            .chain(self.cached)
            .collect()
    }

    /// Checks that hold after every step.
    fn check(&self) -> Result<(), TestCaseError> {
        self.ledger.assert_no_double_drop();
        let loaded = self.v.load().map(|g| (g.id(), g.key()));
        prop_assert_eq!(loaded, self.model, "load disagrees with the model");
        for (guard, id) in &self.guards {
            prop_assert_eq!(guard.id(), *id);
            guard.assert_intact();
        }
        for (arc, id) in &self.arcs {
            prop_assert_eq!(arc.id(), *id);
            arc.assert_intact();
        }
        for id in self.protected() {
            prop_assert_eq!(
                self.ledger.drops_of(id),
                0,
                "value {} dropped while in use",
                id
            );
        }
        Ok(())
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::Store(key) => {
                let (value, id) = self.new_value(key);
                self.v.store(value);
                self.model = Some((id, key));
            }
            Op::Swap { key, keep } => {
                let (value, id) = self.new_value(key);
                let old = self.v.swap(value);
                let old_id = old.as_ref().map(|arc| (arc.id(), arc.key()));
                prop_assert_eq!(old_id, self.model, "swap returned the wrong value");
                if let (Some(arc), true) = (old, keep) {
                    let id = arc.id();
                    self.arcs.push((arc, id));
                }
                self.model = Some((id, key));
            }
            Op::CasCurrent(key) => {
                let old = self.model.map(|(_, k)| k);
                self.cas(old, key, true)?;
            }
            Op::CasWith { old, key } => {
                let matches = old == self.model.map(|(_, k)| k);
                self.cas(old, key, matches)?;
            }
            Op::Load => {
                let guard = self.v.load();
                prop_assert_eq!(guard.map(|g| (g.id(), g.key())), self.model);
            }
            Op::LoadArc => {
                let arc = self.v.load_arc();
                prop_assert_eq!(arc.as_ref().map(|a| (a.id(), a.key())), self.model);
                if let Some(arc) = arc {
                    let id = arc.id();
                    self.arcs.push((arc, id));
                }
            }
            Op::KeepGuard => {
                if let Some(guard) = self.v.load() {
                    let id = guard.id();
                    self.guards.push((guard, id));
                }
            }
            Op::CloneGuard(i) => {
                if !self.guards.is_empty() {
                    let (guard, id) = &self.guards[i % self.guards.len()];
                    let clone = (guard.clone(), *id);
                    self.guards.push(clone);
                }
            }
            Op::DropGuard(i) => {
                if !self.guards.is_empty() {
                    let i = i % self.guards.len();
                    drop(self.guards.swap_remove(i));
                }
            }
            Op::DropArc(i) => {
                if !self.arcs.is_empty() {
                    let i = i % self.arcs.len();
                    drop(self.arcs.swap_remove(i));
                }
            }
            Op::Reclaim => {
                self.v.reclaim();
                let alive: BTreeSet<usize> = self.ledger.alive().into_iter().collect();
                prop_assert_eq!(
                    &alive,
                    &self.protected(),
                    "after reclaim, alive values != current + guarded + Arc-held \
                     ({} guards, {} Arcs kept)",
                    self.guards.len(),
                    self.arcs.len()
                );
            }
            Op::ReaderLoad => {
                let seen = self.reader.load().map(|arc| (arc.id(), arc.key()));
                prop_assert_eq!(seen, self.model, "the reader disagrees with the model");
                self.cached = self.model.map(|(id, _)| id);
            }
            Op::ReaderClear => {
                self.reader.clear();
                self.cached = None;
            }
        }
        self.check()
    }

    fn cas(&mut self, old: Option<u64>, key: u64, matches: bool) -> Result<(), TestCaseError> {
        // `old` is a separate value, equal (by key) or not to the current.
        let probe = old.map(|k| Tracked::new(&self.ledger, k));
        let (value, id) = self.new_value(key);
        match self.v.compare_and_swap(probe.as_ref(), value) {
            Ok(()) => {
                prop_assert!(matches, "CAS({old:?}) succeeded on {:?}", self.model);
                self.model = Some((id, key));
            }
            Err(back) => {
                prop_assert!(!matches, "CAS({old:?}) failed on {:?}", self.model);
                prop_assert_eq!(
                    (back.id(), back.key()),
                    (id, key),
                    "Err must give `new` back"
                );
                back.assert_intact();
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    #[cfg_attr(miri, ignore = "proptest touches the file system for its regression files")]
    fn matches_an_option_model(
        initial in proptest::option::of(0..KEYS),
        ops in proptest::collection::vec(op(), 0..64),
    ) {
        // Every op makes at most two values (CAS: `old` and `new`).
        let ledger = Ledger::new();
        let (v, model) = match initial {
            Some(key) => {
                let value = Tracked::new(&ledger, key);
                let id = value.id();
                (AtomicValue::new(value), Some((id, key)))
            }
            None => (AtomicValue::empty(), None),
        };
        let v = Arc::new(v);
        let reader = Reader::new(Arc::clone(&v));
        let mut h = Harness {
            ledger: Arc::clone(&ledger),
            v,
            model,
            reader,
            cached: None,
            guards: Vec::new(),
            arcs: Vec::new(),
        };
        h.check()?;
        for op in ops {
            h.step(op)?;
        }
        // Let go of everything; then only the current value may live.
        h.guards.clear();
        h.arcs.clear();
        h.reader.clear();
        h.v.reclaim();
        let current: Vec<usize> = h.model.map(|(id, _)| id).into_iter().collect();
        prop_assert_eq!(ledger.alive(), current, "after the last guard and reclaim");
        drop(h);
        ledger.assert_all_dropped_once();
    }
}
