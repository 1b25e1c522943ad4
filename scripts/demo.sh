#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job end to end: installs the Debian packages, builds provmark (Release, build/), then
# watermarks a photo with a fresh key and a random 64-bit payload, detects it, and checks that the
# unmarked original shows no watermark. Exits non-zero if anything is wrong.
#   scripts/demo.sh [PHOTO.jpg|PHOTO.png]    (default: tests/data/coffee.jpg)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
photo=$(realpath "${1:-$root/tests/data/coffee.jpg}")
cd "$root"

header() { printf '\n==== %s\n' "$*"; }
fail() {
  echo "demo FAILED: $*" >&2
  exit 1
}
# Shows a command the way a user would type it, then runs it.
show() {
  echo "\$ provmark ${*:2}" | sed "s|$work/||g"
  "$@"
}

header "Debian packages (scripts/install-deps.sh)"
scripts/install-deps.sh
header "build (Release, build/)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=Release

provmark=$root/build/cli/provmark
[ -x "$provmark" ] || fail "the build did not produce $provmark"
work=$(mktemp -d "${TMPDIR:-/tmp}/provmark-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
ext=${photo##*.}
cp "$photo" "$work/photo.$ext"
payload=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

header "a secret key"
show "$provmark" keygen -o "$work/demo.key"

header "embed payload $payload into $(basename "$photo")"
show "$provmark" embed --key-file "$work/demo.key" "$work/photo.$ext" "$work/marked.$ext" --payload "$payload"
echo "photo.$ext $(stat -c %s "$work/photo.$ext") bytes -> marked.$ext $(stat -c %s "$work/marked.$ext") bytes"

header "detect in the marked copy"
rc=0
out=$(show "$provmark" detect --key-file "$work/demo.key" "$work/marked.$ext" --json) || rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "detect exited with $rc on the marked copy (0 = found)"
found=$(tail -n 1 <<<"$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["payload"])')
[ "$found" = "$payload" ] || fail "detect returned payload $found, embedded $payload"

header "detect in the unmarked original"
rc=0
out=$(show "$provmark" detect --key-file "$work/demo.key" "$work/photo.$ext" --json) || rc=$?
echo "$out"
[ $rc -eq 1 ] || fail "detect exited with $rc on the unmarked original (1 = not found)"

header "demo passed: payload $payload came back from the marked copy; the original has no watermark"
