# target_capnp_sources(<ts-target> <include_prefix> a.capnp ... [IMPORT_PATHS dir...])
#
# Runs mpgen on each schema and writes <file>.ts (path relative to <include_prefix>) into the
# directory named by the TypeScript target's TS_STAGE_DIR property, then appends the outputs to
# its TS_GENERATED_SOURCES property so that the TypeScript compile depends on them. Relative
# schema paths are taken from CMAKE_CURRENT_SOURCE_DIR. The mpgen used is MPGEN_EXECUTABLE if set,
# else the package's own (built in-tree or installed).
include_guard(GLOBAL)

# Records where mpgen, capnp and proxy.capnp are; called by the package build and its config file.
function(mp_set_package)
  cmake_parse_arguments(PARSE_ARGV 0 MP "" "MPGEN;MPGEN_TARGET;CAPNP;INCLUDE_DIR" "MPGEN_DEPENDS")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN "${MP_MPGEN}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_TARGET "${MP_MPGEN_TARGET}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_DEPENDS "${MP_MPGEN_DEPENDS}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_CAPNP "${MP_CAPNP}")
  set_property(GLOBAL PROPERTY LIBMULTIPROCESS_INCLUDE_DIR "${MP_INCLUDE_DIR}")
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
  get_property(mpgen GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN)
  get_property(mpgen_depends GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_DEPENDS)
  get_property(mpgen_target GLOBAL PROPERTY LIBMULTIPROCESS_MPGEN_TARGET)
  get_property(capnp GLOBAL PROPERTY LIBMULTIPROCESS_CAPNP)
  get_property(mp_include GLOBAL PROPERTY LIBMULTIPROCESS_INCLUDE_DIR)
  if(MPGEN_EXECUTABLE)
    set(mpgen "${MPGEN_EXECUTABLE}")
    set(mpgen_depends "")
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
