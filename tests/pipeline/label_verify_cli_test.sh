#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End to end, as a provider and a platform would run it: `provmark label` on real photos, then the file is
# stripped (exiftool -all=, an ffmpeg re-encode) or cropped and recompressed (ImageMagick), and
# `provmark verify` must still confirm it, through the watermark and the manifest store.
#   label_verify_cli_test.sh PROVMARK_BIN WORK_DIR SOURCE_DIR
set -uo pipefail
bin=$1 work=$2 src=$3
data=$src/tests/data
pki=$src/../shared/tools/c2pa-ref/pki
for tool in jq exiftool ffmpeg convert; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[ -d "$pki" ] || { echo "SKIP: $pki not found (the shared reference tools sit beside the checkout)"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
# check NAME JQ_FILTER FILE: the JSON in FILE satisfies the filter.
check() {
  if [ -s "$3" ] && jq -e "$2" "$3" >/dev/null 2>&1; then pass "$1"; else
    fail "$1: $2"
    head -c 2000 "$3"
    echo
  fi
}

export PROVMARK_STORE=$work/manifests.sqlite  # the default store of both label and verify
cp "$data/test-watermark.key" "$work/acme.key" || exit 1  # a fixed key: the attacks give the same answer every run
producer=001191110102MAD55U9H0F10002
# The provider's settings, from a config file as a deployment would keep them.
cat >"$work/label.toml" <<TOML
[label]
producer = "$producer"
key-file = "$work/acme.key"
cert = "$pki/signer-es256-chain.pem"
key = "$pki/signer-es256.key"
provider = "Acme AI"
system-name = "acme-diffusion"
system-version = "2.0"
TOML
verify() {  # verify OUT_JSON FILE...: JSON Lines of the platform's verification
  "$bin" verify --wm-key acme="$work/acme.key" --trust "$pki/root.pem" --json "${@:2}" >"$1" 2>"$1.err"
  echo $? >"$1.rc"
}

for photo in coffee.jpg rocket.jpg chelsea.png; do
  name=${photo%.*} ext=${photo##*.}
  out=$work/$name.labelled.$ext
  "$bin" label --config "$work/label.toml" --json "$data/$photo" "$out" >"$work/$name.label.json" \
    2>"$work/$name.label.err" || { fail "label $photo: $(cat "$work/$name.label.err")"; continue; }
  check "label $photo: all four layers" \
    '.visible_label.ink_height > 0 and .aigc.ContentProducer == "'$producer'" and (.watermark_payload | length) == 16
     and (.manifest | startswith("urn:c2pa:"))' "$work/$name.label.json"

  verify "$work/$name.v.json" "$out"
  check "verify $photo: confirmed by every layer, no contradiction" \
    '.verdict == "confirmed_ai" and .evidence.manifest.validation_state == "Trusted" and .evidence.watermark.provider == "acme"
     and (.evidence.aigc_labels | length) == 1 and (.contradictions | length) == 0' "$work/$name.v.json"
  [ "$(cat "$work/$name.v.json.rc")" = 0 ] && pass "verify $photo: exit 0" || fail "verify $photo: exit $(cat "$work/$name.v.json.rc")"

  # exiftool reads our GB 45438 label.
  exiftool -j -XMP:all "$out" >"$work/$name.exif.json" 2>/dev/null
  check "exiftool reads the AIGC XMP of $photo" '[.[0] | to_entries[] | select(.key | test("AIGC"; "i")) | .value
     | tostring | test("ContentProducer")] | any' "$work/$name.exif.json"

  # exiftool removes JPEG's APP11 manifest but does not know PNG's caBX chunk: there the manifest stays and
  # reports the change (its data hash covers the metadata exiftool removed).
  exiftool -q -all= -o "$work/$name.exiftool-stripped.$ext" "$out"
  verify "$work/$name.s1.json" "$work/$name.exiftool-stripped.$ext"
  check "exiftool -all= on $photo: confirmed through the watermark, manifest recovered or reporting the change" \
    '.verdict == "confirmed_ai" and (.evidence.aigc_labels | length) == 0 and .evidence.watermark.provider == "acme"
     and ((.evidence.manifest == null and (.evidence.recovered_manifest.active_manifest | startswith("urn:c2pa:"))
           and ([.contradictions[].code] | index("metadata_stripped")) != null)
          or ([.contradictions[].code] | index("pixels_changed_after_signing")) != null)' "$work/$name.s1.json"

  ffmpeg -v error -y -i "$out" -map_metadata -1 -q:v 4 "$work/$name.ffmpeg.jpg"
  verify "$work/$name.s2.json" "$work/$name.ffmpeg.jpg"
  check "ffmpeg re-encode of $photo: confirmed through the watermark, manifest recovered" \
    '.verdict == "confirmed_ai" and .evidence.manifest == null and .evidence.recovered_manifest != null' "$work/$name.s2.json"

  # Half the area (71% of each side) kept around the centre, as the bench's crop_center_50. Not for chelsea.png:
  # half of its 451x300 pixels, its visible label partly cut away, is below what the image watermark survives
  # every time (with a fresh payload each run it failed 3 runs in 16 here; the bench's crop figures are 85-100%).
  if [ "$photo" != chelsea.png ]; then
    convert "$out" -gravity center -crop 71%x71%+0+0 +repage -quality 70 "$work/$name.crop50q70.jpg"
    verify "$work/$name.c.json" "$work/$name.crop50q70.jpg"
    check "crop 50% + JPEG q70 of $photo: confirmed by the watermark, broken hard binding reported" \
      '.verdict == "confirmed_ai" and .evidence.watermark.provider == "acme"
       and ([(.evidence.manifest // .evidence.recovered_manifest).validation_results.activeManifest.failure[].code]
            | index("assertion.dataHash.mismatch")) != null' "$work/$name.c.json"
  fi

  verify "$work/$name.u.json" "$data/$photo"
  check "unlabelled $photo: no evidence" '.verdict == "no_evidence" and .notice == null' "$work/$name.u.json"
  [ "$(cat "$work/$name.u.json.rc")" = 1 ] && pass "unlabelled $photo: exit 1" || fail "unlabelled $photo: exit $(cat "$work/$name.u.json.rc")"
done

# Batch: a folder, in parallel, JSON Lines in input order and a summary on stderr.
mkdir -p "$work/uploads/sub"
cp "$work/coffee.labelled.jpg" "$work/uploads/a.jpg"
cp "$data/coffee.jpg" "$work/uploads/b.jpg"
cp "$work/chelsea.labelled.png" "$work/uploads/sub/c.png"
verify "$work/batch.json" -j 2 "$work/uploads"
jq -s '.' "$work/batch.json" >"$work/batch.array.json"
check "batch verify: three reports in input order" \
  'length == 3 and .[0].verdict == "confirmed_ai" and .[1].verdict == "no_evidence" and .[2].verdict == "confirmed_ai"
   and (.[2].file | endswith("sub/c.png"))' "$work/batch.array.json"
grep -q "3 files in .*1 no_evidence, 0 errors" "$work/batch.json.err" && pass "batch verify: summary" ||
  fail "batch verify: summary missing: $(cat "$work/batch.json.err")"

# Propagation by a platform: its code goes into the AIGC label, and its own manifest keeps the provider's.
platform=001191440300708461136T2XGW3
"$bin" verify --wm-key acme="$work/acme.key" --trust "$pki/root.pem" --propagate $platform --propagate-id POST42 \
  --cert "$pki/signer-ed25519-chain.pem" --key "$pki/signer-ed25519.key" -o "$work/propagated.jpg" \
  "$work/coffee.labelled.jpg" >/dev/null 2>"$work/propagate.err" || fail "propagate: $(cat "$work/propagate.err")"
verify "$work/p.json" "$work/propagated.jpg"
check "propagated file: platform fields set, still confirmed and trusted" \
  '.verdict == "confirmed_ai" and .evidence.aigc_labels[0].AIGC.ContentPropagator == "'$platform'"
   and .evidence.aigc_labels[0].AIGC.PropagateID == "POST42" and .evidence.aigc_labels[0].AIGC.ContentProducer == "'$producer'"
   and .evidence.manifest.validation_state == "Trusted"' "$work/p.json"

# Audio, as a music generator would export it: the audible cue, the AIGC tag, the watermark and a manifest; the
# platform confirms the MP3, traces a copy stripped of its tags through the watermark, and finds nothing in the
# unlabelled original. The committed clip played twice (16 s): the watermark's period is 9.2 s, and a payload
# drawn at random each run must not decide whether a shorter clip still makes it through two encodings.
music=$work/music.mp3
ffmpeg -v error -i "$data/drascula_track1_8s.ogg" -i "$data/drascula_track1_8s.ogg" \
  -filter_complex concat=n=2:v=0:a=1 -b:a 128k "$music"
if [ -f "$music" ]; then
  "$bin" label --config "$work/label.toml" --json "$music" "$work/music.labelled.mp3" >"$work/music.label.json" \
    2>"$work/music.label.err" || fail "label music.mp3: $(cat "$work/music.label.err")"
  check "label music.mp3: audible cue, AIGC, watermark, manifest" \
    '.media_type == "audio/mpeg" and .audible_label.label_frames > 0 and .aigc.ContentProducer == "'$producer'"
     and (.watermark_payload | length) == 16 and (.manifest | startswith("urn:c2pa:"))' "$work/music.label.json"
  mkdir -p "$work/audio-uploads" && cp "$work/music.labelled.mp3" "$music" "$work/audio-uploads/"
  verify "$work/audio.v.json" "$work/audio-uploads"
  jq -c 'select(.file | endswith("music.labelled.mp3"))' "$work/audio.v.json" >"$work/audio.labelled.json"
  jq -c 'select(.file | endswith("/music.mp3"))' "$work/audio.v.json" >"$work/audio.original.json"
  check "verify audio folder: labelled MP3 confirmed by a trusted manifest, its AIGC tag and its watermark" \
    '.verdict == "confirmed_ai" and .format == "audio/mpeg" and .evidence.manifest.validation_state == "Trusted"
     and (.evidence.aigc_labels | length) == 1 and .evidence.watermark.provider == "acme"
     and (.contradictions | length) == 0' "$work/audio.labelled.json"
  # A platform that re-encodes uploads without their tags: the watermark leads to the stored manifest.
  ffmpeg -v error -i "$work/music.labelled.mp3" -map_metadata -1 -b:a 128k "$work/music.stripped.mp3"
  verify "$work/music.stripped.json" "$work/music.stripped.mp3"
  check "stripped MP3: confirmed through its watermark, manifest recovered" \
    '.verdict == "confirmed_ai" and .evidence.manifest == null and .evidence.recovered_manifest != null
     and .evidence.watermark.timing.time_scale == 1 and (.contradictions | map(.code) | index("metadata_stripped")) != null' \
    "$work/music.stripped.json"
  check "verify audio folder: the original shows no evidence" '.verdict == "no_evidence"' "$work/audio.original.json"
  "$bin" label --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" --producer "$producer" \
    "$work/music.labelled.mp3" "$work/again.mp3" >/dev/null 2>&1; rc=$?
  [ $rc = 8 ] && [ ! -e "$work/again.mp3" ] && pass "labelling signed audio again: exit 8, no output" ||
    fail "labelling signed audio again: exit $rc"
fi

# Errors are typed exit codes, never crashes.
head -c 1000 "$work/coffee.labelled.jpg" >"$work/truncated.jpg"
"$bin" verify "$work/truncated.jpg" >/dev/null 2>&1; rc=$?
[ $rc = 3 ] && pass "truncated upload: exit 3" || fail "truncated upload: exit $rc"
"$bin" label --text hello --no-aigc "$data/coffee.jpg" "$work/x.jpg" >/dev/null 2>&1; rc=$?
[ $rc = 8 ] && [ ! -e "$work/x.jpg" ] && pass "label without an AI element: exit 8, no output" || fail "bad label text: exit $rc"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
