#!/usr/bin/env bash
# Whole-process comparison of `flowc build` with the `limit` yardstick
# (examples/limit.rs: serde_json reads flowc's own output and pretty-prints
# it back), on workloads of 100, 10,000 and 100,000 steps from two
# generators (the project's, examples/gen.rs, and an independent one,
# benches/indep_gen.py): first paired runs (benches/paired.py: wall and CPU
# time, peak memory), then hyperfine on the project's workloads, then
# `flowc check` over a folder of 2,000 small files. See BENCHMARKS.md.
#
#   bash benches/compare.sh            # RUNS=10 timed runs per command
#   RUNS=20 bash benches/compare.sh
#   FLOWC=/path/to/other/flowc bash benches/compare.sh   # measure another build
#
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`) and
# python3 for the summary table. Inputs and raw results go to
# target/bench-data/ (under $CARGO_TARGET_DIR when set); the summary table
# is printed and saved there as results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
TARGET=${CARGO_TARGET_DIR:-target}
DATA=$TARGET/bench-data
SIZES=(100 10000 100000)
SMALL_FILES=2000

for tool in hyperfine /usr/bin/time python3; do
    command -v "$tool" >/dev/null || {
        echo "compare.sh: $tool is missing (apt-get install -y hyperfine time python3)" >&2
        exit 2
    }
done

# The examples first, the binary last: building examples brings in the
# dev-dependencies, and the flowc measured must be the plain release build.
cargo build --release --example gen --example limit
if [ -z "${FLOWC:-}" ]; then
    cargo build --release
    FLOWC=$TARGET/release/flowc
fi
GEN=$TARGET/release/examples/gen
LIMIT=$TARGET/release/examples/limit

mkdir -p "$DATA"
for n in "${SIZES[@]}"; do
    "$GEN" "$n" >"$DATA/w$n.flow"
    "$FLOWC" build "$DATA/w$n.flow" >"$DATA/w$n.json"
    # The yardstick must do the same job: byte-identical output.
    "$LIMIT" "$DATA/w$n.json" | cmp -s - "$DATA/w$n.json" || {
        echo "compare.sh: limit's output differs from flowc's for $n steps" >&2
        exit 1
    }
done

# The second workload: benches/indep_gen.py, a generator written from the
# workload's description alone, sharing no code with the project's.
for n in "${SIZES[@]}"; do
    python3 benches/indep_gen.py "$n" >"$DATA/i$n.flow"
    "$FLOWC" build "$DATA/i$n.flow" >"$DATA/i$n.json"
    "$LIMIT" "$DATA/i$n.json" | cmp -s - "$DATA/i$n.json" || {
        echo "compare.sh: limit's output differs from flowc's for $n steps (indep)" >&2
        exit 1
    }
done

# Paired runs (flowc, limit, flowc, limit, ...): wall time, CPU time (user +
# system) and peak RSS of each whole process, side by side.
pairs=()
for n in "${SIZES[@]}"; do
    pairs+=("own $n build:$FLOWC build $DATA/w$n.flow|$LIMIT $DATA/w$n.json")
    pairs+=("indep $n build:$FLOWC build $DATA/i$n.flow|$LIMIT $DATA/i$n.json")
done
pairs+=("own 100 check:$FLOWC check $DATA/w100.flow|$LIMIT $DATA/w100.json")
pairs+=("indep 100 check:$FLOWC check $DATA/i100.flow|$LIMIT $DATA/i100.json")
python3 benches/paired.py "$RUNS" "$DATA/paired.md" "${pairs[@]}"

# Wall time: hyperfine without a shell (-N), output to /dev/null.
# Wall time: hyperfine without a shell (-N), output to /dev/null.
for n in "${SIZES[@]}"; do
    extra=()
    if [ "$n" = 100 ]; then
        extra=(-n "flowc check" "$FLOWC check $DATA/w$n.flow")
    fi
    hyperfine -N --warmup 3 --min-runs "$RUNS" --export-json "$DATA/time-$n.json" \
        -n "flowc build" "$FLOWC build $DATA/w$n.flow" \
        "${extra[@]}" \
        -n "limit" "$LIMIT $DATA/w$n.json"
done

# Peak memory: GNU time's "Maximum resident set size" (KiB), median of 5.
peak_rss() {
    local out=()
    for _ in 1 2 3 4 5; do
        out+=("$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1)")
    done
    printf '%s\n' "${out[@]}" | sort -n | sed -n 3p
}
: >"$DATA/rss.tsv"
for n in "${SIZES[@]}"; do
    printf '%s\tflowc build\t%s\n' "$n" "$(peak_rss "$FLOWC" build "$DATA/w$n.flow")" >>"$DATA/rss.tsv"
    printf '%s\tlimit\t%s\n' "$n" "$(peak_rss "$LIMIT" "$DATA/w$n.json")" >>"$DATA/rss.tsv"
done

# Many small files: `flowc check` over a folder of 2,000 files of 10–40 steps.
rm -rf "$DATA/many"
mkdir -p "$DATA/many"
for i in $(seq 1 "$SMALL_FILES"); do
    "$GEN" $((10 + i % 31)) "$i" >"$DATA/many/w$(printf %04d "$i").flow"
done
hyperfine -N --warmup 1 --min-runs 5 --export-json "$DATA/time-many.json" \
    -n "flowc check ($SMALL_FILES files)" "$FLOWC check $DATA/many"
printf 'many\tflowc check\t%s\n' "$(peak_rss "$FLOWC" check "$DATA/many")" >>"$DATA/rss.tsv"

python3 - "$DATA" "$FLOWC" "${SIZES[@]}" <<'EOF' | tee "$DATA/results.md"
import json, os, sys

data, flowc, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"flowc: `{flowc}`\n")
rss = {}
for line in open(os.path.join(data, "rss.tsv")):
    n, cmd, kib = line.rstrip("\n").split("\t")
    rss[(n, cmd)] = int(kib)

def times(n):
    runs = json.load(open(os.path.join(data, f"time-{n}.json")))["results"]
    return {r["command"]: r for r in runs}

def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"

def mib(kib):
    return f"{kib / 1024:.1f} MiB"

print("| steps | .flow size | flowc build median | limit median | flowc/limit | flowc peak RSS | limit peak RSS | RSS flowc/limit |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
medians = {}
for n in sizes:
    t = times(n)
    f, l = t["flowc build"]["median"], t["limit"]["median"]
    medians[n] = (f, l)
    size = os.path.getsize(os.path.join(data, f"w{n}.flow"))
    rf, rl = rss[(n, "flowc build")], rss[(n, "limit")]
    print(f"| {int(n):,} | {size / 1024:.0f} KiB | {ms(f)} | {ms(l)} | {f / l:.2f}x | {mib(rf)} | {mib(rl)} | {rf / rl:.2f}x |")
print()
if "100" in medians:
    c = times("100")["flowc check"]["median"]
    print(f"- 100 steps: `flowc check` median {ms(c)}, {c / medians['100'][1]:.2f}x limit on the 100-step body (target < 2x)")
if "10000" in medians:
    f, l = medians["10000"]
    print(f"- 10k steps: flowc build / limit = {f / l:.2f}x (target <= 2.0x, aim 1.0x)")
if "10000" in medians and "100000" in medians:
    f10, l10 = medians["10000"]
    f100, l100 = medians["100000"]
    print(f"- scaling 100k / 10k: flowc {f100 / f10:.1f}x (target <= 11x), limit {l100 / l10:.1f}x")
many = json.load(open(os.path.join(data, "time-many.json")))["results"][0]
print(f"- `{many['command']}`: median {ms(many['median'])}, peak RSS {mib(rss[('many', 'flowc check')])}")
EOF
