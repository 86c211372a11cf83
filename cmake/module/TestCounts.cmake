# Skipped tests are counted, never silent. A ctest entry that runs many test cases (a mocha run, the
# functional test runner, bench_smithcoin) writes what it passed, failed and skipped to the JSON file
# named by SMITHCOIN_TEST_COUNTS in its environment; an entry that is one check says so with
# SMITHCOIN_TEST_ONE_CHECK=1. ctest runs cmake/script/test-counts.mjs before the first test (it empties
# the counts folder) and after the last one: it prints "Skipped tests: N" with each skipped case, and
# fails the run when a test skipped although no optional feature is off in this build (a skip is only
# allowed for a feature that is off), or when a registered test declares neither.
include_guard(GLOBAL)

set(SMITHCOIN_TEST_COUNTS_DIR "${PROJECT_BINARY_DIR}/test/counts")
set(SMITHCOIN_MOCHA_REPORTER "${PROJECT_SOURCE_DIR}/cmake/script/mocha-counts.cjs")

# Sets <out_var> to the environment entry that makes test <name> write its counts.
function(smithcoin_test_counts_env name out_var)
  set(${out_var} "SMITHCOIN_TEST_COUNTS=${SMITHCOIN_TEST_COUNTS_DIR}/${name}.json" PARENT_SCOPE)
endfunction()

# The environment entry of a test that is a single check and has no cases to skip.
set(SMITHCOIN_TEST_ONE_CHECK_ENV "SMITHCOIN_TEST_ONE_CHECK=1")

# Writes <build>/CTestCustom.cmake, which makes ctest run the counts script around the tests.
# FEATURES_OFF names the optional features this build leaves out: tests may skip only for those.
function(smithcoin_test_counts_hooks)
  cmake_parse_arguments(PARSE_ARGV 0 TC "" "" "FEATURES_OFF")
  set(script "${PROJECT_SOURCE_DIR}/cmake/script/test-counts.mjs")
  list(JOIN TC_FEATURES_OFF "," off)
  # ctest splits each command on spaces; the paths are quoted for that reason.
  file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/CTestCustom.cmake" CONTENT [=[
# Written by cmake/module/TestCounts.cmake: empties the skip counts before the tests, sums them after.
set(CTEST_CUSTOM_PRE_TEST "\"@NODE_EXECUTABLE@\" \"@script@\" begin \"@SMITHCOIN_TEST_COUNTS_DIR@\"")
set(CTEST_CUSTOM_POST_TEST "\"@NODE_EXECUTABLE@\" \"@script@\" end \"@SMITHCOIN_TEST_COUNTS_DIR@\" \"@CMAKE_CTEST_COMMAND@\" \"@off@\"")
]=] @ONLY)
endfunction()
