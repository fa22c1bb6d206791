#!/usr/bin/python3
"""Print the Markdown tables of RESULTS.md from the two result files.

Usage (from the repository root):

    /usr/bin/python3 benchmarks/compare.py [benchmarks/results/affectmae.json] [benchmarks/results/pytorch.json]

Ratio = AffectMae / PyTorch for rates (images/s, GFLOP/s: above 1 means AffectMae is faster) and PyTorch / AffectMae
for times (ms/step: above 1 means AffectMae is faster), so above 1 is always better for AffectMae. Memory ratios are
AffectMae / PyTorch (below 1 means AffectMae uses less).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path) as f:
        return json.load(f)


def fmt(value, digits):
    return "–" if value is None else f"{value:,.{digits}f}"


def ratio(a, b, invert=False):
    if a is None or b is None or a == 0 or b == 0:
        return "–"
    return f"{(b / a if invert else a / b):.2f}×"


def main():
    ours = load(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "results", "affectmae.json"))
    theirs = load(sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "results", "pytorch.json"))
    a, p = ours["results"], theirs["results"]
    side = theirs["side"]

    print(f"| metric | AffectMae | {side} | ratio (>1: AffectMae faster) |")
    print("| --- | ---: | ---: | ---: |")
    rows = [
        ("blas", "sgemm 2048³ (GFLOP/s)", "gflops_per_second", 0, False),
        ("extract-b1", "ViT-B/16 features, batch 1 (images/s)", "images_per_second", 2, False),
        ("extract-b1", "ViT-B/16 features, batch 1 (GFLOP/s)", "gflops_per_second", 1, False),
        ("extract-b8", "ViT-B/16 features, batch 8 (images/s)", "images_per_second", 2, False),
        ("extract-b8", "ViT-B/16 features, batch 8 (GFLOP/s)", "gflops_per_second", 1, False),
        ("extract-b32", "ViT-B/16 features, batch 32 (images/s)", "images_per_second", 2, False),
        ("extract-b32", "ViT-B/16 features, batch 32 (GFLOP/s)", "gflops_per_second", 1, False),
        ("mae-b8", "MAE pre-training step, batch 8, 75 % masked (ms/step)", "ms_per_step", 0, True),
        ("temporal-b32", "temporal training step, [32, 300, 768] (ms/step)", "ms_per_step", 0, True),
        ("memory-temporal", "temporal training step, [8, 300, 768], median of the memory run (ms/step)", "ms_per_step", 0, True),
    ]
    for case, label, key, digits, invert in rows:
        x, y = a.get(case, {}).get(key), p.get(case, {}).get(key)
        if x is None and y is None:
            continue
        print(f"| {label} | {fmt(x, digits)} | {fmt(y, digits)} | {ratio(x, y, invert)} |")

    print()
    print(f"| peak resident memory (VmHWM, MiB) | AffectMae | {side} | ratio (AffectMae / PyTorch) |")
    print("| --- | ---: | ---: | ---: |")
    for case in ["extract-b1", "extract-b8", "extract-b32", "mae-b8", "temporal-b32", "memory-temporal"]:
        x, y = a.get(case, {}).get("peak_rss_mib"), p.get(case, {}).get("peak_rss_mib")
        if x is None and y is None:
            continue
        xs, ys = a.get(case, {}).get("rss_start_mib"), p.get(case, {}).get("rss_start_mib")
        print(f"| {case} (runtime alone: {fmt(xs, 0)} / {fmt(ys, 0)}) | {fmt(x, 0)} | {fmt(y, 0)} | "
              f"{'–' if not x or not y else f'{x / y:.2f}'} |")

    ta = a.get("memory-temporal", {}).get("memory_trace") or []
    tp = p.get("memory-temporal", {}).get("memory_trace") or []
    if ta or tp:
        print()
        print(f"| after step | AffectMae RSS (MiB) | live tensors | managed heap (MiB) | {side} RSS (MiB) |")
        print("| ---: | ---: | ---: | ---: | ---: |")
        by_step = {pt["step"]: pt for pt in tp}
        for pt in ta or tp:
            q = by_step.get(pt["step"], {})
            if ta:
                print(f"| {pt['step']} | {pt['rss_mib']:.1f} | {pt['live_tensors']} | {pt['managed_mib']:.1f} | "
                      f"{fmt(q.get('rss_mib'), 1)} |")
            else:
                print(f"| {pt['step']} | – | – | – | {pt['rss_mib']:.1f} |")

    print()
    print("| case | AffectMae: others' cores / load before | PyTorch: others' cores / load before |")
    print("| --- | --- | --- |")
    for case in a.keys() | p.keys():
        x, y = a.get(case, {}), p.get(case, {})
        print(f"| {case} | {fmt(x.get('foreign_cores'), 2)} / {x.get('load_average_before', '–')} | "
              f"{fmt(y.get('foreign_cores'), 2)} / {y.get('load_average_before', '–')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
