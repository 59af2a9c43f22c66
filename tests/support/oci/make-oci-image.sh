#!/bin/bash
# Builds an OCI image layout directory from layer directories, with a
# deterministic digest (sorted tar entries, mtime 0, uid/gid 0, gzip -n).
#
#   make-oci-image.sh OUT_DIR [--tag T] [--arch A] [--cmd C]... 
#                     [--layer DIR]... [--busybox] [--archive FILE]
#                     [--index-of OCI_DIR]...
#
# --busybox      first layer: /bin/busybox (Debian's busybox-static) with
#                applet symlinks (sh, httpd, cat, sleep, wget, ...), /etc/passwd
#                (root, nobody), /etc/group, empty /tmp /proc /sys /dev.
# --layer DIR    one more layer holding DIR's content (whiteouts as files
#                named .wh.<name> / .wh..wh..opq, as in OCI layer tars).
# --index-of D   instead of an image, an index listing the manifests of the
#                OCI layouts D (each made by this script), under the tag.
# --archive F    also writes the layout as a tar archive F (.tar.gz: gzip).
# Default tag "latest", arch "amd64", cmd ["sh"], env PATH=/usr/sbin:... .
set -euo pipefail

out=""; tag="latest"; arch="amd64"; cmds=(); layers=(); busybox=0
archive=""; index_of=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --arch) arch="$2"; shift 2 ;;
    --cmd) cmds+=("$2"); shift 2 ;;
    --layer) layers+=("$2"); shift 2 ;;
    --busybox) busybox=1; shift ;;
    --archive) archive="$2"; shift 2 ;;
    --index-of) index_of+=("$2"); shift 2 ;;
    -*) echo "unknown flag $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
[ -n "$out" ] || { echo "usage: $0 OUT_DIR [flags]" >&2; exit 2; }
[ ${#cmds[@]} -gt 0 ] || cmds=("sh")

mkdir -p "$out/blobs/sha256"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Writes stdin as a blob; prints "<hex> <size>".
put_blob() {
  cat > "$work/blob"
  local hex size
  hex=$(sha256sum "$work/blob" | cut -d' ' -f1)
  size=$(stat -c %s "$work/blob")
  mv "$work/blob" "$out/blobs/sha256/$hex"
  echo "$hex $size"
}

json_str_array() {
  local first=1 s
  printf '['
  for s in "$@"; do
    [ $first -eq 1 ] || printf ','
    first=0
    printf '"%s"' "$s"
  done
  printf ']'
}

write_layout() {  # $1 = manifest descriptor JSON
  printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
    "$1" > "$out/index.json"
  if [ -n "$archive" ]; then
    case "$archive" in
      *.gz) tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
              -C "$out" -cf - oci-layout index.json blobs | gzip -n > "$archive" ;;
      *) tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
           -C "$out" -cf "$archive" oci-layout index.json blobs ;;
    esac
  fi
}

if [ ${#index_of[@]} -gt 0 ]; then
  descs=""
  for d in "${index_of[@]}"; do
    m=$(sed -e 's/.*"manifests":\[\(.*\)\]}$/\1/' "$d/index.json")
    m=$(printf '%s' "$m" | sed -e 's/,"annotations":{[^}]*}//')
    hex=$(printf '%s' "$m" | sed -e 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/')
    march=$(sed -e 's/.*"architecture":"\([^"]*\)".*/\1/' \
      "$d/blobs/sha256/$(sed -e 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$d/blobs/sha256/$hex")")
    cp "$d"/blobs/sha256/* "$out/blobs/sha256/"
    m=${m%\}}
    descs="${descs:+$descs,}$m,\"platform\":{\"architecture\":\"$march\",\"os\":\"linux\"}}"
  done
  read -r ihex isize < <(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$descs" | put_blob)
  write_layout "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:$ihex\",\"size\":$isize,\"annotations\":{\"org.opencontainers.image.ref.name\":\"$tag\"}}"
  exit 0
fi

if [ $busybox -eq 1 ]; then
  bb="$work/busybox-root"
  mkdir -p "$bb/bin" "$bb/etc" "$bb/tmp" "$bb/proc" "$bb/sys" "$bb/dev" "$bb/root"
  chmod 1777 "$bb/tmp"
  cp /bin/busybox "$bb/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ -e "$bb/bin/$a" ] || ln -s busybox "$bb/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$bb/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$bb/etc/group"
  layers=("$bb" "${layers[@]}")
fi

diff_ids=(); layer_descs=""
for l in "${layers[@]}"; do
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    -C "$l" -cf "$work/layer.tar" .
  diff_ids+=("sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)")
  read -r hex size < <(gzip -n -c "$work/layer.tar" | put_blob)
  layer_descs="${layer_descs:+$layer_descs,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}"
done

config=$(printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":%s},"rootfs":{"type":"layers","diff_ids":%s},"history":[]}' \
  "$arch" "$(json_str_array "${cmds[@]}")" "$(json_str_array "${diff_ids[@]}")")
read -r chex csize < <(printf '%s' "$config" | put_blob)
manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$chex" "$csize" "$layer_descs")
read -r mhex msize < <(printf '%s' "$manifest" | put_blob)
write_layout "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$mhex\",\"size\":$msize,\"annotations\":{\"org.opencontainers.image.ref.name\":\"$tag\"}}"
