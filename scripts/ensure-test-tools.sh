#!/usr/bin/env bash
# The test suite drives Debian's Chromium and the text browsers lynx and w3m, and makes/reads
# spreadsheets with LibreOffice.
# Installs them when missing (as root, from Debian's packages); otherwise says what to install.
# Arguments: more packages to install in the same apt-get run (.ci/run: postgresql, redis-server).
set -euo pipefail
missing=("$@")
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v lynx >/dev/null 2>&1 || missing+=(lynx)
command -v w3m >/dev/null 2>&1 || missing+=(w3m)
[ -e /usr/lib/python3/dist-packages/uno.py ] || missing+=(python3-uno)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Outils de test manquants : ${missing[*]}" >&2
  echo "Installez-les : sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installation des outils de test : ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
