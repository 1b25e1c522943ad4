#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up cost of the provmark command: wall time per run of `provmark --version` and of a one-file
# `provmark detect` on a JPEG and on an Ogg clip, each against the start of a trivial process (/bin/true)
# measured in the same run. A platform that runs the command once per upload pays this every time.
# Run by hand; not part of the tests.
#   bench/startup.sh [PROVMARK_BIN]     (default build/cli/provmark)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/build/cli/provmark}
runs=${RUNS:-40}
data=$root/tests/data
key=$data/test-watermark.key

# mean_ms CMD...: mean wall milliseconds per run of CMD (output discarded, exit code ignored).
mean_ms() {
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < runs; ++i)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo $(((end - start) / runs / 1000))
}

base=$(mean_ms /bin/true)
printf '%-28s %8s %8s\n' case "us/run" "x /bin/true"
printf '%-28s %8d %8s\n' "/bin/true (baseline)" "$base" 1.0
for case in version jpeg ogg; do
  case $case in
    version) us=$(mean_ms "$bin" --version) ;;
    jpeg) us=$(mean_ms "$bin" detect --key-file "$key" "$data/coffee.jpg") ;;
    ogg) us=$(mean_ms "$bin" detect --key-file "$key" "$data/drascula_track1_8s.ogg") ;;
  esac
  printf '%-28s %8d %8.1f\n' "provmark $case" "$us" "$(awk -v a="$us" -v b="$base" 'BEGIN { print a / b }')"
done
echo "shared libraries at start: $(ldd "$bin" | wc -l)"
