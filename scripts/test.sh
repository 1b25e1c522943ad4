#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# All the tests: Release build (g++) + ctest, then one clang ASan+UBSan build with the libFuzzer targets +
# ctest + a short run of every fuzz target on its seed corpus. Stops at the first failing stage.
#   scripts/test.sh [--quick] [--no-fuzz]
#     --quick    the Release build and its tests only
#     --no-fuzz  skip the libFuzzer stage
#   FUZZ_SECONDS  run time of each fuzz target (default 15); PROVMARK_JOBS  parallelism (default 2)
# The last line is "N passed, M failed": ctest tests of every build plus fuzz runs (a build that
# fails counts as one failure).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

quick=0
fuzz=1
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    --no-fuzz) fuzz=0 ;;
    -h | --help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
jobs=${PROVMARK_JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-15}
export PROVMARK_JOBS=$jobs

passed=0
failed=0
stage=""
started=$SECONDS

finish() {
  local rc=$?
  echo
  if [ $rc -ne 0 ]; then
    echo "==== FAILED in stage: ${stage:-setup} (after $((SECONDS - started)) s)"
  else
    echo "==== all stages passed in $((SECONDS - started)) s"
  fi
  echo "$passed passed, $failed failed"
}
trap finish EXIT

header() {
  stage=$1
  printf '\n==== [%s] %s\n' "$(date +%T)" "$stage"
}

# Runs a command that has no test count of its own; its failure counts as one failed test.
step() {
  if ! "$@"; then
    failed=$((failed + 1))
    exit 1
  fi
}

# ctest in one build folder; adds its counts to the totals.
run_ctest() {
  local dir=$1 log=$1/ctest.log rc=0
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
  if [ -n "$line" ]; then
    local total nfail
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    nfail=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
    passed=$((passed + total - nfail))
    failed=$((failed + nfail))
  elif [ $rc -ne 0 ]; then
    failed=$((failed + 1))
  fi
  [ $rc -eq 0 ] || exit 1
}

# Starts one libFuzzer target in the background, for a bounded time on a scratch copy of its seed corpus;
# report_fuzzer waits for it. Targets run $jobs at a time: each is single-threaded.
fuzz_pids=()
fuzz_dirs=()
fuzz_names=()
start_fuzzer() {
  local exe=$1 name scratch seeds
  name=$(basename "$exe")
  seeds=tests/fuzz/corpus/${name#fuzz_}
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/provmark-$name.XXXXXX")
  mkdir -p "$scratch/corpus"
  if [ -d "$seeds" ]; then
    cp -R "$seeds/." "$scratch/corpus/"
  else
    echo "warning: no seed corpus $seeds; $name starts from nothing" >"$scratch/note"
  fi
  find "$scratch/corpus" -type f | wc -l >"$scratch/seeds"
  "$exe" -max_total_time="$fuzz_seconds" -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$scratch/" "$scratch/corpus" >"$scratch/log" 2>&1 &
  fuzz_pids+=($!)
  fuzz_dirs+=("$scratch")
  fuzz_names+=("$name")
}

# Waits for started target number $1 and reports it (in the order they were started).
report_fuzzer() {
  local i=$1 rc=0 name=${fuzz_names[$1]} scratch=${fuzz_dirs[$1]}
  wait "${fuzz_pids[$i]}" || rc=$?
  [ -f "$scratch/note" ] && cat "$scratch/note"
  echo "-- $name: ${fuzz_seconds} s on $(cat "$scratch/seeds") seeds"
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' "$scratch/log" | tail -n 1 || true
    rm -rf "$scratch"
  else
    failed=$((failed + 1))
    tail -n 60 "$scratch/log"
    echo "-- $name FAILED (exit $rc); log and crash input kept in $scratch"
  fi
  return $rc
}

header "dependencies (scripts/install-deps.sh)"
step scripts/install-deps.sh

header "Release build (build/)"
step scripts/build.sh build -DCMAKE_BUILD_TYPE=Release
header "Release tests"
run_ctest build

if [ $quick -eq 0 ]; then
  export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
  # One sanitizer build, by clang: it also makes the libFuzzer targets, and it evaluates arguments in another
  # order and warns differently than the g++ of the Release build, so the tests run under both compilers.
  header "ASan+UBSan build (build-asan/, clang)"
  fuzz_option=OFF
  [ $fuzz -eq 1 ] && fuzz_option=ON
  step env CC=clang CXX=clang++ scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPROVMARK_SANITIZE=address,undefined -DPROVMARK_FUZZ=$fuzz_option -DPROVMARK_BUILD_BENCH=OFF
  header "ASan+UBSan tests (clang)"
  run_ctest build-asan

  if [ $fuzz -eq 1 ]; then
    header "fuzzing (${fuzz_seconds} s per target)"
    mapfile -t fuzzers < <(find build-asan/tests/fuzz -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x 2>/dev/null | sort)
    if [ ${#fuzzers[@]} -eq 0 ]; then
      echo "no fuzz_* executables in build-asan/tests/fuzz"
      failed=$((failed + 1))
      exit 1
    fi
    fuzz_failed=0
    reported=0
    for exe in "${fuzzers[@]}"; do
      start_fuzzer "$exe"
      if [ $((${#fuzz_pids[@]} - reported)) -ge "$jobs" ]; then
        report_fuzzer $reported || fuzz_failed=1
        reported=$((reported + 1))
      fi
    done
    while [ $reported -lt ${#fuzz_pids[@]} ]; do
      report_fuzzer $reported || fuzz_failed=1
      reported=$((reported + 1))
    done
    [ $fuzz_failed -eq 0 ] || exit 1
  fi
fi
stage=""
