# Tool discovery for the libmultiprocess package: capnp, Node.js and the npm packages needed to
# compile the TypeScript and to run mpgen. Every failure names the fix.
include_guard(GLOBAL)

set(_mp_capnp_fix "Install the Debian packages `capnproto libcapnp-dev`, build the tools with `make -C depends`, or pass -DCAPNP_EXECUTABLE=<path to capnp>.")

# Fails configure when a tool path given by the user does not exist.
function(mp_check_tool_paths)
  foreach(var IN LISTS ARGN)
    if(${var} AND NOT EXISTS "${${var}}")
      message(FATAL_ERROR "${var}: \"${${var}}\" does not exist.")
    endif()
  endforeach()
endfunction()

# Finds capnp (>= 0.9) unless CAPNP_EXECUTABLE is set, and checks its version either way.
# An external mpgen brings its own capnp, so the check is lenient only about finding one.
macro(mp_find_capnp)
  if(NOT CAPNP_EXECUTABLE)
    find_program(_mp_capnp_found NAMES capnp)
    if(NOT _mp_capnp_found)
      message(FATAL_ERROR "Cap'n Proto compiler (capnp) not found; mpgen needs capnp 0.9 or newer. ${_mp_capnp_fix}")
    endif()
    set(CAPNP_EXECUTABLE "${_mp_capnp_found}" CACHE FILEPATH "capnp compiler that mpgen runs." FORCE)
  endif()
  execute_process(COMMAND "${CAPNP_EXECUTABLE}" --version
    OUTPUT_VARIABLE _mp_capnp_version_out ERROR_VARIABLE _mp_capnp_version_err RESULT_VARIABLE _mp_capnp_rc)
  string(REGEX MATCH "[0-9]+\\.[0-9]+(\\.[0-9]+)?" MP_CAPNP_VERSION "${_mp_capnp_version_out}")
  if(NOT _mp_capnp_rc EQUAL 0 OR NOT MP_CAPNP_VERSION)
    message(FATAL_ERROR "Could not run \"${CAPNP_EXECUTABLE} --version\" (${_mp_capnp_version_err}). ${_mp_capnp_fix}")
  endif()
  if(MP_CAPNP_VERSION VERSION_LESS 0.9)
    message(FATAL_ERROR "Cap'n Proto ${MP_CAPNP_VERSION} is too old: version 0.9 or newer is required. ${_mp_capnp_fix}")
  endif()
endmacro()

macro(mp_find_node)
  if(NOT NODE_EXECUTABLE)
    find_program(NODE_EXECUTABLE NAMES node nodejs)
  endif()
  if(NOT NODE_EXECUTABLE)
    message(FATAL_ERROR "Node.js not found: libmultiprocess needs Node.js 20.19 or newer (apt-get install nodejs, or pass -DNODE_EXECUTABLE=<path>).")
  endif()
endmacro()

# Sets MP_NODE_MODULES: the option if given; in-tree the including project's node_modules;
# standalone, `npm ci` in this directory when it has a lock file, else the nearest parent
# node_modules that has typescript (the source checkout's).
macro(mp_find_node_modules)
  if(NOT MP_NODE_MODULES)
    if(NOT MP_STANDALONE AND EXISTS "${CMAKE_SOURCE_DIR}/node_modules/typescript")
      set(MP_NODE_MODULES "${CMAKE_SOURCE_DIR}/node_modules")
    elseif(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/package-lock.json")
      find_program(NPM_EXECUTABLE NAMES npm)
      if(NOT NPM_EXECUTABLE)
        message(FATAL_ERROR "npm not found: it is needed to install this package's npm dependencies (or pass -DMP_NODE_MODULES=<dir>).")
      endif()
      execute_process(COMMAND "${NPM_EXECUTABLE}" ci --no-audit --no-fund --loglevel=error
        WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" RESULT_VARIABLE _mp_npm_rc)
      if(NOT _mp_npm_rc EQUAL 0)
        message(FATAL_ERROR "npm ci failed in ${CMAKE_CURRENT_SOURCE_DIR} (exit ${_mp_npm_rc}); pass -DMP_NODE_MODULES=<dir> to use installed packages.")
      endif()
      set(MP_NODE_MODULES "${CMAKE_CURRENT_SOURCE_DIR}/node_modules")
    else()
      set(_mp_dir "${CMAKE_CURRENT_SOURCE_DIR}")
      while(NOT MP_NODE_MODULES)
        if(EXISTS "${_mp_dir}/node_modules/typescript/bin/tsc")
          set(MP_NODE_MODULES "${_mp_dir}/node_modules")
          break()
        endif()
        get_filename_component(_mp_parent "${_mp_dir}" DIRECTORY)
        if(_mp_parent STREQUAL _mp_dir)
          break()
        endif()
        set(_mp_dir "${_mp_parent}")
      endwhile()
    endif()
  endif()
  foreach(_mp_pkg IN ITEMS typescript/bin/tsc @types/node ts-morph)
    if(NOT MP_NODE_MODULES OR NOT EXISTS "${MP_NODE_MODULES}/${_mp_pkg}")
      message(FATAL_ERROR "npm package ${_mp_pkg} not found (MP_NODE_MODULES=\"${MP_NODE_MODULES}\"). Pass -DMP_NODE_MODULES=<node_modules dir with typescript, @types/node and ts-morph>, e.g. the Smithcoin checkout's node_modules.")
    endif()
  endforeach()
  set(MP_NODE_MODULES "${MP_NODE_MODULES}" CACHE PATH "node_modules directory providing typescript, @types/node and ts-morph." FORCE)
endmacro()

# Lists the npm packages needed at run time by the given ones (dependency closure).
function(mp_node_deps out)
  execute_process(
    COMMAND "${NODE_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/cmake/script/node-deps.mjs" "${MP_NODE_MODULES}" ${ARGN}
    OUTPUT_VARIABLE deps RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "Could not resolve the npm packages mpgen needs: ${err}")
  endif()
  string(STRIP "${deps}" deps)
  string(REPLACE "\n" ";" deps "${deps}")
  set(${out} "${deps}" PARENT_SCOPE)
endfunction()

# Removes compiled files in OUT_DIR whose TypeScript source under ROOT is gone, so that a deleted module can
# neither be loaded from the build tree nor installed. tsc never deletes an output; this runs at configure
# time, which deleting a source triggers through the CONFIGURE_DEPENDS globs. When it removes anything it
# also drops BUILD_INFO, tsc's incremental record, so that the next compile emits the program afresh.
function(mp_prune_stale_outputs)
  cmake_parse_arguments(PARSE_ARGV 0 MP "" "OUT_DIR;ROOT;BUILD_INFO" "")
  file(GLOB_RECURSE outputs RELATIVE "${MP_OUT_DIR}"
    "${MP_OUT_DIR}/*.js" "${MP_OUT_DIR}/*.js.map" "${MP_OUT_DIR}/*.d.ts" "${MP_OUT_DIR}/*.d.ts.map")
  set(removed 0)
  foreach(rel IN LISTS outputs)
    string(REGEX REPLACE "\\.(js|js\\.map|d\\.ts|d\\.ts\\.map)$" ".ts" source "${rel}")
    if(NOT EXISTS "${MP_ROOT}/${source}")
      file(REMOVE "${MP_OUT_DIR}/${rel}")
      math(EXPR removed "${removed} + 1")
    endif()
  endforeach()
  if(removed GREATER 0)
    message(STATUS "libmultiprocess: removed ${removed} compiled file(s) in ${MP_OUT_DIR} whose source is gone")
    if(MP_BUILD_INFO)
      file(REMOVE "${MP_BUILD_INFO}")
    endif()
  endif()
endfunction()

# Writes a tsconfig that inherits this package's compiler options and compiles one folder.
# PATHS entries are "module=path" pairs for modules that live outside the usual lookup.
function(mp_write_tsconfig file)
  cmake_parse_arguments(PARSE_ARGV 1 TS "" "ROOT_DIR;OUT_DIR" "INCLUDE;PATHS")
  get_filename_component(name "${file}" NAME_WLE)
  set(include_json "")
  set(sep "")
  foreach(glob IN LISTS TS_INCLUDE)
    string(APPEND include_json "${sep}\"${glob}\"")
    set(sep ", ")
  endforeach()
  set(paths_json "")
  set(sep "")
  foreach(pair IN LISTS TS_PATHS)
    string(REGEX REPLACE "=.*" "" module "${pair}")
    string(REGEX REPLACE "^[^=]*=" "" target "${pair}")
    string(APPEND paths_json "${sep}\n      \"${module}\": [\"${target}\"]")
    set(sep ",")
  endforeach()
  file(CONFIGURE OUTPUT "${file}" @ONLY CONTENT [=[{
  "extends": "@CMAKE_CURRENT_SOURCE_DIR@/tsconfig.json",
  "compilerOptions": {
    "rootDir": "@TS_ROOT_DIR@",
    "outDir": "@TS_OUT_DIR@",
    "typeRoots": ["@MP_NODE_MODULES@/@types"],
    "incremental": true,
    "tsBuildInfoFile": "@CMAKE_CURRENT_BINARY_DIR@/@name@.tsbuildinfo",
    "paths": {@paths_json@
    }
  },
  "include": [@include_json@]
}
]=])
endfunction()
