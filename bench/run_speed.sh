#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Image speed benchmark (run by hand; not part of the tests). Builds provmark_bench_image in build/
# (Release) if needed, encodes the largest corpus image as a q90 4:2:0 JPEG, times it and prints a
# Markdown row, which is also appended to bench/results/image_speed.md.
#   bench/run_speed.sh [--repeats N]
#   BENCH_CORPUS  corpus made by the shared bench's corpus.sh (default /root/.cache/provmark-corpus)
#   BENCH_WORK    scratch folder for the test JPEG (default $TMPDIR/provmark-bench)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
corpus=${BENCH_CORPUS:-/root/.cache/provmark-corpus}
work=${BENCH_WORK:-${TMPDIR:-/tmp}/provmark-bench}/speed
quality=90

shopt -s nullglob
images=("$corpus"/images/*.png)
if [ ${#images[@]} -eq 0 ]; then
  echo "run_speed.sh: no images in $corpus/images; make the corpus first (corpus.sh of the shared bench)" >&2
  exit 1
fi

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build build -j "${PROVMARK_JOBS:-2}" --target provmark_bench_image

# The largest image by pixel count (the 12 MP photo of the standard corpus).
largest=$(identify -ping -format '%w %h %i\n' "${images[@]}" | awk '{ print $1 * $2, $3 }' | sort -n | tail -n 1 |
  cut -d' ' -f2-)
id=$(basename "$largest" .png)
mkdir -p "$work"
jpeg=$work/${id}_q${quality}.jpg
if [ ! -s "$jpeg" ]; then
  # 4:2:0 like camera and web JPEGs (ImageMagick would keep full chroma at quality >= 90).
  convert "$largest" -quality "$quality" -sampling-factor 4:2:0 "$jpeg"
fi

rc=0
out=$(build/bench/provmark_bench_image "$jpeg" --quality "$quality" "$@") || rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "run_speed.sh: the benchmark failed (exit $rc); nothing recorded" >&2; exit $rc; }
result=$(grep '^result ' <<<"$out")
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$result"; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit+dirty"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
row="| $(date +%F) | $commit | $id q$quality | $(field mp) | $(field floor_ms) | $(field embed_ms) | \
$(field embed_ratio)x | $(field detect_ms) | $(field detect_ratio)x | $(nproc) x $cpu |"

results=bench/results/image_speed.md
mkdir -p "$(dirname "$results")"
if [ ! -f "$results" ]; then
  {
    echo "# Image speed (bench/run_speed.sh)"
    echo
    echo "Median ms per call; floor = bare TurboJPEG decode to RGB + re-encode at the same quality and subsampling."
    echo
    echo "| date | commit | image | MP | floor ms | embed ms | embed/floor | detect ms | detect/floor | machine |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
  } >"$results"
fi
echo "$row" >>"$results"
echo
echo "$row"
echo "(appended to $results)"
