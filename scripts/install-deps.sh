#!/usr/bin/env bash
# Installs everything Berth needs to build and test, from Debian's packages
# only. Safe to run again. Needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # toolchain
  g++ cmake make pkg-config clang-format ccache
  # libraries (DESIGN.md: Boost incl. DLL, Poco, yaml-cpp, RapidJSON,
  # LevelDB (+snappy, which its CMake config links), OpenSSL, spdlog, gtest)
  libboost-dev libboost-filesystem-dev libpoco-dev libyaml-cpp-dev
  rapidjson-dev libleveldb-dev libsnappy-dev libspdlog-dev libssl-dev
  libgtest-dev libgmock-dev
  # real parts the tests start: etcd for the store comparison, curl and
  # openssl for the TLS tests
  etcd-server etcd-client curl openssl ca-certificates
  # node agent, runtimes and pod network (issue #4): OCI runtimes, the
  # busybox the test image is built from, CNI plugins, netns/iptables tools,
  # a registry with htpasswd auth and skopeo to push to it, libarchive and
  # zlib for image layers and SPDY header compression
  crun runc busybox-static containernetworking-plugins iproute2 iptables
  nftables netcat-openbsd docker-registry apache2-utils skopeo
  # cluster DNS tests query with dig
  bind9-dnsutils
  # cgroup v2 is tested in a qemu VM (tests/vm)
  qemu-system-x86
  libarchive-dev zlib1g-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The guest kernel of the cgroup v2 VM test (tests/vm): Debian's current
# kernel package, downloaded and unpacked into a cache, not installed on
# this machine (its /boot and modules stay as they are).
VM_KERNEL_DIR=/var/cache/berth/vm-kernel
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
  awk '/Depends: linux-image-/ {print $2; exit}')
if [ -n "$kpkg" ] && [ ! -f "$VM_KERNEL_DIR/$kpkg/ok" ]; then
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  (cd "$tmp" && $SUDO apt-get download -qq -o APT::Sandbox::User=root "$kpkg")
  $SUDO mkdir -p "$VM_KERNEL_DIR/$kpkg"
  $SUDO dpkg-deb -x "$tmp"/*.deb "$VM_KERNEL_DIR/$kpkg"
  $SUDO touch "$VM_KERNEL_DIR/$kpkg/ok"
  rm -rf "$tmp"
fi

# kubectl: the real client the tests drive. Debian 12 has no kubectl
# package; the machines this project runs on ship it at /usr/bin/kubectl.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "install-deps: kubectl not found; the end-to-end tests will skip (install kubectl to run them)" >&2
fi
