#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measures FFTW plans for the transforms provmark makes (bench/fft_wisdom.cpp; about 11 minutes: FFTW_PATIENT) and
# writes them to lib/dsp/fft_wisdom.txt, which the library carries (lib/dsp/fft.hpp). Run on a quiet machine of the
# kind provmark runs on, after changing a transform size or the FFTW version, and commit the file.
#   scripts/update-fft-wisdom.sh [BUILD_DIR]      (default build/; configured if needed, then the tool built)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-build}
cd "$root"
[ -f "$dir/CMakeCache.txt" ] || cmake -S . -B "$dir" -G Ninja >/dev/null
cmake --build "$dir" --target provmark_fft_wisdom >/dev/null
out=$(mktemp lib/dsp/fft_wisdom.txt.XXXXXX)
trap 'rm -f "$out"' EXIT
"$dir/bench/provmark_fft_wisdom" >"$out"
grep -q '^(fftw-3' "$out" || { echo "update-fft-wisdom: no wisdom written" >&2; exit 1; }
mv "$out" lib/dsp/fft_wisdom.txt
trap - EXIT
echo "lib/dsp/fft_wisdom.txt: $(wc -c <lib/dsp/fft_wisdom.txt) bytes; rebuild to carry it"
