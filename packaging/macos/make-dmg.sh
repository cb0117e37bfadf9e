#!/usr/bin/env bash
# Wrap the built qbdesk.app in a compressed disk image with a shortcut to Applications (macOS only).
#
#   packaging/macos/make-dmg.sh [APP] [OUT_DIR]     defaults: dist/qbdesk.app and dist
#
# The user opens the .dmg and drags qbdesk onto Applications. The image is not signed or notarised: the
# first start needs right-click > Open (docs/packaging.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
app=${1:-dist/qbdesk.app}
out_dir=${2:-dist}

if [ "$(uname -s)" != Darwin ]; then
  echo "make-dmg: hdiutil exists on macOS only." >&2
  exit 2
fi
if [ ! -d "$app/Contents/MacOS" ]; then
  echo "make-dmg: $app is not an application bundle; build it first with scripts/package." >&2
  exit 1
fi

plist="$app/Contents/Info.plist"
version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$plist")
bundle_id=$(/usr/libexec/PlistBuddy -c "Print :CFBundleIdentifier" "$plist")
if [ "$bundle_id" != org.qbdesk.qbdesk ]; then
  echo "make-dmg: $plist says the bundle id is '$bundle_id', not org.qbdesk.qbdesk." >&2
  exit 1
fi
arch=$(uname -m)
dmg="$out_dir/qbdesk-$version-macos-$arch.dmg"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, permissions and extended attributes as they are.
ditto "$app" "$staging/qbdesk.app"
ln -s /Applications "$staging/Applications"

mkdir -p "$out_dir"
rm -f "$dmg"
hdiutil create -volname "qbdesk $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "make-dmg: wrote $dmg"
