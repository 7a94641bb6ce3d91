#!/usr/bin/env bash
# Builds and runs the pmo fuzzers (libFuzzer, address sanitizer).
#
#   ./run.sh build [debug|release|both]   build the fuzzers (default: both)
#   ./run.sh check                        exit 0 when this toolchain can build fuzzers, 1 when not
#   ./run.sh replay [debug|release]       run every input in FailCases/<Target>/ through its fuzzer
#   ./run.sh fuzz TARGET SECONDS [debug|release] [libFuzzer flags...]
#                                         fuzz TARGET for SECONDS on corpus/TARGET (seeded by seed.sh)
#   ./run.sh fuzz-all SECONDS [debug|release]
#                                         each target in turn for SECONDS
#
# Crashes are written to crashes/TARGET/ (not committed). Minimise one with
#   .build/debug/TARGET -minimize_crash=1 -runs=100000 -exact_artifact_path=FailCases/TARGET/NAME crashes/TARGET/crash-...
# and keep it in FailCases/TARGET/ with a regression test in the main suite (README.md).
#
# PMO_FUZZ_NICE (default 19) is the niceness the fuzzers run at; the machine is shared.
# PMO_FUZZ_CORPUS (default Fuzz/corpus) holds the corpora; `fuzz` seeds an empty one with seed.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
targets=(FuzzLexer FuzzParser FuzzEngine FuzzCSV FuzzMSPDI FuzzColumnCache)
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
nice_level="${PMO_FUZZ_NICE:-19}"
corpus_root="${PMO_FUZZ_CORPUS:-$here/corpus}"
# The Swift runtime's backtracer and the address sanitizer both handle a crash and deadlock each
# other; libFuzzer's own report (with the input saved) is the one wanted here.
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer cannot see Swift's tagged object pointers (a large String keeps its storage pointer
# with flag bits set), so it reports statics such as Catalog.schemas as leaked: leak checks are off.
leaks=(-detect_leaks=0)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

dict_for() {
  case "$1" in
    FuzzLexer|FuzzParser|FuzzEngine) echo "$here/pmo.dict" ;;
    FuzzCSV) echo "$here/csv.dict" ;;
    FuzzMSPDI) echo "$here/mspdi.dict" ;;
    FuzzColumnCache) echo "$here/cache.dict" ;;
  esac
}

build() {
  local configs=("$@")
  [ ${#configs[@]} -eq 0 ] && configs=(debug release)
  [ "${configs[0]}" = both ] && configs=(debug release)
  for c in "${configs[@]}"; do
    echo "run.sh: building the fuzzers ($c)"
    # The build's own status decides (a failed build must not pass on an old binary); the linker's
    # noise about local symbols is filtered from what is shown.
    local log status=0
    log=$(mktemp)
    nice -n "$nice_level" swift build -c "$c" "${flags[@]}" >"$log" 2>&1 || status=$?
    grep -v -e "ld.gold: warning: Cannot export local symbol" -e "was identified as an executable target" "$log" || true
    rm -f "$log"
    [ "$status" -eq 0 ] || { echo "run.sh: the fuzzer build ($c) failed (status $status)" >&2; exit 1; }
    for t in "${targets[@]}"; do
      [ -x ".build/$c/$t" ] || { echo "run.sh: .build/$c/$t was not built" >&2; exit 1; }
    done
  done
}

# Can this toolchain link a libFuzzer binary? (Needs swiftc with the fuzzer runtime: Linux toolchains have it.)
check() {
  command -v swiftc >/dev/null 2>&1 || { echo "run.sh: no swiftc"; return 1; }
  local d
  d=$(mktemp -d)
  cat > "$d/probe.swift" <<'SWIFT'
@_cdecl("LLVMFuzzerTestOneInput") public func probe(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }
SWIFT
  if swiftc -sanitize=fuzzer,address -parse-as-library "$d/probe.swift" -o "$d/probe" >/dev/null 2>&1 \
     && "$d/probe" -runs=10 >/dev/null 2>&1; then
    rm -rf "$d"; return 0
  fi
  rm -rf "$d"
  echo "run.sh: this toolchain cannot build libFuzzer binaries (swiftc -sanitize=fuzzer)"
  return 1
}

replay() {
  local c="${1:-debug}" failed=0 n=0
  for t in "${targets[@]}"; do
    local dir="FailCases/$t"
    [ -d "$dir" ] || continue
    local files=()
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -type f ! -name '*.md' -print0 | sort -z)
    [ ${#files[@]} -eq 0 ] && continue
    n=$((n + ${#files[@]}))
    if ! ".build/$c/$t" "${leaks[@]}" -timeout=60 -rss_limit_mb=4096 "${files[@]}" >"/tmp/pmo-replay-$t.log" 2>&1; then
      echo "run.sh: $t fails on a fail case ($c):" >&2
      tail -30 "/tmp/pmo-replay-$t.log" >&2
      failed=1
    fi
  done
  echo "run.sh: replayed $n fail cases ($c)"
  return $failed
}

fuzz() {
  local t="$1" secs="$2" c="${3:-release}"
  shift 3 || shift $#
  mkdir -p "$corpus_root/$t" "crashes/$t"
  [ -n "$(ls -A "$corpus_root/$t" 2>/dev/null)" ] || PMO_FUZZ_CORPUS="$corpus_root" ./seed.sh >/dev/null
  local started ended
  started=$(date +%s)
  local status=0
  local run=(nice -n "$nice_level" ".build/$c/$t" "$corpus_root/$t" -dict="$(dict_for "$t")" -max_total_time="$secs"
             "${leaks[@]}" -timeout=30 -rss_limit_mb=3072 -max_len=65536 -print_final_stats=1
             -artifact_prefix="crashes/$t/" "$@")
  if [ -t 1 ]; then
    "${run[@]}" || status=$?
  else
    # Not on a terminal (CI, a log): libFuzzer's progress goes to crashes/TARGET/fuzz.log; the
    # statistics are shown, and the end of the log when the fuzzer failed.
    "${run[@]}" >"crashes/$t/fuzz.log" 2>&1 || status=$?
    grep -E '^stat::|Test unit written|ERROR|Fatal error' "crashes/$t/fuzz.log" || true
    [ $status -eq 0 ] || tail -60 "crashes/$t/fuzz.log"
  fi
  ended=$(date +%s)
  echo "run.sh: $t ran $((ended - started)) s ($c), exit $status"
  return $status
}

case "${1:-}" in
  build) shift; build "$@" ;;
  check) check ;;
  replay) shift; replay "$@" ;;
  fuzz) shift; [ $# -ge 2 ] || { echo "usage: run.sh fuzz TARGET SECONDS [debug|release] [flags...]" >&2; exit 64; }; fuzz "$@" ;;
  fuzz-all)
    shift; [ $# -ge 1 ] || { echo "usage: run.sh fuzz-all SECONDS [debug|release]" >&2; exit 64; }
    status=0
    for t in "${targets[@]}"; do fuzz "$t" "$1" "${2:-release}" || status=1; done
    exit $status ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
