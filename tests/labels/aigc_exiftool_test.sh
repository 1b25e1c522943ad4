#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The AIGC label against ExifTool, both ways: exiftool reads what `provmark aigc -o` writes (JPEG and PNG, with
# and without an XMP packet already there, keeping the packet's other properties), and provmark reads, then
# replaces, a label that exiftool wrote.
#   aigc_exiftool_test.sh PROVMARK_BIN WORK_DIR DATA_DIR EXIFTOOL_CONFIG
# Exit 0 = pass, 1 = fail, 77 = skipped (exiftool or jq is not installed).
set -uo pipefail

BIN=$1
WORK=$2
DATA=$3
CONFIG=$4
PRODUCER=001191110102MAD55U9H0F10002

command -v exiftool >/dev/null || { echo "exiftool not installed: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq not installed: skipped"; exit 77; }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

expected() {  # expected ID: the inner JSON provmark writes for produce id ID (Annex E note 1 defaults)
  printf '{"Label":"1","ContentProducer":"%s","ProduceID":"%s","ReservedCode1":"",' "$PRODUCER" "$1"
  printf '"ContentPropagator":"%s","PropagateID":"%s","ReservedCode2":""}' "$PRODUCER" "$1"
}

# exiftool's view of the label (the TC260 namespace needs no configuration to be read).
exif_label() { exiftool -XMP:AIGC -b "$1"; }

for name in coffee.jpg chelsea.png c2pa/earth_apollo17.jpg; do
  in="$DATA/$name"
  out="$WORK/$(basename "$name")"
  "$BIN" aigc "$in" -o "$out" --producer "$PRODUCER" --produce-id ID0001 >/dev/null || fail "provmark aigc -o $name"
  [ "$(exif_label "$out")" = "$(expected ID0001)" ] || fail "$name: exiftool reads '$(exif_label "$out")'"
  # Plain -xmp:all shows the unknown namespace too, under the group XMP-TC260.
  exiftool -xmp:all -G1 -j "$out" | jq -e '.[0]["XMP-TC260:Aigc"] | fromjson | .Label == "1"' >/dev/null ||
    fail "$name: -xmp:all -G1 has no XMP-TC260:Aigc"
  warnings=$(exiftool -validate -warning -error -a "$out" | grep -i 'xmp')
  [ -z "$warnings" ] || fail "$name: exiftool -validate complains about the XMP: $warnings"
  # Every XMP property the photo had is still there with the same value.
  exiftool -xmp:all -G1 -j "$in" | jq -S '.[0] | del(.SourceFile)' >"$WORK/before.json"
  exiftool -xmp:all -G1 -j "$out" | jq -S '.[0] | del(.SourceFile) | del(.["XMP-TC260:Aigc"])' >"$WORK/after.json"
  cmp -s "$WORK/before.json" "$WORK/after.json" ||
    fail "$name: other XMP properties changed: $(diff "$WORK/before.json" "$WORK/after.json")"
done

# The other way: exiftool writes the label (the TC260 namespace configured), provmark reads and replaces it.
for name in coffee.jpg chelsea.png; do
  written="$WORK/exiftool-$(basename "$name")"
  exiftool -config "$CONFIG" -q -o "$written" "-XMP-TC260:AIGC=$(expected BYEXIFTOOL)" "$DATA/$name" ||
    fail "exiftool could not write $name"
  "$BIN" aigc "$written" --json >"$WORK/read.json" || fail "provmark aigc $written"
  jq -e --arg id BYEXIFTOOL 'length == 1 and .[0].carrier == "xmp" and .[0].AIGC.ProduceID == $id and
         (.[0].problems | length == 0)' "$WORK/read.json" >/dev/null ||
    fail "$name: provmark reads $(cat "$WORK/read.json")"
  relabelled="$WORK/relabelled-$(basename "$name")"
  "$BIN" aigc "$written" -o "$relabelled" --producer "$PRODUCER" --produce-id ID0002 >/dev/null ||
    fail "provmark aigc -o over exiftool's $name"
  [ "$(exif_label "$relabelled")" = "$(expected ID0002)" ] ||
    fail "$name: relabelled reads '$(exif_label "$relabelled")'"
  [ "$(exiftool -XMP:AIGC -a "$relabelled" | wc -l)" -eq 1 ] || fail "$name: more than one AIGC property"
done

# A label that breaks Annex E is refused with the invalid-argument exit code (8), and nothing is written.
"$BIN" aigc "$DATA/coffee.jpg" -o "$WORK/bad.jpg" --producer "Minimax Agent AI" --produce-id X 2>/dev/null
rc=$?
[ $rc -eq 8 ] || fail "a producer with spaces gave exit code $rc"
[ ! -e "$WORK/bad.jpg" ] || fail "a refused label left a file behind"
echo "ok"
