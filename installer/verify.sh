#!/usr/bin/env bash
# Checks the built .deb the way a user meets it: installs it (dpkg -i), starts the installed launcher
# under Xvfb on a fresh account state (first start: Probe & edit on the sample model), takes a screenshot,
# checks the command line, and uninstalls (dpkg -r).
#   sudo installer/verify.sh [OUT.png]      default OUT: docs/installed-app.png
# Needs: root (dpkg), xvfb-run (xvfb), import (imagemagick).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/docs/installed-app.png}"
deb="$(ls "$root"/installer/target/layerwise_*_amd64.deb 2>/dev/null | head -1)"
[ -n "$deb" ] || { echo "installer/verify.sh: no .deb in installer/target; run installer/build.sh first." >&2; exit 1; }
for tool in dpkg xvfb-run import; do
  command -v "$tool" >/dev/null || { echo "installer/verify.sh: $tool is missing (apt-get install xvfb imagemagick)." >&2; exit 1; }
done

state="$(mktemp -d)"
cleanup() { dpkg -r layerwise >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT

# the package's postinst registers the desktop entry with xdg-desktop-menu, which gives up ("No writable
# system menu directory found") where no desktop was ever installed, as in a minimal container
mkdir -p /usr/share/applications /usr/share/desktop-directories
echo "Installing $deb ($(du -h "$deb" | cut -f1))…"
dpkg -i "$deb"
launcher=/opt/layerwise/bin/Layerwise
[ -x "$launcher" ] || { echo "installer/verify.sh: $launcher is missing after dpkg -i." >&2; exit 1; }
ls /usr/share/applications/ | grep -i layerwise || echo "(no desktop entry found in /usr/share/applications)"
echo "Installed size: $(du -sh /opt/layerwise | cut -f1)"

# fresh preferences and data folder: what a new user sees on the first start
export JAVA_TOOL_OPTIONS="-Dprism.order=sw -Djava.util.prefs.userRoot=$state/prefs -Dlayerwise.home=$state/data"
"$launcher" --version
"$launcher" models info /opt/layerwise/lib/app/sample-data/models/facts-llama

xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  "$1" > "$2/app.log" 2>&1 & pid=$!
  # the window opens and the sample model loads in a few seconds; 60 s leaves room on a busy machine
  sleep 60
  import -window root "$2/screen.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
' _ "$launcher" "$state"
convert "$state/screen.png" -trim +repage "$out"
echo "Screenshot: $out"
grep -iE "error|exception" "$state/app.log" | head -5 || true
dpkg -r layerwise
[ ! -e "$launcher" ] && echo "Uninstalled."
