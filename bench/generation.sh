#!/usr/bin/env bash
# Benchmark (SPEC §8): generating N prompts against an API with latency L at concurrency C.
# Target: the generation phase takes at most 1.1 × ceil(N / C) × L.
#
#   bench/generation.sh [N=40] [LATENCY_SECONDS=0.3] [CONCURRENCY=8] [RUNS=3]
#
# Builds easel (release), starts scripts/fake-images-api.py on a free port with that latency,
# builds a throw-away project of N distinct prompts RUNS times (a fresh cache each time) and prints
# the generation phase's wall time (report field generation_seconds) against the ideal.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
LATENCY=${2:-0.3}
CONCURRENCY=${3:-8}
RUNS=${4:-3}

swift build -c release --product easel >/dev/null
EASEL="$(swift build -c release --show-bin-path)/easel"
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 scripts/fake-images-api.py --port 0 --latency "$LATENCY" --max-side 256 --quiet >"$WORK/server.out" 2>&1 &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
BASE_URL=$(grep -o 'http://[^ ]*' "$WORK/server.out")

IDEAL=$(python3 -c "import math; print(math.ceil($N / $CONCURRENCY) * $LATENCY)")
echo "N=$N latency=${LATENCY}s concurrency=$CONCURRENCY ideal=${IDEAL}s target<=$(python3 -c "print(round(1.1 * $IDEAL, 3))")s"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/project" && mkdir -p "$WORK/project/prompts"
    for i in $(seq "$N"); do printf 'A lighthouse at dusk, study %s.\n' "$i" >"$WORK/project/prompts/p$i.md"; done
    OPENAI_BASE_URL="$BASE_URL" OPENAI_API_KEY=sk-test-bench \
        "$EASEL" build "$WORK/project" --concurrency "$CONCURRENCY" --yes --json 2>/dev/null >"$WORK/report.json"
    python3 - "$WORK/report.json" "$IDEAL" "$run" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ideal = float(sys.argv[2])
g = report["generation_seconds"]
print(f"run {sys.argv[3]}: generated {report['generated']}, generation {g:.3f} s = {g / ideal:.3f} × ideal, "
      f"whole build {report['wall_seconds']:.3f} s, 429s {report['rate_limited']}")
PY
done
