#!/usr/bin/python3
"""bench_plot.py PNG RESULTS.md [LABEL=RESULTS.md ...]: bar chart of Mpps per
profile scenario for evfwd and dpdk-testpmd io, from scripts/bench.sh's
results.md tables (one per label, e.g. before=... after=...; testpmd's bars
come from the last one). Needs python3-matplotlib (scripts/setup-deps.sh test)."""
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROW = re.compile(r"^\| ([a-z-]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$")


def read(path):
    rows = {}
    with open(path) as fh:
        for line in fh:
            m = ROW.match(line.strip())
            if m:
                rows[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)))
    return rows


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    sets = []
    for arg in sys.argv[2:]:
        label, _, path = arg.rpartition("=")
        sets.append((label or "evfwd", read(path)))
    order = [sc for sc in sets[-1][1]]
    bars = [("evfwd " + label, [rows.get(sc, (0, 0, 0))[0] for sc in order]) for label, rows in sets]
    bars.append(("testpmd io", [sets[-1][1][sc][1] for sc in order]))
    width = 0.8 / len(bars)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for i, (label, vals) in enumerate(bars):
        xs = [x + (i - (len(bars) - 1) / 2) * width for x in range(len(order))]
        b = ax.bar(xs, vals, width, label=label)
        if label.startswith("evfwd"):
            ratios = [rows.get(sc, (0, 0, 0))[2] for sc in order for lab, rows in sets
                      if "evfwd " + lab == label]
            ax.bar_label(b, labels=["%.2fx" % r for r in ratios], fontsize=7)
    ax.set_xticks(range(len(order)))
    ax.set_xticklabels(order)
    ax.set_ylabel("Mpps (input frames, one worker)")
    ax.set_title("evfwd vs dpdk-testpmd io, net_pcap -> net_null, medians (labels: ratio)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[1], dpi=100)


if __name__ == "__main__":
    main()
