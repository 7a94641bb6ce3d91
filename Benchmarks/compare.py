#!/usr/bin/env python3
"""Answers Q1-Q8 with SQLite (with the indexes a user would add) and DuckDB on the same CSV files,
times them (warm, median of several runs, in-process), checks that pmo's answers agree, and prints
the ratios against pmo's warm timings (from pmo-bench) and whole-process timings.

Usage: compare.py DATA_DIR PMO_BINARY BENCH_OUTPUT_FILE [--repeat N]
"""
import csv, io, os, re, statistics, subprocess, sys, time

from questions import as_of, load_duckdb, load_sqlite, queries

data, pmo, bench_out = sys.argv[1], sys.argv[2], sys.argv[3]
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "queries")

AS_OF = as_of(data)
SQL = queries(AS_OF)

def timed(fn):
    times, result = [], None
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result

def pmo_answer(name):
    out = subprocess.run([pmo, "run", os.path.join(QUERIES, name + ".pmo"), "--data", data, "--format", "csv", "--quiet"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr
    blocks = [b for b in re.split(r"\r?\n\r?\n", out.stdout.strip()) if b.strip()]
    return [list(csv.reader(io.StringIO(b))) for b in blocks], ""

def num(x):
    try:
        return float(str(x).replace("$", "").replace(",", ""))
    except (TypeError, ValueError):
        return None

def agree(name, sql_rows, blocks):
    """Compares the SQL rows with pmo's last table (or its scalars), first the keys, then numbers."""
    if name in ("q3_overallocated",):
        return num(blocks[0][0][0]) == num(sql_rows[0][0]), f"count {blocks[0][0][0]} vs {sql_rows[0][0]}"
    if name == "q7_governance":
        got = [num(row[0]) for b in blocks for row in b]
        return got == [num(v) for v in sql_rows[0]], f"{got} vs {list(sql_rows[0])}"
    table = blocks[-1][1:]
    if name == "q8_earned_value":
        n, vac = num(table[0][0]), num(table[0][1])
        ok = n == num(sql_rows[0][0]) and abs(vac - float(sql_rows[0][1])) <= max(1.0, 0.01 * n)
        return ok, f"n={n} Σvac={vac:.2f} vs {sql_rows[0][0]} {float(sql_rows[0][1]):.2f}"
    if len(table) != len(sql_rows):
        return False, f"{len(table)} rows vs {len(sql_rows)}"
    for a, b in zip(table, sql_rows):
        for x, y in zip(a, b):
            nx, ny = num(x), num(y)
            if nx is not None and ny is not None:
                if abs(nx - ny) > max(0.01, 1e-6 * abs(ny)):
                    return False, f"{a} vs {b}"
            elif (x or None) != (y if y is None else str(y)):
                return False, f"{a} vs {b}"
    return True, f"{len(table)} rows"

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
    blocks, err = pmo_answer(name)
    if blocks is None:
        verdict = "pmo failed: " + err.strip().splitlines()[0] if err.strip() else "pmo failed"
    else:
        ok1, why1 = agree(name, lrows, blocks)
        ok2, why2 = agree(name, drows, blocks)
        verdict = ("agree" if ok1 and ok2 else "DISAGREE") + f" ({why1}; duckdb: {why2})"
    p = warm_pmo.get(name)
    ratio = lambda x: f"{x / p:10.1f}x" if p else "         -"
    print(f"{name:24} {p * 1000 if p else float('nan'):8.2f}ms {ls * 1000:8.2f}ms {ds * 1000:8.2f}ms {ratio(ls)} {ratio(ds)}  {verdict}")
