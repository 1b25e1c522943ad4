#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway root CA and a C2PA signer it issued (P-256, the certificate profile c2pa-rs accepts), for the
# demo and the tests. NOT for production: the keys are unencrypted and the root is made on the spot.
#   scripts/make-test-pki.sh DIR     -> DIR/root.pem, DIR/signer.pem, DIR/signer.key
set -euo pipefail
dir=$1
command -v openssl >/dev/null || { echo "make-test-pki.sh: the openssl command is not installed" >&2; exit 77; }
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -days 30 \
  -subj "/CN=provmark test root/O=provmark tests" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout signer.key -out signer.csr \
  -subj "/CN=provmark test signer/O=provmark tests" 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36" "subjectKeyIdentifier=hash" \
  "authorityKeyIdentifier=keyid" >signer.ext
openssl x509 -req -in signer.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -out signer.pem \
  -extfile signer.ext 2>/dev/null
chmod 600 root.key signer.key
