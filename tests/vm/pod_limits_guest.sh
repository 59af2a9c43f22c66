#!/usr/bin/env bash
# Runs INSIDE the cgroup v2 guest of cgroup_v2_vm_test.sh (not on the host):
# issue #4's end-to-end on a cgroup-v2-only kernel. A `berth server` with
# the node agent and the oci runtime (runc, no pod network: the VM has
# none) runs busybox pods imported with `berth image import`; real kubectl
# drives it (host-network pods: network: none runs only those). A pod with limits memory 32Mi / cpu 500m gets memory.max
# 33554432 and cpu.max "50000 100000" in its container's cgroup, a private
# cgroup namespace shows the container its own limits at /sys/fs/cgroup, a
# memory hog ends OOMKilled in the pod's status, and deleting the pods
# leaves no cgroup behind.
#
# Usage: pod_limits_guest.sh BUILD_DIR IMAGE_ARCHIVE. Exits 0 when every
# check passed; prints each failed check and the server's log otherwise.
set -u

build=$1
archive=$2
d=$(mktemp -d)
mkdir -p "$d/home"
export KUBECONFIG=$d/data/admin.kubeconfig HOME=$d/home
failed=0

check() {  # check NAME WANT GOT
  if [ "$2" = "$3" ]; then
    echo "ok: $1"
  else
    echo "FAIL: $1: want '$2', got '$3'"
    failed=1
  fi
}
# Polls `kubectl get pod POD -o jsonpath=PATH` for up to 90 s until WANT
# (by the clock: each kubectl takes a second or more under TCG).
wait_for() {  # wait_for POD PATH WANT
  local got="" end=$((SECONDS + 90))
  while [ "$SECONDS" -lt "$end" ]; do
    got=$(kubectl get pod "$1" -o jsonpath="{$2}" 2>/dev/null)
    [ "$got" = "$3" ] && break
    sleep 0.25
  done
  check "pod $1 $2" "$3" "$got"
}
finish() {
  if [ "$failed" != 0 ]; then
    kubectl get pods -o wide 2>&1
    kubectl get events 2>&1 | tail -20
    echo "--- server log (tail)"
    tail -60 "$d/server.log"
  fi
  [ -n "${server:-}" ] && kill "$server" && wait "$server"
  exit "$failed"
}

"$build/berth-image" import "$archive" --root "$d/images" ||
  { echo "FAIL: berth image import"; exit 1; }
cat >"$d/berth.yaml" <<YAML
plugins:
  - core
  - auth
  - storage
  - workloads
  - scheduler
  - name: oci
    settings: {root: $d/oci, imageRoot: $d/images}
  - name: node
    settings: {nodeName: vm, runtime: runc, network: none, rootDir: $d/node, heartbeatSeconds: 2}
YAML
"$build/berth" server --data-dir "$d/data" --port 0 --bind-address 127.0.0.1 \
  --config "$d/berth.yaml" >"$d/server.log" 2>&1 &
server=$!
for _ in $(seq 120); do
  grep -q "ready on " "$d/server.log" && break
  sleep 0.25
done
ready=""
end=$((SECONDS + 90))
while [ "$SECONDS" -lt "$end" ]; do
  ready=$(kubectl get node vm \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)
  [ "$ready" = True ] && break
  sleep 0.25
done
check "node vm Ready" True "$ready"
[ "$ready" = True ] || finish

kubectl apply -f - <<'YAML' || failed=1
apiVersion: v1
kind: Pod
metadata: {name: limited}
spec:
  terminationGracePeriodSeconds: 1
  hostNetwork: true
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max; sleep 3600"]
    resources: {limits: {memory: 32Mi, cpu: 500m}}
---
apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  restartPolicy: Never
  hostNetwork: true
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "x=$(head -c 100000000 /dev/zero | tr '\\0' x); sleep 3600"]
    resources: {limits: {memory: 32Mi}}
YAML

wait_for limited .status.phase Running
[ "$failed" = 0 ] || finish
uid=$(kubectl get pod limited -o jsonpath='{.metadata.uid}')
cid=$(kubectl get pod limited \
  -o jsonpath='{.status.containerStatuses[0].containerID}')
cg=/sys/fs/cgroup/berth/pod$uid/${cid#*://}
check "memory.max of $cg" 33554432 "$(cat "$cg/memory.max" 2>&1)"
check "cpu.max of $cg" "50000 100000" "$(cat "$cg/cpu.max" 2>&1)"
check "the container sees its own limits" "33554432
50000 100000" "$(kubectl logs limited 2>&1)"

wait_for hog '.status.containerStatuses[0].state.terminated.reason' OOMKilled
wait_for hog .status.phase Failed
hog_uid=$(kubectl get pod hog -o jsonpath='{.metadata.uid}')

kubectl delete pods --all --timeout=60s >/dev/null || failed=1
for _ in $(seq 40); do
  [ -e "/sys/fs/cgroup/berth/pod$uid" ] ||
    [ -e "/sys/fs/cgroup/berth/pod$hog_uid" ] || break
  sleep 0.25
done
check "no pod cgroup left" "" \
  "$(ls -d /sys/fs/cgroup/berth/pod"$uid" /sys/fs/cgroup/berth/pod"$hog_uid" 2>/dev/null)"
finish
