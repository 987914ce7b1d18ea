#!/usr/bin/env bash
# Builds Layerwise's Linux installers with JDK 17's jpackage:
#   installer/target/image/Layerwise/          an app image (bin/Layerwise, a jlink'd Java runtime, the jars,
#                                              the sample data; runs from where it lies)
#   installer/target/layerwise_<ver>_amd64.deb installs it to /opt/layerwise with a desktop entry and the icon
#
#   installer/build.sh               build the jars (mvn -o package -DskipTests), then the image and the .deb
#   installer/build.sh --skip-build  reuse app/target (after your own `mvn package`)
#   installer/build.sh --image-only  stop after the app image (no fakeroot/dpkg-deb needed)
#
# Needs: JDK 17 with jmods (jlink, jpackage), and for the .deb fakeroot, dpkg-deb and objcopy
# (Debian: apt-get install fakeroot binutils). Offline: everything comes from ~/.m2 and this checkout.
# The CPU engine is the pytorch-native-cpu jar in app/target/lib; docs/guide/install.md says how to
# build the GPU flavour instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/installer/target"
skip_build=false
image_only=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    --image-only) image_only=true ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "installer/build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "installer/build.sh: $1 is missing; $2" >&2; exit 1; }
}
need jpackage "install a full JDK 17 (Debian: openjdk-17-jdk)."
need jlink "install a full JDK 17 (Debian: openjdk-17-jdk)."
if ! $image_only; then
  need fakeroot "apt-get install fakeroot (or build with --image-only)."
  need dpkg-deb "apt-get install dpkg (or build with --image-only)."
  need objcopy "apt-get install binutils (jpackage strips the runtime with it)."
fi
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"
[ -d "$java_home/jmods" ] || { echo "installer/build.sh: $java_home has no jmods/ folder; jlink needs it (Debian: openjdk-17-jdk-headless ships it)." >&2; exit 1; }

if ! $skip_build; then
  echo "Building the jars (mvn -o package -DskipTests)…"
  (cd "$root" && mvn -B -q -o -Dstyle.color=never package -DskipTests)
fi

app_jar=""
for jar in "$root"/app/target/layerwise-app-*.jar; do
  case "$jar" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
  [ -f "$jar" ] && app_jar="$jar"
done
[ -n "$app_jar" ] && [ -d "$root/app/target/lib" ] || {
  echo "installer/build.sh: app/target/layerwise-app-*.jar or app/target/lib is missing; run without --skip-build." >&2; exit 1; }
# jpackage wants a plain numeric version: 0.1.0-SNAPSHOT -> 0.1.0
version="$(basename "$app_jar" .jar | sed -e 's/^layerwise-app-//' -e 's/-.*$//')"

rm -rf "$out"
mkdir -p "$out/input"
# the input folder becomes lib/app/ of the image; every jar in it joins the class path
cp "$app_jar" "$out/input/"
cp "$root"/app/target/lib/*.jar "$out/input/"
# sample models, world and tokenizers; the app finds them under -Dlayerwise.install=$APPDIR
cp -r "$root/sample-data" "$out/input/sample-data"
cp "$root/LICENSE" "$out/input/LICENSE"

# A small runtime: the modules the jars use (JavaFX and DJL run from the
# class path, so they need only JDK modules; jdk.httpserver for `serve`). jdk.unsupported: sun.misc.Unsafe for JavaFX, DJL and SQLite.
modules="java.base,java.desktop,java.datatransfer,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.zipfs"
echo "Linking a Java runtime ($modules)…"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"

common=(--name Layerwise --app-version "$version" --vendor "Layerwise" \
  --description "Research workbench for how language models store, use and change knowledge" \
  --copyright "Copyright the Layerwise authors; Apache-2.0")

echo "Packaging the app image…"
jpackage --type app-image "${common[@]}" --dest "$out/image" \
  --input "$out/input" --main-jar "$(basename "$app_jar")" --main-class org.layerwise.app.Main \
  --runtime-image "$out/runtime" --icon "$root/icons/png/layerwise-256.png" \
  --java-options '-Dai.djl.offline=true' --java-options '-Dlayerwise.install=$APPDIR'

if ! $image_only; then
  echo "Packaging the .deb…"
  # most of the payload is already compressed (jars, jimage): gzip -6 is minutes faster than dpkg's default
  # xz for a few percent more size; set DPKG_DEB_COMPRESSOR_TYPE=xz for the smallest file
  export DPKG_DEB_COMPRESSOR_TYPE="${DPKG_DEB_COMPRESSOR_TYPE:-gzip}" DPKG_DEB_COMPRESSOR_LEVEL="${DPKG_DEB_COMPRESSOR_LEVEL:-6}"
  jpackage --type deb "${common[@]}" --dest "$out" --app-image "$out/image/Layerwise" \
    --linux-package-name layerwise \
    --linux-menu-group "Science;Education;" --linux-app-category science --linux-shortcut \
    --linux-package-deps "libgtk-3-0, libgl1" --icon "$root/icons/png/layerwise-256.png" \
    --license-file "$root/LICENSE"
fi

echo
echo "App image: $out/image/Layerwise ($(du -sh "$out/image/Layerwise" | cut -f1)); start it with $out/image/Layerwise/bin/Layerwise"
for deb in "$out"/*.deb; do
  [ -f "$deb" ] && echo "Package:   $deb ($(du -h "$deb" | cut -f1)); install with: sudo apt install $deb"
done
exit 0
