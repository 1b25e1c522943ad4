#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Throughput of the `provmark verify` command, as a platform runs it over a folder of uploads: one worker
# (-j 1), CPU time (user + system) of the whole process over 100 files of ~1 MP, half labelled. The files
# and the floor (a TurboJPEG decode of the same files, in process) come from provmark_bench_verify, run first
# in the same invocation. Run by hand; not part of the tests.
#   bench/run_verify_cli.sh [PHOTO...]      (default: the corpus's images)
#   BENCH_CORPUS  corpus made by the shared bench's corpus.sh (default /root/.cache/provmark-corpus)
#   BENCH_WORK    scratch folder (default $TMPDIR/provmark-bench)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
corpus=${BENCH_CORPUS:-/root/.cache/provmark-corpus}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/provmark-bench}/verify-cli
pki=${PKI:-$root/../shared/tools/c2pa-ref/pki}
key=tests/data/test-watermark.key
copies=5

photos=("$@")
if [ ${#photos[@]} -eq 0 ]; then
  shopt -s nullglob
  photos=("$corpus"/images/*)
fi
if [ ${#photos[@]} -eq 0 ]; then
  echo "run_verify_cli.sh: no photos given and none in $corpus/images" >&2
  exit 1
fi
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j "${PROVMARK_JOBS:-2}" --target provmark_bench_verify provmark_cli >/dev/null

rm -rf "$work"
mkdir -p "$work/all" "$work/labelled" "$work/plain"
build/bench/provmark_bench_verify "${photos[@]}" --cert "$pki/signer-es256-chain.pem" --key "$pki/signer-es256.key" \
  --trust "$pki/root.pem" --wm-key "$key" --rounds 3 --write "$work/uploads" | tee "$work/in-process.txt"
floor_ms=$(sed -n 's/^result decode_ms=\([0-9.]*\).*/\1/p' "$work/in-process.txt")
for c in $(seq 1 "$copies"); do
  for f in "$work"/uploads/*.jpg; do
    name=$(basename "$f" .jpg)_$c.jpg
    cp "$f" "$work/all/$name"
    case "$name" in *labelled*) cp "$f" "$work/labelled/$name" ;; *) cp "$f" "$work/plain/$name" ;; esac
  done
done

# CPU seconds (user + system) of one `provmark verify` over a folder; verdict exit codes 0 and 1 are fine.
cpu_seconds() {
  /usr/bin/time -o "$work/time.txt" -f '%U %S' build/cli/provmark verify -j 1 --no-store --json \
    --wm-key "bench=$key" --trust "$pki/root.pem" "$1" >/dev/null 2>&1 || [ $? -eq 1 ]
  tail -n 1 "$work/time.txt" | awk '{ print $1 + $2 }'
}

echo "provmark verify -j 1 (CPU time of the process, median of 3 runs):"
for set in all labelled plain; do
  n=$(find "$work/$set" -name '*.jpg' | wc -l)
  runs=()
  for _ in 1 2 3; do runs+=("$(cpu_seconds "$work/$set")"); done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  awk -v s="$median" -v n="$n" -v f="$floor_ms" -v set="$set" 'BEGIN {
    ms = 1000 * s / n
    printf "  %-9s %3d files  %6.2f ms/file  %6.1f files/s  %5.2fx floor\n", set, n, ms, 1000 / ms, ms / f }'
done
