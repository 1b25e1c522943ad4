#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the packages of scripts/debian-packages.txt that are not installed yet.
# Idempotent: when everything is present it only runs one dpkg-query (no apt-get update).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/debian-packages.txt" | grep -v '^$')

# Installed packages plus the names they provide: a third-party nodejs package, for example,
# provides npm and conflicts with Debian's npm, so npm counts as present.
present=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' | awk '
  $1 == "ii" {
    print $2
    for (i = 3; i <= NF; i++) { t = $i; gsub(/,/, "", t); if (t !~ /^\(|\)$/ && t != "") print t }
  }' | sort -u)

missing=()
for pkg in "${wanted[@]}"; do
  grep -qxF "$pkg" <<<"$present" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} Debian packages are installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: missing ${missing[*]}; run as root" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
