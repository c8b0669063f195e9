#!/usr/bin/env python3
"""Paired whole-process timing of flowc against the limit (benches/compare.sh
drives it; see BENCHMARKS.md).

    python3 benches/paired.py RUNS OUT.md NAME:A_CMD|B_CMD ...

Each pair is two commands, A (flowc) and B (the limit), written as one
argument: a name, a colon, then the two command lines separated by `|`
(split on spaces; paths must not hold spaces). They run alternately,
A B A B ..., after one warm-up of each, so that a change in the machine's
load hits both sides alike. Each run gives its wall time (measured around
the child) and CPU time (user + system, from wait4's rusage); peak resident
memory comes from three more runs of each under GNU time. Outputs go to
/dev/null. The table gives medians and the median of the per-pair ratios,
and is printed and written to OUT.md.
"""

import os
import statistics
import subprocess
import sys
import time


def run(argv):
    """Wall seconds and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"paired.py: `{' '.join(argv)}` exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def peak_rss(argv):
    """Peak RSS in KiB, median of 3, measured by GNU time: a child of this
    Python process would count the parent's memory it was forked from."""
    peaks = []
    for _ in range(3):
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
        peaks.append(int(out.stderr.strip().splitlines()[-1]))
    return statistics.median(peaks)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main():
    runs = int(sys.argv[1])
    out = sys.argv[2]
    rows = []
    results = {}
    for spec in sys.argv[3:]:
        name, cmds = spec.split(":", 1)
        a, b = (c.split() for c in cmds.split("|"))
        run(a), run(b)  # warm-up: page cache, binary mapped
        sa, sb = [], []
        for _ in range(runs):
            sa.append(run(a))
            sb.append(run(b))
        results[name] = (sa, sb)
        ra, rb = peak_rss(a), peak_rss(b)
        med = lambda xs, i: statistics.median(x[i] for x in xs)
        pair_ratio = lambda i: statistics.median(x[i] / y[i] for x, y in zip(sa, sb))
        rows.append(
            f"| {name} | {ms(med(sa, 0))} | {ms(med(sb, 0))} | {pair_ratio(0):.2f}x "
            f"| {ms(med(sa, 1))} | {ms(med(sb, 1))} | {pair_ratio(1):.2f}x "
            f"| {ra / 1024:.1f} MiB | {rb / 1024:.1f} MiB | {ra / rb:.2f}x |"
        )
    lines = [
        f"{runs} paired runs each (A B A B ...); medians; ratios are medians of the per-pair ratios.",
        "",
        "| workload | flowc wall | limit wall | wall ratio | flowc CPU | limit CPU | CPU ratio | flowc peak RSS | limit peak RSS | RSS ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    # Scaling: 100k over 10k of the same generator, flowc and limit alike.
    for gen in ("own", "indep"):
        small, large = results.get(f"{gen} 10000 build"), results.get(f"{gen} 100000 build")
        if small and large:
            parts = []
            for i, what in ((0, "wall"), (1, "CPU")):
                f = statistics.median(x[i] for x in large[0]) / statistics.median(x[i] for x in small[0])
                l = statistics.median(x[i] for x in large[1]) / statistics.median(x[i] for x in small[1])
                parts.append(f"{what} flowc {f:.1f}x, limit {l:.1f}x")
            lines.append(f"- scaling 100k / 10k ({gen} generator): " + "; ".join(parts))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
