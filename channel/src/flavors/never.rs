//! The flavor of [`never`](fn@crate::never): Go's nil channel, never ready.
//!
//! A receive blocks forever (or until its timeout); in a select the case
//! simply never fires. Nothing is allocated.

use std::time::Instant;

use crate::context::{Context, Operation};
use crate::select::{SelectHandle, Token};

/// The never-ready channel (a unit: all of them are alike).
pub(crate) struct Channel;

/// The one instance every `never()` receiver points at in a select.
pub(crate) static NEVER: Channel = Channel;

impl SelectHandle for Channel {
    fn try_select(&self, _token: &mut Token) -> bool {
        false
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, _oper: Operation, _cx: &Context) -> bool {
        false
    }

    fn unregister(&self, _oper: Operation) {}

    fn accept(&self, _token: &mut Token, _cx: &Context) -> bool {
        false
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // Timers never claim a waiter: they fall due by themselves.
    }

    fn cancel(&self, _token: &mut Token) {
        unreachable!("a never() case is never selected")
    }

    fn version(&self) -> u64 {
        0
    }
}
