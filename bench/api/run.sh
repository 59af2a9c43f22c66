#!/usr/bin/env bash
# Runs the HTTPS API benchmark at full size (or with the flags given, see
# README.md) against the already built `berth` and prints the machine, the
# commit and the summary table. Builds nothing: build first.
#   bench/api/run.sh [--watchers 100 ...]
#   BERTH_BUILD_DIR=/path/to/build bench/api/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BERTH_BUILD_DIR:-$root/build}"
bin="$build/bench/api/berth_api_bench"
if [ ! -x "$bin" ]; then
  echo "no $bin: build first (mkdir -p build && cd build && cmake .. && make -j2)" >&2
  exit 2
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:  $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (+local changes)')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min before the run)"
echo
rc=0
"$bin" --berth "$build/berth" "$@" || rc=$?
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the run)"
exit $rc
