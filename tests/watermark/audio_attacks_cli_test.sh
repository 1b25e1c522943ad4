#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The audio watermark against the real tools' attacks, through the command: `provmark embed` on the committed
# music clip (played twice, 16 s), then sox's WSOLA tempo change, its steep 4 kHz low-pass, Vorbis q3 and AAC 128k
# by ffmpeg, and `provmark detect` must read the payload back from each; the unmarked clip must give nothing.
#   audio_attacks_cli_test.sh PROVMARK_BIN WORK_DIR SOURCE_DIR
set -uo pipefail
bin=$1 work=$2 src=$3
for tool in sox ffmpeg jq; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work" || exit 1
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

cp "$src/tests/data/test-watermark.key" "$work/key"
payload=0123456789abcdef
ffmpeg -v error -i "$src/tests/data/drascula_track1_8s.ogg" "$work/once.wav" || exit 1
sox "$work/once.wav" "$work/once.wav" "$work/music.wav" || exit 1
"$bin" embed --key-file "$work/key" "$work/music.wav" "$work/marked.wav" --payload $payload >/dev/null ||
  { echo "FAIL embed"; exit 1; }

detect() {  # detect NAME FILE: the payload must come back
  "$bin" detect --key-file "$work/key" --json "$2" >"$work/$1.json" 2>"$work/$1.err"
  if jq -e ".detected and .payload == \"$payload\" and .false_alarm_probability < 1e-9" "$work/$1.json" >/dev/null; then
    pass "$1: $(jq -c '{bit_errors, timing}' "$work/$1.json")"
  else
    fail "$1: $(cat "$work/$1.json" "$work/$1.err")"
  fi
}
detect none "$work/marked.wav"
sox "$work/marked.wav" "$work/tempo.wav" tempo 1.02 && detect tempo_1.02 "$work/tempo.wav"
sox "$work/marked.wav" "$work/lowpass.wav" sinc -4000 && detect lowpass_4k "$work/lowpass.wav"
ffmpeg -v error -i "$work/marked.wav" -c:a libvorbis -q:a 3 "$work/marked.ogg" && detect ogg_q3 "$work/marked.ogg"
ffmpeg -v error -i "$work/marked.wav" -c:a aac -b:a 128k "$work/marked.m4a" && detect aac_128k "$work/marked.m4a"

"$bin" detect --key-file "$work/key" --json "$work/music.wav" >"$work/unmarked.json"; rc=$?
[ $rc = 1 ] && jq -e '.detected == false' "$work/unmarked.json" >/dev/null && pass "unmarked: exit 1, nothing found" ||
  fail "unmarked: exit $rc $(cat "$work/unmarked.json")"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
