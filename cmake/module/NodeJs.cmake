# Finds Node.js and npm, and installs the npm packages from the lock file when node_modules is
# missing or older than package-lock.json. Nothing but the npm registry is contacted.
include_guard(GLOBAL)

find_program(NODE_EXECUTABLE NAMES node nodejs REQUIRED)
find_program(NPM_EXECUTABLE NAMES npm REQUIRED)
execute_process(COMMAND ${NODE_EXECUTABLE} --version OUTPUT_VARIABLE NODE_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^v" "" NODE_VERSION "${NODE_VERSION}")
if(NODE_VERSION VERSION_LESS 20.19)
  message(FATAL_ERROR "Node.js ${NODE_VERSION} is too old: Smithcoin needs Node.js 20.19 or newer.")
endif()

# Installs npm packages into <dir>/node_modules unless the installed tree matches the lock file.
# npm ci writes node_modules/.package-lock.json; it is newer than the lock when the install is current.
function(smithcoin_npm_ci dir)
  set(lock "${dir}/package-lock.json")
  set(marker "${dir}/node_modules/.package-lock.json")
  if(NOT EXISTS "${lock}")
    message(FATAL_ERROR "${lock} is missing: the npm packages cannot be installed reproducibly.")
  endif()
  if(EXISTS "${marker}" AND NOT "${lock}" IS_NEWER_THAN "${marker}")
    return()
  endif()
  message(STATUS "Installing npm packages in ${dir} from package-lock.json")
  execute_process(
    COMMAND ${NPM_EXECUTABLE} ci --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY "${dir}"
    RESULT_VARIABLE npm_result)
  if(NOT npm_result EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${dir} (exit ${npm_result}). Check access to the npm registry.")
  endif()
  file(TOUCH "${marker}")
endfunction()
