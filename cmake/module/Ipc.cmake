# IPC (multiprocess) support: Cap'n Proto, the libmultiprocess package (in-tree or external),
# code generation for src/ipc/capnp/*.capnp, and the native codec addon.
include_guard(GLOBAL)

set(_capnp_fix "Install Cap'n Proto with `apt-get install capnproto libcapnp-dev`, build it with `make -C depends` (IPC is on by default there), or configure with -DENABLE_IPC=OFF.")
if(NOT CAPNP_EXECUTABLE)
  find_program(_capnp_found NAMES capnp)
  if(NOT _capnp_found)
    message(FATAL_ERROR "ENABLE_IPC is ON but the Cap'n Proto compiler (capnp) was not found. ${_capnp_fix}")
  endif()
  set(CAPNP_EXECUTABLE "${_capnp_found}" CACHE FILEPATH "capnp executable" FORCE)
endif()
if(NOT CAPNPC_CXX_EXECUTABLE)
  find_program(_capnpc_cxx_found NAMES capnpc-c++)
  if(_capnpc_cxx_found)
    set(CAPNPC_CXX_EXECUTABLE "${_capnpc_cxx_found}" CACHE FILEPATH "capnpc-c++ executable" FORCE)
  endif()
endif()
find_package(Threads REQUIRED)
include(CapnProtoLibs)
smithcoin_find_capnproto(0.9 "${_capnp_fix}")

if(WITH_EXTERNAL_LIBMULTIPROCESS)
  find_package(Libmultiprocess REQUIRED COMPONENTS Lib)
  find_package(LibmultiprocessNative REQUIRED COMPONENTS Bin NAMES Libmultiprocess)
else()
  if(BUILD_TESTS)
    # The package's tests report their skips like ours, and must find the native codec this build makes.
    include(TestCounts)
    set(MP_TEST_MOCHA_REPORTER "${SMITHCOIN_MOCHA_REPORTER}")
    smithcoin_test_counts_env(libmultiprocess.tests MP_TEST_ENVIRONMENT)
    if(EXISTS "${PROJECT_SOURCE_DIR}/native/capnp/CMakeLists.txt")
      list(APPEND MP_TEST_ENVIRONMENT "MP_NATIVE_CODEC=${SMITHCOIN_JS_DIR}/native/capnp.node")
    endif()
    set(MP_TEST_BUILD_ENVIRONMENT "${SMITHCOIN_TEST_ONE_CHECK_ENV}")
  endif()
  add_subdirectory("${PROJECT_SOURCE_DIR}/src/ipc/libmultiprocess" "${PROJECT_BINARY_DIR}/libmultiprocess")
endif()

# Compiled Smithcoin code and the staged sources reach the runtime by its package name.
foreach(root IN ITEMS "${SMITHCOIN_STAGE_DIR}" "${SMITHCOIN_JS_DIR}")
  file(MAKE_DIRECTORY "${root}/node_modules/@smithcoin")
  file(CREATE_LINK "${Libmultiprocess_JS_PACKAGE_DIR}" "${root}/node_modules/@smithcoin/libmultiprocess" SYMBOLIC)
endforeach()
if(TARGET libmultiprocess_js)
  add_dependencies(smithcoin_ts libmultiprocess_js)
endif()
typescript_add_depends(smithcoin_ts "${Libmultiprocess_JS_PACKAGE_DIR}/dist/index.d.ts")

# mpgen turns each schema into typed TypeScript (codecs, client proxies, server dispatchers) in
# the staged tree, where the TypeScript build picks it up.
target_capnp_sources(smithcoin_ts ${PROJECT_SOURCE_DIR}
  src/ipc/capnp/common.capnp src/ipc/capnp/echo.capnp src/ipc/capnp/init.capnp
  src/ipc/capnp/mining.capnp src/ipc/capnp/rpc.capnp)
# The IPC interop tests' schema (its TestInit extends Init, imported as /init.capnp).
target_capnp_sources(smithcoin_ts ${PROJECT_SOURCE_DIR} test/ipc/interop_test.capnp IMPORT_PATHS src/ipc/capnp)

# The installed programs reach the runtime the way the build tree does: by its package name.
install(FILES "${Libmultiprocess_JS_PACKAGE_DIR}/package.json"
  DESTINATION "${SMITHCOIN_INSTALL_JSDIR}/node_modules/@smithcoin/libmultiprocess" COMPONENT runtime)
install(DIRECTORY "${Libmultiprocess_JS_PACKAGE_DIR}/dist"
  DESTINATION "${SMITHCOIN_INSTALL_JSDIR}/node_modules/@smithcoin/libmultiprocess" COMPONENT runtime)

if(EXISTS "${PROJECT_SOURCE_DIR}/native/capnp/CMakeLists.txt")
  add_subdirectory(native/capnp)
endif()
