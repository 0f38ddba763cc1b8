#!/bin/sh
# A Debian trixie chroot with Nix 2.26.3 (trixie's nix-bin), for tests/flake_nix226_test.ts:
#   tools/nix226_chroot.sh DIR   (as root; about 4 minutes), then
#   RLM_TEST_NIX226=1 RLM_NIX226_ROOT=DIR deno test -A tests/flake_nix226_test.ts
# The host's CA bundle is copied in (Nix inside fetches the npm tarballs over TLS).
set -eu
dir=${1:?usage: tools/nix226_chroot.sh DIR}
command -v debootstrap >/dev/null || apt-get install -y debootstrap
[ -x "$dir/usr/bin/nix" ] || {
  [ -e "$dir/etc/debian_version" ] || debootstrap --variant=minbase trixie "$dir" http://deb.debian.org/debian
  chroot "$dir" apt-get install -y nix-bin
}
cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
mkdir -p "$dir/dev/pts" && { mountpoint -q "$dir/dev/pts" || mount --bind /dev/pts "$dir/dev/pts"; }
chroot "$dir" nix --version
