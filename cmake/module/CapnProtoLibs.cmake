# Finds Cap'n Proto's headers, libraries and tools without Debian's CapnProtoConfig.cmake, which
# needs pkg-config and OpenSSL's development files and hard-codes /usr paths (so it does not work
# for a depends prefix (static libraries) or a cross sysroot). Defines the same imported
# targets: CapnProto::kj, CapnProto::kj-async, CapnProto::capnp, CapnProto::capnp-rpc.
include_guard(GLOBAL)

function(smithcoin_find_capnproto min_version fix_hint)
  find_path(CAPNP_INCLUDE_DIR capnp/common.h)
  if(NOT CAPNP_INCLUDE_DIR)
    message(FATAL_ERROR "ENABLE_IPC is ON but the Cap'n Proto headers (capnp/common.h) were not found. ${fix_hint}")
  endif()
  file(STRINGS "${CAPNP_INCLUDE_DIR}/capnp/common.h" defs REGEX "#define CAPNP_VERSION_(MAJOR|MINOR|MICRO) ")
  set(parts)
  foreach(part IN ITEMS MAJOR MINOR MICRO)
    string(REGEX MATCH "CAPNP_VERSION_${part} ([0-9]+)" _ "${defs}")
    list(APPEND parts "${CMAKE_MATCH_1}")
  endforeach()
  list(JOIN parts "." version)
  if(version VERSION_LESS min_version)
    message(FATAL_ERROR "Cap'n Proto ${version} is too old: ${min_version} or newer is needed. ${fix_hint}")
  endif()
  set(CapnProto_VERSION "${version}" PARENT_SCOPE)
  set(previous "")
  foreach(lib IN ITEMS kj kj-async capnp capnp-rpc)
    string(MAKE_C_IDENTIFIER "CAPNP_LIB_${lib}" var)
    find_library(${var} NAMES ${lib})
    get_filename_component(kind "${${var}}" LAST_EXT)
    list(APPEND kinds "lib${lib}${kind}")
    if(NOT ${var})
      message(FATAL_ERROR "ENABLE_IPC is ON but the Cap'n Proto library lib${lib} was not found. ${fix_hint}")
    endif()
    if(NOT TARGET CapnProto::${lib})
      add_library(CapnProto::${lib} UNKNOWN IMPORTED GLOBAL)
      set_target_properties(CapnProto::${lib} PROPERTIES
        IMPORTED_LOCATION "${${var}}"
        INTERFACE_INCLUDE_DIRECTORIES "${CAPNP_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "${previous}")
    endif()
    mark_as_advanced(${var})
    set(previous "CapnProto::${lib}")
  endforeach()
  # capnp-rpc needs capnp and kj-async, which the chain above already links in order (the order a
  # static link needs). kj itself uses threads.
  set_property(TARGET CapnProto::kj APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
  set(CapnProto_FOUND TRUE PARENT_SCOPE)
  list(JOIN kinds " " kinds)
  get_filename_component(libdir "${CAPNP_LIB_kj}" DIRECTORY)
  message(STATUS "Cap'n Proto ${version}: ${kinds} (${libdir})")
  mark_as_advanced(CAPNP_INCLUDE_DIR)
endfunction()
