"""Q1-Q8 of the performance issue in SQL (SQLite and DuckDB dialects), and loading the generated CSV
files into SQLite (with the indexes a user would add) or DuckDB. Shared by compare.py and cold.py."""
import csv, os, sqlite3

SETS = ["people", "portfolios", "programs", "projects", "milestones", "resources", "allocations",
        "timesheets", "risks", "issues", "status_reports"]
NUMERIC = {"bac", "contingency", "budget_cap", "pv", "ev", "ac", "cost", "hours", "capacity", "rate",
           "percent", "probability", "cost_impact", "impact", "priority", "percent_complete"}
INDEXES = ["CREATE INDEX sr_p ON status_reports(project, as_of)", "CREATE INDEX ts_p ON timesheets(project)",
           "CREATE INDEX al_r ON allocations(resource)", "CREATE INDEX ms_p ON milestones(project)",
           "CREATE INDEX is_p ON issues(project, state)", "CREATE INDEX rk_p ON risks(project)",
           "CREATE INDEX pr_id ON projects(id)", "CREATE INDEX rs_id ON resources(id)"]

def as_of(data):
    settings = {}
    if os.path.exists(os.path.join(data, "settings.csv")):
        with open(os.path.join(data, "settings.csv")) as f:
            settings = {r["key"]: r["value"] for r in csv.DictReader(f)}
    return settings.get("status_date", "2026-11-20")

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

def load_sqlite(data, path=":memory:"):
    db = sqlite3.connect(path)
    for s in SETS:
        file = os.path.join(data, s + ".csv")
        if not os.path.exists(file):
            continue
        with open(file, newline="") as f:
            r = csv.reader(f)
            header = next(r)
            db.execute(f"CREATE TABLE {s} ({', '.join(header)})")
            db.executemany(f"INSERT INTO {s} VALUES ({', '.join('?' * len(header))})",
                           ([convert(c, v) for c, v in zip(header, row)] for row in r))
    for stmt in INDEXES:
        db.execute(stmt)
    db.commit()
    return db

def load_duckdb(data, path=":memory:"):
    import duckdb  # only the timing comparison needs it; the agreement check in CI does not
    db = duckdb.connect(path)
    for s in SETS:
        file = os.path.join(data, s + ".csv")
        if os.path.exists(file):
            db.execute(f"CREATE TABLE {s} AS SELECT * FROM read_csv_auto('{file}', header=true, all_varchar=false)")
    return db

def queries(AS_OF):
    """name -> function(dialect) -> SQL text."""
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
    return SQL
