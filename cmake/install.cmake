# SPDX-License-Identifier: Apache-2.0
# Install rules: the library, its public headers (with the generated version.hpp), the provmark
# command, a CMake package (find_package(provmark) -> provmark::provmark) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PROVMARK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/provmark)
get_target_property(_provmark_type provmark TYPE)
if(_provmark_type STREQUAL "STATIC_LIBRARY")
  set(PROVMARK_STATIC ON)
else()
  set(PROVMARK_STATIC OFF)
endif()

install(TARGETS provmark EXPORT provmarkTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/provmark DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/provmark/version.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/provmark)
if(TARGET provmark_cli)
  install(TARGETS provmark_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT provmarkTargets NAMESPACE provmark:: DESTINATION ${PROVMARK_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/provmarkConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cmake/provmarkConfig.cmake
                              INSTALL_DESTINATION ${PROVMARK_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/provmarkConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/provmarkConfig.cmake ${PROJECT_BINARY_DIR}/cmake/provmarkConfigVersion.cmake
        DESTINATION ${PROVMARK_CMAKE_DIR})

# The .pc file finds its prefix from its own location, so `cmake --install --prefix DIR` works anywhere.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PROVMARK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _provmark_up "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" _provmark_up "${_provmark_up}")
  set(PROVMARK_PC_PREFIX "\${pcfiledir}/${_provmark_up}")
endif()
foreach(_provmark_dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_provmark_dir}}")
    set(PROVMARK_PC_${_provmark_dir} "${CMAKE_INSTALL_${_provmark_dir}}")
  else()
    set(PROVMARK_PC_${_provmark_dir} "\${prefix}/${CMAKE_INSTALL_${_provmark_dir}}")
  endif()
endforeach()
# A static libprovmark needs its dependencies on every link line, a shared one only at run time.
if(PROVMARK_STATIC)
  set(PROVMARK_PC_REQUIRES "Requires")
else()
  set(PROVMARK_PC_REQUIRES "Requires.private")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/provmark.pc.in ${PROJECT_BINARY_DIR}/cmake/provmark.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/provmark.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
