#!/usr/bin/env python3
"""Whole-process timings, what cron sees. Import: `pmo init` + `pmo import` of the CSV set into a new
workspace, against DuckDB creating a database file from the same CSV files (read_csv_auto, its COPY)
and, for reference, SQLite inserts with indexes. Then each question as one command: `pmo -c TEXT
--workspace W` (and `pmo run Q`, which also records the run in the workspace's ledger) against the sqlite3 tool on the indexed SQLite file and a DuckDB command line on the
DuckDB file (python3 with the duckdb module: PyPI has no separate DuckDB CLI). Medians of N runs.

Usage: cold.py DATA_DIR PMO_BINARY WORK_DIR [--repeat N]
"""
import os, statistics, subprocess, sys, time

from questions import as_of, queries

data, pmo, work = sys.argv[1], sys.argv[2], sys.argv[3]
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "queries")
SQL = queries(as_of(data))
os.makedirs(work, exist_ok=True)
ws, lite, duck = (os.path.join(work, n) for n in ("pmo.db", "sqlite.db", "duck.db"))

def clock(cmd, stdin=None, ok=(0,)):
    t = time.perf_counter()
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    took = time.perf_counter() - t
    if out.returncode not in ok:
        sys.exit(f"failed ({out.returncode}): {' '.join(cmd)}\n{out.stderr}")
    return took

def remove(*paths):
    for p in paths:
        for suffix in ("", "-wal", "-shm", "-journal", "-columns", ".wal"):
            if os.path.exists(p + suffix):
                os.remove(p + suffix)

remove(ws, lite, duck)
loader = "import sys; sys.path.insert(0, {here!r}); from questions import load_{which}; load_{which}({data!r}, {path!r}).close()"
t_init = clock([pmo, "init", ws, "--quiet"])
t_import = clock([pmo, "import", data, "--workspace", ws, "--quiet"])
t_duck = clock([sys.executable, "-c", loader.format(here=HERE, which="duckdb", data=data, path=duck)])
t_lite = clock([sys.executable, "-c", loader.format(here=HERE, which="sqlite", data=data, path=lite)])
first = os.path.join(QUERIES, "q1_red_projects.pmo")
t_first = clock([pmo, "run", first, "--workspace", ws, "--format", "csv", "--quiet"])
cache = os.path.getsize(ws + "-columns") if os.path.exists(ws + "-columns") else 0
verdict = "met" if t_init + t_import <= t_duck else "missed"
print(f"import: pmo init + import {t_init + t_import:.2f} s; DuckDB read_csv_auto into a file {t_duck:.2f} s "
      f"({verdict}); SQLite inserts + indexes {t_lite:.2f} s")
print(f"first pmo run after the import (reads SQLite, writes the {cache / 1e6:.0f} MB column cache): {t_first:.2f} s")

duck_cli = "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.stdin.read()).fetchall())"
print(f"{'query':24} {'pmo -c':>9} {'pmo run':>9} {'sqlite3':>9} {'duckdb':>9}  target (pmo -c against the faster tool)")
for name in sorted(SQL):
    q = os.path.join(QUERIES, name + ".pmo")
    text = open(q).read()
    p = statistics.median(clock([pmo, "-c", text, "--workspace", ws, "--format", "csv"]) for _ in range(REPEAT))
    r = statistics.median(clock([pmo, "run", q, "--workspace", ws, "--format", "csv", "--quiet"]) for _ in range(REPEAT))
    s = statistics.median(clock(["sqlite3", lite], stdin=SQL[name]("sqlite") + ";\n") for _ in range(REPEAT))
    d = statistics.median(clock([sys.executable, "-c", duck_cli, duck], stdin=SQL[name]("duckdb")) for _ in range(REPEAT))
    best = min(s, d)
    print(f"{name:24} {p:8.3f}s {r:8.3f}s {s:8.3f}s {d:8.3f}s  {'met' if p <= best else 'missed'} ({best / p:.1f}x)")

rules = os.path.join(os.path.dirname(HERE), "examples", "rules")
out = subprocess.run([pmo, "check", rules, "--workspace", ws, "--fail-on", "never", "--format", "csv"], capture_output=True, text=True)
findings = max(0, len(out.stdout.strip().splitlines()) - 1)
c = statistics.median(clock([pmo, "check", rules, "--workspace", ws, "--fail-on", "never", "--format", "csv"], ok=(0, 70))
                     for _ in range(REPEAT))
print(f"rule library: pmo check examples/rules ({len([f for f in os.listdir(rules) if f.endswith('.pmo')])} files) "
      f"against the workspace: {c:.3f} s, {findings} findings to act on (exit {out.returncode})")
