# Installs the SDK component of the build tree into a scratch prefix, then
# configures and builds sdk/examples/greeting against it as a vendor would,
# and checks the result is a loadable-looking Berth plugin. The plugin is
# left at WORK_DIR/build/plugins/berth_greeting.so for the test that loads it
# into a running server (greeting_server_e2e_test).
#
# cmake -DBUILD_DIR=<berth build> -DSOURCE_DIR=<berth source>
#       -DWORK_DIR=<scratch> -P sdk_package_test.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "sdk_package_test: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "sdk_package_test: `${cmd}` failed (${rc}):\n${out}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})
foreach(f include/berth/plugin.h lib/cmake/BerthSDK/BerthSDKConfig.cmake
          lib/cmake/BerthSDK/BerthSDKConfigVersion.cmake
          lib/cmake/BerthSDK/BerthPlugin.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "sdk_package_test: ${f} was not installed")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/sdk/examples/greeting -B ${build}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${build})

set(plugin ${build}/plugins/berth_greeting.so)
if(NOT EXISTS ${plugin})
  message(FATAL_ERROR "sdk_package_test: ${plugin} was not built")
endif()
execute_process(COMMAND nm -D --defined-only ${plugin}
  OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
foreach(symbol berth_plugin_build_key berth_plugin_create)
  if(NOT symbols MATCHES " T ${symbol}\n")
    message(FATAL_ERROR "sdk_package_test: ${plugin} does not export ${symbol}")
  endif()
endforeach()
# Hidden visibility: of the plugin's and the SDK's own symbols only the two
# entry points may reach the kernel's namespace. (libstdc++ typeinfo and
# unique symbols are exported whatever the visibility.)
string(REGEX REPLACE " T berth_plugin_(build_key|create)\n" "" rest "${symbols}")
if(rest MATCHES "[^\n]*(berth|greeting)[^\n]*")
  message(FATAL_ERROR "sdk_package_test: ${plugin} exports ${CMAKE_MATCH_0}")
endif()
message(STATUS "sdk_package_test: ${plugin} built against the installed SDK")
