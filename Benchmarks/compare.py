#!/usr/bin/env python3
"""Answers Q1-Q8 with SQLite (with the indexes a user would add) and DuckDB on the same CSV files,
times them (warm, median of several runs, in-process), checks that pmo's answers agree, and prints
the ratios against pmo's warm timings (from pmo-bench) and whole-process timings.

Usage: compare.py DATA_DIR PMO_BINARY BENCH_OUTPUT_FILE [--repeat N]
"""
import csv, io, os, re, sqlite3, statistics, subprocess, sys, time

import duckdb

data, pmo, bench_out = sys.argv[1], sys.argv[2], sys.argv[3]
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "queries")

settings = {}
if os.path.exists(os.path.join(data, "settings.csv")):
    with open(os.path.join(data, "settings.csv")) as f:
        settings = {r["key"]: r["value"] for r in csv.DictReader(f)}
AS_OF = settings.get("status_date", "2026-11-20")

SETS = ["people", "portfolios", "programs", "projects", "milestones", "resources", "allocations",
        "timesheets", "risks", "issues", "status_reports"]
NUMERIC = {"bac", "contingency", "budget_cap", "pv", "ev", "ac", "cost", "hours", "capacity", "rate",
           "percent", "probability", "cost_impact", "impact", "priority", "percent_complete"}

def convert(col, v):
    if v == "":
        return None
    if col in NUMERIC:
        t = v.replace("$", "").replace(",", "")
        try:
            return float(t[:-1]) / 100 if t.endswith("%") else float(t)
        except ValueError:
            return v  # a RAG column that shares a name (status_reports.cost)
    return v

# --- SQLite ------------------------------------------------------------------------------------
def load_sqlite():
    db = sqlite3.connect(":memory:")
    for s in SETS:
        path = os.path.join(data, s + ".csv")
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            r = csv.reader(f)
            header = next(r)
            db.execute(f"CREATE TABLE {s} ({', '.join(header)})")
            db.executemany(f"INSERT INTO {s} VALUES ({', '.join('?' * len(header))})",
                           ([convert(c, v) for c, v in zip(header, row)] for row in r))
    for stmt in ["CREATE INDEX sr_p ON status_reports(project, as_of)", "CREATE INDEX ts_p ON timesheets(project)",
                 "CREATE INDEX al_r ON allocations(resource)", "CREATE INDEX ms_p ON milestones(project)",
                 "CREATE INDEX is_p ON issues(project, state)", "CREATE INDEX rk_p ON risks(project)",
                 "CREATE INDEX pr_id ON projects(id)", "CREATE INDEX rs_id ON resources(id)"]:
        db.execute(stmt)
    db.commit()
    return db

def load_duckdb():
    db = duckdb.connect()
    for s in SETS:
        path = os.path.join(data, s + ".csv")
        if os.path.exists(path):
            db.execute(f"CREATE TABLE {s} AS SELECT * FROM read_csv_auto('{path}', header=true, all_varchar=false)")
    return db

LATEST = f"""latest AS (
  SELECT s.project, s.overall, s.pv, s.ev, s.ac FROM status_reports s
  JOIN (SELECT project, MAX(as_of) AS d FROM status_reports WHERE as_of <= '{AS_OF}' GROUP BY project) m
    ON s.project = m.project AND s.as_of = m.d),
p AS (SELECT p.id, p.name, p.program, p.bac, p.sponsor, COALESCE(l.overall, p.status) AS status, l.pv, l.ev, l.ac,
      CASE WHEN l.pv <> 0 THEN l.ev / l.pv END AS spi, CASE WHEN l.ac <> 0 THEN l.ev / l.ac END AS cpi
      FROM projects p LEFT JOIN latest l ON l.project = p.id)"""

def q3(dialect):
    if dialect == "sqlite":
        weeks = "WITH RECURSIVE w(d) AS (SELECT julianday('2025-12-29') UNION ALL SELECT d + 7 FROM w WHERE d + 7 <= julianday('2026-12-28'))"
        start, fin = "julianday(COALESCE(a.start, '0001-01-01'))", "julianday(COALESCE(a.finish, '9999-12-31'))"
        wd = f"MAX(0, MIN({fin}, w.d + 4) - MAX({start}, w.d) + 1)"
        wk = "w.d"
    else:
        weeks = "WITH w AS (SELECT unnest(generate_series(DATE '2025-12-29', DATE '2026-12-28', INTERVAL 7 DAY))::DATE AS d)"
        start, fin = "COALESCE(a.start, DATE '0001-01-01')", "COALESCE(a.finish, DATE '9999-12-31')"
        wd = f"GREATEST(0, date_diff('day', GREATEST({start}, w.d), LEAST({fin}, w.d + 4)) + 1)"
        wk = "w.d"
    return f"""{weeks},
load AS (SELECT r.id, {wk} AS week, r.capacity,
           SUM(CAST(ROUND(a.percent * 10000) AS INTEGER) * {wd}) AS units
         FROM resources r CROSS JOIN w JOIN allocations a ON a.resource = r.id AND a.state = 'approved'
         GROUP BY r.id, {wk}, r.capacity)
SELECT COUNT(*) FROM load WHERE (COALESCE(capacity, 0) = 0 AND units > 0) OR (COALESCE(capacity, 0) > 0 AND units > 50000)"""

SQL = {
    "q1_red_projects": lambda d: f"WITH {LATEST} SELECT id, name, spi, cpi FROM p WHERE status = 'red' AND bac > 1000000 ORDER BY spi ASC NULLS LAST, id LIMIT 20",
    "q2_programs": lambda d: f"WITH {LATEST} SELECT program, COUNT(*), SUM(bac), SUM(ev) / NULLIF(SUM(ac), 0) AS cpi, SUM(ev) / NULLIF(SUM(pv), 0) FROM p GROUP BY program ORDER BY cpi ASC NULLS LAST, program",
    "q3_overallocated": q3,
    "q4_overdue_milestones": lambda d: f"SELECT p.program, COUNT(*) AS n FROM milestones m JOIN projects p ON p.id = m.project WHERE m.due < '{AS_OF}' AND (m.completed IS NULL OR m.completed > '{AS_OF}') GROUP BY p.program ORDER BY n DESC, p.program LIMIT 10",
    "q5_timesheet_overrun": lambda d: "SELECT p.id, p.bac, t.spent, t.spent - p.bac AS overrun FROM projects p JOIN (SELECT project, SUM(cost) AS spent FROM timesheets GROUP BY project) t ON t.project = p.id WHERE t.spent > p.bac ORDER BY overrun DESC, p.id LIMIT 20",
    "q6_risk_exposure": lambda d: "SELECT p.program, SUM(r.probability * r.cost_impact) AS e FROM risks r JOIN projects p ON p.id = r.project WHERE r.state = 'open' GROUP BY p.program ORDER BY e DESC, p.program LIMIT 10",
    "q7_governance": lambda d: f"WITH {LATEST} SELECT (SELECT COUNT(*) FROM projects WHERE bac > 1000000 AND sponsor IS NULL), (SELECT COUNT(*) FROM p WHERE status = 'red' AND NOT EXISTS (SELECT 1 FROM issues i WHERE i.project = p.id AND i.state = 'open'))",
    "q8_earned_value": lambda d: f"WITH {LATEST} SELECT COUNT(*), SUM(CASE WHEN ac <> 0 AND ev <> 0 THEN bac - bac * ac / ev END) FROM p",
}

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

t = time.perf_counter(); lite = load_sqlite(); lite_load = time.perf_counter() - t
t = time.perf_counter(); duck = load_duckdb(); duck_load = time.perf_counter() - t
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
