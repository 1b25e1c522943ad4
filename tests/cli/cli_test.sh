#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one scenario against the built provmark command, as a user would.
#   cli_test.sh PROVMARK_BIN WORK_DIR DATA_DIR SCENARIO
# Exit 0 = pass, 1 = fail, 77 = skipped (jq is not installed).
set -uo pipefail

BIN=$1
WORK=$2
DATA=$3
SCENARIO=$4
PAYLOAD=0123456789abcdef

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

fail() {
  echo "FAIL [$SCENARIO]: $*" >&2
  echo "--- stdout:" >&2 && cat "$WORK/stdout" >&2 2>/dev/null
  echo "--- stderr:" >&2 && cat "$WORK/stderr" >&2 2>/dev/null
  exit 1
}

# run ARGS...: runs provmark, leaving its exit code in RC and its output in $WORK/stdout, $WORK/stderr.
run() {
  "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
}

expect_rc() {
  [ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC ($2)"
}

# expect_json FILTER: every stdout line is JSON and the jq FILTER, applied to the array of them, is true.
expect_json() {
  jq -e -s "$1" "$WORK/stdout" >/dev/null || fail "JSON check failed: $1"
}

expect_stderr_prefix() {
  head -n1 "$WORK/stderr" | grep -q '^provmark: ' || fail "stderr does not start with 'provmark: '"
}

# Test photos committed under tests/data (see its README.md).
photo_png() { cp "$DATA/chelsea.png" "$1" || fail "missing test photo"; }
photo_jpg() { cp "$DATA/coffee.jpg" "$1" || fail "missing test photo"; }

# truncate_half IN OUT: writes the first half of IN to OUT.
truncate_half() {
  head -c $(($(stat -c %s "$1") / 2)) "$1" >"$2"
}

new_key() {
  run keygen -o "$1"
  expect_rc 0 "keygen -o $1"
}

# A key, a PNG and a JPEG, plus their watermarked versions.
marked_fixture() {
  new_key "$WORK/k.key"
  photo_png "$WORK/in.png"
  photo_jpg "$WORK/in.jpg"
  run embed --key-file "$WORK/k.key" "$WORK/in.png" "$WORK/out.png" --payload "$PAYLOAD"
  expect_rc 0 "embed png"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/out.jpg" --payload "$PAYLOAD"
  expect_rc 0 "embed jpeg"
}

scenario_version() {
  run --version
  expect_rc 0 "--version"
  [ "$(cat "$WORK/stdout")" = "provmark $PROVMARK_EXPECTED_VERSION" ] || fail "unexpected --version output"
}

scenario_help() {
  run --help
  expect_rc 0 "--help"
  for word in keygen embed detect "Exit codes:" "70"; do
    grep -q -- "$word" "$WORK/stdout" || fail "--help does not mention '$word'"
  done
  for command in keygen embed detect; do
    run "$command" --help
    expect_rc 0 "$command --help"
    grep -q -- "--key-file\|--output" "$WORK/stdout" || fail "$command --help lists no options"
  done
}

scenario_usage_errors() {
  run --no-such-flag
  expect_rc 2 "unknown flag"
  expect_stderr_prefix
  run
  expect_rc 2 "no subcommand"
  run detect "$WORK/x.png"
  expect_rc 2 "detect without --key-file"
  run embed --key-file k in.png out.png --payload "$PAYLOAD" --quality 101
  expect_rc 2 "--quality out of range"
  run detect --key-file k x.png --bogus
  expect_rc 2 "unknown detect flag"
  grep -q "provmark detect --help" "$WORK/stderr" || fail "usage error does not point to the subcommand's help"
}

scenario_keygen() {
  local key="$WORK/a.key"
  new_key "$key"
  [ -s "$key" ] || fail "no key file written"
  [ "$(stat -c %a "$key")" = 600 ] || fail "key file mode is $(stat -c %a "$key"), not 600"
  grep -Eq '\b[0-9a-f]{8}\b' "$WORK/stdout" || fail "keygen does not print an 8-hex-digit fingerprint"
  # The output must not contain the key: no long token of the key file may appear in it.
  local token
  for token in $(tr -c 'A-Za-z0-9+/=_-' ' ' <"$key"); do
    [ ${#token} -ge 16 ] || continue
    grep -qF -- "$token" "$WORK/stdout" "$WORK/stderr" && fail "keygen printed key material"
  done
  cp "$key" "$WORK/a.copy"

  run keygen -o "$key"
  expect_rc 4 "keygen onto an existing file without --force"
  expect_stderr_prefix
  cmp -s "$key" "$WORK/a.copy" || fail "keygen without --force changed the existing key"

  run keygen --force -o "$key"
  expect_rc 0 "keygen --force"
  cmp -s "$key" "$WORK/a.copy" && fail "keygen --force did not write a new key"
  [ "$(stat -c %a "$key")" = 600 ] || fail "replaced key file mode is not 600"

  # Two keys differ, and so do their fingerprints.
  new_key "$WORK/b.key"
  local fp_b
  fp_b=$(grep -Eo '\b[0-9a-f]{8}\b' "$WORK/stdout" | head -n1)
  run keygen --force -o "$WORK/c.key"
  grep -qF "$fp_b" "$WORK/stdout" && fail "two new keys have the same fingerprint"
  return 0
}

# round_trip EXT FORMAT: embed --json and detect (text and --json) on a photo of that type.
round_trip() {
  local ext=$1 format=$2
  new_key "$WORK/k.key"
  "photo_$ext" "$WORK/in.$ext"
  run embed --key-file "$WORK/k.key" "$WORK/in.$ext" "$WORK/out.$ext" --payload "$PAYLOAD" --json
  expect_rc 0 "embed $ext"
  expect_json "length == 1 and (.[0] | keys_unsorted) == [\"output\", \"payload\", \"format\"]
               and .[0].payload == \"$PAYLOAD\" and .[0].format == \"$format\" and .[0].output == \"$WORK/out.$ext\""
  [ "$(file -b --mime-type "$WORK/out.$ext")" = "image/$format" ] || fail "output is not $format"
  cmp -s "$WORK/in.$ext" "$WORK/out.$ext" && fail "embed did not change the image"

  run detect --key-file "$WORK/k.key" "$WORK/out.$ext"
  expect_rc 0 "detect on the watermarked $ext"
  [ "$(wc -l <"$WORK/stdout")" -eq 1 ] || fail "human detect output is not one line"
  grep -q "watermark found.*$PAYLOAD" "$WORK/stdout" || fail "human output lacks the payload"

  run detect --key-file "$WORK/k.key" "$WORK/out.$ext" --json
  expect_rc 0 "detect --json on the watermarked $ext"
  expect_json "length == 1 and (.[0] | keys_unsorted) == [\"file\", \"detected\", \"payload\", \"bit_errors\",
                 \"coded_bits\", \"false_alarm_probability\", \"geometry\", \"core_ms\"]
               and .[0].file == \"$WORK/out.$ext\" and .[0].detected == true and .[0].payload == \"$PAYLOAD\"
               and (.[0].bit_errors | type) == \"number\" and .[0].bit_errors >= 0
               and .[0].coded_bits > 0 and .[0].bit_errors < .[0].coded_bits
               and .[0].false_alarm_probability >= 0 and .[0].false_alarm_probability < 1e-6
               and (.[0].geometry | keys_unsorted) == [\"scale_x\", \"scale_y\", \"rotation_deg\", \"mirrored\"]
               and (.[0].geometry.scale_x - 1 | fabs) < 0.05 and (.[0].geometry.scale_y - 1 | fabs) < 0.05
               and (.[0].geometry.rotation_deg | fabs) < 1 and .[0].geometry.mirrored == false
               and .[0].core_ms > 0"
}

scenario_round_trip_png() { round_trip png png; }
scenario_round_trip_jpeg() { round_trip jpg jpeg; }

scenario_embed_quality() {
  new_key "$WORK/k.key"
  photo_jpg "$WORK/in.jpg"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/q50.jpg" --payload "$PAYLOAD" --quality 50
  expect_rc 0 "embed --quality 50"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/q98.jpg" --payload "$PAYLOAD" --quality 98
  expect_rc 0 "embed --quality 98"
  [ "$(stat -c %s "$WORK/q50.jpg")" -lt "$(stat -c %s "$WORK/q98.jpg")" ] || fail "--quality has no effect"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/s.jpg" --payload "$PAYLOAD" --strength 0
  expect_rc 8 "--strength 0"
  [ -e "$WORK/s.jpg" ] && fail "a rejected embed left an output file"
  return 0
}

scenario_detect_unmarked() {
  new_key "$WORK/k.key"
  photo_png "$WORK/in.png"
  photo_jpg "$WORK/in.jpg"
  run detect --key-file "$WORK/k.key" "$WORK/in.png" --json
  expect_rc 1 "detect on an unmarked PNG"
  expect_json 'length == 1 and .[0].detected == false and .[0].payload == null and (.[0] | has("geometry") | not)
               and .[0].false_alarm_probability >= 0'
  [ -s "$WORK/stderr" ] && fail "not finding a watermark wrote to stderr"
  run detect --key-file "$WORK/k.key" "$WORK/in.jpg"
  expect_rc 1 "detect on an unmarked JPEG"
  grep -q "no watermark found" "$WORK/stdout" || fail "human output does not say 'no watermark found'"
}

scenario_detect_wrong_key() {
  marked_fixture
  new_key "$WORK/other.key"
  run detect --key-file "$WORK/other.key" "$WORK/out.png" "$WORK/out.jpg" --json
  expect_rc 1 "detect with another key"
  expect_json 'length == 2 and all(.[]; .detected == false and .payload == null)'
}

scenario_detect_bad_key_file() {
  marked_fixture
  head -c 17 /dev/urandom >"$WORK/garbage.key"
  run detect --key-file "$WORK/garbage.key" "$WORK/out.png"
  expect_rc 5 "detect with a malformed key file"
  expect_stderr_prefix
  [ -s "$WORK/stdout" ] && fail "a key error printed a result"
  run embed --key-file "$WORK/garbage.key" "$WORK/in.png" "$WORK/x.png" --payload "$PAYLOAD"
  expect_rc 5 "embed with a malformed key file"
  [ -e "$WORK/x.png" ] && fail "a failed embed left an output file"
  run detect --key-file "$WORK/missing.key" "$WORK/out.png"
  expect_rc 4 "detect with a missing key file"
}

scenario_detect_bad_input() {
  new_key "$WORK/k.key"
  photo_png "$WORK/in.png"
  photo_jpg "$WORK/in.jpg"
  truncate_half "$WORK/in.jpg" "$WORK/truncated.jpg"
  truncate_half "$WORK/in.png" "$WORK/truncated.png"
  echo "not an image" >"$WORK/text.png"
  for bad in truncated.jpg truncated.png text.png; do
    run detect --key-file "$WORK/k.key" "$WORK/$bad" --json
    expect_rc 3 "detect on $bad"
    expect_stderr_prefix
    grep -qF "$bad" "$WORK/stderr" || fail "the error for $bad does not name the file"
    [ -s "$WORK/stdout" ] && fail "an unreadable file produced a JSON line"
  done
  run detect --key-file "$WORK/k.key" "$WORK/missing.png"
  expect_rc 4 "detect on a missing file"
  expect_stderr_prefix
  return 0
}

scenario_detect_several_files() {
  marked_fixture
  run detect --key-file "$WORK/k.key" "$WORK/out.png" "$WORK/out.jpg" --json
  expect_rc 0 "detect on two watermarked files"
  expect_json "length == 2 and all(.[]; .detected and .payload == \"$PAYLOAD\")
               and [.[].file] == [\"$WORK/out.png\", \"$WORK/out.jpg\"]"
  run detect --key-file "$WORK/k.key" "$WORK/out.png" "$WORK/in.jpg" --json
  expect_rc 1 "detect on a watermarked and an unmarked file"
  expect_json '[.[].detected] == [true, false]'
  # An error does not stop the other files; the first error decides the exit code.
  run detect --key-file "$WORK/k.key" "$WORK/missing.png" "$WORK/in.jpg" "$WORK/out.jpg" --json
  expect_rc 4 "detect with a missing file among others"
  expect_json '[.[].detected] == [false, true]'
  run detect --key-file "$WORK/k.key" "$WORK/out.png" "$WORK/out.jpg"
  expect_rc 0 "human detect on two files"
  [ "$(wc -l <"$WORK/stdout")" -eq 2 ] || fail "human output is not one line per file"
}

scenario_embed_failure_leaves_nothing() {
  new_key "$WORK/k.key"
  photo_jpg "$WORK/in.jpg"
  photo_png "$WORK/in.png"
  mkdir "$WORK/outdir"
  truncate_half "$WORK/in.jpg" "$WORK/corrupt.jpg"
  truncate_half "$WORK/in.png" "$WORK/corrupt.png"
  for corrupt in corrupt.jpg corrupt.png; do
    run embed --key-file "$WORK/k.key" "$WORK/$corrupt" "$WORK/outdir/out.${corrupt#*.}" --payload "$PAYLOAD"
    expect_rc 3 "embed on $corrupt"
    expect_stderr_prefix
    [ -z "$(ls -A "$WORK/outdir")" ] || fail "a failed embed left files behind: $(ls -A "$WORK/outdir")"
  done
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/outdir/out.jpg" --payload 0123
  expect_rc 8 "embed with a 4-digit payload"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/outdir/out.jpg" --payload 0123456789abcdeg
  expect_rc 8 "embed with a non-hex payload"
  run embed --key-file "$WORK/k.key" "$WORK/in.jpg" "$WORK/no-such-dir/out.jpg" --payload "$PAYLOAD"
  expect_rc 4 "embed into a missing folder"
  [ -z "$(ls -A "$WORK/outdir")" ] || fail "a failed embed left files behind: $(ls -A "$WORK/outdir")"
}

# A root CA and a C2PA signer it issued (the profile c2pa-rs accepts), in $WORK/pki.
make_pki() {
  local pki=$WORK/pki
  local rc=0
  "$(dirname "${BASH_SOURCE[0]}")/../../scripts/make-test-pki.sh" "$pki" || rc=$?
  [ $rc -eq 77 ] && { echo "SKIP: openssl is not installed" >&2; exit 77; }
  [ $rc -eq 0 ] || fail "scripts/make-test-pki.sh failed"
  SIGN=(sign --cert "$pki/signer.pem" --key "$pki/signer.key")
  TRUST=(--trust "$pki/root.pem")
}

TRAINED=http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia
COMPOSITE=http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia

# manifest_json FILE: a definition with every supported field.
manifest_json() {
  cat >"$1" <<JSON
{"claim_generator_info": [{"name": "my-model", "version": "2.1"}],
 "title": "cat.jpg",
 "assertions": [
   {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": "$TRAINED"},
                                                     {"action": "c2pa.watermarked"}]}},
   {"label": "c2pa.soft-binding", "data": {"alg": "org.provmark.wm.image.1",
                                           "blocks": [{"scope": {}, "value": "$PAYLOAD"}]}},
   {"label": "com.example.prompt", "data": {"seed": 42, "text": "a cat"}}]}
JSON
}

scenario_sign_manifest_json() {
  make_pki
  photo_jpg "$WORK/in.jpg"
  manifest_json "$WORK/def.json"
  run "${SIGN[@]}" --manifest "$WORK/def.json" "$WORK/in.jpg" "$WORK/out.jpg"
  expect_rc 0 "sign --manifest"
  run inspect --json "${TRUST[@]}" "$WORK/out.jpg"
  expect_rc 0 "inspect the file signed from a definition"
  expect_json ".[0] | .validation_state == \"Trusted\" and (.manifests[.active_manifest] |
               .claim_generator == \"my-model\" and .digital_source_type == \"$TRAINED\"
               and .actions == [\"c2pa.created\", \"c2pa.watermarked\"] and .assertions ==
                 [\"c2pa.actions.v2\", \"c2pa.soft-binding\", \"com.example.prompt\", \"c2pa.hash.data\"])"
  # The flags override the file.
  run "${SIGN[@]}" --manifest "$WORK/def.json" --generator other --composite --watermark fedcba9876543210 \
    "$WORK/in.jpg" "$WORK/over.jpg"
  expect_rc 0 "sign --manifest with overriding flags"
  run inspect --json "${TRUST[@]}" "$WORK/over.jpg"
  expect_json ".[0] | .validation_state == \"Trusted\" and (.manifests[.active_manifest] |
               .claim_generator == \"other\" and .digital_source_type == \"$COMPOSITE\")"
  run sign --help
  grep -q -- "--manifest" "$WORK/stdout" && grep -q "claim_generator_info" "$WORK/stdout" ||
    fail "sign --help does not document the definition"
}

scenario_sign_manifest_json_errors() {
  make_pki
  photo_jpg "$WORK/in.jpg"
  mkdir "$WORK/outdir"
  # FIELD (a grep pattern)|DEFINITION
  local cases=(
    'top level: not JSON|{"title": '
    'top level: must be an object|[]'
    'format: not supported|{"format": "image/jpeg"}'
    'title: must be a string|{"title": 5}'
    'claim_generator_info: must be an array|{"claim_generator_info": {"name": "x"}}'
    'claim_generator_info\[0\].name|{"claim_generator_info": [{"name": ""}]}'
    'assertions\[0\].label|{"assertions": [{"label": "c2pa.hash.data", "data": {}}]}'
    'assertions\[1\].label|{"assertions": [{"label": "a.b", "data": 1}, {"label": "a.b", "data": 2}]}'
    'assertions\[0\].data.actions\[0\].digitalSourceType|{"assertions": [{"label": "c2pa.actions.v2", "data":
       {"actions": [{"action": "c2pa.created", "digitalSourceType": "http://example.com/camera"}]}}]}'
    'assertions\[0\].data.blocks\[0\].value|{"assertions": [{"label": "c2pa.soft-binding", "data":
       {"blocks": [{"scope": {}, "value": "0123"}]}}]}'
  )
  local entry field
  for entry in "${cases[@]}"; do
    field=${entry%%|*}
    printf '%s\n' "${entry#*|}" >"$WORK/bad.json"
    run "${SIGN[@]}" --manifest "$WORK/bad.json" "$WORK/in.jpg" "$WORK/outdir/out.jpg"
    expect_rc 3 "definition ${entry#*|}"
    expect_stderr_prefix
    grep -q "manifest definition: $field" "$WORK/stderr" || fail "the error does not name '$field'"
    [ -z "$(ls -A "$WORK/outdir")" ] || fail "a rejected definition left files behind"
  done
  run "${SIGN[@]}" --manifest "$WORK/missing.json" "$WORK/in.jpg" "$WORK/outdir/out.jpg"
  expect_rc 4 "a missing definition file"
}

scenario_sign_sidecar() {
  make_pki
  photo_jpg "$WORK/in.jpg"
  cp "$WORK/in.jpg" "$WORK/original.jpg"
  manifest_json "$WORK/def.json"
  run "${SIGN[@]}" --manifest "$WORK/def.json" "$WORK/in.jpg" --sidecar "$WORK/in.c2pa"
  expect_rc 0 "sign --sidecar"
  cmp -s "$WORK/in.jpg" "$WORK/original.jpg" || fail "sign --sidecar changed the asset"
  [ "$(head -c 8 "$WORK/in.c2pa" | tail -c 4)" = jumb ] || fail "the sidecar is not a JUMBF store"
  run inspect --json "${TRUST[@]}" --sidecar "$WORK/in.c2pa" "$WORK/in.jpg"
  expect_rc 0 "inspect --sidecar"
  expect_json '.[0] | .validation_state == "Trusted" and (.validation_results.activeManifest.failure | length) == 0
               and ([.validation_results.activeManifest.success[].code] | index("assertion.dataHash.match") != null)'
  run inspect "$WORK/in.jpg"
  expect_rc 10 "the asset itself has no manifest"

  # Any file: a text file; one byte more breaks the binding.
  printf 'a poem written by a model\n' >"$WORK/poem.txt"
  run "${SIGN[@]}" "$WORK/poem.txt" --sidecar "$WORK/poem.c2pa"
  expect_rc 0 "sign --sidecar on a text file"
  run inspect "${TRUST[@]}" --sidecar "$WORK/poem.c2pa" "$WORK/poem.txt"
  expect_rc 0 "inspect the text file's sidecar"
  printf '!' >>"$WORK/poem.txt"
  run inspect --json "${TRUST[@]}" --sidecar "$WORK/poem.c2pa" "$WORK/poem.txt"
  expect_rc 9 "inspect a changed text file"
  expect_json '[.[0].validation_results.activeManifest.failure[].code] == ["assertion.dataHash.mismatch"]'

  run "${SIGN[@]}" "$WORK/in.jpg"
  expect_rc 2 "sign without OUT or --sidecar"
  run "${SIGN[@]}" "$WORK/in.jpg" "$WORK/out.jpg" --sidecar "$WORK/x.c2pa"
  expect_rc 2 "sign with both OUT and --sidecar"
  run "${SIGN[@]}" "$WORK/in.jpg" --sidecar "$WORK/in.jpg"
  expect_rc 8 "a sidecar onto its own asset"
  cmp -s "$WORK/in.jpg" "$WORK/original.jpg" || fail "a rejected --sidecar changed the asset"
  run "${SIGN[@]}" "$WORK/missing.jpg" --sidecar "$WORK/missing.c2pa"
  expect_rc 4 "sign --sidecar on a missing file"
  [ -e "$WORK/missing.c2pa" ] && fail "a failed sign --sidecar left a sidecar"
  return 0
}

# FFmpeg (and its hundred dependencies) is loaded only when audio is touched: image work starts without it.
scenario_ffmpeg_on_demand() {
  new_key "$WORK/k.key"
  photo_jpg "$WORK/in.jpg"
  LD_DEBUG=files "$BIN" detect --key-file "$WORK/k.key" "$WORK/in.jpg" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
  expect_rc 1 "detect on an unmarked JPEG"
  grep -q 'file=libavformat' "$WORK/stderr" && fail "an image detection loaded FFmpeg"
  grep -q 'file=libsodium' "$WORK/stderr" || fail "LD_DEBUG=files shows no loading at all: the check proves nothing"
  cp "$DATA/drascula_track1_8s.ogg" "$WORK/in.ogg" || fail "missing test clip"
  LD_DEBUG=files "$BIN" detect --key-file "$WORK/k.key" "$WORK/in.ogg" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
  expect_rc 1 "detect on an unmarked clip"
  grep -q 'file=libavformat' "$WORK/stderr" || fail "an audio detection did not load FFmpeg"
  return 0
}

command -v jq >/dev/null || { echo "SKIP: jq is not installed" >&2; exit 77; }
declare -F "scenario_$SCENARIO" >/dev/null || { echo "unknown scenario '$SCENARIO'" >&2; exit 1; }
"scenario_$SCENARIO"
echo "PASS [$SCENARIO]"
