#!/usr/bin/env bash
# Snapshots the x86_64 assembly of every hot path, and checks it.
#
#   benches/asm/asm.sh            regenerate benches/asm/*.s
#   benches/asm/asm.sh --check    fail if a snapshot is stale or a hot path
#                                 breaks its budget (what test.sh runs)
#
# Each probe in benches/asm/probes/src/lib.rs is one #[inline(never)],
# #[no_mangle] function doing one public operation. The script compiles the
# probe crate with `--emit asm` (release profile, codegen-units=1), cuts out
# each probe's body, drops assembler directives and symbol hashes so that the
# text only changes when the code does, and writes benches/asm/<probe>.s with
# a header naming the toolchain and the budget.
#
# The budgets (see README.md beside this script) are checked on the fresh
# output whatever the toolchain; the byte-for-byte staleness check runs only
# with the toolchain and architecture the snapshots were made with, and says
# so when it skips.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode="${1:-write}"
case "$mode" in write|--check) ;; *) sed -n '2,17p' "$0"; exit 2 ;; esac

arch="$(uname -m)"
if [ "$arch" != "x86_64" ]; then
  echo "ASM CHECK SKIPPED: snapshots are x86_64 assembly; this machine is $arch"
  exit 0
fi
toolchain="$(rustc -V)"
target_dir="$root/target/asm"
(cd "$root" && CARGO_TARGET_DIR="$target_dir" cargo rustc --quiet --release \
  -p gosync-asm-probes --lib -- --emit asm -C codegen-units=1)
# Cargo re-emits the file whenever the probes or a crate they use change;
# when nothing did, the newest one is current.
asm_file="$(ls -t "$target_dir"/release/deps/gosync_asm_probes-*.s | head -n 1)"

python3 - "$mode" "$here" "$asm_file" "$toolchain" <<'PY'
import re, sys, pathlib

mode, here, asm_file, toolchain = sys.argv[1:]
here = pathlib.Path(here)
text = pathlib.Path(asm_file).read_text().splitlines()

# probe name -> (what to look for, budget checks)
# Budget keys: locks = number of locked instructions in the whole function
# (lock-prefixed ones, and `xchg` with a memory operand, which x86 locks
# implicitly); max_locks = the same as an upper bound, for a function that
# inlines a slow path whose details may shrink; fast_path_calls = calls/jumps to other functions before the
# first `ret` (the fast path falls through to that `ret`), checked when given;
# fast_path_loads = memory operands read before the first `ret`, checked when
# given; locks_besides_fences = locked instructions other than the SeqCst
# fence idiom `lock orl $0, N(%rsp)` (which the portable fence mode of
# gosync-atomic-value runs only where membarrier is unavailable), for a read
# path that may do no locked read-modify-write at all; forbid = substrings no
# instruction of the function may contain.
PROBES = {
    "probe_waitgroup_add": (
        "WaitGroup::add with nobody waiting: one `lock xadd` on the state word, "
        "compares on the returned value, `ret`. The wake-up and the misuse panic "
        "are out-of-line calls behind branches.",
        {"locks": 1, "fast_path_calls": 0},
    ),
    "probe_waitgroup_done": (
        "WaitGroup::done (= add(-1)) with nobody waiting: exactly one "
        "`lock xadd`, no call before the first `ret`.",
        {"locks": 1, "fast_path_calls": 0},
    ),
    "probe_waitgroup_wait": (
        "WaitGroup::wait on a zero counter: one plain load of the state word "
        "(an Acquire load is a plain `mov` on x86_64), a test, `ret`. No `lock`. "
        "A non-zero counter jumps to the out-of-line slow path.",
        {"locks": 0, "fast_path_calls": 0, "fast_path_loads": 1},
    ),
    "probe_atomic_value_load": (
        "AtomicValue::load + a read through the guard + the guard's drop, on a set "
        "value. Once the thread has its hazard record, the asymmetric "
        "(membarrier) path runs no locked instruction and no call (the TLS "
        "access is a `__tls_get_addr` call here, an %fs-relative mov once linked "
        "into a program): load `current`, check that the record's slot 0 is free "
        "(the other 7 are searched out of line), store the pointer in it, `#MEMBARRIER` (the light fence: a compiler "
        "fence), reload `current` and compare, read the u64, store 0 to the "
        "slot, `#MEMBARRIER`, a look at the orphan list, `ret`. The only locked instructions are the two "
        "`lock orl $0, -64(%rsp)`, the SeqCst fences of the portable mode (taken "
        "only where membarrier is unavailable); no mfence, no syscall, no heavy "
        "fence anywhere.",
        {"locks": 2, "forbid": ["mfence", "syscall", "fence5heavy"]},
    ),
    "probe_atomic_value_reader_load": (
        "Reader::load + a read through the cached Arc, on a value the reader "
        "caches: load the AtomicValue's address from the reader, load `current` "
        "(SeqCst: a plain `mov`), compare it with the cached address, load the "
        "cached Arc, test it, read the u64, `ret`. No locked instruction, no "
        "fence, no call before the first `ret`, and no store but the frame's `pushq`; the refresh after a "
        "store is an out-of-line call.",
        {"locks": 0, "fast_path_calls": 0, "fast_path_loads": 4},
    ),
    "probe_atomic_value_store": (
        "AtomicValue::store: the retired list's mutex (`lock cmpxchgl`), then, "
        "under it, a husk popped off the list (the allocation of a value a pass "
        "dropped) and the value written into it (`__rust_alloc` of a new Arc "
        "only when there is none), `xchgq` of it into `current` (the SeqCst swap "
        "that publishes it), the push of the old pointer, the unlock (`xchgl`); "
        "then `is_asymmetric` and `coarse_tick` decide whether a reclamation "
        "pass is due. The pass is inlined: the mutex again, `fence::heavy` "
        "(membarrier), the hazard-slot scan, the husk checks and Arc "
        "decrements.",
        {"max_locks": 12},
    ),
    "probe_map_load": (
        "Map::<u64, u64>::load (std RandomState: the SipHash-1-3 rounds are "
        "inlined) + a read through the guard + the guard's drop, hit or miss. "
        "No locked read-modify-write anywhere in the function: the only "
        "locked instructions allowed are `lock orl $0, N(%rsp)`, the SeqCst "
        "fences of gosync-atomic-value's portable mode (taken only where "
        "membarrier is unavailable, as in atomic_value_load.s); no mfence, no "
        "syscall, no heavy fence. Taking the map's mutex (the dirty-table "
        "fallback) must stay out of line, behind a call.",
        {"locks_besides_fences": 0, "forbid": ["mfence", "syscall", "fence5heavy"]},
    ),
    "probe_channel_try_send": (
        "Sender::try_send, as a user calls it: a match on the flavor (bounded "
        "ring, list, rendezvous). The bounded ring (`flavors/array.rs`) is inline: "
        "load `tail`, load the slot's stamp, one `lock cmpxchg` on `tail`, store "
        "the message and the stamp, load the receivers' `is_empty` flag, `ret`; "
        "waking a receiver is the out-of-line `notify_slow`. No SeqCst fence "
        "(crossbeam's `try_send` runs one, a `lock orl`, on a full channel). The "
        "list flavor is a call; the rendezvous flavor's try_send is inline too, "
        "and its mutex (`lock cmpxchgl`, `xchgl`) and the Arc release of the "
        "partner it hands to are the other three locked instructions.",
        {"max_locks": 4, "forbid": ["mfence", "syscall", "lock\torl", "lock\t\torl"]},
    ),
    "probe_channel_try_recv": (
        "Receiver::try_recv: the flavor match, then on the bounded ring load "
        "`head`, the slot's stamp and, if empty, `tail` (plain loads and `ret`: no "
        "fence, no locked instruction on an empty channel, where crossbeam runs "
        "a SeqCst fence); with a message, one `lock cmpxchg` on `head`, read the "
        "message, store the stamp, load the senders' `is_empty`. The list and "
        "rendezvous flavors are calls.",
        {"max_locks": 1, "forbid": ["mfence", "syscall", "lock\torl", "lock\t\torl"]},
    ),
    "probe_channel_send": (
        "Sender::send, uncontended: the flavor match, the bounded ring's "
        "try_send fast path inlined first (the same `lock cmpxchg`); the "
        "backoff, the registration on the senders' waker (a mutex), the "
        "spin-then-park wait and the context cache follow as slow paths, with "
        "the other flavors' sends.",
        {"forbid": ["mfence"]},
    ),
    "probe_channel_recv": (
        "Receiver::recv, uncontended: the flavor match, the bounded ring's "
        "try_recv fast path inlined first, then the same slow paths as send.",
        {"forbid": ["mfence"]},
    ),
}

# LLVM's x86_64 SeqCst fence: a locked no-op on the stack.
FENCE_IDIOM = re.compile(r"^lock\s+orl\s+\$0,\s*-?\d*\(%rsp\)$")
DIRECTIVE = re.compile(r"^\s*\.(cfi_|p2align|loc|file|type|size|globl|section|hidden|align)")
HASH = re.compile(r"17h[0-9a-f]{16}E")
ANON = re.compile(r"\.Lanon\.[0-9a-f]+\.")
# Local labels carry the function's index in the file (`.LBB12_3`,
# `.Lfunc_begin12`, jump tables `.LJTI12_0`) and a file-wide counter
# (`.Lanon.10`): drop both, so
# that adding a probe leaves the other snapshots as they are.
LOCAL_NUMBERS = [
    (re.compile(r"\.LBB\d+_"), ".LBB_"),
    (re.compile(r"\.Lfunc_begin\d+"), ".Lfunc_begin"),
    (re.compile(r"\.Lanon\.\d+\b"), ".Lanon"),
    (re.compile(r"\.LJTI\d+_"), ".LJTI_"),
]

def body(name):
    try:
        start = text.index(f"{name}:")
    except ValueError:
        sys.exit(f"asm.sh: probe {name} not found in {asm_file}")
    out = []
    for line in text[start + 1:]:
        if line.strip().startswith(".Lfunc_end") or line.strip() == ".cfi_endproc":
            break
        if DIRECTIVE.match(line) or line.strip().startswith(".Ltmp") or not line.strip():
            continue
        line = ANON.sub(".Lanon.", HASH.sub("", line.rstrip()))
        for pattern, replacement in LOCAL_NUMBERS:
            line = pattern.sub(replacement, line)
        out.append(line)
    return out

def check(name, lines, budget):
    problems = []
    instrs = [l.strip() for l in lines if not l.endswith(":")]
    locks = sum(1 for l in instrs
                if l.startswith("lock") or (l.startswith("xchg") and "(" in l))
    if "locks" in budget and locks != budget["locks"]:
        problems.append(f"{locks} locked instructions, budget {budget['locks']}")
    if "max_locks" in budget and locks > budget["max_locks"]:
        problems.append(f"{locks} locked instructions, budget at most {budget['max_locks']}")
    if "locks_besides_fences" in budget:
        fences = sum(1 for l in instrs if FENCE_IDIOM.match(l))
        if locks - fences != budget["locks_besides_fences"]:
            problems.append(f"{locks - fences} locked instructions besides the {fences} "
                            f"`lock orl $0, N(%rsp)` fences, budget {budget['locks_besides_fences']}")
    for word in budget.get("forbid", []):
        for l in instrs:
            if word in l:
                problems.append(f"forbidden `{word}` in: {l}")
    fast = []
    for l in instrs:
        fast.append(l)
        if l.startswith("ret"):
            break
    calls = sum(1 for l in fast if l.startswith("call") or (l.startswith("jmp") and "*" in l))
    if "fast_path_calls" in budget and calls > budget["fast_path_calls"]:
        problems.append(f"{calls} calls before the first ret, budget {budget['fast_path_calls']}")
    if "fast_path_loads" in budget:
        loads = sum(1 for l in fast if re.search(r"\(%r[a-z0-9]+\)\s*,", l) or re.search(r"^mov\w*\s+[^,]*\(", l))
        if loads > budget["fast_path_loads"]:
            problems.append(f"{loads} memory reads before the first ret, budget {budget['fast_path_loads']}")
    return problems

failed = False
for name, (look_for, budget) in PROBES.items():
    lines = body(name)
    header = [
        f"# {name}: generated by benches/asm/asm.sh; do not edit.",
        f"# toolchain: {toolchain}; target x86_64, release profile, codegen-units=1.",
        f"# Look for: {look_for}",
        "# Budget: " + ", ".join(f"{k} = {v}" for k, v in budget.items()),
        "",
    ]
    snapshot = "\n".join(header + lines) + "\n"
    path = here / f"{name.removeprefix('probe_')}.s"
    problems = check(name, lines, budget)
    for p in problems:
        print(f"ASM BUDGET FAILED: {name}: {p}")
        failed = True
    if mode == "write":
        path.write_text(snapshot)
        print(f"wrote {path.relative_to(here.parent.parent)} ({len(lines)} lines)"
              + ("" if problems else ", within budget"))
        continue
    if not path.exists():
        print(f"ASM SNAPSHOT MISSING: {path}; run benches/asm/asm.sh")
        failed = True
        continue
    committed = path.read_text()
    made_with = committed.splitlines()[1] if committed.count("\n") > 1 else ""
    if f"toolchain: {toolchain};" not in made_with:
        print(f"asm: {name}: snapshot made with another toolchain ({made_with[13:].split(';')[0]}); "
              f"staleness check skipped, budget checked ({'ok' if not problems else 'FAILED'})")
        continue
    if committed != snapshot:
        print(f"ASM SNAPSHOT STALE: {path.name} differs from what {toolchain} emits now; "
              "run benches/asm/asm.sh and review the diff")
        failed = True
    elif not problems:
        print(f"asm: {name}: snapshot current, within budget")
sys.exit(1 if failed else 0)
PY
