#!/usr/bin/env bash
# Install end to end, as the README says: `make install PREFIX=...` into a temporary prefix, then the
# installed pmo run from another folder, with a PATH that does not hold the build folder and no pmo
# variables: the bundled demo, `pmo init --demo`, the prompt, the man page, the completion scripts,
# `pmo crontab` naming the installed binary, no library from the Swift toolchain, `make uninstall`.
# CI runs it (.ci/run); run it by hand with `bash tools/install_check.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
prefix=$(mktemp -d "${TMPDIR:-/tmp}/pmo-prefix.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/pmo-elsewhere.XXXXXX")
trap 'rm -rf "$prefix" "$work"' EXIT
fail() { echo "install check: FAILED: $*" >&2; exit 1; }

if ! make install PREFIX="$prefix" > "$work/make.log" 2>&1; then
  tail -40 "$work/make.log" >&2
  fail "make install PREFIX=$prefix"
fi
bin="$prefix/bin/pmo"
[ -x "$bin" ] || fail "make install left no $bin"

# The Swift runtime is linked in: the binary needs none of the toolchain's libraries.
if command -v ldd > /dev/null 2>&1; then
  if ldd "$bin" | grep -E 'libswift|libFoundation|lib_FoundationICU|libdispatch|libBlocksRuntime|not found'; then
    fail "the installed binary needs libraries of the Swift toolchain (or missing ones): see above"
  fi
fi

cd "$work"
export PATH="$prefix/bin:/usr/bin:/bin"
export HOME="$work" TMPDIR="$work"
unset PMO_WORKSPACE PMO_DATA PMO_DEMO_DIR PMO_USER || true
case ":$PATH:" in *"$repo"*) fail "PATH holds the build folder";; esac
[ "$(command -v pmo)" = "$bin" ] || fail "pmo on the PATH is $(command -v pmo), not $bin"

# The demo is compiled in: queries, standard input, a workspace made from it.
[ "$(pmo -c 'count(projects)')" = 37 ] || fail "pmo -c on the bundled demo"
[ "$(echo 'count(projects where status = red)' | pmo)" = 6 ] || fail "pmo reading standard input"
pmo init --demo --quiet || fail "pmo init --demo"
[ -f portfolio.db ] || fail "pmo init --demo made no portfolio.db"
[ "$(pmo -c 'count(timesheets)')" = 2037 ] || fail "a query on the demo workspace"
pmo run "$repo/examples/cron/weekly-status.pmo" --output weekly.html || fail "the weekly report"
grep -q '<svg class="chart chart-cpi_spi"' weekly.html || fail "the weekly report has no charts"

# The prompt, on a terminal (script(1) gives it one), when util-linux's script is there.
if command -v script > /dev/null 2>&1; then
  printf 'count(projects)\n.quit\n' | script -qec pmo /dev/null > prompt.out 2>&1 || true
  grep -q 'pmo>' prompt.out || fail "the prompt did not open: $(head -c 300 prompt.out)"
  grep -q '37' prompt.out || fail "the prompt did not answer: $(head -c 300 prompt.out)"
fi

# The man page: where man looks under PREFIX, and it renders.
page="$prefix/share/man/man1/pmo.1"
[ -s "$page" ] || fail "no man page at $page"
if command -v man > /dev/null 2>&1; then
  MANWIDTH=80 man -l "$page" > man.txt 2> man.err || fail "man -l $page: $(cat man.err)"
  for word in NAME SYNOPSIS pmo --workspace --format; do
    grep -q -- "$word" man.txt || fail "the man page lacks $word"
  done
  # man finds pages beside each bin folder of the PATH: plain `man pmo` works.
  man -w pmo | grep -q "$page" || fail "man pmo does not find $page with $prefix/bin on the PATH"
fi

# Completion scripts, where bash-completion, zsh and fish look.
for f in share/bash-completion/completions/pmo share/zsh/site-functions/_pmo share/fish/vendor_completions.d/pmo.fish; do
  [ -s "$prefix/$f" ] || fail "no completion script $prefix/$f"
  grep -q sarif "$prefix/$f" || fail "$f does not offer sarif"
done
bash -c "source '$prefix/share/bash-completion/completions/pmo' && complete -p pmo" > /dev/null || fail "the bash completion does not load"

# pmo crontab writes the installed binary's path, not the build folder's.
mkdir cron
printf 'schedule "0 7 * * mon"\ncount(projects)\n' > cron/weekly.pmo
pmo crontab cron > crontab.txt || fail "pmo crontab"
grep -q " $bin " crontab.txt || fail "pmo crontab does not run $bin: $(cat crontab.txt)"
if grep -q "$repo/.build" crontab.txt; then fail "pmo crontab names the build folder: $(cat crontab.txt)"; fi

cd "$repo"
make uninstall PREFIX="$prefix" > /dev/null || fail "make uninstall"
[ ! -e "$bin" ] && [ ! -e "$page" ] || fail "make uninstall left files behind"
echo "install check: ok (make install PREFIX=..., the installed pmo from another folder, man page, completions, crontab, uninstall)"
