//! Decides once, as a cfg, whether the asymmetric fences of `src/fence.rs`
//! can exist in this build, so the source reads
//! `cfg(asymmetric_fences_possible)` instead of repeating the rule.
//!
//! They need `membarrier(2)` (Linux and Android), and are left out of loom
//! models (`--cfg gosync_loom`: loom checks the symmetric fences), of Miri
//! (no such syscall there) and of builds that ask for the portable fences
//! (`--cfg gosync_portable_fences`, which `test.sh` uses to run the whole
//! test suite in the mode other platforms get). Whether the running kernel
//! supports the command is still checked at run time.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(asymmetric_fences_possible)");
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let loom = std::env::var_os("CARGO_CFG_GOSYNC_LOOM").is_some();
    let miri = std::env::var_os("CARGO_CFG_MIRI").is_some();
    let portable = std::env::var_os("CARGO_CFG_GOSYNC_PORTABLE_FENCES").is_some();
    if matches!(os.as_str(), "linux" | "android") && !loom && !miri && !portable {
        println!("cargo::rustc-cfg=asymmetric_fences_possible");
    }
}
