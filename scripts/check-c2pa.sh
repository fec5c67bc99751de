#!/usr/bin/env bash
# End to end: Easel publishes images signed with C2PA Content Credentials byte-identical and still valid,
# as c2pa-python (the Content Authenticity Initiative's SDK, which shares no code with Easel) sees them.
#
#   EASEL_BIN=.build/debug/easel bash scripts/check-c2pa.sh      (or: make check-c2pa)
#
# 1. Makes (or reuses) a virtual environment in .build/c2pa-venv with c2pa-python, cryptography, Pillow
#    and asn1crypto from PyPI (scripts/c2pa-venv.sh).
# 2. Signs small images with scripts/make-c2pa-fixtures.py: signed.png, signed.jpg, signed.webp (an AI
#    generation) and edited.png (an AI edit).
# 3. Makes a project in a temporary folder: three generations (format png, jpeg, webp) and one edit of
#    inputs/edited.png, all gpt-image-2.
# 4. Starts scripts/fake-images-api.py --images-from on a free port: each generation and edit is answered
#    with the signed fixture of the format asked.
# 5. Runs `easel build` against it, then `easel build --json` into a second, fresh folder (site-rebuilt/),
#    which must come from the cache alone.
# 6. Runs scripts/check-c2pa.py on both sites: byte identity with the cache, c2pa.Reader's validation of
#    every published original and edit input, and the `credentials` and `inputs` of gallery.json; then
#    flips one byte of a copy of a published PNG and checks that c2pa.Reader reports
#    assertion.dataHash.mismatch.
#
# 7. Runs scripts/check-site.py (Nu validator, links, headless Chromium) on the site, whose prompt pages
#    show the credentials (CHECK_C2PA_SITE=0 skips it; scripts/install-site-check-deps.sh installs what
#    it needs).
#
# Exits 1 with the problems listed on any failure, else prints one summary line. The temporary folder and
# the server go away on exit. EASEL_BIN defaults to `swift build --show-bin-path`/easel; C2PA_VENV moves
# the virtual environment; CHECK_C2PA_KEEP=1 keeps the temporary folder (its path is printed).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
now() { local t=${EPOCHREALTIME:-$(date +%s)}; echo "${t/,/.}"; }
started=$(now)
venv=${C2PA_VENV:-$root/.build/c2pa-venv}
build_timeout=300

die() {
    echo "check-c2pa: $*" >&2
    exit 1
}

# Prints the log files named, indented, to stderr (what a failing step said).
show() {
    local file
    for file in "$@"; do
        [ -s "$file" ] || continue
        echo "--- ${file##*/}:" >&2
        sed 's/^/    /' "$file" >&2
    done
}

work=$(mktemp -d "${TMPDIR:-/tmp}/check-c2pa.XXXXXX")
server_pid=
cleanup() {
    local status=$?
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "${CHECK_C2PA_KEEP:-}" = 1 ]; then
        echo "check-c2pa: kept $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

easel=${EASEL_BIN:-}
if [ -z "$easel" ]; then
    easel="$(cd "$root" && swift build --show-bin-path)/easel"
fi
[ -x "$easel" ] || die "no easel binary at $easel: run \`swift build --product easel\` or set EASEL_BIN"

# 1. The virtual environment.
py=$(bash "$root/scripts/c2pa-venv.sh" "$venv") || die "no virtual environment with c2pa-python (see above)"

# 2. The signed fixtures.
fixtures=$work/fixtures
"$py" "$root/scripts/make-c2pa-fixtures.py" "$fixtures" >"$work/fixtures.log" 2>&1 || {
    show "$work/fixtures.log"
    die "scripts/make-c2pa-fixtures.py failed"
}
for name in signed.png signed.jpg signed.webp edited.png; do
    [ -s "$fixtures/$name" ] || die "scripts/make-c2pa-fixtures.py did not write $name"
done

# 3. The project.
project=$work/project
mkdir -p "$project/prompts" "$project/inputs"
cp "$fixtures/edited.png" "$project/inputs/edited.png"
cat >"$project/easel.yml" <<'EOF'
title: C2PA check
concurrency: 4
defaults:
  model: gpt-image-2
  size: 1024x1024
  quality: low
EOF
for format in png jpeg webp; do
    cat >"$project/prompts/signed-$format.md" <<EOF
---
format: $format
---
# Signed $format

A red-and-white lighthouse at dawn, answered as $format with Content Credentials.
EOF
done
cat >"$project/prompts/edited-input.md" <<'EOF'
---
edit: inputs/edited.png
---
# An edit of an image edited with AI

Add a crescent moon above the lighthouse.
EOF

# 4. The fake API, on a port it picks.
"$py" "$root/scripts/fake-images-api.py" --port 0 --images-from "$fixtures" --log "$work/api.jsonl" \
    >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|^fake-images-api listening on http://127\.0\.0\.1:\([0-9]*\)/v1$|\1|p' "$work/server.out")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || {
    show "$work/server.out" "$work/server.log"
    die "scripts/fake-images-api.py did not start"
}

# 5. Two builds: the first generates, the second publishes from the cache alone into a fresh folder.
export OPENAI_BASE_URL=http://127.0.0.1:$port/v1 OPENAI_API_KEY=sk-test-c2pa
unset AZURE_OPENAI_ENDPOINT AZURE_OPENAI_API_KEY OPENAI_ORG_ID OPENAI_PROJECT_ID
status=0
timeout "$build_timeout" "$easel" build "$project" >"$work/build.log" 2>&1 || status=$?
if [ "$status" != 0 ]; then
    show "$work/build.log" "$work/server.log"
    die "\`easel build\` exited with status $status"
fi
timeout "$build_timeout" "$easel" build "$project" --json --out "$project/site-rebuilt" \
    >"$work/build-2.json" 2>"$work/build-2.log" || status=$?
if [ "$status" != 0 ]; then
    show "$work/build-2.log" "$work/build-2.json" "$work/server.log"
    die "the second \`easel build --json\` exited with status $status"
fi

# 6. The checks.
status=0
summary=$("$py" "$root/scripts/check-c2pa.py" "$project" --fixtures "$fixtures" --site site --site site-rebuilt \
    --report "$work/build-2.json" --api-log "$work/api.jsonl" --scratch "$work/flipped") || status=$?
if [ "$status" != 0 ]; then
    die "FAILED: Easel does not publish Content Credentials intact: the problems are listed above" \
        "(run with CHECK_C2PA_KEEP=1 to keep the project and the sites)"
fi
# 7. The pages that show credentials, through the site checks (Nu validator, links, Chromium), unless
#    CHECK_C2PA_SITE=0; screenshots of the prompt pages, light and dark, go to .build/c2pa-checks.
if [ "${CHECK_C2PA_SITE:-1}" != 0 ]; then
    python3 "$root/scripts/check-site.py" "$project/site" --screenshots "$root/.build/c2pa-checks" \
        >"$work/site-check.log" 2>&1 || {
        show "$work/site-check.log"
        die "FAILED: the site checks of the pages with Content Credentials"
    }
    summary="$summary; $(tail -n 1 "$work/site-check.log")"
fi
elapsed=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
echo "${summary} (${elapsed} s)"
