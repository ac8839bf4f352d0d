#!/usr/bin/env bash
# Build the one-folder Linux bundle (dist/kzpk-desktop/) and prove it works without the
# project's Python: it starts offscreen and exports the seed corpus from its own CLI.
#   bash packaging/build.sh            # needs: python3 -m pip, and Qt's system libraries
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD_DIR:-$ROOT/packaging/build}
DIST=${DIST_DIR:-$ROOT/packaging/dist}
# A private venv (reusing this Python's installed dependencies) so the build never replaces
# the developer's own install of the project.
VENV=$BUILD/venv
python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install --quiet "pyinstaller>=6"
"$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall .
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --distpath "$DIST" --workpath "$BUILD" packaging/kzpk-desktop.spec
BUNDLE=$DIST/kzpk-desktop
echo "== bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"

# Smoke test in a clean environment: no PYTHONPATH, an empty data folder, offscreen Qt.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
run() { env -i HOME="$TMP" PATH=/usr/bin:/bin KZPK_DATA_DIR="$TMP/data" XDG_CONFIG_HOME="$TMP/config" \
        QT_QPA_PLATFORM=offscreen "$@"; }
run "$BUNDLE/kzpk" --version
run "$BUNDLE/kzpk-desktop" --version
run "$BUNDLE/kzpk" articles | tee "$TMP/articles.txt"
test "$(wc -l < "$TMP/articles.txt")" -eq 5
run "$BUNDLE/kzpk" export --format csv -o "$TMP/seeds.csv"
run "$BUNDLE/kzpk" export --format qdpx -o "$TMP/seeds.qdpx"
head -1 "$TMP/seeds.csv"
# The GUI: start, show the window with the seed corpus, quit after two seconds.
run "$BUNDLE/kzpk-desktop" --quit-after 2000
echo "== bundle OK: GUI started offscreen, CLI listed and exported the seed corpus"
