#!/bin/sh
# Records the SDK headers' hash with the current BERTH_SDK_ABI_VERSION in
# tests/abi/sdk_headers.sha256, after an SDK change and the version bump it
# needs. The hash is SHA-256 over the contents of sdk/include/berth/*.h,
# concatenated in byte order of their names (what tests/abi/abi_test checks).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
headers="$root/sdk/include/berth"
version=$(sed -n 's/^#define BERTH_SDK_ABI_VERSION \([0-9][0-9]*\).*$/\1/p' \
  "$headers/abi_version.h")
if [ -z "$version" ]; then
  echo "update-abi-hash: no BERTH_SDK_ABI_VERSION in $headers/abi_version.h" >&2
  exit 1
fi
hash=$(cd "$headers" && ls -- *.h | LC_ALL=C sort | xargs cat | sha256sum |
  cut -d' ' -f1)
printf '%s %s\n' "$version" "$hash" >"$root/tests/abi/sdk_headers.sha256"
echo "tests/abi/sdk_headers.sha256: version $version, hash $hash"
