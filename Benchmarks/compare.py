#!/usr/bin/env python3
"""Answers Q1-Q8 with SQLite (with the indexes a user would add) and DuckDB on the same CSV files,
times them (warm, median of several runs, in-process), checks that pmo's answers agree, and prints
the ratios against pmo's warm timings (from pmo-bench) and whole-process timings.

Usage: compare.py DATA_DIR PMO_BINARY BENCH_OUTPUT_FILE [--repeat N]
"""
import csv, io, os, re, statistics, subprocess, sys, time

from agreement import agree, pmo_answer
from questions import as_of, load_duckdb, load_sqlite, queries

data, pmo, bench_out = sys.argv[1], sys.argv[2], sys.argv[3]
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
HERE = os.path.dirname(os.path.abspath(__file__))

AS_OF = as_of(data)
SQL = queries(AS_OF)

def timed(fn):
    times, result = [], None
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result

warm_pmo = {}
with open(bench_out) as f:
    for line in f:
        m = re.match(r"(\w+)\.pmo: median ([\d.]+) ms", line)
        if m:
            warm_pmo[m.group(1)] = float(m.group(2)) / 1000

t = time.perf_counter(); lite = load_sqlite(data); lite_load = time.perf_counter() - t
t = time.perf_counter(); duck = load_duckdb(data); duck_load = time.perf_counter() - t
print(f"load: SQLite (insert + indexes) {lite_load:.2f} s, DuckDB (read_csv_auto) {duck_load:.2f} s")
print(f"{'query':24} {'pmo warm':>10} {'SQLite':>10} {'DuckDB':>10} {'SQLite/pmo':>11} {'DuckDB/pmo':>11}  agreement")
for name in sorted(SQL):
    ls, lrows = timed(lambda: lite.execute(SQL[name]("sqlite")).fetchall())
    ds, drows = timed(lambda: duck.execute(SQL[name]("duckdb")).fetchall())
    blocks, err = pmo_answer(pmo, data, name)
    if blocks is None:
        verdict = "pmo failed: " + err.strip().splitlines()[0] if err.strip() else "pmo failed"
    else:
        ok1, why1 = agree(name, lrows, blocks)
        ok2, why2 = agree(name, drows, blocks)
        verdict = ("agree" if ok1 and ok2 else "DISAGREE") + f" ({why1}; duckdb: {why2})"
    p = warm_pmo.get(name)
    ratio = lambda x: f"{x / p:10.1f}x" if p else "         -"
    print(f"{name:24} {p * 1000 if p else float('nan'):8.2f}ms {ls * 1000:8.2f}ms {ds * 1000:8.2f}ms {ratio(ls)} {ratio(ds)}  {verdict}")
