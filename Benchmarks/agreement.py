"""pmo's answer to a benchmark question (its CSV output) and whether it agrees with SQL's rows.
Shared by compare.py (timings against SQLite and DuckDB) and agree.py (the agreement check in CI)."""
import csv, io, os, re, subprocess

QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "queries")

def pmo_answer(pmo, data, name):
    # Not --quiet: it leaves out a count of 0 (nothing for cron to mail), which is an answer here.
    out = subprocess.run([pmo, "run", os.path.join(QUERIES, name + ".pmo"), "--data", data, "--format", "csv"],
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
        if len(a) != len(b):
            return False, f"{len(a)} columns vs {len(b)}: {a} vs {b}"
        for x, y in zip(a, b):
            nx, ny = num(x), num(y)
            if nx is not None and ny is not None:
                if abs(nx - ny) > max(0.01, 1e-6 * abs(ny)):
                    return False, f"{a} vs {b}"
            elif (x or None) != (y if y is None else str(y)):
                return False, f"{a} vs {b}"
    return True, f"{len(table)} rows"

