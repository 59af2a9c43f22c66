#!/usr/bin/env bash
# Set-up command 1: install dependencies, build, and start a single-machine
# Berth on its embedded store. Prints the KUBECONFIG to use.
#   scripts/setup.sh [--data-dir DIR] [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
DATA_DIR=${BERTH_DATA_DIR:-$HOME/.berth}
PORT=6443
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA_DIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    *) echo "setup.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$DATA_DIR"
nohup build/berth server --data-dir "$DATA_DIR" --port "$PORT" >"$DATA_DIR/server.log" 2>&1 &
echo $! >"$DATA_DIR/server.pid"
for _ in $(seq 1 100); do
  if grep -q "ready on" "$DATA_DIR/server.log" 2>/dev/null; then break; fi
  if ! kill -0 "$(cat "$DATA_DIR/server.pid")" 2>/dev/null; then
    cat "$DATA_DIR/server.log" >&2; exit 1
  fi
  sleep 0.1
done
cat "$DATA_DIR/server.log"
echo "export KUBECONFIG=$DATA_DIR/admin.kubeconfig   # then: kubectl get ns"
