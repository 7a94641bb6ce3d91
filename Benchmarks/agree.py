#!/usr/bin/env python3
"""The benchmark questions Q1-Q8 answered by pmo and by SQLite (Python's sqlite3, no other package)
on the same CSV files; exits 1 on any disagreement or any question pmo fails. CI runs it on a
generated tiny portfolio with the debug binary (.ci/run); Benchmarks/run.sh compares at scale.

Usage: agree.py DATA_DIR PMO_BINARY
"""
import sys

from agreement import agree, pmo_answer
from questions import as_of, load_sqlite, queries

data, pmo = sys.argv[1], sys.argv[2]
SQL = queries(as_of(data))
lite = load_sqlite(data)
failed = 0
for name in sorted(SQL):
    rows = lite.execute(SQL[name]("sqlite")).fetchall()
    blocks, err = pmo_answer(pmo, data, name)
    if blocks is None:
        ok, why = False, "pmo failed: " + (err.strip().splitlines() or [""])[0]
    else:
        ok, why = agree(name, rows, blocks)
    print(f"{name:24} {'agree' if ok else 'DISAGREE'} ({why})")
    failed += 0 if ok else 1
if failed:
    print(f"agree.py: {failed} of {len(SQL)} questions disagree with SQLite", file=sys.stderr)
    sys.exit(1)
print(f"agree.py: all {len(SQL)} questions agree with SQLite")
