#!/usr/bin/env bash
# Set-up command 1: install dependencies, build, and start a single-machine
# Berth on its embedded store with the shipped conf/berth.yaml, so this
# machine is the cluster's node (pods run as real containers when run as
# root). Waits until the node is Ready, and prints the KUBECONFIG to use.
#   scripts/setup.sh [--data-dir DIR] [--port N] [--config FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
DATA_DIR=${BERTH_DATA_DIR:-$HOME/.berth}
PORT=6443
CONFIG=conf/berth.yaml
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA_DIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --config) CONFIG=$2; shift 2 ;;
    *) echo "setup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$DATA_DIR"
nohup build/berth server --data-dir "$DATA_DIR" --port "$PORT" \
  --config "$CONFIG" >"$DATA_DIR/server.log" 2>&1 &
echo $! >"$DATA_DIR/server.pid"
for _ in $(seq 1 100); do
  if grep -q "ready on" "$DATA_DIR/server.log" 2>/dev/null; then break; fi
  if ! kill -0 "$(cat "$DATA_DIR/server.pid")" 2>/dev/null; then
    cat "$DATA_DIR/server.log" >&2; exit 1
  fi
  sleep 0.1
done
export KUBECONFIG=$DATA_DIR/admin.kubeconfig
# The node registers right after start and is Ready once its pod network has
# a pod CIDR (a few seconds); a machine that cannot run containers stays
# NotReady and the reason is printed.
if command -v kubectl >/dev/null && grep -q "name: node" "$CONFIG"; then
  for _ in $(seq 1 30); do
    if kubectl get nodes --no-headers 2>/dev/null | grep -q " Ready "; then
      break
    fi
    sleep 1
  done
  kubectl get nodes || true
  kubectl get nodes --no-headers 2>/dev/null | grep -q " Ready " ||
    kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}: {.status.conditions[?(@.type=="Ready")].message}{"\n"}{end}' || true
fi
cat "$DATA_DIR/server.log"
echo "export KUBECONFIG=$DATA_DIR/admin.kubeconfig   # then: kubectl get nodes"
