#!/usr/bin/env bash
# Reruns every benchmark: bash Benchmarks/run.sh [tiny|medium|large] (default large). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-large}
OUT=.build-bench
mkdir -p "$OUT"
python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb
command -v sqlite3 >/dev/null || { echo "run.sh: the sqlite3 tool is needed (apt-get install -y sqlite3)" >&2; exit 1; }
swift build -c release --static-swift-stdlib --product pmo --scratch-path .build-bench/main
PMO=$PWD/.build-bench/main/release/pmo
DATA=$OUT/data-$SIZE
if [ ! -f "$DATA/projects.csv" ]; then
  /usr/bin/time -f "generate $SIZE: %e s, %M KB max resident" "$PMO" generate --size "$SIZE" --seed 42 --out "$DATA"
fi
du -sh "$DATA"
# A fresh build: SwiftPM does not notice files added to a path dependency (pmo) in an old scratch folder.
rm -rf .build-bench/bench
(cd Benchmarks && swift build -c release --scratch-path ../.build-bench/bench)
BENCH=$PWD/.build-bench/bench/release/pmo-bench
echo "== warm, in process (pmo-bench)"
/usr/bin/time -f "pmo-bench: %e s, %M KB max resident" "$BENCH" "$DATA" Benchmarks/queries --repeat 5 --rules examples/rules | tee "$OUT/bench-$SIZE.txt"
echo "== SQLite and DuckDB on the same files, agreement and ratios"
python3 Benchmarks/compare.py "$DATA" "$PMO" "$OUT/bench-$SIZE.txt"
echo "== whole process against a workspace (import, pmo -c and pmo run, sqlite3 and DuckDB command lines)"
(cd Benchmarks && python3 cold.py "../$DATA" "$PMO" "../$OUT/cold-$SIZE")
