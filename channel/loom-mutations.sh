#!/usr/bin/env bash
# Shows that each loom model of gosync-channel can fail: applies one
# deliberate weakening at a time to a scratch copy of the workspace and
# checks that the named model then FAILS (driver: scripts/loom-mutations-driver.sh).
#
#   channel/loom-mutations.sh          all mutations
#   channel/loom-mutations.sh NAME...  only the named mutations
package=gosync-channel
array=channel/src/flavors/array.rs
list=channel/src/flavors/list.rs
zero=channel/src/flavors/zero.rs
waker=channel/src/waker.rs
context=channel/src/context.rs
select_async=channel/src/select_async.rs
# name | file | exact text (\n for newlines) | replacement | model::test that must fail [| file2 | text2 | replacement2]
#
# Not killed (and so not listed): weakening the rendezvous' hand-over
# (the packet's ready flag Relaxed, with or without the claim's
# compare-exchange Relaxed, and even a blocked send that returns right
# after registering, without waiting for any receiver) leaves
# `loom_recv_then_send_completes` and the send case of `loom_select`
# passing. Loom models every lock and unlock of a mutex as SeqCst and
# joins each thread's causality with a global clock there, so the
# receiver's write, followed by its lock of the rendezvous mutex, reaches
# the sender through that clock in every schedule loom explores. Those two
# models are therefore not shown to fail; see docs::proofs.
# Mutations that make a spin loop read a stale value forever (a stamp
# store made Relaxed) never end under loom, which has no eventual
# visibility; the bounded ring is shown failing by publishing the stamp
# before the message is written instead.
# The async models' rendezvous edges (`loom_async`'s
# `async_rendezvous_send_happens_before_recv` and
# `async_rendezvous_recv_happens_before_send_completes`) are not killed for
# the same reason: a task's poll and its partner's wake-up both lock the
# task's waker, and loom joins their clocks there. Nor is
# `async_unbounded_send_happens_before_recv` listed twice: it shares the
# unbounded write path killed above.
# Every test of every loom model (but `default_carries_no_edge`, which
# expects loom's failure already) appears at least once in the last column.
mutations=(
  "array-publish-before-write|$array|        slot.msg\n            .with_mut(|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        slot.msg\n            .with_mut(|loom_send_then_recv::bounded_send_happens_before_recv|$array|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        if token.array.permit {|        if token.array.permit {"
  "array-publish-before-write|$array|        slot.msg\n            .with_mut(|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        slot.msg\n            .with_mut(|loom_select::select_recv_case_carries_the_send_edge|$array|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        if token.array.permit {|        if token.array.permit {"
  "array-publish-before-write|$array|        slot.msg\n            .with_mut(|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        slot.msg\n            .with_mut(|loom_async::async_bounded_send_happens_before_recv|$array|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        if token.array.permit {|        if token.array.permit {"
  "list-publish-before-write|$list|        slot.msg\n            .with_mut(|        slot.state.fetch_or(WRITE, Ordering::Release);\n        slot.msg\n            .with_mut(|loom_async::async_unbounded_send_happens_before_recv"
  "task-wake-lost|$context|                    waker.wake();|                    drop(waker);|loom_async::async_bounded_send_happens_before_recv"
  "task-wake-lost|$context|                    waker.wake();|                    drop(waker);|loom_async::no_lost_wakeup_with_a_thread_and_a_task_in_one_list"
  "permit-write-no-fence|$array|            fence(Ordering::SeqCst);\n            self.receivers.notify_after_fence();\n        } else {|            self.receivers.notify_after_fence();\n        } else {|loom_async::receiver_parked_on_a_permit_is_woken_by_its_write"
  "array-recv-abandon-drops-wakeup|$array|        // We were the receiver a send woke: wake another.\n        self.0.receivers.notify();|        // Mutated: the wake-up is dropped with the future.|loom_async::dropped_recv_future_passes_its_wakeup_on"
  "array-dropped-permit-not-handed-on|$array|        if !token.array.slot.is_null() \&\& self.give_back_send(token) {\n            // Our reservation may have been what filled the channel, or\n            // what a hand-off would have given the queue.\n            self.hand_off_if_queued();|        if !token.array.slot.is_null() \&\& self.give_back_send(token) {\n            // Mutated: the queued senders are not told.|loom_async::dropped_send_future_passes_its_permit_on"
  "kept-message-dropped|$zero|        inner.kept.push_back(msg);|        drop(msg);|loom_async::dropped_recv_future_loses_nothing"
  "async-send-delivers-on-drop|channel/src/send_async.rs|            None if self.wait.is_registered() => self.wait.cancel(\&[Case::send(sender, 0)]),|            None if self.wait.is_registered() => {\n                let mut cases = [Case::send(sender, 0)];\n                self.wait.cancel(\&cases);\n                if let Some(msg) = self.msg.take() {\n                    let _ = sender.try_send(msg);\n                }\n                let _ = \&mut cases;\n            }|loom_async::dropped_send_future_delivers_nothing"
  "select-async-takes-every-ready-case|$select_async|            for case in cases.iter() {\n                if case.handle().try_select(\&mut self.token) {\n                    return Poll::Ready(Some(self.chosen(case)));\n                }\n            }|            let mut last = None;\n            for case in cases.iter() {\n                if case.handle().try_select(\&mut self.token) {\n                    last = Some(case);\n                }\n            }\n            if let Some(case) = last {\n                return Poll::Ready(Some(self.chosen(case)));\n            }|loom_async::select_async_commits_exactly_one_case"
  "array-free-slot-before-read|$array|        let msg = slot\n            .msg|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        let msg = slot\n            .msg|loom_capacity::capacity_1_first_recv_happens_before_second_send_completes"
  "array-free-slot-before-read|$array|        let msg = slot\n            .msg|        slot.stamp.store(token.array.stamp, Ordering::Release);\n        let msg = slot\n            .msg|loom_capacity::capacity_2_first_recv_happens_before_third_send_completes"
  "array-close-relaxed|$array|let tail = self.tail.fetch_or(self.mark_bit, Ordering::SeqCst);|let tail = self.tail.fetch_or(self.mark_bit, Ordering::Relaxed);|loom_close_then_recv::bounded_close_happens_before_recv_that_reports_it"
  "array-hand-off-skipped|$array|        if self.senders.has_waiters() {\n            self.hand_off(false);|        if false {\n            self.hand_off(false);|loom_no_lost_wakeup::blocked_bounded_sender_and_receiver_finish"
  "array-send-skips-recheck|$array|    fn ready_to_send(\&self) -> bool {\n        !self.is_full()|    fn ready_to_send(\&self) -> bool {\n        false \&\& !self.is_full()|loom_no_lost_wakeup::blocked_bounded_sender_and_receiver_finish"
  "list-publish-before-write|$list|        slot.msg\n            .with_mut(|        slot.state.fetch_or(WRITE, Ordering::Release);\n        slot.msg\n            .with_mut(|loom_send_then_recv::unbounded_send_happens_before_recv"
  "list-close-relaxed|$list|let tail = self.tail.index.fetch_or(MARK_BIT, Ordering::SeqCst);|let tail = self.tail.index.fetch_or(MARK_BIT, Ordering::Relaxed);|loom_close_then_recv::unbounded_close_happens_before_recv_that_reports_it"
  "list-recv-skips-recheck|$list|    fn ready_to_recv(\&self) -> bool {\n        !self.is_empty()|    fn ready_to_recv(\&self) -> bool {\n        false \&\& !self.is_empty()|loom_no_lost_wakeup::blocked_unbounded_receiver_finishes"
  "zero-ready-before-write|$zero|        packet.msg.with_mut(|        packet.ready.store(true, Ordering::Release);\n        packet.msg.with_mut(|loom_send_then_recv::rendezvous_send_happens_before_recv"
  "zero-close-flag-unread|$zero|        } else if closed {\n            token.zero.packet = std::ptr::null_mut();|        } else if false {\n            token.zero.packet = std::ptr::null_mut();|loom_close_then_recv::rendezvous_close_happens_before_recv_that_reports_it"
  "close-wakes-nobody|$waker|            if entry.cx.try_select(Selected::Closed).is_ok() {\n                entry.cx.unpark();\n            }|            let _ = entry;|loom_close_race::close_racing_blocked_rendezvous_sender_and_receiver"
  "close-wakes-nobody|$waker|            if entry.cx.try_select(Selected::Closed).is_ok() {\n                entry.cx.unpark();\n            }|            let _ = entry;|loom_close_race::close_racing_blocked_bounded_sender_and_receiver"
  "close-wakes-nobody|$waker|            if entry.cx.try_select(Selected::Closed).is_ok() {\n                entry.cx.unpark();\n            }|            let _ = entry;|loom_close_race::close_racing_unbounded_sender_and_receiver"
  "discard-keeps-messages|channel/src/channel.rs|                    chan.chan.close_and_discard();|                    chan.chan.close();|loom_close_race::last_receiver_dropped_racing_blocked_sender"
  "notify-wakes-nobody|$waker|        if !self.is_empty.load(Ordering::SeqCst) {|        if false {|loom_no_lost_wakeup::blocked_bounded_sender_and_receiver_finish"
  "notify-wakes-nobody|$waker|        if !self.is_empty.load(Ordering::SeqCst) {|        if false {|loom_no_lost_wakeup::blocked_unbounded_receiver_finishes"
  "notify-wakes-nobody|$waker|        if !self.is_empty.load(Ordering::SeqCst) {|        if false {|loom_async::no_lost_wakeup_with_a_thread_and_a_task_in_one_list"
  "claim-wakes-nobody|$zero|        if let Some(waiter) = token.zero.waiter.take() {\n            waiter.unpark();\n        }\n        Ok(())|        let _ = token.zero.waiter.take();\n        Ok(())|loom_no_lost_wakeup::blocked_select_over_rendezvous_and_bounded_finishes"
  "claim-wakes-nobody|$zero|        if let Some(waiter) = token.zero.waiter.take() {\n            waiter.unpark();\n        }\n        Ok(())|        let _ = token.zero.waiter.take();\n        Ok(())|loom_no_lost_wakeup::blocked_rendezvous_sender_and_receiver_finish"
  "select-skips-registration-recheck|channel/src/select.rs|                if case.handle.register(Operation::hook(case), cx) {|                if { let _ = case.handle.register(Operation::hook(case), cx); false } {|loom_no_lost_wakeup::blocked_select_send_case_finishes"
)
source "$(dirname "$0")/../scripts/loom-mutations-driver.sh"
