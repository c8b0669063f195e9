#!/usr/bin/env bash
# Writes link/flowc.order: the functions that flowc's common commands run,
# hottest first, for the linker to place together at the start of the code
# (build.rs passes it to rust-lld). Run it again after a rustc upgrade or a
# Cargo.lock change: symbol names carry a hash of the crate's build, and a
# name the build no longer has is left where it falls. `compare.sh` reports
# how many of the listed names the measured binary still has.
#
#   apt-get install -y valgrind
#   bash benches/symbol-order.sh
#
# The names come from callgrind on the release binary itself (the release
# profile keeps its symbol table for this, and for named backtraces), over:
# a check and a build of both generators' 100-step workloads, a check with
# JSON output, a format, and a check of every file in tests/ui (the
# diagnostics' rendering). Within that set the order is by instructions
# run in the first workload that ran the function, most first.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || {
    echo "symbol-order.sh: valgrind is missing (apt-get install -y valgrind)" >&2
    exit 2
}
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release --example gen
cargo build --release
FLOWC=$(realpath "$TARGET/release/flowc")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$TARGET/release/examples/gen" 100 >"$work/w100.flow"
python3 benches/indep_gen.py 100 >"$work/i100.flow"

n=0
profile() {
    n=$((n + 1))
    # Exit codes are the workloads' own business (fmt --check, ui errors).
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/$n.cg" \
        "$FLOWC" "$@" >/dev/null 2>&1 || true
}
profile check "$work/w100.flow"
profile check "$work/i100.flow"
profile build "$work/w100.flow" -o "$work/w100.json"
profile build "$work/i100.flow" -o "$work/i100.json"
profile check --format json "$work/w100.flow"
profile fmt --check "$work/w100.flow"
profile check tests/ui/*.flow

python3 - "$FLOWC" "$work" "$n" >link/flowc.order <<'EOF'
import re, subprocess, sys

flowc, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
line = re.compile(r"\s*([\d,]+) \([^)]*\)\s+\S*?:(\S+) \[(.*)\]$")
seen, order = set(), []
for i in range(1, runs + 1):
    text = subprocess.run(
        ["callgrind_annotate", "--threshold=100", f"{work}/{i}.cg"],
        capture_output=True, text=True, check=True,
    ).stdout
    for m in map(line.match, text.splitlines()):
        if not m or m.group(3) != flowc:
            continue
        # callgrind marks recursion depth with 'N; addresses have no name.
        name = re.sub(r"'\d+$", "", m.group(2))
        if name.startswith(("0x", "???")) or name in seen:
            continue
        seen.add(name)
        order.append(name)
print("# Hot functions of the flowc binary, in the order the linker places")
print("# them (build.rs). Written by benches/symbol-order.sh: do not edit.")
print("\n".join(order))
EOF
echo "symbol-order.sh: $(grep -vc '^#' link/flowc.order) functions in link/flowc.order" >&2
