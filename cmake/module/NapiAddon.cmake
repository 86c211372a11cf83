# Builds Node-API addons inside the CMake build with the Node-API headers that cmake-js uses
# (the node-api-headers package) and node-addon-api. Nothing is downloaded, and the addons do not
# depend on the Node binary's own headers, so a cross build only needs the cross compiler.
include_guard(GLOBAL)

function(_smithcoin_node_package_dir out package)
  execute_process(
    COMMAND ${NODE_EXECUTABLE} -p "require('path').dirname(require.resolve('${package}/package.json'))"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE res)
  if(NOT res EQUAL 0 OR NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "The npm package ${package} is missing: run `npm ci` in ${PROJECT_SOURCE_DIR}.")
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

_smithcoin_node_package_dir(NODE_API_HEADERS_DIR node-api-headers)
_smithcoin_node_package_dir(NODE_ADDON_API_DIR node-addon-api)
set(NAPI_VERSION 8 CACHE STRING "Node-API version the addons target (package.json binary.napi_versions)")

# add_napi_addon(<target> OUTPUT_NAME <name> SOURCES <files...> [LIBRARIES <libs...>])
# The addon is written to ${SMITHCOIN_JS_DIR}/native/<name>.node, where the TS loaders look for it.
function(add_napi_addon target)
  cmake_parse_arguments(PARSE_ARGV 1 ADDON "" "OUTPUT_NAME" "SOURCES;LIBRARIES")
  add_library(${target} MODULE ${ADDON_SOURCES})
  target_include_directories(${target} SYSTEM PRIVATE
    "${NODE_API_HEADERS_DIR}/include" "${NODE_ADDON_API_DIR}")
  target_compile_definitions(${target} PRIVATE
    NAPI_VERSION=${NAPI_VERSION} NODE_ADDON_API_DISABLE_DEPRECATED NAPI_CPP_EXCEPTIONS
    NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED)
  target_compile_features(${target} PRIVATE cxx_std_17)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror=return-type -fvisibility=hidden)
  # Node-API symbols are resolved against the running node binary at load time.
  target_link_options(${target} PRIVATE -Wl,--unresolved-symbols=ignore-all)
  target_link_libraries(${target} PRIVATE ${ADDON_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX "" SUFFIX ".node"
    OUTPUT_NAME "${ADDON_OUTPUT_NAME}"
    LIBRARY_OUTPUT_DIRECTORY "${SMITHCOIN_JS_DIR}/native")
  install(TARGETS ${target} LIBRARY DESTINATION "${SMITHCOIN_INSTALL_JSDIR}/native" COMPONENT runtime)
endfunction()
