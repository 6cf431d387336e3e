//! The `select!` macro: parsing the cases, then one stack array of cases
//! handed to [`crate::select::run`] (no allocation), then the chosen
//! case's body.
//!
//! Each case's channel is bound to its own local; the locals are made in
//! the parsing steps, one macro expansion per case, so hygiene keeps them
//! apart without numbering them, and out of reach of the case bodies.

/// Waits on several channel operations and runs the body of the one that
/// completes: Go's `select` statement.
///
/// ```text
/// select! {
///     recv(rx) -> msg => body,          // msg: Result<T, RecvError>
///     send(tx, value) -> res => body,   // res: Result<(), SendError<T>>
///     default => body,                  // optional: do not block
///     // or: default(timeout) => body   // block at most `timeout`
/// }
/// ```
///
/// * When several cases are ready, one is chosen uniformly at random.
/// * A case on a closed channel is ready: `recv` yields `Err(RecvError)`
///   once the channel is drained, `send` yields `Err(SendError(value))`,
///   handing the value back.
/// * `value` is evaluated only if its case is chosen.
/// * Channels are named by any expression, a `Receiver`/`Sender` or a
///   reference to one; each is evaluated once. A [`never()`](fn@crate::never)
///   receiver switches a case off.
/// * Without cases and without `default`, it blocks forever (Go's
///   `select {}`).
/// * It is an expression; `break`, `continue` and `return` in a body act
///   on the code around it.
///
/// # Examples
///
/// ```
/// use gosync_channel::{after, bounded, select, unbounded};
/// use std::time::Duration;
///
/// let (work_tx, work_rx) = unbounded();
/// let (quit_tx, quit_rx) = bounded::<()>(0);
/// work_tx.send(21).unwrap();
/// drop(quit_tx); // closed: its case is ready from now on
///
/// let mut done = 0;
/// for _ in 0..2 {
///     select! {
///         recv(work_rx) -> job => println!("doubled: {}", job.unwrap() * 2),
///         recv(quit_rx) -> _ => done += 1,
///         recv(after(Duration::from_secs(10))) -> _ => panic!("too slow"),
///     }
/// }
/// assert!(done >= 1);
///
/// // A send case, non-blocking with `default`.
/// let (tx, rx) = bounded(1);
/// let sent = select! {
///     send(tx, "hi") -> res => res.is_ok(),
///     default => false,
/// };
/// assert!(sent);
/// assert_eq!(rx.recv(), Ok("hi"));
/// ```
#[macro_export]
macro_rules! select {
    ($($tokens:tt)*) => {
        $crate::__select_parse!(@mode [sync] @cases [] @default [] @index [0usize] $($tokens)*)
    };
}

/// Go's `select` in async code: the cases and bodies of
/// [`select!`](crate::select!), awaiting instead of blocking.
///
/// Used inside an `async` block or function; the whole `select_async!` is
/// an expression to `.await`-free code (it awaits internally). The same
/// rules as `select!`: one ready case is chosen uniformly at random,
/// exactly one case commits, `default` makes it non-blocking and
/// `default(timeout)` bounds the wait; `break`, `continue`, `return` and
/// `?` in a body act on the enclosing code. Timers (`after`, `tick`) and
/// timeouts wake the task from a shared timer thread, so any executor
/// works.
///
/// Dropped while waiting (say, as the losing branch of a
/// `tokio::select!`), it has committed no case: no message taken, no
/// slot held. The async block stays `Send` when every channel's message
/// type is. A send case on a `bounded(0)` channel can complete by handing
/// its value to a pending receive future (kept for the next receiver if
/// that future goes away; see [`docs::go_differences`](crate::docs::go_differences)).
///
/// # Examples
///
/// A worker loop with a quit channel and a timeout:
///
/// ```
/// use std::time::Duration;
/// use gosync_channel::{after, bounded, select_async};
///
/// futures::executor::block_on(async {
///     let (jobs_tx, jobs) = bounded::<u32>(4);
///     let (quit_tx, quit) = bounded::<()>(0);
///     jobs_tx.send(1).unwrap();
///     jobs_tx.send(2).unwrap();
///     std::thread::spawn(move || quit_tx.close());
///
///     let mut done = Vec::new();
///     let timeout = after(Duration::from_secs(10));
///     loop {
///         select_async! {
///             recv(jobs) -> job => done.push(job.unwrap()),
///             recv(quit) -> _ => {
///                 if jobs.is_empty() {
///                     break;
///                 }
///             },
///             recv(timeout) -> _ => panic!("took too long"),
///         }
///     }
///     assert_eq!(done, [1, 2]);
/// });
/// ```
#[macro_export]
macro_rules! select_async {
    ($($tokens:tt)*) => {
        $crate::__select_parse!(@mode [async] @cases [] @default [] @index [0usize] $($tokens)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_parse {
    // ---- recv ----
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:expr, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:expr) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1])
    };
    // ---- send ----
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:expr, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@mode $mode:tt @cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:expr) => {
        $crate::__select_parse!(@mode $mode @cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1])
    };
    // ---- default ----
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(now) ($body)] @index $index $($rest)*)
    };
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(now) ($body)] @index $index $($rest)*)
    };
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(now) ({ $body })] @index $index $($($rest)*)?)
    };
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(timeout $timeout) ($body)] @index $index $($rest)*)
    };
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(timeout $timeout) ($body)] @index $index $($rest)*)
    };
    (@mode $mode:tt @cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!(@mode $mode @cases $cases @default [(timeout $timeout) ({ $body })] @index $index $($($rest)*)?)
    };
    (@mode $mode:tt @cases $cases:tt @default [$($default:tt)+] @index $index:tt default $($rest:tt)*) => {
        ::core::compile_error!("select! has more than one `default` case")
    };
    // ---- done ----
    (@mode $mode:tt @cases $cases:tt @default $default:tt @index $index:tt) => {
        $crate::__select_emit!($mode $cases $default)
    };
    (@mode $mode:tt @cases $cases:tt @default $default:tt @index $index:tt $($rest:tt)+) => {
        ::core::compile_error!(::core::concat!(
            "select! expects cases `recv(r) -> pat => body`, `send(s, v) -> pat => body`, ",
            "`default => body` or `default(timeout) => body`, separated by commas; could not parse: ",
            ::core::stringify!($($rest)+)
        ))
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_emit {
    ($mode:tt $cases:tt $default:tt) => {
        $crate::__select_bind!($mode $cases $cases $default)
    };
}

/// Binds each case's channel expression in a `match` of its own, one
/// nested in the next: a scrutinee's temporaries live to the end of its
/// `match`, so a channel named by an expression that borrows a temporary
/// (`r.unwrap_or(&never())`) stays alive for the whole select, which a
/// `let` would not allow (E0716). A `match` also leaves `break`,
/// `continue` and `return` in the bodies to the enclosing code.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_bind {
    ($mode:tt [(recv $chan:ident $owner:ident $index:tt ($r:expr) $res:tt $body:tt) $($rest:tt)*]
     $cases:tt $default:tt) => {
        match &$r {
            $owner => {
                let $chan = $crate::__private::as_receiver($owner);
                $crate::__select_bind!($mode [$($rest)*] $cases $default)
            }
        }
    };
    ($mode:tt [(send $chan:ident $owner:ident $index:tt ($s:expr, $v:expr) $res:tt $body:tt) $($rest:tt)*]
     $cases:tt $default:tt) => {
        match &$s {
            $owner => {
                let $chan = $crate::__private::as_sender($owner);
                $crate::__select_bind!($mode [$($rest)*] $cases $default)
            }
        }
    };
    ([sync] [] $cases:tt $default:tt) => {
        $crate::__select_run!($cases $default)
    };
    ([async] [] $cases:tt $default:tt) => {
        $crate::__select_run_async!($cases $default)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_run {
    ([$(($kind:ident $chan:ident $owner:ident [$($index:tt)*] $args:tt ($res:pat) $body:tt))*]
     [$($default:tt)*]) => {{
        // A local, not a temporary of the `match`: it must be dropped
        // before the channel locals it borrows.
        let selected = $crate::__private::run(
            &mut [$( $crate::__select_case!($kind $chan [$($index)*]) ),*] as &mut [$crate::__private::Case<'_>],
            $crate::__select_timeout!($($default)*),
        );
        match selected {
            ::core::option::Option::Some(selected) => {
                $(
                    if selected.index() == $($index)* {
                        // A panic in a send expression drops `selected`
                        // unfinished, which undoes its reservation.
                        let $res = $crate::__select_complete!($kind selected $chan $args);
                        $body
                    } else
                )*
                {
                    ::core::unreachable!("select! chose a case it does not have")
                }
            }
            ::core::option::Option::None => $crate::__select_default!($($default)*),
        }
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_run_async {
    ([$(($kind:ident $chan:ident $owner:ident [$($index:tt)*] $args:tt ($res:pat) $body:tt))*]
     [$($default:tt)*]) => {{
        let selected = {
            let cases = [$( $crate::__select_case!($kind $chan [$($index)*]) ),*];
            // SAFETY: the marker is a tuple of `PhantomData<T>`, one per
            // case's message type `T` (what `SelectFuture::new` requires).
            let future = unsafe {
                $crate::__private::SelectFuture::new(
                    cases,
                    $crate::__select_timeout!($($default)*),
                    ($( $crate::__private::$kind($chan), )*),
                )
            };
            future.await
        };
        match selected {
            ::core::option::Option::Some(selected) => {
                $(
                    if selected.index() == $($index)* {
                        let $res = $crate::__select_complete!($kind selected $chan $args);
                        $body
                    } else
                )*
                {
                    ::core::unreachable!("select_async! chose a case it does not have")
                }
            }
            ::core::option::Option::None => $crate::__select_default!($($default)*),
        }
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_case {
    (recv $chan:ident [$($index:tt)*]) => {
        $crate::__private::Case::recv($chan, $($index)*)
    };
    (send $chan:ident [$($index:tt)*]) => {
        $crate::__private::Case::send($chan, $($index)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_complete {
    (recv $selected:ident $chan:ident ($r:expr)) => {
        $selected.recv($chan)
    };
    (send $selected:ident $chan:ident ($s:expr, $v:expr)) => {
        $selected.send($chan, $v)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_timeout {
    () => {
        $crate::__private::Timeout::Never
    };
    ((now) $body:tt) => {
        $crate::__private::Timeout::Now
    };
    ((timeout $timeout:expr) $body:tt) => {
        $crate::__private::Timeout::after($timeout)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_default {
    () => {
        ::core::unreachable!("a select without default returns a case")
    };
    (($($how:tt)*) $body:tt) => {
        $body
    };
}
