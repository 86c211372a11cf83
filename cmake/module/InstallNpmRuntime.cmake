# The npm packages the installed JavaScript loads at run time (for example @noble/* for the pure-JS
# crypto fallback), copied under lib/smithcoin/js/node_modules, where Node resolves them from the
# installed code, so that an install runs without the source tree's node_modules. The list comes
# from the compiled code's imports (cmake/script/runtime-npm-packages.mjs), not from package.json,
# whose "dependencies" also hold build-time packages (node-addon-api, ts-morph).
include_guard(GLOBAL)

# smithcoin_install_npm_runtime(JS_DIRS <dirs...> [PROVIDED <package names...>] [DEPENDS <targets...>])
# JS_DIRS are the installed directories of compiled code; PROVIDED packages are installed by other
# rules (the IPC runtime) and are not copied from node_modules.
function(smithcoin_install_npm_runtime)
  cmake_parse_arguments(PARSE_ARGV 0 NPM "" "" "JS_DIRS;PROVIDED;DEPENDS")
  set(node_modules "${PROJECT_SOURCE_DIR}/node_modules")
  set(list_file "${PROJECT_BINARY_DIR}/runtime_npm_packages.txt")
  set(provided_args)
  foreach(name IN LISTS NPM_PROVIDED)
    list(APPEND provided_args --provided "${name}")
  endforeach()
  # Runs on every build (a scan of the compiled tree is cheap); the list is rewritten only on change.
  add_custom_target(smithcoin_runtime_npm ALL
    COMMAND "${NODE_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/cmake/script/runtime-npm-packages.mjs"
      --node-modules "${node_modules}" --out "${list_file}" ${provided_args} ${NPM_JS_DIRS}
    BYPRODUCTS "${list_file}"
    COMMENT "Listing the npm packages the installed code imports"
    VERBATIM)
  if(NPM_DEPENDS)
    add_dependencies(smithcoin_runtime_npm ${NPM_DEPENDS})
  endif()
  set(SMITHCOIN_NPM_LIST_FILE "${list_file}")
  set(SMITHCOIN_NPM_SOURCE_DIR "${node_modules}")
  set(SMITHCOIN_NPM_DESTINATION "${SMITHCOIN_INSTALL_JSDIR}/node_modules")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/script/install-npm-packages.cmake.in"
    "${PROJECT_BINARY_DIR}/install-npm-packages.cmake" @ONLY)
  install(SCRIPT "${PROJECT_BINARY_DIR}/install-npm-packages.cmake" COMPONENT runtime)
endfunction()
