#!/usr/bin/env bash
# Runs the cluster benchmarks at full size: the Deployment scale-up
# (0 -> 1,000 replicas on 100 sim nodes) three times, then the memory
# figure (5,000 sim nodes, 150,000 pods) once, against the already built
# `berth`, printing the machine, the commit and the load. Builds nothing:
# build first.
#   bench/cluster/run.sh            # both
#   bench/cluster/run.sh scale      # only the scale-up
#   bench/cluster/run.sh memory     # only the memory figure
#   BERTH_BUILD_DIR=/path/to/build bench/cluster/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BERTH_BUILD_DIR:-$root/build}"
bin="$build/bench/cluster/berth_cluster_bench"
what="${1:-all}"
if [ ! -x "$bin" ]; then
  echo "no $bin: build first (mkdir -p build && cd build && cmake .. && make -j2)" >&2
  exit 2
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:  $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (+local changes)')"
rc=0
if [ "$what" = all ] || [ "$what" = scale ]; then
  for run in 1 2 3; do
    echo
    echo "run $run; load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min before)"
    "$bin" --berth "$build/berth" --scale --nodes 100 --replicas 1000 || rc=$?
  done
fi
if [ "$what" = all ] || [ "$what" = memory ]; then
  echo
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min before)"
  "$bin" --berth "$build/berth" --memory --nodes 5000 --pods 150000 || rc=$?
fi
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (after the runs)"
exit $rc
