//! Model-based test: random sequences of `add`, `done`, `guard` and
//! `wait_timeout(0)` on one thread, checked step by step against a plain
//! integer counter (panics included).
#![cfg(not(gosync_loom))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use gosync_waitgroup::WaitGroup;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add(isize),
    Done,
    /// Take a guard and keep it until a later `DropGuard`.
    Guard,
    DropGuard,
    WaitTimeoutZero,
    /// Jump near the top of the counter's range to exercise overflow.
    AddHuge,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (-4isize..=4).prop_map(Op::Add),
        4 => Just(Op::Done),
        2 => Just(Op::Guard),
        2 => Just(Op::DropGuard),
        3 => Just(Op::WaitTimeoutZero),
        1 => Just(Op::AddHuge),
    ]
}

/// What the model says an `add(delta)` does: the new counter, or the panic.
fn model_add(counter: i64, delta: i64) -> Result<i64, &'static str> {
    let new = counter + delta;
    if new < 0 {
        Err("negative WaitGroup counter")
    } else if new > i64::from(i32::MAX) {
        Err("WaitGroup counter overflow")
    } else {
        Ok(new)
    }
}

fn run(wg: &WaitGroup, f: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| format!("non-string panic; group {wg:?}"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    #[cfg_attr(miri, ignore = "proptest touches the file system for its regression files")]
    fn matches_a_counter(ops in proptest::collection::vec(op(), 0..64)) {
        let wg = &WaitGroup::new();
        let mut counter: i64 = 0;
        let mut guards = Vec::new();
        for op in ops {
            let (delta, action): (i64, Box<dyn FnOnce()>) = match op {
                Op::Add(d) => (d as i64, Box::new(move || wg.add(d))),
                Op::Done => (-1, Box::new(move || wg.done())),
                Op::AddHuge => (i64::from(i32::MAX) - 2, Box::new(move || wg.add(i32::MAX as isize - 2))),
                Op::Guard => {
                    let expected = model_add(counter, 1);
                    match run(wg, || guards.push(wg.guard())) {
                        Ok(()) => counter = expected.map_err(TestCaseError::fail)?,
                        Err(msg) => prop_assert!(msg.contains(expected.unwrap_err())),
                    }
                    prop_assert_eq!(wg.count() as i64, counter);
                    continue;
                }
                Op::DropGuard => {
                    // `done` calls may have used up a guard's unit, as in
                    // Go; dropping it then is a negative counter like any
                    // other `done`.
                    let Some(guard) = guards.pop() else { continue };
                    match (model_add(counter, -1), run(wg, || drop(guard))) {
                        (Ok(new), Ok(())) => counter = new,
                        (Err(expected), Err(msg)) => prop_assert!(msg.contains(expected), "{msg}"),
                        (model, real) => prop_assert!(false, "model {model:?} vs real {real:?}"),
                    }
                    prop_assert_eq!(wg.count() as i64, counter);
                    continue;
                }
                Op::WaitTimeoutZero => {
                    prop_assert_eq!(wg.wait_timeout(Duration::ZERO), counter == 0);
                    continue;
                }
            };
            match (model_add(counter, delta), run(wg, action)) {
                (Ok(new), Ok(())) => counter = new,
                (Err(expected), Err(msg)) => prop_assert!(msg.contains(expected), "{msg}"),
                (model, real) => prop_assert!(false, "model {model:?} vs real {real:?}"),
            }
            prop_assert_eq!(wg.count() as i64, counter);
        }
        for guard in guards.drain(..).rev() {
            let outcome = run(wg, || drop(guard));
            prop_assert_eq!(outcome.is_ok(), counter > 0);
            counter = (counter - 1).max(0);
        }
        prop_assert_eq!(wg.count() as i64, counter);
    }
}
