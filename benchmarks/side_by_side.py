#!/usr/bin/python3
"""Runs AffectMae's cases and their PyTorch twins interleaved, several rounds, and reports paired ratios.

Usage (from the repository root, after `dotnet build -c Release benchmarks/AffectMae.Benchmarks`):

    /usr/bin/python3 benchmarks/side_by_side.py [precision|memory|all] [--rounds 3] [--out PATH]

On a machine other sessions share, two programs measured minutes apart see different loads, so a ratio of their
figures mixes the code with the weather. Here every round runs each case once on each side, back to back, in a fresh
process each (so peak RSS belongs to that case), alternating which side goes first; a ratio is taken within a round
(same minute, same load) and the median over rounds is reported, with every run's load average and the cores other
processes used while it ran (`foreign_cores`). Before each case it waits (up to --max-wait-minutes) for the other
processes to go quiet. The targets of issue 14 are checked at the end.

Results: benchmarks/results/side_by_side.json (every run), and the Markdown tables on stdout (for RESULTS.md).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(HERE, "AffectMae.Benchmarks", "bin", "Release", "net10.0", "AffectMae.Benchmarks.dll")
TWIN = os.path.join(HERE, "pytorch_twin.py")
RESULT_PREFIX = "RESULT "

# our case -> the twin's cases it is compared with (the faster of several counts)
PAIRS = {
    "blas": ["blas"],
    "blas-bf16": ["blas-bf16"],
    "extract-b8": ["extract-b8"],
    "extract-b8-bf16": ["extract-b8-bf16-autocast", "extract-b8-bf16-cast"],
    "extract-b32": ["extract-b32"],
    "extract-b32-bf16": ["extract-b32-bf16-autocast", "extract-b32-bf16-cast"],
    "mae-b8": ["mae-b8"],
    "temporal-b32": ["temporal-b32"],
}
GROUPS = {
    "precision": ["blas", "blas-bf16", "extract-b8", "extract-b8-bf16", "extract-b32", "extract-b32-bf16"],
    "memory": ["mae-b8", "temporal-b32"],
}
GROUPS["all"] = GROUPS["precision"] + GROUPS["memory"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_description():
    with open("/proc/cpuinfo") as f:
        lines = f.read().splitlines()
    model = next((l.split(":", 1)[1].strip() for l in lines if l.startswith("model name")), "?")
    flags = set(next((l.split(":", 1)[1].split() for l in lines if l.startswith("flags")), []))
    wanted = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
              "amx_tile", "amx_bf16", "amx_int8"]
    return model, [f for f in wanted if f in flags]


def busy_cores(seconds=5.0):
    """Cores the machine kept busy over a short sample (nothing of ours runs meanwhile, so all of it is others')."""
    def sample():
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:]]
        busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]
        return busy, busy + cpu[3] + cpu[4]
    b0, t0 = sample()
    time.sleep(seconds)
    b1, t1 = sample()
    return os.cpu_count() * (b1 - b0) / max(1, t1 - t0)


def wait_for_quiet(max_minutes, threshold=0.25):
    """Waits (sampling 5 s, then 30 s pauses) until other processes use less than `threshold` cores, at most
    `max_minutes`; returns the cores others used in the last sample."""
    deadline = time.time() + max_minutes * 60
    while True:
        busy = busy_cores()
        if busy < threshold or time.time() >= deadline:
            log(f"  {'quiet' if busy < threshold else 'still busy, measuring anyway'}: others use {busy:.2f} cores (load {load_average()})")
            return busy
        time.sleep(30)


def run_child(command, name):
    """Runs one case in a fresh process; returns its RESULT object."""
    log(f"  {name}: {' '.join(os.path.basename(c) for c in command[:3])} … (load {load_average()})")
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    result = next((json.loads(line[len(RESULT_PREFIX):]) for line in child.stdout.splitlines()
                   if line.startswith(RESULT_PREFIX)), None)
    if child.returncode != 0 or result is None:
        raise SystemExit(f"{name} failed (exit code {child.returncode})")
    return result


def rate(result):
    """The figure compared: images/s, GFLOP/s (blas) or 1 / (ms/step) for training steps, higher is better."""
    if result.get("images_per_second") is not None:
        return result["images_per_second"]
    if result.get("gflops_per_second") is not None:
        return result["gflops_per_second"]
    return 1000.0 / result["ms_per_step"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("group", nargs="?", default="precision", choices=list(GROUPS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", nargs="+", choices=list(PAIRS), help="these cases instead of the group's")
    parser.add_argument("--warmup", type=int, help="override every case's warm-up runs (both sides)")
    parser.add_argument("--iterations", type=int, help="override every case's timed runs (both sides)")
    parser.add_argument("--max-wait-minutes", type=float, default=10,
                        help="before each case, wait at most this long for other processes to use < 0.25 cores (0: no wait)")
    parser.add_argument("--out", default=os.path.join(HERE, "results", "side_by_side.json"))
    args = parser.parse_args()
    if not os.path.exists(OURS):
        raise SystemExit(f"{OURS} is missing: run `dotnet build -c Release benchmarks/AffectMae.Benchmarks` first")

    model, flags = cpu_description()
    log(f"CPU: {model}, {os.cpu_count()} logical CPUs; flags: {' '.join(flags)}")
    cases = args.cases or GROUPS[args.group]
    counts = (["--warmup", str(args.warmup)] if args.warmup else []) + (["--iterations", str(args.iterations)] if args.iterations else [])
    runs = []   # one entry a round and case: ours and the twin's results
    for r in range(1, args.rounds + 1):
        log(f"round {r}/{args.rounds} (load {load_average()})")
        for case in cases:
            commands = [("AffectMae", case, ["dotnet", OURS, "case", case, *counts])]
            commands += [("PyTorch", twin, [sys.executable, TWIN, "case", twin, *counts]) for twin in PAIRS[case]]
            if r % 2 == 0:
                commands.reverse()   # alternate who goes first
            entry = {"round": r, "case": case, "ours": None, "twin": {},
                     "others_cores_before": wait_for_quiet(args.max_wait_minutes) if args.max_wait_minutes > 0 else None}
            for side, name, command in commands:
                result = run_child(command, f"{side} {name}")
                if side == "AffectMae":
                    entry["ours"] = result
                else:
                    entry["twin"][name] = result
            runs.append(entry)
            save(args.out, model, flags, runs)
    report(runs, cases, model, flags)
    log(f"results in {os.path.abspath(args.out)}")
    return 0


def save(path, model, flags, runs):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(dict(cpu=model, cpu_flags=" ".join(flags), logical_cpus=os.cpu_count(), runs=runs), f, indent=1)
        f.write("\n")
    os.replace(path + ".tmp", path)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    return "–" if value is None else f"{value:,.{digits}f}"


def report(runs, cases, model, flags):
    by = {}
    for entry in runs:
        by.setdefault(entry["case"], []).append(entry)

    def best_twin(entry):
        twins = entry["twin"]
        name = max(twins, key=lambda n: rate(twins[n]))
        return name, twins[name]

    print(f"CPU: {model}; flags: {' '.join(flags)}; rounds: {len(by[cases[0]])}\n")
    print("| case | AffectMae | PyTorch 1.13 (best variant) | AffectMae / PyTorch | load average before (ours / twin), others' cores |")
    print("| --- | ---: | ---: | ---: | --- |")
    for case in cases:
        entries = by.get(case, [])
        ours = [rate(e["ours"]) for e in entries]
        twins = [best_twin(e) for e in entries]
        ratios = [rate(e["ours"]) / rate(t) for e, (_, t) in zip(entries, twins)]
        unit = "img/s" if entries[0]["ours"].get("images_per_second") is not None else (
            "GFLOP/s" if entries[0]["ours"].get("gflops_per_second") is not None else "steps/s")
        variants = sorted({n for n, _ in twins})
        loads = "; ".join(f"{e['ours']['load_average_before']} / {t['load_average_before']}, "
                          f"{e['ours']['foreign_cores']:.2f} / {t['foreign_cores']:.2f}" for e, (_, t) in zip(entries, twins))
        print(f"| {case} ({unit}) | {fmt(median(ours))} | {fmt(median([rate(t) for _, t in twins]))} "
              f"({', '.join(variants)}) | {fmt(median(ratios))}× | {loads} |")

    print("\n| peak RSS (MiB) | AffectMae | PyTorch 1.13 | AffectMae / PyTorch | minor page faults a run (ours / twin) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for case in cases:
        entries = by.get(case, [])
        ours = [e["ours"]["peak_rss_mib"] for e in entries]
        twin = [best_twin(e)[1]["peak_rss_mib"] for e in entries]
        faults = (median([e["ours"].get("minor_faults_per_iteration") for e in entries]),
                  median([best_twin(e)[1].get("minor_faults_per_iteration") for e in entries]))
        print(f"| {case} | {fmt(median(ours), 0)} | {fmt(median(twin), 0)} | "
              f"{fmt(median([o / t for o, t in zip(ours, twin)]))} | {fmt(faults[0], 0)} / {fmt(faults[1], 0)} |")

    # targets of issue 14, each a median of within-round ratios
    def within(case_a, case_b, fa, fb):
        a, b = by.get(case_a, []), by.get(case_b, [])
        return median([fa(x) / fb(y) for x, y in zip(a, b)])

    print("\n| target | measured | goal |")
    print("| --- | ---: | --- |")
    for batch in (8, 32):
        f32, bf = f"extract-b{batch}", f"extract-b{batch}-bf16"
        if f32 in by and bf in by:
            print(f"| batch {batch}: our bfloat16 / our float32 images/s | "
                  f"{fmt(within(bf, f32, lambda e: rate(e['ours']), lambda e: rate(e['ours'])))}× | ≥ 2.5× |")
            print(f"| batch {batch}: our bfloat16 / PyTorch's best bfloat16 images/s | "
                  f"{fmt(within(bf, bf, lambda e: rate(e['ours']), lambda e: rate(best_twin(e)[1])))}× | ≥ 1.0× |")
        for case, blas, goal in ((bf, "blas-bf16", "≥ 0.70"), (f32, "blas", "(reported)")):
            if case in by and blas in by:
                share = within(case, blas, lambda e: e["ours"]["gflops_per_second"], lambda e: e["ours"]["gflops_per_second"])
                print(f"| batch {batch}: {case} GFLOP/s / our {blas} GFLOP/s | {fmt(share)} | {goal} |")
    for case in ("mae-b8", "temporal-b32"):
        if case in by:
            ratio = median([e["ours"]["peak_rss_mib"] / best_twin(e)[1]["peak_rss_mib"] for e in by[case]])
            print(f"| {case}: our peak RSS / PyTorch's | {fmt(ratio)} | ≤ 1.0 |")


if __name__ == "__main__":
    sys.exit(main())
