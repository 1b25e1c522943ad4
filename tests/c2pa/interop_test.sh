#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interop: files signed by `provmark sign` must be read by the official C2PA implementation
# (c2pa-rs, via ../shared/tools/c2pa-ref/verify.mjs) and by c2pa-ts as Trusted, with no failure
# codes, when the reference test PKI's root is the trust anchor. Re-signed files (a second manifest
# whose parentOf ingredient is the first) must be Trusted too, with the ingredient listed.
#   interop_test.sh PROVMARK_BIN SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 src=$2 work=$3
ref_src=$src/../shared/tools/c2pa-ref
if [ ! -d "$ref_src" ]; then
  echo "SKIP: $ref_src not found (the shared reference tools sit beside the checkout)"
  exit 77
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$src" && pwd)
ref=$work/c2pa-ref
# shared/ is read-only: install the node tools in a copy (once per build folder).
if [ ! -f "$ref/.installed" ]; then
  rm -rf "$ref"
  cp -R "$ref_src" "$ref"
  chmod -R u+w "$ref"
  (cd "$ref" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$ref/.installed"
fi
pki=$ref/pki
failures=0
check() {  # check LABEL JSON_FILE JQ_FILTER
  if jq -e "$3" "$2" >/dev/null; then
    echo "ok   $1"
  else
    echo "FAIL $1: $3"
    jq -c '{validation_state, failure_codes, error}' "$2" || cat "$2"
    failures=$((failures + 1))
  fi
}
for photo in coffee.jpg rocket.jpg chelsea.png; do
  for signer in es256 ed25519; do
    out=$work/${signer}-$photo
    rm -f "$out" "$out.rs.json" "$out.ts.json"
    "$bin" sign --cert "$pki/signer-$signer-chain.pem" --key "$pki/signer-$signer.key" \
      --watermark 0123456789abcdef "$src/tests/data/$photo" "$out" >/dev/null
    (cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
    check "c2pa-rs $signer $photo trusted" "$out.rs.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
    check "c2pa-rs $signer $photo soft binding" "$out.rs.json" \
      '(.assertions | index("c2pa.soft-binding")) != null and (.actions | index("c2pa.watermarked")) != null'
    (cd "$ref" && node verify-ts.mjs "$out" --trust pki/root.pem >"$out.ts.json") || true
    check "c2pa-ts $signer $photo trusted" "$out.ts.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
  done
done
# Re-signing: the ES256 file signed again with the Ed25519 signer keeps the first manifest as the parent.
for photo in coffee.jpg chelsea.png; do
  first=$work/es256-$photo
  out=$work/resigned-$photo
  rm -f "$out" "$out.rs.json" "$out.ts.json"
  "$bin" sign --cert "$pki/signer-ed25519-chain.pem" --key "$pki/signer-ed25519.key" \
    --watermark 0123456789abcdef "$first" "$out" >/dev/null
  (cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
  parent=$(jq -r '.active_manifest_label' "$first.rs.json")
  check "c2pa-rs re-signed $photo trusted" "$out.rs.json" \
    '.validation_state == "Trusted" and (.failure_codes | length) == 0 and .ingredient_failure_codes == null'
  check "c2pa-rs re-signed $photo ingredient" "$out.rs.json" \
    ".manifest_count == 2 and .actions[0] == \"c2pa.opened\" and .ingredients == [{\"relationship\": \"parentOf\", \"active_manifest\": \"$parent\"}]"
  (cd "$ref" && node verify-ts.mjs "$out" --trust pki/root.pem >"$out.ts.json") || true
  check "c2pa-ts re-signed $photo trusted" "$out.ts.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
done
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
