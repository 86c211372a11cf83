#!/usr/bin/env bash
# Fetches one package's source tarball into SOURCES_PATH and checks its sha256 (make download-<name>).
# Inputs: PKG_NAME PKG_VERSION PKG_POOL PKG_FILE PKG_SHA256 PKG_RECIPE and SOURCES_PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/lib.sh"
fetch_source
