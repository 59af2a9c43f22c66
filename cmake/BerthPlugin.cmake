# berth_add_plugin(NAME name SOURCES ... [LIBS ...])
#
# Builds a Berth plugin: a MODULE library named berth_<name>.so, compiled
# against the SDK only, with hidden visibility and no undefined symbols, so a
# plugin can neither leak its symbols into the kernel nor depend on the
# kernel's. The .so lands in ${CMAKE_BINARY_DIR}/plugins where the default
# configuration looks for it.
function(berth_add_plugin)
  cmake_parse_arguments(P "" "NAME" "SOURCES;LIBS" ${ARGN})
  set(target berth_${P_NAME})
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(TARGET berth_sdk)
    target_link_libraries(${target} PRIVATE berth_sdk ${P_LIBS})
  else()
    target_link_libraries(${target} PRIVATE BerthSDK::sdk ${P_LIBS})
  endif()
  if(COMMAND berth_set_warnings)
    berth_set_warnings(${target})
  endif()
endfunction()
