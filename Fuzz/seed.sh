#!/usr/bin/env bash
# Builds the seed corpora in Fuzz/corpus/<Target>/ from what the repository already holds:
#   FuzzLexer, FuzzParser, FuzzEngine: examples/**/*.pmo, every .pmo under Tests/ (the golden
#     files), and the one-line scripts quoted in the syntax, runtime and example tests;
#   FuzzCSV: every CSV of examples/demo, each prefixed with the byte that selects its set;
#   FuzzMSPDI: the MS Project XML fixtures of the workspace tests;
#   FuzzColumnCache: the valid cache unchanged, and one patch of a milestone id code.
# Files are named by their SHA-1, so running it again adds nothing twice. The corpora are not
# committed (they grow while fuzzing); Fuzz/FailCases/ is.
#
#   ./seed.sh            everything above, into corpus/ (or $PMO_FUZZ_CORPUS)
#   ./seed.sh --small    without the quoted test scripts (about 40 scripts): quick to load, for CI
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="${PMO_FUZZ_CORPUS:-$here/corpus}"
small=0
[ "${1:-}" = --small ] && small=1
mkdir -p "$corpus"/{FuzzLexer,FuzzParser,FuzzEngine,FuzzCSV,FuzzMSPDI,FuzzColumnCache}

# add TARGET FILE: copies FILE into the target's corpus under its hash.
add() {
  local sum
  sum=$(sha1sum "$2" | cut -c1-40)
  cp "$2" "$corpus/$1/$sum"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Scripts.
while IFS= read -r -d '' f; do
  for t in FuzzLexer FuzzParser FuzzEngine; do add "$t" "$f"; done
done < <(find "$root/examples" "$root/Tests" -name '*.pmo' -print0)

# One-line scripts quoted in the tests: string literals of at least three characters.
if [ "$small" = 1 ]; then
  :
elif command -v python3 >/dev/null 2>&1; then
  python3 - "$root" "$tmp/quoted" <<'PY'
import os, re, sys
root, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
lit = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
n = 0
for d in ("PMOSyntaxTests", "PMORuntimeTests", "ExampleScriptTests"):
    base = os.path.join(root, "Tests", d)
    if not os.path.isdir(base):
        continue
    for name in sorted(os.listdir(base)):
        if not name.endswith(".swift"):
            continue
        text = open(os.path.join(base, name), encoding="utf-8").read()
        for m in lit.finditer(text):
            s = m.group(1)
            if len(s) < 3 or "\\(" in s:
                continue
            s = s.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"').replace("\\\\", "\\")
            with open(os.path.join(out, "q%05d" % n), "w", encoding="utf-8") as f:
                f.write(s)
            n += 1
print(f"seed.sh: {n} quoted scripts from the tests")
PY
  for f in "$tmp"/quoted/*; do
    for t in FuzzLexer FuzzParser FuzzEngine; do add "$t" "$f"; done
  done
else
  echo "seed.sh: python3 not found; skipping the scripts quoted in the tests" >&2
fi

# CSV files: the first byte selects the file (FuzzCSV/main.swift), in EntityKind order.
sets=(people portfolios programs projects milestones tasks dependencies resources allocations
      timesheets risks issues status_reports gates changes settings)
for i in "${!sets[@]}"; do
  for f in "$root/examples/demo/${sets[$i]}.csv" "$root/Tests/WorkspaceTests/Fixtures/${sets[$i]}.csv"; do
    [ -f "$f" ] || continue
    { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "$tmp/csv"
    add FuzzCSV "$tmp/csv"
  done
done

# MS Project XML.
while IFS= read -r -d '' f; do add FuzzMSPDI "$f"; done \
  < <(find "$root/Tests" -name '*.xml' -print0)

for t in FuzzLexer FuzzParser FuzzEngine FuzzCSV FuzzMSPDI; do
  echo "seed.sh: $t: $(ls "$corpus/$t" | wc -l) seeds"
done

# Column cache: mode byte 0 = patches on the valid cache (none: the valid cache itself).
printf '\x00' > "$tmp/cache-valid"
add FuzzColumnCache "$tmp/cache-valid"
printf '\x00\x00\x04\x00\x04\xff\xff\xff\x7f' > "$tmp/cache-patch"
add FuzzColumnCache "$tmp/cache-patch"
