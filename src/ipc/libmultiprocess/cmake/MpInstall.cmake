# Install rules of the package: bin/mpgen, the npm package under lib/node_modules (with the npm
# packages mpgen loads), include/mp/proxy.capnp and the CMake package config with components
# Bin (mpgen + target_capnp_sources) and Lib (runtime). In-tree they are off unless MP_INSTALL.
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

option(MP_INSTALL "Install the libmultiprocess package." ${MP_STANDALONE})
if(NOT MP_INSTALL)
  return()
endif()

set(MP_INSTALL_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/node_modules/@smithcoin/libmultiprocess")
set(MP_INSTALL_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Libmultiprocess")

install(PROGRAMS "${CMAKE_CURRENT_BINARY_DIR}/install/mpgen" DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT Bin)
install(FILES "${MP_PACKAGE_DIR}/package.json" DESTINATION "${MP_INSTALL_PACKAGE_DIR}" COMPONENT Lib)
install(DIRECTORY "${MP_PACKAGE_DIR}/dist" DESTINATION "${MP_INSTALL_PACKAGE_DIR}" COMPONENT Lib)
install(DIRECTORY "${MP_PACKAGE_DIR}/mpgen" DESTINATION "${MP_INSTALL_PACKAGE_DIR}" COMPONENT Bin)
install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/include/mp/proxy.capnp" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/mp" COMPONENT Lib)
install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/include/mp/proxy.capnp" DESTINATION "${MP_INSTALL_PACKAGE_DIR}/include/mp" COMPONENT Lib)
# Real copies (not links) of the npm packages mpgen imports, so the prefix stands on its own.
foreach(dep IN LISTS MP_RUNTIME_NPM_DEPS)
  get_filename_component(parent "${MP_INSTALL_PACKAGE_DIR}/node_modules/${dep}" DIRECTORY)
  install(DIRECTORY "${MP_NODE_MODULES}/${dep}" DESTINATION "${parent}" COMPONENT Bin USE_SOURCE_PERMISSIONS)
endforeach()

configure_package_config_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/LibmultiprocessConfig.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/LibmultiprocessConfig.cmake"
  INSTALL_DESTINATION "${MP_INSTALL_CMAKE_DIR}"
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_INCLUDEDIR MP_INSTALL_PACKAGE_DIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/LibmultiprocessConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES
  "${CMAKE_CURRENT_BINARY_DIR}/LibmultiprocessConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/LibmultiprocessConfigVersion.cmake"
  "${CMAKE_CURRENT_SOURCE_DIR}/cmake/TargetCapnpSources.cmake"
  DESTINATION "${MP_INSTALL_CMAKE_DIR}" COMPONENT Lib)
