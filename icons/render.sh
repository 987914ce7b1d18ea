#!/usr/bin/env bash
# Redraws Layerwise's icons and copies them where the app, the plugins and the installer use them.
#   icons/render.sh        (from anywhere; offline, needs only the Maven cache and Java 17)
# Writes icons/svg/*.svg (sources) and icons/png/<name>-<size>.png (16…512 px), then:
#   app:      app/src/main/resources/org/layerwise/app/icons/{layerwise,layerwise-<size>,runs,workspace,broken}.png
#   plugins:  <plugin>/src/main/resources/org/layerwise/<package>/<id>.png (64 px; WorkbenchPlugin.icon())
#   installer uses icons/png/layerwise-256.png directly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# Batik's SVG generator comes with the sdk's dependencies (already in ~/.m2)
mvn -B -o -q -pl plugins/sdk dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null
java -Djava.awt.headless=true -cp "$(cat "$cp_file")" icons/LayerwiseIcons.java icons

app=app/src/main/resources/org/layerwise/app/icons
mkdir -p "$app"
cp icons/png/layerwise-256.png "$app/layerwise.png"
for s in 16 24 32 48 64 128 256; do cp "icons/png/layerwise-$s.png" "$app/layerwise-$s.png"; done
for n in runs workspace broken; do cp "icons/png/$n-64.png" "$app/$n.png"; done

# plugin id -> resource folder of the plugin's package
while read -r id dir; do
  mkdir -p "$dir"
  cp "icons/png/$id-64.png" "$dir/$id.png"
done <<'MAP'
playground plugins/playground/src/main/resources/org/layerwise/playground
builder plugins/builder/src/main/resources/org/layerwise/builder
probe-edit plugins/probe-edit/src/main/resources/org/layerwise/probeedit
flatness plugins/flatness/src/main/resources/org/layerwise/flatness
rationale plugins/rationale/src/main/resources/org/layerwise/rationale
prompt-opt plugins/prompt-opt/src/main/resources/org/layerwise/promptopt
model-select plugins/model-select/src/main/resources/org/layerwise/modelselect
MAP
echo "Copied the PNGs into the app and plugin resources."
