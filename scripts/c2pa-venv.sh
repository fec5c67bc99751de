#!/usr/bin/env bash
# Makes (or reuses) the virtual environment with c2pa-python, cryptography, Pillow and asn1crypto that
# scripts/make-c2pa-fixtures.py and scripts/check-c2pa.py run in, and prints its python's path.
#
#   py=$(bash scripts/c2pa-venv.sh [VENV])      (default VENV: .build/c2pa-venv)
#
# pip runs only when the packages cannot be imported. Needs `python3 -m venv`: on Debian and Ubuntu the
# python3-venv package, which is installed with apt-get when venv fails without it (as
# scripts/install-site-check-deps.sh installs what the site checks need). Messages go to stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${1:-$root/.build/c2pa-venv}
py=$venv/bin/python
packages=(c2pa-python cryptography pillow asn1crypto)
imports="import c2pa, cryptography, PIL, asn1crypto"

die() {
    echo "c2pa-venv: $*" >&2
    exit 1
}

if ! "$py" -c "$imports" 2>/dev/null; then
    command -v python3 >/dev/null || die "python3 is not installed"
    log=$(mktemp "${TMPDIR:-/tmp}/c2pa-venv.XXXXXX")
    trap 'rm -f "$log"' EXIT
    if ! "$py" -m pip --version >/dev/null 2>&1; then
        rm -rf "$venv"
        if ! python3 -m venv "$venv" >"$log" 2>&1 && command -v apt-get >/dev/null &&
            ! dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "ok installed"; then
            # Debian's python3 has venv without ensurepip until python3-venv is installed.
            sudo=""
            [ "$(id -u)" = 0 ] || sudo=sudo
            echo "c2pa-venv: apt-get install python3-venv" >&2
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >>"$log" 2>&1 ||
                { $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; } \
                    >>"$log" 2>&1 || true
            rm -rf "$venv"
        fi
        if ! "$py" -m pip --version >/dev/null 2>&1 && ! python3 -m venv "$venv" >>"$log" 2>&1; then
            sed 's/^/    /' "$log" >&2
            rm -rf "$venv"
            die "\`python3 -m venv\` does not work here ($(python3 --version 2>&1)); on Debian or Ubuntu install" \
                "the python3-venv package (apt-get install python3-venv)"
        fi
    fi
    echo "c2pa-venv: installing ${packages[*]} into ${venv#"$root"/}" >&2
    "$py" -m pip install --quiet --disable-pip-version-check "${packages[@]}" >&2 ||
        die "pip could not install ${packages[*]} into $venv"
    "$py" -c "$imports" || die "$venv has ${packages[*]} installed but \`$imports\` fails"
fi
echo "$py"
