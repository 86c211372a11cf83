# Fails configure early, in Core's words, when a tool path given on the command line does not exist.
include_guard(GLOBAL)

function(smithcoin_check_tool_paths)
  foreach(var IN LISTS ARGN)
    if(${var} AND NOT EXISTS "${${var}}")
      message(FATAL_ERROR "${var}: \"${${var}}\" does not exist.")
    endif()
  endforeach()
endfunction()
