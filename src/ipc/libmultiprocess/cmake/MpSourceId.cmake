# The identity of an mpgen: a hash of the sources it is built from (mpgen/**/*.ts and include/mp/proxy.capnp, by
# name and content). The build writes it next to the compiled mpgen (mpgen/source-id, printed by
# `mpgen --source-id`), so that target_capnp_sources() can tell whether an mpgen it is handed (MPGEN_EXECUTABLE, e.g.
# depends') was built from the same sources as this package's own.
# Script mode: cmake -DMP_SOURCE_DIR=<package source dir> -DOUT=<file> -P MpSourceId.cmake
include_guard(GLOBAL)

function(mp_mpgen_source_id out_var source_dir)
  file(GLOB_RECURSE files RELATIVE "${source_dir}" "${source_dir}/mpgen/*.ts")
  list(SORT files)
  list(APPEND files include/mp/proxy.capnp)
  set(all "")
  foreach(f IN LISTS files)
    file(SHA256 "${source_dir}/${f}" hash)
    string(APPEND all "${f} ${hash}\n")
  endforeach()
  string(SHA256 id "${all}")
  set(${out_var} "${id}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  mp_mpgen_source_id(id "${MP_SOURCE_DIR}")
  file(WRITE "${OUT}" "${id}\n")
endif()
