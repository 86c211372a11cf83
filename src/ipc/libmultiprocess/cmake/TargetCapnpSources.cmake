# target_capnp_sources(<ts-target> <include_prefix> a.capnp ... [IMPORT_PATHS dir...])
#
# Runs mpgen on each schema and writes <file>.ts (path relative to <include_prefix>) into the
# directory named by the TypeScript target's TS_STAGE_DIR property, then appends the outputs to
# its TS_GENERATED_SOURCES property so that the TypeScript compile depends on them. Relative
# schema paths are taken from CMAKE_CURRENT_SOURCE_DIR. The mpgen used is MPGEN_EXECUTABLE if set
# and built from the same sources as the package's own mpgen (see mp_effective_mpgen), else the
# package's own (built in-tree or installed).
include_guard(GLOBAL)

# Records where mpgen (the package's own), its source id, capnp and proxy.capnp are; called by the package build and
# its config file.
function(mp_set_package)
  cmake_parse_arguments(PARSE_ARGV 0 MP "" "MPGEN;MPGEN_TARGET;SOURCE_ID;CAPNP;INCLUDE_DIR" "MPGEN_DEPENDS")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN "${MP_MPGEN}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_TARGET "${MP_MPGEN_TARGET}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_DEPENDS "${MP_MPGEN_DEPENDS}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_SOURCE_ID "${MP_SOURCE_ID}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_CAPNP "${MP_CAPNP}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_INCLUDE_DIR "${MP_INCLUDE_DIR}")
endfunction()

# Sets <out_var> to the mpgen that generates code: MPGEN_EXECUTABLE when it was built from the same sources as the
# package's own mpgen (its `--source-id` matches), else the package's own, which matches the runtime and proxy.capnp
# it comes with. An MPGEN_EXECUTABLE that does not match (e.g. depends' mpgen from before a source update) is
# reported once and not used.
function(mp_effective_mpgen out_var)
  get_property(own GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN)
  get_property(own_id GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_SOURCE_ID)
  if(NOT MPGEN_EXECUTABLE OR MPGEN_EXECUTABLE STREQUAL own)
    set(${out_var} "${own}" PARENT_SCOPE)
    return()
  endif()
  if(NOT own OR NOT own_id)
    set(${out_var} "${MPGEN_EXECUTABLE}" PARENT_SCOPE)
    return()
  endif()
  set(key "LIBMULTIPROCESS_SOURCE_ID_OF:${MPGEN_EXECUTABLE}")
  get_property(checked GLOBAL PROPERTY "${key}" SET)
  if(checked)
    get_property(id GLOBAL PROPERTY "${key}")
  else()
    # An mpgen older than the option prints its usage instead (exit 1): that counts as a mismatch.
    execute_process(COMMAND "${MPGEN_EXECUTABLE}" --source-id
      OUTPUT_VARIABLE id RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE TIMEOUT 120)
    if(NOT rc EQUAL 0)
      set(id "")
    endif()
    set_property(GLOBAL PROPERTY "${key}" "${id}")
    if(NOT id STREQUAL own_id)
      message(WARNING "MPGEN_EXECUTABLE (${MPGEN_EXECUTABLE}) was not built from the mpgen sources of this "
        "libmultiprocess (its --source-id is \"${id}\", this package's is ${own_id}), so generated code comes from "
        "${own} instead. Rebuild that mpgen (for depends: make -C depends) to use it again.")
    endif()
  endif()
  if(id STREQUAL own_id)
    set(${out_var} "${MPGEN_EXECUTABLE}" PARENT_SCOPE)
  else()
    set(${out_var} "${own}" PARENT_SCOPE)
  endif()
endfunction()

function(target_capnp_sources target include_prefix)
  cmake_parse_arguments(PARSE_ARGV 2 MP "" "" "IMPORT_PATHS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "target_capnp_sources: ${target} is not a target.")
  endif()
  get_target_property(stage_dir ${target} TS_STAGE_DIR)
  if(NOT stage_dir)
    message(FATAL_ERROR "target_capnp_sources: target ${target} has no TS_STAGE_DIR property.")
  endif()
  get_property(own GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN)
  get_property(mpgen_depends GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_DEPENDS)
  get_property(mpgen_target GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_TARGET)
  get_property(capnp GLOBAL PROPERTY LIBMULTIPROCESS_CAPNP)
  get_property(mp_include GLOBAL PROPERTY LIBMULTIPROCESS_INCLUDE_DIR)
  mp_effective_mpgen(mpgen)
  if(NOT mpgen STREQUAL own)
    # An outside mpgen (depends', an installed package) still decides the output: a rebuilt one must regenerate it.
    set(mpgen_depends "${mpgen}")
    get_filename_component(mpgen_real "${mpgen}" REALPATH)
    get_filename_component(mpgen_dir "${mpgen_real}" DIRECTORY)
    file(GLOB mpgen_js "${mpgen_dir}/../lib/node_modules/@smithcoin/libmultiprocess/mpgen/*.js")
    list(APPEND mpgen_depends ${mpgen_js})
    set(mpgen_target "")
  endif()
  if(CAPNP_EXECUTABLE)
    set(capnp "${CAPNP_EXECUTABLE}")
  endif()
  if(NOT mpgen)
    message(FATAL_ERROR "target_capnp_sources: no mpgen. Add the libmultiprocess package (add_subdirectory or find_package(Libmultiprocess COMPONENTS Bin)) or set MPGEN_EXECUTABLE.")
  endif()
  get_filename_component(include_prefix "${include_prefix}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")

  set(import_paths)
  foreach(dir IN LISTS MP_IMPORT_PATHS)
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND import_paths "${dir}")
  endforeach()
  if(mp_include)
    list(APPEND import_paths "${mp_include}")
  endif()

  set(outputs)
  foreach(schema IN LISTS MP_UNPARSED_ARGUMENTS)
    get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    file(RELATIVE_PATH rel "${include_prefix}" "${schema}")
    if(rel MATCHES "^\\.\\./")
      message(FATAL_ERROR "target_capnp_sources: ${schema} is not under ${include_prefix}.")
    endif()
    set(out "${stage_dir}/${rel}.ts")
    get_filename_component(schema_dir "${schema}" DIRECTORY)
    # The schemas a file imports by relative path change its output too.
    file(GLOB sibling_schemas "${schema_dir}/*.capnp")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND "${CMAKE_COMMAND}" -E env "CAPNP_EXECUTABLE=${capnp}"
              "${mpgen}" "${include_prefix}" "${include_prefix}" "${schema}" ${import_paths}
      WORKING_DIRECTORY "${stage_dir}"
      DEPENDS "${schema}" ${sibling_schemas} ${mpgen_depends}
      COMMENT "Generating TypeScript from ${rel} (mpgen)"
      VERBATIM)
    list(APPEND outputs "${out}")
  endforeach()
  set_property(TARGET ${target} APPEND PROPERTY TS_GENERATED_SOURCES ${outputs})
  # A target of its own lets callers in any directory feed a TS target defined elsewhere.
  get_property(n GLOBAL PROPERTY LIBMULTIPROCESS_CAPNP_TARGETS)
  list(LENGTH n count)
  set_property(GLOBAL APPEND PROPERTY LIBMULTIPROCESS_CAPNP_TARGETS ${target})
  add_custom_target(${target}_capnp_${count} DEPENDS ${outputs})
  if(mpgen_target)
    add_dependencies(${target}_capnp_${count} ${mpgen_target})
  endif()
  add_dependencies(${target} ${target}_capnp_${count})
endfunction()
