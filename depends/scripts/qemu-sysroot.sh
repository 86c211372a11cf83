#!/usr/bin/env bash
# Unpacks Debian's Node.js for the host architecture, with its runtime libraries, into
# depends/<host>/qemu-sysroot, so that cross-built addons can be run under qemu-user:
#   qemu-aarch64 -L depends/aarch64-linux-gnu/qemu-sysroot depends/aarch64-linux-gnu/qemu-sysroot/usr/bin/node x.js
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
arch=$(debian_arch "$HOST")
dest="$PREFIX/qemu-sysroot"
ensure_foreign_arch "$arch"
command -v "qemu-$(cmake_processor "$arch")" >/dev/null || apt_install qemu-user
mkdir -p "$dest" "$SOURCES_PATH"
# nodejs and every library it needs for this architecture, plus the architecture-independent
# JavaScript that Debian's Node.js loads at start-up (its externalized builtins).
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
         --no-replaces --no-enhances "nodejs:$arch" 2>/dev/null | grep -E "^[a-z0-9].*:$arch\$" | sed "s/:$arch\$//" | sort -u)
[ -n "$pkgs" ] || die "cannot resolve nodejs:$arch (is the $arch architecture enabled and apt-get update done?)"
for pkg in nodejs $pkgs; do unpack_package "$pkg" "$arch" "$dest"; done
for pkg in node-acorn node-cjs-module-lexer node-undici; do unpack_package "$pkg" all "$dest"; done
log "Node.js for $arch is in $dest/usr/bin/node (run it with qemu-$(cmake_processor "$arch") -L $dest)"
