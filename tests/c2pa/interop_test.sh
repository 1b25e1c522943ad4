#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interop: files signed by `provmark sign` (JPEG, PNG, WAV, MP3, M4A, MP4) must be read by the official C2PA
# implementation (c2pa-rs, via ../shared/tools/c2pa-ref/verify.mjs) and by c2pa-ts as Trusted, with no failure
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
    ".manifest_count == 2 and .actions[0] == \"c2pa.opened\" and .ingredients == [{\"title\": \"es256-$photo\", \"relationship\": \"parentOf\", \"active_manifest\": \"$parent\"}]"
  (cd "$ref" && node verify-ts.mjs "$out" --trust pki/root.pem >"$out.ts.json") || true
  check "c2pa-ts re-signed $photo trusted" "$out.ts.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
done

# A manifest from a JSON definition (sign --manifest), embedded and as a sidecar.
def=$work/definition.json
cat >"$def" <<'JSON'
{"claim_generator_info": [{"name": "provmark interop", "version": "1.0"}],
 "title": "interop asset",
 "assertions": [
   {"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created",
     "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"}]}},
   {"label": "c2pa.soft-binding", "data": {"blocks": [{"scope": {}, "value": "0123456789abcdef"}]}},
   {"label": "com.example.generation", "data": {"seed": 42, "model": "m-1"}}]}
JSON
defined='.title == "interop asset" and .claim_generator_info[0].name == "provmark interop"
  and .digital_source_type == "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
  and (.assertions | index("com.example.generation")) != null and .actions == ["c2pa.created", "c2pa.watermarked"]'
out=$work/defined-coffee.jpg
rm -f "$out"
"$bin" sign --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" --manifest "$def" \
  "$src/tests/data/coffee.jpg" "$out" >/dev/null
(cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
check "c2pa-rs manifest from a definition trusted" "$out.rs.json" \
  ".validation_state == \"Trusted\" and (.failure_codes | length) == 0 and $defined"

# Sidecars. c2pa-rs cannot check one against its asset here: c2pa-wasm 0.13.3's WasmReader has only
# fromBytes/fromBlob/fromBlobFragment, no external-manifest entry point (c2pa-rs's
# Reader::from_manifest_data_and_stream). Read alone as application/c2pa, c2pa-rs hashes the store's own
# bytes, so it must trust the signature, match every hashed URI and fail only the data hash. c2pa-ts checks
# the store against its asset (verify_sidecar_ts.mjs), including that another asset fails.
cp "$src/tests/c2pa/verify_sidecar_ts.mjs" "$ref/"
for photo in coffee.jpg chelsea.png; do
  asset=$work/sidecar-$photo
  store=${asset%.*}.c2pa
  cp "$src/tests/data/$photo" "$asset"
  rm -f "$store" "$store".*.json
  "$bin" sign --cert "$pki/signer-ed25519-chain.pem" --key "$pki/signer-ed25519.key" --manifest "$def" \
    "$asset" --sidecar "$store" >/dev/null
  if cmp -s "$asset" "$src/tests/data/$photo"; then
    echo "ok   sidecar $photo: asset unchanged"
  else
    echo "FAIL sidecar $photo: sign --sidecar changed the asset"
    failures=$((failures + 1))
  fi
  (cd "$ref" && node verify.mjs "$store" --format application/c2pa --trust pki/root.pem >"$store.rs.json") || true
  check "c2pa-rs sidecar $photo (store alone): trusted signature, only the binding fails" "$store.rs.json" \
    '.failure_codes == ["assertion.dataHash.mismatch"] and (.success_codes | index("signingCredential.trusted")) != null
     and (.success_codes | index("claimSignature.validated")) != null and '"$defined"
  (cd "$ref" && node verify_sidecar_ts.mjs "$store" "$asset" >"$store.ts.json") || true
  check "c2pa-ts sidecar $photo + asset" "$store.ts.json" \
    '(.failure_codes | length) == 0 and (.success_codes | index("assertion.dataHash.match")) != null'
  (cd "$ref" && node verify_sidecar_ts.mjs "$store" "$src/tests/data/rocket.jpg" >"$store.other.ts.json") || true
  check "c2pa-ts sidecar $photo + another asset fails" "$store.other.ts.json" \
    '.failure_codes == ["assertion.dataHash.mismatch"]'
done
# `provmark label` (all four layers): c2pa-rs must trust the manifest and list the soft binding, the watermark
# action and our disclosure assertion.
"$bin" keygen --force -o "$work/label.key" >/dev/null
for photo in coffee.jpg chelsea.png; do
  out=$work/labelled-$photo
  rm -f "$out" "$out.rs.json" "$out.ts.json"
  "$bin" label --key-file "$work/label.key" --producer 001191110102MAD55U9H0F10002 --no-store \
    --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" "$src/tests/data/$photo" "$out" >/dev/null
  (cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
  check "c2pa-rs labelled $photo trusted" "$out.rs.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
  check "c2pa-rs labelled $photo soft binding, watermark action, disclosure" "$out.rs.json" \
    '(.assertions | index("c2pa.soft-binding")) != null and (.actions | index("c2pa.watermarked")) != null
     and (.assertions | index("org.provmark.disclosure")) != null'
  (cd "$ref" && node verify-ts.mjs "$out" --trust pki/root.pem >"$out.ts.json") || true
  check "c2pa-ts labelled $photo trusted" "$out.ts.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
done

# Audio and video (WAV C2PA chunk, MP3 ID3 GEOB, M4A/MP4 uuid box with c2pa.hash.bmff.v3): c2pa-rs must trust
# them with the expected hard binding; c2pa-ts reads MP3 and BMFF (verify-ts.mjs shims its MIME/brand checks).
media_src=$src/../shared/fixtures/c2pa-ref/source
declare -A binding=([wav]=c2pa.hash.data [mp3]=c2pa.hash.data [m4a]=c2pa.hash.bmff.v3 [mp4]=c2pa.hash.bmff.v3)
for name in speech.wav speech.mp3 speech.m4a clip.mp4; do
  out=$work/es256-$name
  rm -f "$out" "$out.rs.json" "$out.ts.json"
  "$bin" sign --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" "$media_src/$name" "$out" >/dev/null
  (cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
  check "c2pa-rs $name trusted" "$out.rs.json" \
    ".validation_state == \"Trusted\" and (.failure_codes | length) == 0 and .hard_binding == [\"${binding[${name##*.}]}\"]"
  if [ "${name##*.}" != wav ]; then
    (cd "$ref" && node verify-ts.mjs "$out" --trust pki/root.pem >"$out.ts.json") || true
    check "c2pa-ts $name trusted" "$out.ts.json" '.validation_state == "Trusted" and (.failure_codes | length) == 0'
  fi
  resigned=$work/resigned-$name
  rm -f "$resigned" "$resigned.rs.json"
  "$bin" sign --cert "$pki/signer-ed25519-chain.pem" --key "$pki/signer-ed25519.key" "$out" "$resigned" >/dev/null
  (cd "$ref" && node verify.mjs "$resigned" --trust pki/root.pem >"$resigned.rs.json") || true
  parent=$(jq -r '.active_manifest_label' "$out.rs.json")
  check "c2pa-rs re-signed $name trusted, first manifest as parent" "$resigned.rs.json" \
    ".validation_state == \"Trusted\" and (.failure_codes | length) == 0 and .ingredient_failure_codes == null
     and .manifest_count == 2 and .ingredients[0].active_manifest == \"$parent\""
done

# `provmark label` on audio (audible cue, AIGC chunk/tag, manifest with the disclosure assertion): c2pa-rs must
# trust the WAV, MP3 and M4A it writes, with the expected hard binding.
for name in speech.wav speech.mp3 speech.m4a; do
  out=$work/labelled-$name
  rm -f "$out" "$out.rs.json"
  "$bin" label --producer 001191110102MAD55U9H0F10002 --cert "$pki/signer-es256-chain.pem" \
    --key "$pki/signer-es256.key" "$media_src/$name" "$out" >/dev/null
  (cd "$ref" && node verify.mjs "$out" --trust pki/root.pem >"$out.rs.json") || true
  check "c2pa-rs labelled $name trusted, disclosure, AI created" "$out.rs.json" \
    ".validation_state == \"Trusted\" and (.failure_codes | length) == 0
     and .hard_binding == [\"${binding[${name##*.}]}\"] and (.assertions | index(\"org.provmark.disclosure\")) != null
     and (.actions | index(\"c2pa.created\")) != null"
done

# RFC 3161 time-stamps (sign --tsa-url): a throwaway TSA, `openssl ts -reply` behind Debian python3's http.server.
tsa=$work/tsa
rm -rf "$tsa"
mkdir -p "$tsa"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tsa/root.key" -out "$tsa/root.pem" \
  -days 30 -subj "/O=provmark tests/CN=provmark test TSA root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tsa/tsa.key" -out "$tsa/tsa.csr" \
  -subj "/O=provmark tests/CN=provmark test TSA" 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=critical,timeStamping" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$tsa/ext.cnf"
openssl x509 -req -in "$tsa/tsa.csr" -CA "$tsa/root.pem" -CAkey "$tsa/root.key" -CAcreateserial -days 30 \
  -extfile "$tsa/ext.cnf" -out "$tsa/tsa.pem" 2>/dev/null
echo 01 >"$tsa/serial"
cat >"$tsa/ts.cnf" <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = $tsa/serial
signer_cert = $tsa/tsa.pem
signer_key = $tsa/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.4146.2.3
digests = sha256, sha384, sha512
accuracy = secs:1
ess_cert_id_alg = sha256
CNF
cat >"$tsa/server.py" <<'PY'
import http.server, subprocess, sys
class Tsa(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers["Content-Length"]))
        reply = subprocess.run(["openssl", "ts", "-reply", "-config", sys.argv[1], "-queryfile", "/dev/stdin"],
                               input=query, capture_output=True).stdout
        self.send_response(200 if reply else 500)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Tsa)
print(server.server_port, flush=True)
server.serve_forever()
PY
/usr/bin/python3 "$tsa/server.py" "$tsa/ts.cnf" >"$tsa/port" &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$tsa/port" ] && break; sleep 0.1; done
tsa_url=http://127.0.0.1:$(cat "$tsa/port")/
cat "$pki/root.pem" "$tsa/root.pem" >"$tsa/anchors.pem"
for photo in coffee.jpg chelsea.png; do
  out=$work/tsa-$photo
  rm -f "$out" "$out.rs.json"
  http_proxy='' HTTP_PROXY='' "$bin" sign --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" \
    --tsa-url "$tsa_url" "$src/tests/data/$photo" "$out" >/dev/null
  (cd "$ref" && node verify.mjs "$out" --trust "$tsa/anchors.pem" >"$out.rs.json") || true
  check "c2pa-rs time-stamped $photo trusted, time-stamp validated and trusted" "$out.rs.json" \
    '.validation_state == "Trusted" and (.failure_codes | length) == 0 and .signature_time != null
     and (.success_codes | index("timeStamp.validated")) != null and (.success_codes | index("timeStamp.trusted")) != null'
  "$bin" inspect --json --trust "$tsa/anchors.pem" "$out" >"$out.ours.json"
  time=$(jq -r '.signature_time' "$out.rs.json")
  check "provmark time-stamped $photo: same genTime as c2pa-rs, time-stamp trusted" "$out.ours.json" \
    ".validation_state == \"Trusted\" and ([.validation_results.activeManifest.success[].code]
     | index(\"timeStamp.validated\") != null and index(\"timeStamp.trusted\") != null)
     and .manifests[.active_manifest].signature_info.time == \"$time\""
done
# A TSA that cannot be reached: exit code 4 (io) and no output file.
out=$work/tsa-unreachable.jpg
rm -f "$out"
status=0
"$bin" sign --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" --tsa-url http://127.0.0.1:1/ \
  "$src/tests/data/coffee.jpg" "$out" >/dev/null 2>&1 || status=$?
if [ "$status" -eq 4 ] && [ ! -e "$out" ]; then
  echo "ok   unreachable TSA: exit 4, no output"
else
  echo "FAIL unreachable TSA: exit $status, output $( [ -e "$out" ] && echo written || echo absent)"
  failures=$((failures + 1))
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
