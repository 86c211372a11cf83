# The package's own mocha tests (test/*.test.ts). Sources and the runtime are staged into the build tree,
# test schemas are compiled with this package's mpgen (target_capnp_sources), and the result runs under ctest
# as `libmultiprocess.tests`.
#
# Standalone the tests are compiled by the default build. In-tree they are compiled by the ctest fixture
# `libmultiprocess.tests.build` instead: the test files of the package's several owners are one tsc program, and
# one unfinished file must not break the including project's `cmake --build`; it fails that ctest test instead.
include_guard(GLOBAL)
enable_testing()
if(MP_STANDALONE)
  set(_mp_tests_all ALL)
else()
  set(_mp_tests_all "")
  message(STATUS "libmultiprocess: package tests are compiled by ctest (libmultiprocess.tests.build), not by the default build")
endif()

set(MP_TEST_STAGE "${CMAKE_CURRENT_BINARY_DIR}/test-stage")
set(MP_TEST_OUT "${CMAKE_CURRENT_BINARY_DIR}/test-js")
file(GLOB_RECURSE MP_TEST_SOURCES CONFIGURE_DEPENDS
  "${CMAKE_CURRENT_SOURCE_DIR}/test/*.ts" "${CMAKE_CURRENT_SOURCE_DIR}/test/*.capnp")
file(GLOB MP_TEST_SCHEMAS CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/test/*.capnp")

# The stage is filled by copying, which never deletes: drop staged copies whose source is gone (a generated
# <schema>.ts goes with its schema), then their compiled files, so that a deleted test cannot still run.
file(GLOB_RECURSE _mp_staged RELATIVE "${MP_TEST_STAGE}" "${MP_TEST_STAGE}/src/*.ts" "${MP_TEST_STAGE}/test/*.ts")
foreach(rel IN LISTS _mp_staged)
  string(REGEX REPLACE "(\\.capnp)\\.ts$" "\\1" source "${rel}")
  if(NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${source}")
    file(REMOVE "${MP_TEST_STAGE}/${rel}")
  endif()
endforeach()
mp_prune_stale_outputs(OUT_DIR "${MP_TEST_OUT}/src" ROOT "${MP_TEST_STAGE}/src"
  BUILD_INFO "${CMAKE_CURRENT_BINARY_DIR}/tests.tsbuildinfo")
mp_prune_stale_outputs(OUT_DIR "${MP_TEST_OUT}/test" ROOT "${MP_TEST_STAGE}/test"
  BUILD_INFO "${CMAKE_CURRENT_BINARY_DIR}/tests.tsbuildinfo")

# Generated code imports the runtime by package name, tests by path ('../src/index.js'). Both must reach the same
# module instance (one ProxyClient, RpcError, ... class each), so in the test tree the package name resolves to the
# tests' own compiled copy of src/: a package whose src/ links there (Node loads modules by their real path).
set(_mp_test_pkg "${MP_TEST_OUT}/node_modules/@smithcoin/libmultiprocess")
if(IS_SYMLINK "${_mp_test_pkg}")
  file(REMOVE "${_mp_test_pkg}") # earlier builds linked the whole package here
endif()
file(MAKE_DIRECTORY "${MP_TEST_STAGE}/test" "${_mp_test_pkg}")
file(CONFIGURE OUTPUT "${_mp_test_pkg}/package.json" CONTENT [=[{
  "name": "@smithcoin/libmultiprocess",
  "private": true,
  "type": "module",
  "exports": { ".": "./src/index.js" }
}
]=])
if(NOT IS_SYMLINK "${_mp_test_pkg}/src")
  file(CREATE_LINK "${MP_TEST_OUT}/src" "${_mp_test_pkg}/src" SYMBOLIC)
endif()
file(CONFIGURE OUTPUT "${MP_TEST_STAGE}/tsconfig.json" @ONLY CONTENT [=[{
  "extends": "@CMAKE_CURRENT_SOURCE_DIR@/tsconfig.json",
  "compilerOptions": {
    "rootDir": ".",
    "outDir": "@MP_TEST_OUT@",
    "types": ["node", "mocha"],
    "typeRoots": ["@MP_NODE_MODULES@/@types"],
    "incremental": true,
    "tsBuildInfoFile": "@CMAKE_CURRENT_BINARY_DIR@/tests.tsbuildinfo",
    "paths": { "@smithcoin/libmultiprocess": ["@MP_TEST_STAGE@/src/index.ts"] }
  },
  "include": ["src/**/*.ts", "test/**/*.ts"]
}
]=])

add_custom_target(libmultiprocess_test_ts ${_mp_tests_all})
set_target_properties(libmultiprocess_test_ts PROPERTIES TS_STAGE_DIR "${MP_TEST_STAGE}" TS_GENERATED_SOURCES "")
if(MP_TEST_SCHEMAS)
  target_capnp_sources(libmultiprocess_test_ts "${CMAKE_CURRENT_SOURCE_DIR}" ${MP_TEST_SCHEMAS})
endif()
set(stamp "${CMAKE_CURRENT_BINARY_DIR}/tests.stamp")
add_custom_command(
  OUTPUT "${stamp}"
  COMMAND "${CMAKE_COMMAND}" -E copy_directory "${CMAKE_CURRENT_SOURCE_DIR}/src" "${MP_TEST_STAGE}/src"
  COMMAND "${CMAKE_COMMAND}" -E copy_directory "${CMAKE_CURRENT_SOURCE_DIR}/test" "${MP_TEST_STAGE}/test"
  COMMAND "${NODE_EXECUTABLE}" "${MP_TSC}" -p "${MP_TEST_STAGE}/tsconfig.json" --pretty false
  COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
  DEPENDS ${MP_TEST_SOURCES} ${MP_RUNTIME_SOURCES} "$<TARGET_PROPERTY:libmultiprocess_test_ts,TS_GENERATED_SOURCES>"
          "${CMAKE_CURRENT_BINARY_DIR}/runtime.stamp"
  COMMENT "Compiling the libmultiprocess tests (TypeScript)"
  VERBATIM)
add_custom_target(libmultiprocess_test_js ${_mp_tests_all} DEPENDS "${stamp}")
add_dependencies(libmultiprocess_test_js libmultiprocess_test_ts libmultiprocess_js)

# The wire-compatibility tests check bytes with the capnp tool against Cap'n Proto's own rpc.capnp: both come from
# what CMake found (CAPNP_EXECUTABLE, CAPNP_INCLUDE_DIR), never from PATH or a fixed /usr/include.
if(NOT CAPNP_INCLUDE_DIR)
  get_filename_component(_mp_capnp_bin_dir "${CAPNP_EXECUTABLE}" DIRECTORY)
  find_path(CAPNP_INCLUDE_DIR capnp/rpc.capnp HINTS "${_mp_capnp_bin_dir}/../include")
endif()
# An including project may choose the mocha reporter (MP_TEST_MOCHA_REPORTER) and add environment entries for
# the tests (MP_TEST_ENVIRONMENT) and for their in-tree compile step (MP_TEST_BUILD_ENVIRONMENT).
if(NOT MP_TEST_MOCHA_REPORTER)
  set(MP_TEST_MOCHA_REPORTER dot)
endif()
add_test(NAME libmultiprocess.tests
  COMMAND "${NODE_EXECUTABLE}" --no-warnings "${MP_NODE_MODULES}/mocha/bin/mocha.js" --reporter "${MP_TEST_MOCHA_REPORTER}"
          --timeout 60000 "${MP_TEST_OUT}/test/**/*.test.js")
set(_mp_test_env "MP_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}" "CAPNP_EXECUTABLE=${CAPNP_EXECUTABLE}"
  "CAPNP_INCLUDE_DIR=${CAPNP_INCLUDE_DIR}" "MPGEN_EXECUTABLE=${CMAKE_CURRENT_BINARY_DIR}/bin/mpgen"
  "MP_PACKAGE_DIR=${MP_PACKAGE_DIR}" ${MP_TEST_ENVIRONMENT})
set_tests_properties(libmultiprocess.tests PROPERTIES ENVIRONMENT "${_mp_test_env}" LABELS unit)
if(NOT MP_STANDALONE)
  add_test(NAME libmultiprocess.tests.build
    COMMAND "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --target libmultiprocess_test_js)
  set_tests_properties(libmultiprocess.tests.build PROPERTIES FIXTURES_SETUP libmultiprocess_tests LABELS unit
    ENVIRONMENT "${MP_TEST_BUILD_ENVIRONMENT}")
  set_tests_properties(libmultiprocess.tests PROPERTIES FIXTURES_REQUIRED libmultiprocess_tests)
endif()
