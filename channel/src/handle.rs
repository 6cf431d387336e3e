//! A handle a future either borrows (`recv_async(&self)`) or owns
//! (`into_recv_async(self)`), so one future type serves both.

use std::fmt;
use std::ops::Deref;

pub(crate) enum Handle<'a, H> {
    Borrowed(&'a H),
    Owned(H),
}

impl<H> Deref for Handle<'_, H> {
    type Target = H;

    fn deref(&self) -> &H {
        match self {
            Handle::Borrowed(handle) => handle,
            Handle::Owned(handle) => handle,
        }
    }
}

impl<H: fmt::Debug> fmt::Debug for Handle<'_, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}
