#!/usr/bin/env python3
"""Several builds of flowc side by side, on the same workloads, in turn.

    python3 benches/variants.py RUNS OUT.md DATA NAME=BINARY ...

DATA is a folder written by benches/compare.sh (w100.flow, w10000.flow,
w100000.flow and many/, 2,000 files of 10 to 40 steps). The first build is
the baseline. Each round runs every build once on a workload, in turn, so
that a change of load on the machine hits all of them alike; rounds follow
one warm-up run of each. Each run gives its wall time (measured around the
child) and CPU time (user + system, from wait4's rusage); peak resident
memory is the median of three runs under GNU time. The table gives medians,
and for each build the median over rounds of its wall and CPU time divided
by the baseline's in that round. It is printed and written to OUT.md.
"""

import os
import statistics
import sys

# One run's wall and CPU time, peak memory under GNU time, and times for
# people, as the paired runs against the limit measure them.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paired import ms, peak_rss, run  # noqa: E402

WORKLOADS = [
    ("build 10,000 steps", ["build", "{DATA}/w10000.flow"]),
    ("build 100,000 steps", ["build", "{DATA}/w100000.flow"]),
    ("check 2,000 files", ["check", "{DATA}/many"]),
    ("check 100 steps", ["check", "{DATA}/w100.flow"]),
]


def main():
    runs, out, data = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    builds = [arg.split("=", 1) for arg in sys.argv[4:]]
    lines = [
        "| workload | build | wall | CPU | wall / baseline | CPU / baseline | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for workload, args in WORKLOADS:
        args = [a.replace("{DATA}", data) for a in args]
        # Short runs get more rounds: the same time per workload, roughly.
        rounds = runs * 10 if "100 steps" in workload else runs
        walls = {name: [] for name, _ in builds}
        cpus = {name: [] for name, _ in builds}
        for _, binary in builds:
            run([binary, *args])
        for _ in range(rounds):
            for name, binary in builds:
                wall, cpu = run([binary, *args])
                walls[name].append(wall)
                cpus[name].append(cpu)
        base = builds[0][0]
        for name, binary in builds:
            wall_ratio = statistics.median(w / b for w, b in zip(walls[name], walls[base]))
            cpu_ratio = statistics.median(c / b for c, b in zip(cpus[name], cpus[base]))
            rss = peak_rss([binary, *args])
            lines.append(
                f"| {workload} | {name} | {ms(statistics.median(walls[name]))} | "
                f"{ms(statistics.median(cpus[name]))} | {wall_ratio:.3f} | {cpu_ratio:.3f} | "
                f"{rss / 1024:.1f} MiB |"
            )
        print("\n".join(lines[-len(builds):]), flush=True)
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
