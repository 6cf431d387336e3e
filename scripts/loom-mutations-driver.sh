# The shared driver of the crates' `loom-mutations.sh` scripts. A crate's
# script sets `package` (its Cargo package) and `mutations` (one entry per
# weakening, see below), then sources this file:
#
#   name | file | exact text (\n for newlines) | replacement | model::test that must fail
#
# Each mutation is applied alone to a scratch copy of the workspace, and
# the named loom test must then FAIL. An entry may add a second edit, in a
# second file, as three more fields: | file2 | text2 | replacement2 (for
# weakenings that only show together, such as an ordering that a fence
# elsewhere would otherwise cover). Prints one line per mutation; exits
# non-zero if a weakened build still passes its model (that model would be
# proving nothing). Arguments, if any, name the mutations to run.
# The repository itself is never modified. A model still running after
# MUTATION_TIMEOUT seconds (default 600), or past MUTATION_MEMORY_KB of
# memory, or loom's branch limit, is reported as NO VERDICT.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && xargs -0 cp --parents -t "$scratch")
# Share compiled dependencies with the normal loom runs.
export CARGO_TARGET_DIR="$root/target/loom-mutations"
export RUSTFLAGS="--cfg gosync_loom" LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"

failed=0
# Applies one edit to the scratch copy of a file.
edit() {
  python3 - "$scratch/$1" "$2" "$3" <<'PY'
import sys
path, old, new = (a.replace("\\n", "\n").replace("\\&", "&") for a in sys.argv[1:])
text = open(path).read()
if old not in text:
    sys.exit(1)
open(path, "w").write(text.replace(old, new, 1))
PY
}

for m in "${mutations[@]}"; do
  IFS='|' read -r name file from to target file2 from2 to2 <<<"$m"
  if (($# > 0)) && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  model="${target%%::*}" test="${target#*::}"
  restore() { cp "$root/$file" "$scratch/$file"; [[ -z "${file2:-}" ]] || cp "$root/$file2" "$scratch/$file2"; }
  restore
  if ! edit "$file" "$from" "$to" || { [[ -n "${file2:-}" ]] && ! edit "$file2" "$from2" "$to2"; }; then
    echo "PATTERN?  $name: text not found"; failed=1; restore; continue
  fi
  if ! (cd "$scratch" && cargo test --release -q -p "$package" --test "$model" --no-run >"$scratch/$name.log" 2>&1); then
    echo "BROKEN    $name: the weakened build does not compile"; sed -n 1,20p "$scratch/$name.log"
    failed=1
  elif (cd "$scratch" && ulimit -v "${MUTATION_MEMORY_KB:-8000000}" && LOOM_LOCATION=1 timeout "${MUTATION_TIMEOUT:-600}" cargo test --release -q -p "$package" --test "$model" -- --exact "$test" >"$scratch/$name.log" 2>&1); then
    # A name that matches no test also "passes": say which it was.
    ran=$(grep -oE "[0-9]+ passed" "$scratch/$name.log" | head -n 1)
    echo "SURVIVED  $name: $target still passes with this weakening (${ran:-?})"
    failed=1
  elif grep -qE "memory allocation of [0-9]+ bytes failed|exceeded maximum number of branches" "$scratch/$name.log" ||
    { grep -q "has been running for over" "$scratch/$name.log" && ! grep -qE "panicked|FAILED" "$scratch/$name.log"; }; then
    # The model ran out of time, memory or branches (a weakened spin loop
    # can read a stale value forever under loom, which has no eventual
    # visibility): no verdict either way.
    echo "NO VERDICT $name: $target ran out of time (${MUTATION_TIMEOUT:-600} s), memory or loom branches without failing"
    failed=1
  else
    reason=""
    for pattern in "causality violation[^.]*" "leak[a-z ]*" "deadlock" "assertion.*" "exactly one compare-and-swap must win" "payload read after it was dropped" "panicked at [^ ]*"; do
      reason=$(grep -m1 -oiE "$pattern" "$scratch/$name.log") && break
    done
    where=$(grep -m1 -oE "tests/[a-z_]+\.rs:[0-9]+" "$scratch/$name.log")
    echo "killed    $name: $target fails (${reason:-see log}${where:+; first test line in the report: $where})"
  fi
  restore
done
exit "$failed"
