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
        $crate::__select_parse!(@cases [] @default [] @index [0usize] $($tokens)*)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __select_parse {
    // ---- recv ----
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:expr, $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     recv($r:expr) -> $res:pat => $body:expr) => {
        $crate::__select_parse!(@cases [$($cases)* (recv chan owner [$($index)*] ($r) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1])
    };
    // ---- send ----
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ($body))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:expr, $($rest:tt)*) => {
        $crate::__select_parse!(@cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1] $($rest)*)
    };
    (@cases [$($cases:tt)*] @default $default:tt @index [$($index:tt)*]
     send($s:expr, $v:expr) -> $res:pat => $body:expr) => {
        $crate::__select_parse!(@cases [$($cases)* (send chan owner [$($index)*] ($s, $v) ($res) ({ $body }))]
            @default $default @index [$($index)* + 1])
    };
    // ---- default ----
    (@cases $cases:tt @default [] @index $index:tt
     default => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@cases $cases @default [(now) ($body)] @index $index $($rest)*)
    };
    (@cases $cases:tt @default [] @index $index:tt
     default => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@cases $cases @default [(now) ($body)] @index $index $($rest)*)
    };
    (@cases $cases:tt @default [] @index $index:tt
     default => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!(@cases $cases @default [(now) ({ $body })] @index $index $($($rest)*)?)
    };
    (@cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:block, $($rest:tt)*) => {
        $crate::__select_parse!(@cases $cases @default [(timeout $timeout) ($body)] @index $index $($rest)*)
    };
    (@cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:block $($rest:tt)*) => {
        $crate::__select_parse!(@cases $cases @default [(timeout $timeout) ($body)] @index $index $($rest)*)
    };
    (@cases $cases:tt @default [] @index $index:tt
     default($timeout:expr) => $body:expr $(, $($rest:tt)*)?) => {
        $crate::__select_parse!(@cases $cases @default [(timeout $timeout) ({ $body })] @index $index $($($rest)*)?)
    };
    (@cases $cases:tt @default [$($default:tt)+] @index $index:tt default $($rest:tt)*) => {
        ::core::compile_error!("select! has more than one `default` case")
    };
    // ---- done ----
    (@cases $cases:tt @default $default:tt @index $index:tt) => {
        $crate::__select_emit!($cases $default)
    };
    (@cases $cases:tt @default $default:tt @index $index:tt $($rest:tt)+) => {
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
    ($cases:tt $default:tt) => {
        $crate::__select_bind!($cases $cases $default)
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
    ([(recv $chan:ident $owner:ident $index:tt ($r:expr) $res:tt $body:tt) $($rest:tt)*]
     $cases:tt $default:tt) => {
        match &$r {
            $owner => {
                let $chan = $crate::__private::as_receiver($owner);
                $crate::__select_bind!([$($rest)*] $cases $default)
            }
        }
    };
    ([(send $chan:ident $owner:ident $index:tt ($s:expr, $v:expr) $res:tt $body:tt) $($rest:tt)*]
     $cases:tt $default:tt) => {
        match &$s {
            $owner => {
                let $chan = $crate::__private::as_sender($owner);
                $crate::__select_bind!([$($rest)*] $cases $default)
            }
        }
    };
    ([] $cases:tt $default:tt) => {
        $crate::__select_run!($cases $default)
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
