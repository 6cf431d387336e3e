//! What the loom models share: the loom-checked `Payload` (a read racing
//! its publication or its free is a causality violation, a payload never
//! dropped a leak) and the bounded model runner, from gosync-testkit.
#![allow(unused_imports)]

pub(crate) use gosync_testkit::loom_support::{model, Payload};
