//! The channel kinds, one file each, with the same method names:
//! `start_send`/`write` and `start_recv`/`read` (reserve, then move the
//! message), blocking `send`/`recv` with an optional deadline, `close`, and
//! the select hooks of [`SelectHandle`](crate::select::SelectHandle).

pub(crate) mod array;
pub(crate) mod at;
pub(crate) mod list;
pub(crate) mod never;
pub(crate) mod tick;
pub(crate) mod zero;
