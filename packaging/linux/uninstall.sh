#!/bin/sh
# Remove qbdesk installed by install.sh: the app, the `qbdesk` command, the menu entry and icons.
# Never removes your data folder (credentials list, settings, log) or the secrets in your keychain.
#
#     ~/.local/lib/qbdesk/uninstall.sh     (or ./uninstall.sh from the download; QBDESK_PREFIX as for install.sh)
set -eu

prefix=${QBDESK_PREFIX:-${HOME:?HOME is not set}/.local}
app_dir="$prefix/lib/qbdesk"
manifest="$app_dir/.installed-files"
quiet=false
[ "${1:-}" = "--quiet" ] && quiet=true

say() { $quiet || printf '%s\n' "$*"; }

if [ ! -f "$manifest" ]; then
  say "qbdesk is not installed in $app_dir: nothing to remove."
  exit 0
fi
if [ ! -x "$app_dir/qbdesk" ] || [ ! -d "$app_dir/_internal" ]; then
  printf 'uninstall.sh: %s does not look like a qbdesk installation; nothing was removed.\n' "$app_dir" >&2
  exit 1
fi

# Only the files install.sh recorded, each under the prefix, and never anything in the data folder.
while IFS= read -r file; do
  case "$file" in
    ""|/*|*..*|share/qbdesk|share/qbdesk/*) continue ;;
  esac
  rm -f "$prefix/$file"
  dir=$(dirname "$prefix/$file")
  while [ "$dir" != "$prefix" ] && rmdir "$dir" 2>/dev/null; do dir=$(dirname "$dir"); done
done < "$manifest"
rm -rf "$app_dir"

if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$prefix/share/applications" ]; then
  update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -f -t "$prefix/share/icons/hicolor" 2>/dev/null || true
fi

say "qbdesk is removed. Your data folder (normally ${XDG_DATA_HOME:-$HOME/.local/share}/qbdesk) and the secrets"
say "in your keychain were kept; delete them yourself if you no longer need them."
