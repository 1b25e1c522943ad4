#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `provmark inspect` as a user runs it: exit codes 0 (Valid/Trusted), 9 (Invalid), 10 (no manifest), 3 (not an
# image), and the JSON report.
#   inspect_cli_test.sh PROVMARK_BIN WORK_DIR DATA_DIR
# Exit 0 = pass, 1 = fail, 77 = skipped (jq is not installed).
set -uo pipefail

BIN=$1
WORK=$2
DATA=$3
command -v jq >/dev/null || { echo "SKIP: jq is not installed" >&2; exit 77; }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

fail() {
  echo "FAIL: $*" >&2
  cat "$WORK/stdout" "$WORK/stderr" >&2 2>/dev/null
  exit 1
}
run() {
  "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
}
expect_rc() { [ "$RC" -eq "$1" ] || fail "expected exit code $1, got $RC ($2)"; }

# Signed by the c2pa-rs test key, which nobody here trusts: Valid, signingCredential.untrusted.
SIGNED=$DATA/c2pa/c2pars_v2_ai.jpg
run inspect "$SIGNED"
expect_rc 0 "valid manifest"
grep -q "Valid" "$WORK/stdout" || fail "text report does not say Valid"

run inspect --json "$SIGNED"
expect_rc 0 "valid manifest, JSON"
jq -e '.validation_state == "Valid" and (.active_manifest as $name | .manifests | has($name))
       and ([.validation_results.activeManifest.failure[].code] == ["signingCredential.untrusted"])' \
  "$WORK/stdout" >/dev/null || fail "JSON report"

# One bit of the entropy-coded data changed: the data hash no longer matches.
cp "$SIGNED" "$WORK/tampered.jpg"
SIZE=$(stat -c %s "$WORK/tampered.jpg")
BYTE=$(od -An -tu1 -j $((SIZE - 10)) -N1 "$WORK/tampered.jpg" | tr -d ' ')
printf "$(printf '\\%03o' $((BYTE ^ 1)))" | dd of="$WORK/tampered.jpg" bs=1 seek=$((SIZE - 10)) conv=notrunc status=none
run inspect --json "$WORK/tampered.jpg"
expect_rc 9 "tampered pixels"
jq -e '.validation_state == "Invalid" and
       ([.validation_results.activeManifest.failure[].code] | index("assertion.dataHash.mismatch") != null)' \
  "$WORK/stdout" >/dev/null || fail "tampered JSON report"

run inspect "$DATA/coffee.jpg"
expect_rc 10 "no manifest"

echo "not an image" >"$WORK/text.jpg"
run inspect "$WORK/text.jpg"
expect_rc 3 "not an image"

run inspect "$WORK/missing.jpg"
expect_rc 4 "missing file"
echo "PASS"
