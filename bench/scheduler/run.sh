#!/usr/bin/env bash
# Runs the scheduler benchmarks at full size (SchedulingBasic 5,000 nodes /
# 1,000 initial / 10,000 measured pods, then required pod anti-affinity
# 5,000 nodes / 1,000 initial / 1,000 measured pods) against the already
# built `berth`, printing the machine, the commit and the load. Builds
# nothing: build first.
#   bench/scheduler/run.sh
#   BERTH_BUILD_DIR=/path/to/build bench/scheduler/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BERTH_BUILD_DIR:-$root/build}"
bin="$build/bench/scheduler/berth_scheduler_bench"
if [ ! -x "$bin" ]; then
  echo "no $bin: build first (mkdir -p build && cd build && cmake .. && make -j2)" >&2
  exit 2
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:  $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (+local changes)')"
rc=0
for args in "--nodes 5000 --init-pods 1000 --measure-pods 10000" \
            "--anti-affinity --nodes 5000 --init-pods 1000 --measure-pods 1000"; do
  echo
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min before the run)"
  # shellcheck disable=SC2086
  "$bin" --berth "$build/berth" $args || rc=$?
done
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the runs)"
exit $rc
