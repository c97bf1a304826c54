#!/usr/bin/env bash
# Debian packages Jixiao needs beyond Python: TrueType CJK fonts for the PDF and chart renderers,
# HarfBuzz's subsetter (with it WeasyPrint embeds a font subset in a fraction of a second; without
# it, fontTools takes seconds), Pango (WeasyPrint lays text out with it), poppler-utils (pdftoppm,
# for looking at generated pages), PostgreSQL (the web app's tests run on it too) and Chromium (the
# end-to-end browser tests drive it with Playwright). Installs only what is missing; nothing off Debian.
set -euo pipefail
PACKAGES="fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig poppler-utils postgresql chromium"
command -v dpkg >/dev/null && command -v apt-get >/dev/null || exit 0
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "需要安装系统软件包（请以 root 运行）：$missing" >&2; exit 1; }
    SUDO="sudo"
fi
echo "installing:$missing"
$SUDO apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
