# Creates the executables in <build>/bin: small compiled launchers (native/launcher/launcher.c)
# that exec Node.js on a compiled entry point, so each program is its own process.
include_guard(GLOBAL)

# The node a launcher runs: this machine's when building natively, the target's PATH when cross.
if(CMAKE_CROSSCOMPILING)
  set(SMITHCOIN_LAUNCHER_NODE "node")
else()
  set(SMITHCOIN_LAUNCHER_NODE "${NODE_EXECUTABLE}")
endif()

# add_smithcoin_executable(<name> ENTRY <path under the js dir> [INTERNAL] [WRAPPER])
# INTERNAL programs are installed to libexec/ (as Core does for smithcoin-node and smithcoin-gui).
# WRAPPER builds the launcher variant that execs the program the TS wrapper chose (smithcoin).
function(add_smithcoin_executable name)
  cmake_parse_arguments(PARSE_ARGV 1 EXE "INTERNAL;WRAPPER" "ENTRY" "")
  add_executable(${name} "${PROJECT_SOURCE_DIR}/native/launcher/launcher.c")
  target_compile_definitions(${name} PRIVATE
    LAUNCHER_ENTRY="${EXE_ENTRY}" LAUNCHER_NODE="${SMITHCOIN_LAUNCHER_NODE}"
    $<$<BOOL:${EXE_WRAPPER}>:LAUNCHER_WRAPPER>)
  target_compile_options(${name} PRIVATE -Wall -Wextra)
  add_dependencies(${name} smithcoin_ts)
  if(TARGET smithcoin_code_cache)
    add_dependencies(${name} smithcoin_code_cache)
  endif()
  if(EXE_INTERNAL)
    set(dest "${CMAKE_INSTALL_LIBEXECDIR}")
  else()
    set(dest "${CMAKE_INSTALL_BINDIR}")
  endif()
  install(TARGETS ${name} RUNTIME DESTINATION "${dest}" COMPONENT runtime)
  set_property(GLOBAL APPEND PROPERTY SMITHCOIN_EXECUTABLES "${name}")
endfunction()
