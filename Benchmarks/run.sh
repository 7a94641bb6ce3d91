#!/usr/bin/env bash
# Reruns every benchmark: bash Benchmarks/run.sh [tiny|medium|large] (default large). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-large}
OUT=.build-bench
mkdir -p "$OUT"
python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb
swift build -c release --product pmo --scratch-path .build-bench/main
PMO=$PWD/.build-bench/main/release/pmo
DATA=$OUT/data-$SIZE
if [ ! -f "$DATA/projects.csv" ]; then
  /usr/bin/time -f "generate $SIZE: %e s, %M KB max resident" "$PMO" generate --size "$SIZE" --seed 42 --out "$DATA"
fi
du -sh "$DATA"
(cd Benchmarks && swift build -c release --scratch-path ../.build-bench/bench)
BENCH=$PWD/.build-bench/bench/release/pmo-bench
echo "== warm, in process (pmo-bench)"
/usr/bin/time -f "pmo-bench: %e s, %M KB max resident" "$BENCH" "$DATA" Benchmarks/queries --repeat 5 | tee "$OUT/bench-$SIZE.txt"
echo "== whole process (pmo run, start-up and CSV load included), median of 3"
for q in Benchmarks/queries/*.pmo; do
  ts=()
  for i in 1 2 3; do
    s=$(date +%s.%N); "$PMO" run "$q" --data "$DATA" --format csv --quiet > /dev/null; e=$(date +%s.%N)
    ts+=("$(echo "$e - $s" | bc)")
  done
  printf '%-28s %s s\n' "$(basename "$q")" "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 2p)"
done
echo "== SQLite and DuckDB on the same files, agreement and ratios"
python3 Benchmarks/compare.py "$DATA" "$PMO" "$OUT/bench-$SIZE.txt"
