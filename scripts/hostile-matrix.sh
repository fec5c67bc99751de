#!/usr/bin/env bash
# The hostile-server matrix of issue 11: one build of a one-prompt project against each misbehaving
# mode of scripts/fake-images-api.py, with what Easel did. Prints a Markdown table.
#
#   scripts/hostile-matrix.sh [EASEL_BIN]     (default: the release build, else the debug build)
#
# For each mode: the exit status, the prompt's failure line, whether anything entered cache/, the
# files under site/images/, and whether the API key appears in anything Easel printed or wrote
# (standard output and error, cache/, site/, .easel/). Needs python3 and the easel binary; works in a
# temporary folder, removed afterwards. Takes about a minute (giant-png makes its 2.4 MB file once).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
EASEL="${1:-}"
if [ -z "$EASEL" ]; then
    for candidate in "$(cd "$REPO" && swift build -c release --show-bin-path 2>/dev/null)/easel" \
        "$(cd "$REPO" && swift build --show-bin-path 2>/dev/null)/easel"; do
        [ -x "$candidate" ] && { EASEL="$candidate"; break; }
    done
fi
[ -x "$EASEL" ] || { echo "scripts/hostile-matrix.sh: no easel binary (build it, or pass its path)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/easel-hostile.XXXXXX")"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
KEY="sk-hostile-matrix-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

echo "| server's answer | exit | Easel's message for the prompt | cached | site/images/ | key anywhere |"
echo "| --- | --- | --- | --- | --- | --- |"
for mode in html wrong-format other-format svg key-echo redirect huge-body giant-png lying-png; do
    project="$WORK/$mode"
    mkdir -p "$project/prompts"
    printf -- '---\nsize: 1024x1024\n---\nA lighthouse at dusk.\n' >"$project/prompts/lighthouse.md"
    python3 "$REPO/scripts/fake-images-api.py" --port 0 --hostile "$mode" --quiet >"$WORK/$mode.server" 2>&1 &
    SERVER=$!
    port=""
    for _ in $(seq 1 300); do
        port=$(grep -o '127\.0\.0\.1:[0-9]*' "$WORK/$mode.server" 2>/dev/null | head -1 | cut -d: -f2 || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "the fake server did not start for $mode" >&2; cat "$WORK/$mode.server" >&2; exit 1; }
    status=0
    OPENAI_BASE_URL="http://127.0.0.1:$port/v1" OPENAI_API_KEY="$KEY" \
        timeout 300 "$EASEL" build "$project" --yes --retries 0 >"$WORK/$mode.out" 2>"$WORK/$mode.err" || status=$?
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    message=$(grep -h 'prompts/lighthouse.md' "$WORK/$mode.err" | grep -v '^plan' | head -1 | sed 's/^failed *prompts\/lighthouse.md: //; s/|/\\|/g')
    [ -n "$message" ] || message=$(tail -1 "$WORK/$mode.out" | sed 's/|/\\|/g')
    cached=$( (find "$project/cache" -name entry.json 2>/dev/null || true) | wc -l | tr -d ' ')
    images=$( (ls "$project/site/images" 2>/dev/null || true) | tr '\n' ' ')
    if grep -rqF "$KEY" "$WORK/$mode.out" "$WORK/$mode.err" "$project/cache" "$project/site" "$project/.easel" 2>/dev/null; then
        leaked="**yes**"
    else
        leaked="no"
    fi
    echo "| \`$mode\` | $status | $message | $cached | ${images:-none} | $leaked |"
done
