#!/usr/bin/env bash
# Prints the build machine's triplet in the GNU config.guess form that depends uses by default.
set -eu
case "$(uname -m)-$(uname -s)" in
  x86_64-Linux) echo x86_64-pc-linux-gnu ;;
  aarch64-Linux) echo aarch64-unknown-linux-gnu ;;
  *) echo "$(uname -m)-unknown-$(uname -s | tr '[:upper:]' '[:lower:]')-gnu" ;;
esac
