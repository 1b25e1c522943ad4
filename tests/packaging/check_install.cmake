# SPDX-License-Identifier: Apache-2.0
# cmake -DBUILD_DIR=... -DBUILD_TYPE=... -DCONSUMER_DIR=... -DWORK_DIR=... -DLIBDIR=... -DGENERATOR=...
#       -DCXX_COMPILER=... [-DEXTRA_FLAGS=...] -DVERSION=... -P check_install.cmake
# Installs BUILD_DIR into WORK_DIR/prefix, then builds and runs the consumer in CONSUMER_DIR against it.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " shown "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${shown}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

# 1. CMake: find_package(provmark <VERSION> CONFIG REQUIRED) -> provmark::provmark
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/cmake-build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DPROVMARK_VERSION=${VERSION}
    "-DCMAKE_CXX_FLAGS=${EXTRA_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
run(${WORK_DIR}/cmake-build/consumer)

# 2. pkg-config: c++ main.cpp $(pkg-config --cflags --libs provmark)
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs provmark OUTPUT_VARIABLE flags
                OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
run(${CXX_COMPILER} -std=c++20 ${extra} ${CONSUMER_DIR}/main.cpp ${flags} -o ${WORK_DIR}/pkg-config-consumer)
set(ENV{LD_LIBRARY_PATH} ${prefix}/${LIBDIR})  # for a shared libprovmark (BUILD_SHARED_LIBS=ON)
run(${WORK_DIR}/pkg-config-consumer)
