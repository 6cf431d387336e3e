//! Go memory model, rule 5 (for select): the case a select chooses
//! carries the edge of its operation; `default` carries none.
//!
//! * A chosen receive case sees what was written before the matching send.
//! * A chosen send case on an unbuffered channel sees what the receiver
//!   wrote before its receive.
//! * A `default` that was chosen orders nothing: reading data the other
//!   thread wrote before its send is a race, and loom must say so (the
//!   test expects loom's causality-violation panic).
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_select`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_channel::{bounded, never, select};
use loom::sync::Arc;
use loom::thread;
use loom_support::{both, model, Data, Payload};

#[test]
fn select_recv_case_carries_the_send_edge() {
    model(|| {
        // A plain number, as in `loom_send_then_recv` (see there).
        let (tx, rx) = bounded::<u32>(1);
        let (idle_tx, idle_rx) = bounded::<u32>(0);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                tx.send(5).unwrap();
                (tx, idle_tx)
            },
            move || {
                select! {
                    recv(rx) -> msg => {
                        assert_eq!(msg, Ok(5));
                        assert_eq!(seen.read(), 1, "the chosen case must see what preceded the send");
                    }
                    recv(idle_rx) -> _ => unreachable!("nothing is sent there"),
                }
                (rx, idle_rx)
            },
        );
    });
}

#[test]
fn select_send_case_on_rendezvous_carries_the_recv_edge() {
    model(|| {
        let (tx, rx) = bounded::<Payload>(0);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                // A scheduling point first (see `loom_recv_then_send_completes`).
                thread::yield_now();
                data.write(1);
                assert_eq!(rx.recv().unwrap().use_it(), 9);
                rx
            },
            move || {
                select! {
                    send(tx, Payload::new(9)) -> sent => {
                        sent.unwrap();
                        assert_eq!(seen.read(), 1, "a completed unbuffered send case must see what preceded the receive");
                    }
                    recv(never::<Payload>()) -> _ => unreachable!("never ready"),
                }
                tx
            },
        );
    });
}

#[test]
#[should_panic(expected = "Causality violation")]
fn default_carries_no_edge() {
    model(|| {
        let (tx, rx) = bounded::<u8>(1);
        let data = Arc::new(Data::new());
        let sender = {
            let data = Arc::clone(&data);
            thread::spawn(move || {
                data.write(1);
                tx.send(1).unwrap();
            })
        };
        let got = select! {
            recv(rx) -> msg => msg.is_ok(),
            default => false,
        };
        if !got {
            // No edge: this read races the write.
            let _ = data.read();
        }
        sender.join().unwrap();
    });
}
