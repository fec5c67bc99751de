#!/usr/bin/env bash
# Issue 5: a 200-prompt synthetic gallery's index page, with every thumbnail it shows, under 2 MB.
#
#   bench/index-weight.sh [N=200]
#
# Builds N prompts twice — once against scripts/fake-images-api.py (generated pictures), once
# offline (placeholders) — and adds up index.html, the CSS, JS and favicon it loads, and the
# thumbnail each card shows at 1280 px (its `src`, 480 px wide; srcset offers 960 for 2x screens).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
swift build --product easel >/dev/null
EASEL="$(swift build --show-bin-path)/easel"
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 scripts/fake-images-api.py --port 0 --quiet >"$WORK/server.out" 2>&1 &
SERVER=$!
for _ in $(seq 50); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
BASE_URL=$(grep -o 'http://[^ ]*' "$WORK/server.out")

weigh() {
    python3 - "$1" <<'PY'
import os, re, sys
site = sys.argv[1]
html = open(os.path.join(site, "index.html"), encoding="utf-8").read()
files = ["index.html"] + re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', html)
files += re.findall(r'<img[^>]+src="([^"]+)"', html)
total = sum(os.path.getsize(os.path.join(site, f)) for f in set(files))
images = len(re.findall(r"<img", html))
print(f"{images} thumbnails, {total / 1_048_576:.2f} MB (index.html {os.path.getsize(os.path.join(site, 'index.html')) / 1024:.0f} KB)")
PY
}

for mode in generated placeholders; do
    rm -rf "$WORK/project" && mkdir -p "$WORK/project/prompts"
    for i in $(seq "$N"); do
        printf -- '---\ntags: [t%s, all]\n---\n# Study %s\n\nA lighthouse at dusk, study %s, with a long prompt that says a little more.\n' \
            $((i % 7)) "$i" "$i" >"$WORK/project/prompts/p$i.md"
    done
    if [ "$mode" = generated ]; then
        OPENAI_BASE_URL="$BASE_URL" OPENAI_API_KEY=sk-test-weight "$EASEL" build "$WORK/project" --yes --concurrency 16 >/dev/null 2>&1
    else
        "$EASEL" build "$WORK/project" --offline >/dev/null 2>&1
    fi
    printf '%s: ' "$mode"
    weigh "$WORK/project/site"
done
