#!/usr/bin/env bash
# Benchmark: what reading Content Credentials costs a render, with and without the memo
# (.easel/credentials), on N originals as large as OpenAI's (1024 px PNGs of about 3 MB, signed by
# c2pa-python with a time stamp, as scripts/make-c2pa-fixtures.py --noise makes them).
#
#   bench/credentials.sh [N=200] [RUNS=3]
#
# Builds easel (release), makes the fixtures in the virtual environment of scripts/c2pa-venv.sh, starts
# scripts/fake-images-api.py --images-from on a free port, builds a project of N prompts once (every
# image generated and cached), then times three kinds of build, RUNS times each, and prints the median:
#   nothing changed      the site stamp says the site is as the last build left it: no render at all
#   re-render, memo      easel.yml's title changed: every page rendered, credentials from the memo
#   re-render, no memo   the same with .easel/credentials deleted first: every original read and hashed
# and the last again on a second project whose originals are the same pictures unsigned, where only the
# container's chunk headers are read.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
RUNS=${2:-3}

swift build -c release --product easel >/dev/null
EASEL=${EASEL_BIN:-"$(swift build -c release --show-bin-path)/easel"}
PY=$(bash scripts/c2pa-venv.sh)
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$PY" scripts/make-c2pa-fixtures.py "$WORK/fixtures" --size 1024 --noise 2>/dev/null
mkdir -p "$WORK/unsigned" && cp "$WORK/fixtures/plain.png" "$WORK/unsigned/signed.png"
export OPENAI_API_KEY=sk-test-bench
SERVER=

# make_project NAME FIXTURES: N prompts, generated against the fake server answering with FIXTURES.
make_project() {
    kill "$SERVER" 2>/dev/null || true
    python3 scripts/fake-images-api.py --port 0 --images-from "$2" --quiet >"$WORK/server.out" 2>&1 &
    SERVER=$!
    for _ in $(seq 50); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
    mkdir -p "$WORK/$1/prompts"
    for i in $(seq "$N"); do printf 'A lighthouse at dusk, study %s.\n' "$i" >"$WORK/$1/prompts/p$i.md"; done
    echo "title: Credentials 0" >"$WORK/$1/easel.yml"
    OPENAI_BASE_URL=$(grep -o 'http://[^ ]*' "$WORK/server.out") \
        "$EASEL" build "$WORK/$1" --yes --json 2>/dev/null >"$WORK/first.json"
    python3 - "$WORK/first.json" "$2/signed.png" <<'PY'
import json, os, sys
report = json.load(open(sys.argv[1]))
print(f"N={report['generated']} originals of {os.path.getsize(sys.argv[2]) / 1e6:.1f} MB; "
      f"credentials {report.get('credentials')}")
PY
}
make_project project "$WORK/fixtures"

seconds() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['wall_seconds'])" "$1"; }
median() { python3 -c "import statistics, sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
counter=0
time_build() { # $1: what to do before the build, $2: the project (default: project)
    local project=$WORK/${2:-project}
    local times=()
    for _ in $(seq "$RUNS"); do
        case $1 in
        nothing) ;;
        memo) counter=$((counter + 1)) && echo "title: Credentials $counter" >"$project/easel.yml" ;;
        no-memo)
            counter=$((counter + 1)) && echo "title: Credentials $counter" >"$project/easel.yml"
            rm -f "$project/.easel/credentials"
            ;;
        esac
        "$EASEL" build "$project" --offline --json 2>/dev/null >"$WORK/run.json"
        times+=("$(seconds "$WORK/run.json")")
    done
    median "${times[@]}"
}
printf '%-22s %s s\n' "nothing changed" "$(time_build nothing)"
printf '%-22s %s s\n' "re-render, memo" "$(time_build memo)"
printf '%-22s %s s\n' "re-render, no memo" "$(time_build no-memo)"
make_project unsigned "$WORK/unsigned"
printf '%-22s %s s\n' "re-render, no memo" "$(time_build no-memo unsigned)"
