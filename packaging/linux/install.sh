#!/bin/sh
# Install qbdesk for you alone, without root: the app into ~/.local/lib/qbdesk, a `qbdesk` command into
# ~/.local/bin, and its menu entry and icons into ~/.local/share. Run it from the unpacked download:
#
#     ./install.sh            (QBDESK_PREFIX=DIR ./install.sh installs under DIR instead of ~/.local)
#
# Installing again replaces the app and keeps your credentials. ./uninstall.sh removes it again.
set -eu

APP_ID=org.qbdesk.qbdesk
here=$(cd "$(dirname "$0")" && pwd)
prefix=${QBDESK_PREFIX:-${HOME:?HOME is not set}/.local}
app_dir="$prefix/lib/qbdesk"
bin_dir="$prefix/bin"
share="$prefix/share"
manifest="$app_dir/.installed-files"

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$here/qbdesk/qbdesk" ] || fail "the app folder qbdesk/ is missing next to install.sh: unpack the whole download and run install.sh from it."
if [ "$(id -u)" = 0 ] && [ -z "${QBDESK_PREFIX:-}" ]; then
  say "Note: you are root, so qbdesk is installed for root only ($prefix). Run install.sh as yourself to install it for you."
fi

# A previous installation: remove its files first (never your data folder or keychain).
if [ -f "$manifest" ]; then
  QBDESK_PREFIX="$prefix" sh "$here/uninstall.sh" --quiet || fail "could not remove the earlier installation in $app_dir."
fi

mkdir -p "$app_dir" "$bin_dir" "$share/applications"
cp -R "$here/qbdesk/." "$app_dir/"
cp "$here/uninstall.sh" "$app_dir/uninstall.sh"
chmod 755 "$app_dir/uninstall.sh"
: > "$manifest.new"

# The command: a small launcher, so the app can find the files beside it.
launcher="$bin_dir/qbdesk"
printf '#!/bin/sh\nexec "%s/qbdesk" "$@"\n' "$app_dir" > "$launcher"
chmod 755 "$launcher"
echo "bin/qbdesk" >> "$manifest.new"

# The menu entry starts the app by its full path: ~/.local/bin is not on every desktop's PATH.
desktop="$share/applications/$APP_ID.desktop"
sed -e "s|^Exec=qbdesk|Exec=\"$app_dir/qbdesk\"|" -e "s|^TryExec=.*|TryExec=$app_dir/qbdesk|" \
  "$here/share/applications/$APP_ID.desktop" > "$desktop"
echo "share/applications/$APP_ID.desktop" >> "$manifest.new"

# Icons, and the AppStream description when the download has one.
(cd "$here/share" && find icons metainfo -type f 2>/dev/null) | while IFS= read -r file; do
  mkdir -p "$share/$(dirname "$file")"
  cp "$here/share/$file" "$share/$file"
  echo "share/$file" >> "$manifest.new"
done
mv "$manifest.new" "$manifest"

# Let the desktop see the new entry and icons now (both tools are optional).
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$share/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$share/icons/hicolor" ]; then
  gtk-update-icon-cache -q -f -t "$share/icons/hicolor" 2>/dev/null || true
fi

say "qbdesk $(cat "$here/VERSION" 2>/dev/null || true) is installed in $app_dir."
say "Start it from your applications menu, or run: qbdesk"
case ":${PATH:-}:" in
  *":$bin_dir:"*) ;;
  *) say "$bin_dir is not on your PATH: add it, or run $launcher." ;;
esac
say "To remove qbdesk later: $app_dir/uninstall.sh (your credentials and settings stay)."
