#!/usr/bin/env bash
# cgroup v2 on a real cgroup-v2-only kernel. This machine is hybrid v1, so
# the test boots Debian's own kernel (unpacked by scripts/install-deps.sh
# into a cache, not installed) in qemu with cgroup_no_v1=all, shares the
# host's filesystem read-only over 9p, and runs there the runtime tests
# that set and read cgroup limits: the process runtime, runc and crun put
# memory/pids/CPU limits in memory.max, pids.max and cpu.max, a memory hog
# ends OOMKilled (memory.events), and removing a sandbox leaves no cgroup.
# Then the end-to-end, pod_limits_guest.sh: `berth server` with the node
# agent and runc runs pods with limits from kubectl (memory.max, cpu.max,
# the container's own view of them, OOMKilled in the pod's status).
# The guest runs under TCG (software emulation): KVM nested in this
# machine's VM stops in SeaBIOS (-cpu host aborts on MSR 0x10a; without
# arch-capabilities, or with qemu64, the kernel never starts). About 75 s.
#
# Usage: cgroup_v2_vm_test.sh BUILD_DIR. Exits with the guest tests' code,
# 77 (skipped) when not root or qemu or the kernel is missing.
set -euo pipefail

build=$(cd "$1" && pwd)
cache=${BERTH_VM_KERNEL_DIR:-/var/cache/berth/vm-kernel}

skip() {
  echo "SKIP: $*"
  exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (the guest's tests create cgroups)"
command -v qemu-system-x86_64 >/dev/null ||
  skip "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
command -v kubectl >/dev/null || skip "no kubectl (the guest's pods are driven by it)"
[ -x /bin/busybox ] || skip "no /bin/busybox (apt-get install busybox-static)"
kdir=$(ls -d "$cache"/linux-image-*/ 2>/dev/null | sort -V | tail -1 || true)
[ -n "$kdir" ] && [ -f "$kdir/ok" ] ||
  skip "no guest kernel in $cache (scripts/install-deps.sh fetches it)"
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -1)
release=${vmlinuz##*/vmlinuz-}
mods="$kdir/lib/modules/$release/kernel"

# Under the build tree, not /tmp: the guest mounts a tmpfs over /tmp, and
# sees this directory (the pod image archive) through the 9p share.
mkdir -p "$build/tests/vm"
work=$(mktemp -d "$build/tests/vm/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$(cd "$(dirname "$0")/../.." && pwd)
"$src/tests/support/oci/make-oci-image.sh" "$work/busybox" --busybox \
  --tag 1.35 --archive "$work/busybox.tar" >/dev/null
initrd="$work/initrd"
mkdir -p "$initrd"/{bin,lib/mod,proc,sys,dev,root}
cp /bin/busybox "$initrd/bin/busybox"

# Modules in load order, each after what its .modinfo `depends=` names.
loaded=()
add_module() {
  local name=$1 file dep
  for m in "${loaded[@]}"; do [ "$m" = "$name" ] && return 0; done
  file=$(find "$mods" -name "$name.ko" | head -1)
  [ -n "$file" ] || { echo "no module $name under $mods" >&2; exit 1; }
  for dep in $(grep -a -o 'depends=[^[:cntrl:]]*' "$file" | head -1 |
    cut -d= -f2 | tr ',' ' '); do
    add_module "$dep"
  done
  cp "$file" "$initrd/lib/mod/"
  loaded+=("$name")
}
for m in virtio_pci 9pnet_virtio 9p overlay; do add_module "$m"; done
echo "${loaded[*]}" >"$initrd/modules"

# What runs in the guest, as root in the host's tree.
cat >"$initrd/cmd" <<CMD
cd /tmp
export BERTH_BUILD_DIR=$build GTEST_COLOR=no
rc=0
$build/tests/e2e/runtime/runtime_process_e2e_test \
  --gtest_filter='*CgroupLimits*:*OomKilled*:*RemovePodSandbox*' || rc=1
$build/tests/e2e/runtime/runtime_oci_e2e_test \
  --gtest_filter='*CgroupLimits*:*OomKilled*:*RemovePodSandbox*' || rc=1
$src/tests/vm/pod_limits_guest.sh $build $work/busybox.tar || rc=1
exit \$rc
CMD

cat >"$initrd/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
ip link set lo up
for m in $(cat /modules); do insmod "/lib/mod/$m.ko" || echo "insmod $m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
  hostroot /root
mount -t proc proc /root/proc
mount -t sysfs sys /root/sys
mount -t devtmpfs dev /root/dev
mkdir -p /root/dev/pts /root/dev/shm
mount -t devpts devpts /root/dev/pts
mount -t tmpfs tmpfs /root/dev/shm
mount -t tmpfs tmpfs /root/tmp
mount -t tmpfs tmpfs /root/run
mount -t cgroup2 cgroup2 /root/sys/fs/cgroup
echo "+cpu +memory +pids +io +cpuset" >/root/sys/fs/cgroup/cgroup.subtree_control
echo
echo "guest cgroup2 controllers: $(cat /root/sys/fs/cgroup/cgroup.subtree_control)"
chroot /root /bin/sh /proc/1/root/cmd
echo "BERTH-VM-EXIT $?"
poweroff -f
INIT
chmod +x "$initrd/init"
(cd "$initrd" && find . | /bin/busybox cpio -o -H newc 2>/dev/null |
  gzip >"$work/initrd.gz")

timeout 300 qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 \
  -m 1024 -nographic -nodefaults -serial stdio -no-reboot \
  -kernel "$vmlinuz" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 cgroup_no_v1=all panic=-1 quiet" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  </dev/null >"$work/console.log" 2>&1 || true
tr -d '\r' <"$work/console.log" | grep -v '^\s*$' | grep -av 'SeaBIOS\|Booting from'
code=$(tr -d '\r' <"$work/console.log" | sed -n 's/^BERTH-VM-EXIT \([0-9]*\)$/\1/p' | tail -1)
if [ -z "$code" ]; then
  echo "the guest did not report an exit code (boot failed or timed out)"
  exit 1
fi
exit "$code"
