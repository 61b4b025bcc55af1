#!/usr/bin/env bash
# Install the Debian packages the project needs outside Python.
#
#   scripts/system-deps.sh test   PostgreSQL, Redis, Chromium and poppler-utils
#                                 for the test suite, plus WeasyPrint's libraries
#   scripts/system-deps.sh run    WeasyPrint's libraries only
#
# Only missing packages are installed, so a second run does nothing.
set -euo pipefail

weasyprint_pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
test_pkgs=(postgresql redis-server chromium poppler-utils "${weasyprint_pkgs[@]}")

usage() {
    echo "usage: $0 test|run" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in
    test) wanted=("${test_pkgs[@]}") ;;
    run) wanted=("${weasyprint_pkgs[@]}") ;;
    *) usage ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system-deps: all ${#wanted[@]} packages for '$1' are installed"
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "system-deps: missing packages: ${missing[*]}" >&2
    echo "system-deps: not root and no sudo; install them with:" >&2
    echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "system-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
