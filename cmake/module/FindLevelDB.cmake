# Finds LevelDB for the leveldb addon: depends' static 1.23 (the toolchain sets LEVELDB_ROOT) or a
# system installation (libleveldb-dev). Plain find_* calls, so a cross toolchain's
# CMAKE_FIND_ROOT_PATH is honoured and the target's library is found, not the build machine's.
# Sets LevelDB_FOUND, LEVELDB_INCLUDE_DIR, LEVELDB_LIBRARY, LEVELDB_VERSION and leveldb::leveldb.
include_guard(GLOBAL)

set(_leveldb_hints)
if(LEVELDB_ROOT)
  set(_leveldb_hints HINTS "${LEVELDB_ROOT}")
endif()
# A static library first: the addon then carries LevelDB inside and needs nothing at run time.
find_path(LEVELDB_INCLUDE_DIR NAMES leveldb/db.h ${_leveldb_hints} PATH_SUFFIXES include
  DOC "Directory holding LevelDB's headers (leveldb/db.h)")
find_library(LEVELDB_LIBRARY NAMES libleveldb.a leveldb ${_leveldb_hints} PATH_SUFFIXES lib
  DOC "The LevelDB library")

if(LEVELDB_INCLUDE_DIR AND EXISTS "${LEVELDB_INCLUDE_DIR}/leveldb/db.h")
  file(STRINGS "${LEVELDB_INCLUDE_DIR}/leveldb/db.h" _leveldb_version_lines REGEX "k(Major|Minor)Version = [0-9]+")
  string(REGEX REPLACE ".*kMajorVersion = ([0-9]+).*" "\\1" _major "${_leveldb_version_lines}")
  string(REGEX REPLACE ".*kMinorVersion = ([0-9]+).*" "\\1" _minor "${_leveldb_version_lines}")
  set(LEVELDB_VERSION "${_major}.${_minor}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LevelDB
  REQUIRED_VARS LEVELDB_LIBRARY LEVELDB_INCLUDE_DIR
  VERSION_VAR LEVELDB_VERSION)

if(LevelDB_FOUND AND NOT TARGET leveldb::leveldb)
  add_library(leveldb::leveldb UNKNOWN IMPORTED)
  set_target_properties(leveldb::leveldb PROPERTIES
    IMPORTED_LOCATION "${LEVELDB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LEVELDB_INCLUDE_DIR}")
  # A static LevelDB uses threads (its background compaction).
  find_package(Threads REQUIRED)
  set_property(TARGET leveldb::leveldb APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
