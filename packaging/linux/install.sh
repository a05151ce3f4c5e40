#!/bin/sh
# Put negtrainer in your own menu, without root. Run it from the unpacked bundle:
#   ./install.sh              copy the trainer to ~/.local/opt/negtrainer, add the menu
#                             entry and icon, and link ~/.local/bin/negtrainer
#   ./install.sh --uninstall  remove those again (your sessions and scenarios stay)
# Your sessions live in ~/.local/share/negtrainer and are never touched by this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
app=$HOME/.local/opt/negtrainer
bin=$HOME/.local/bin
entry=$data/applications/negtrainer.desktop
icon=$data/icons/hicolor/scalable/apps/negtrainer.svg

refresh_menu() {
    # Desktops pick the change up on their own; these only make it quicker.
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$data/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$entry" "$icon"
    if [ -L "$bin/negtrainer" ]; then rm -f "$bin/negtrainer"; fi
    rm -rf "$app"
    refresh_menu
    echo "negtrainer removed. Your sessions and scenarios are still in $data/negtrainer."
    exit 0
fi

if [ ! -x "$here/negtrainer" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run me from the unpacked negtrainer folder (it holds negtrainer and _internal)." >&2
    exit 1
fi

if [ "$here" != "$app" ]; then
    mkdir -p "$(dirname "$app")"
    rm -rf "$app.new"
    cp -R "$here" "$app.new"
    rm -rf "$app"
    mv "$app.new" "$app"
fi
mkdir -p "$bin" "$(dirname "$entry")" "$(dirname "$icon")"
ln -sf "$app/negtrainer" "$bin/negtrainer"
cp "$app/negtrainer.svg" "$icon"
# The menu entry starts this copy by its full path: ~/.local/bin may not be on PATH.
sed -e "s|^Exec=.*|Exec=\"$app/negtrainer\"|" -e "s|^TryExec=.*||" \
    "$app/negtrainer.desktop" > "$entry"
chmod 644 "$entry" "$icon"
refresh_menu

echo "negtrainer $("$app/negtrainer" --version | cut -d' ' -f2) is installed in $app."
echo "Start it from your applications menu (Education), or run: $bin/negtrainer"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "($bin is not on your PATH yet; it usually is after you log in again.)" ;;
esac
