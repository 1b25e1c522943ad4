#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job end to end: installs the Debian packages, builds provmark (Release, build/), then labels a
# photo as a generative app would at export (visible label, GB 45438 AIGC metadata, watermark, signed C2PA
# manifest) and verifies it as a platform would at upload: the labelled file, a copy whose metadata was
# stripped by a re-encode, and the unlabelled original; then the same for a music clip as MP3 (audible label, AIGC
# tag, audio watermark, manifest). Exits non-zero if any verdict is wrong.
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
  echo "\$ provmark ${*:2}" | sed "s|$work/||g" >&2  # stderr: a caller may capture the command's output
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
export PROVMARK_STORE=$work/manifests.sqlite  # keep the demo's manifests out of the user's store

header "a watermark key and a throwaway C2PA signer (scripts/make-test-pki.sh)"
show "$provmark" keygen -o "$work/demo.key"
scripts/make-test-pki.sh "$work/pki"
ls "$work/pki"

header "label $(basename "$photo") at export: visible label, AIGC metadata, watermark, C2PA manifest"
show "$provmark" label --key-file "$work/demo.key" --producer 001191110102MAD55U9H0F10002 \
  --cert "$work/pki/signer.pem" --key "$work/pki/signer.key" --provider "provmark demo" \
  "$work/photo.$ext" "$work/labelled.$ext"

# verdict FILE: prints provmark verify's JSON and leaves the verdict in $verdict.
verdict() {
  local rc=0 out
  out=$(show "$provmark" verify --wm-key demo="$work/demo.key" --trust "$work/pki/root.pem" --json "$1") || rc=$?
  echo "$out" | python3 -c 'import json, sys
r = json.load(sys.stdin)
print("verdict:", r["verdict"], "-", r["summary"])
for c in r["contradictions"]: print("  !", c["code"], "-", c["explanation"])'
  verdict=$(echo "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["verdict"])')
}

header "verify the labelled file"
verdict "$work/labelled.$ext"
[ "$verdict" = confirmed_ai ] || fail "the labelled file was judged $verdict"

header "strip its metadata (ffmpeg re-encode) and verify again"
ffmpeg -v error -y -i "$work/labelled.$ext" -map_metadata -1 -q:v 3 "$work/stripped.jpg"
verdict "$work/stripped.jpg"
[ "$verdict" = confirmed_ai ] || fail "the stripped copy was judged $verdict"

header "verify the unlabelled original"
verdict "$work/photo.$ext"
[ "$verdict" = no_evidence ] || fail "the unlabelled original was judged $verdict"

header "audio: label an MP3 export (audible cue, AIGC tag, watermark, C2PA manifest), then strip and verify"
ffmpeg -v error -i "$root/tests/data/drascula_track1_8s.ogg" -i "$root/tests/data/drascula_track1_8s.ogg" \
  -filter_complex concat=n=2:v=0:a=1 -b:a 128k "$work/music.mp3"  # 16 s of the committed clip
show "$provmark" label --key-file "$work/demo.key" --producer 001191110102MAD55U9H0F10002 \
  --cert "$work/pki/signer.pem" --key "$work/pki/signer.key" --provider "provmark demo" \
  "$work/music.mp3" "$work/labelled.mp3"
verdict "$work/labelled.mp3"
[ "$verdict" = confirmed_ai ] || fail "the labelled MP3 was judged $verdict"
ffmpeg -v error -y -i "$work/labelled.mp3" -map_metadata -1 -b:a 96k "$work/stripped.mp3"
verdict "$work/stripped.mp3"
[ "$verdict" = confirmed_ai ] || fail "the stripped MP3 was judged $verdict"
verdict "$work/music.mp3"
[ "$verdict" = no_evidence ] || fail "the unlabelled MP3 was judged $verdict"

header "demo passed: labelled and stripped copies (photo and MP3) confirmed as AI-generated; the originals show no evidence"
