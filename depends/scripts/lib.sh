# Helpers for depends/scripts/build.sh.

log() { echo "depends: $*"; }
die() { echo "depends: error: $*" >&2; exit 1; }

# Debian architecture for a GNU triplet.
debian_arch() {
  case "$1" in
    x86_64-*linux-gnu) echo amd64 ;;
    aarch64-*linux-gnu) echo arm64 ;;
    arm*-linux-gnueabihf) echo armhf ;;
    riscv64-*linux-gnu) echo riscv64 ;;
    powerpc64le-*linux-gnu) echo ppc64el ;;
    i?86-*linux-gnu) echo i386 ;;
    *) die "HOST=$1 is not supported: depends takes its packages from Debian, which builds for Linux (x86_64-pc-linux-gnu, aarch64-linux-gnu, arm-linux-gnueabihf, riscv64-linux-gnu, powerpc64le-linux-gnu, i686-pc-linux-gnu)" ;;
  esac
}

debian_multiarch() {
  case "$1" in
    amd64) echo x86_64-linux-gnu ;;
    arm64) echo aarch64-linux-gnu ;;
    armhf) echo arm-linux-gnueabihf ;;
    riscv64) echo riscv64-linux-gnu ;;
    ppc64el) echo powerpc64le-linux-gnu ;;
    i386) echo i386-linux-gnu ;;
  esac
}

cmake_processor() {
  case "$1" in
    amd64) echo x86_64 ;; arm64) echo aarch64 ;; armhf) echo arm ;; riscv64) echo riscv64 ;;
    ppc64el) echo ppc64le ;; i386) echo i686 ;;
  esac
}

apt_install() {
  [ "$(id -u)" = 0 ] || die "missing $*: install it with 'apt-get install $*' (needs root)"
  log "installing build tools: $*"
  apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >/dev/null || {
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >/dev/null
  }
}

ensure_cross_compiler() {
  command -v "$1-g++" >/dev/null && command -v "$1-gcc" >/dev/null && return 0
  apt_install "g++-$1" "gcc-$1"
}

ensure_foreign_arch() {
  [ "$1" = "$(dpkg --print-architecture)" ] && return 0
  dpkg --print-foreign-architectures | grep -qx "$1" && return 0
  [ "$(id -u)" = 0 ] || die "Debian architecture $1 is not enabled: run 'dpkg --add-architecture $1 && apt-get update' as root"
  log "enabling Debian architecture $1"
  dpkg --add-architecture "$1"
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
}

# Downloads <pkg>:<arch> into SOURCES_PATH unless a copy is cached there; prints the .deb path.
fetch_package() {
  local pkg=$1 arch=$2 deb
  deb=$(ls "$SOURCES_PATH"/"${pkg}"_*_"$arch".deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    log "fetching $pkg:$arch" >&2
    if ! (cd "$SOURCES_PATH" && apt-get download -q "$pkg:$arch" >/dev/null 2>&1); then
      # A fresh machine may have no package lists yet.
      [ "$(id -u)" = 0 ] || die "apt-get download $pkg:$arch failed: run 'apt-get update' as root and retry"
      apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
      (cd "$SOURCES_PATH" && apt-get download -q "$pkg:$arch" >/dev/null) || die "cannot download $pkg:$arch"
    fi
    deb=$(ls "$SOURCES_PATH"/"${pkg}"_*_"$arch".deb | head -n1)
  fi
  echo "$deb"
}

unpack_package() {
  local pkg=$1 arch=$2 dest=$3 deb stamp
  deb=$(fetch_package "$pkg" "$arch")
  stamp="$dest/.unpacked-$(basename "$deb")"
  [ -f "$stamp" ] && return 0
  log "unpacking $(basename "$deb")"
  dpkg-deb -x "$deb" "$dest"
  # Debian's .so symlinks are absolute-free already; pkg-config files and cmake configs name /usr,
  # which our build does not use (it searches the prefix with find_path/find_library).
  touch "$stamp"
}

# The unpacked capnp tools need their shared libraries and the schema include dir of the prefix.
wrap_native_tools() {
  local native=$1 multiarch=$2 tool
  mkdir -p "$native/bin"
  for tool in capnp capnpc-c++ capnpc-capnp; do
    [ -x "$native/usr/bin/$tool" ] || die "$tool missing from the unpacked capnproto package"
    cat > "$native/bin/$tool" <<WRAP
#!/bin/sh
# depends wrapper: runs the unpacked $tool with its libraries and standard schemas.
here=\$(dirname "\$(readlink -f "\$0")")
export LD_LIBRARY_PATH="\$here/../usr/lib/$multiarch\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
# capnp finds its plugins (capnpc-c++, capnpc-capnp) on PATH: make it these wrappers.
export PATH="\$here:\$PATH"
case "$tool" in
  capnp)
    if [ \$# -gt 0 ]; then
      sub=\$1; shift
      case "\$sub" in
        compile|id|decode|encode|eval|convert) exec "\$here/../usr/bin/capnp" "\$sub" -I "\$here/../usr/include" "\$@" ;;
        *) exec "\$here/../usr/bin/capnp" "\$sub" "\$@" ;;
      esac
    fi
    exec "\$here/../usr/bin/capnp" ;;
  *) exec "\$here/../usr/bin/$tool" "\$@" ;;
esac
WRAP
    chmod +x "$native/bin/$tool"
  done
  # The standard schemas (/capnp/c++.capnp, rpc.capnp) come with libcapnp-dev of the host, and are
  # architecture-independent: make them visible to the native capnp too.
  if [ ! -d "$native/usr/include/capnp" ] && [ -d "$PREFIX/usr/include/capnp" ]; then
    mkdir -p "$native/usr/include"
    cp -r "$PREFIX/usr/include/capnp" "$native/usr/include/capnp"
  fi
  # Tools look for the standard schemas in <bin>/../include, as in an installed prefix.
  mkdir -p "$native/include"
  [ -e "$native/include/capnp" ] || ln -s ../usr/include/capnp "$native/include/capnp"
}

# Builds and installs mpgen (the in-tree libmultiprocess package) for the build machine.
build_mpgen() {
  local native=$1 top pkg
  top=$(cd "$(dirname "$0")/../.." && pwd)
  pkg="$top/src/ipc/libmultiprocess"
  [ -f "$pkg/CMakeLists.txt" ] || die "cannot build mpgen: $pkg/CMakeLists.txt is missing"
  if [ -x "$native/bin/mpgen" ] && [ "$native/bin/mpgen" -nt "$pkg/CMakeLists.txt" ]; then return 0; fi
  if [ ! -f "$top/node_modules/.package-lock.json" ]; then
    log "installing npm packages (mpgen needs them)"
    (cd "$top" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  log "building mpgen"
  cmake -S "$pkg" -B "$native/build-mpgen" -DCMAKE_INSTALL_PREFIX="$native" \
    -DCAPNP_EXECUTABLE="$native/bin/capnp" -DMP_NODE_MODULES="$top/node_modules" >/dev/null
  cmake --build "$native/build-mpgen" -j2 >/dev/null
  cmake --install "$native/build-mpgen" >/dev/null
  [ -x "$native/bin/mpgen" ] || die "mpgen was not installed to $native/bin"
}
