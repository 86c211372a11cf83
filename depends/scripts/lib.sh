# Helpers for the depends scripts (package.sh, fetch.sh, build.sh, qemu-sysroot.sh).

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
    *) die "HOST=$1 is not supported: depends builds for Linux hosts only (x86_64-pc-linux-gnu, aarch64-linux-gnu, arm-linux-gnueabihf, riscv64-linux-gnu, powerpc64le-linux-gnu, i686-pc-linux-gnu)" ;;
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

# Debian binary packages are used only for the Node.js that runs cross-built addons under qemu
# (qemu-sysroot.sh); every library is built from source by package.sh.
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

# The compilers for the host (the cross compiler when HOST is another architecture) or for the
# build machine; sets cc, cxx and cross (0/1).
select_compilers() {
  local kind=$1 host_arch build_arch prefix
  host_arch=$(debian_arch "$HOST"); build_arch=$(debian_arch "$BUILD")
  cross=0
  if [ "$kind" = host ] && [ "$host_arch" != "$build_arch" ]; then
    cross=1
    prefix=$(debian_multiarch "$host_arch")
    ensure_cross_compiler "$prefix"
    cc="$prefix-gcc"; cxx="$prefix-g++"
  else
    cc=$(command -v gcc || command -v cc || true); cxx=$(command -v g++ || command -v c++ || true)
    [ -n "$cc" ] && [ -n "$cxx" ] || die "no C/C++ compiler for the build machine: install gcc and g++ (Debian: apt-get install build-essential)"
  fi
}

# Mirrors of the Debian archive to take source tarballs from: DEPENDS_MIRRORS (space separated
# URLs of directories holding pool/), else every repository in the machine's apt configuration.
source_mirrors() {
  if [ -n "${DEPENDS_MIRRORS:-}" ]; then
    tr ' ' '\n' <<<"$DEPENDS_MIRRORS" | sed '/^$/d'
    return 0
  fi
  command -v apt-get >/dev/null ||
    die "no apt configuration to find a Debian archive mirror in: set DEPENDS_MIRRORS to the URL of one (the directory that holds pool/)"
  apt-get indextargets --no-release-info --format '$(REPO_URI)' 2>/dev/null | awk '!seen[$0]++'
}

download_url() {
  if command -v curl >/dev/null; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"
  elif command -v wget >/dev/null; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed: depends needs one to download sources"
  fi
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Puts PKG_FILE into SOURCES_PATH, checked against PKG_SHA256. A cached copy with another hash is
# fetched again; a download with another hash is an error.
fetch_source() {
  local file="$SOURCES_PATH/$PKG_FILE" what="$PKG_NAME $PKG_VERSION" tried="" mirror url tmp got
  [ -n "$PKG_SHA256" ] && [ -n "$PKG_FILE" ] && [ -n "$PKG_POOL" ] ||
    die "$what: the recipe $PKG_RECIPE must set _file_name, _sha256_hash and _pool"
  if [ -f "$file" ]; then
    [ "$(sha256_of "$file")" = "$PKG_SHA256" ] && return 0
    log "$what: $file does not have the pinned sha256; fetching it again"
    rm -f "$file"
  fi
  mkdir -p "$SOURCES_PATH"
  tmp="$file.part"
  while read -r mirror; do
    [ -n "$mirror" ] || continue
    url="${mirror%/}/pool/$PKG_POOL/$PKG_FILE"
    tried="$tried $url"
    log "fetching $url"
    if download_url "$url" "$tmp" 2>/dev/null; then
      got=$(sha256_of "$tmp")
      if [ "$got" != "$PKG_SHA256" ]; then
        rm -f "$tmp"
        die "$what: $PKG_FILE from $url has sha256 $got, but $PKG_RECIPE expects $PKG_SHA256"
      fi
      mv "$tmp" "$file"
      return 0
    fi
    rm -f "$tmp"
  done < <(source_mirrors)
  die "$what: cannot download $PKG_FILE (sha256 $PKG_SHA256), which $PKG_RECIPE expects; tried:${tried:- no mirror configured}"
}
