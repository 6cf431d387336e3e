//! Chooses the parking backend of `src/futex.rs` once, as a cfg, so the
//! source reads `cfg(gosync_native_futex)` instead of repeating the rule.
//!
//! Native `futex(2)` on Linux and Android, unless the build is a loom model
//! (`--cfg gosync_loom`) or asks for the portable mutex/condvar emulation
//! (`--cfg gosync_futex_emulation`, which `test.sh` uses to run the whole
//! test suite against the backend other platforms get).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(gosync_native_futex)");
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let loom = std::env::var_os("CARGO_CFG_GOSYNC_LOOM").is_some();
    let emulated = std::env::var_os("CARGO_CFG_GOSYNC_FUTEX_EMULATION").is_some();
    if matches!(os.as_str(), "linux" | "android") && !loom && !emulated {
        println!("cargo::rustc-cfg=gosync_native_futex");
    }
}
