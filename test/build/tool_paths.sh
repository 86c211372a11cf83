#!/usr/bin/env bash
# A tool path that is set but missing stops configure with Core's message.
. "$(dirname "$0")/lib.sh"
d=$(scratch tool_paths)
for var in MPGEN_EXECUTABLE CAPNP_EXECUTABLE CAPNPC_CXX_EXECUTABLE; do
  if configure "$d/build-$var" "$d/$var.log" -D$var=/nonexistent/tool; then fail "configure with a missing $var succeeded"; fi
  expect_in "$var: \"/nonexistent/tool\" does not exist." "$d/$var.log"
done
pass "missing MPGEN/CAPNP/CAPNPC_CXX paths fail configure with Core's message"
