#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures (Ninja) and builds one build folder: scripts/build.sh BUILD_DIR [cmake -D options...]
# A relative BUILD_DIR is taken from the repository root. PROVMARK_JOBS sets the parallelism (default 2).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: scripts/build.sh BUILD_DIR [cmake options...]" >&2; exit 2; }
dir=$1
shift
cd "$root"
cmake -S . -B "$dir" -G Ninja "$@"
cmake --build "$dir" -j "${PROVMARK_JOBS:-2}"
