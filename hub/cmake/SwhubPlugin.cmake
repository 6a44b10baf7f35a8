# swhub_add_plugin(NAME SOURCES... [LIBRARIES libs...])
# Builds bin/plugins/swhub_<NAME>.so with hidden visibility against the SDK alone. LIBRARIES
# adds private dependencies (xerces-c, ...) that stay inside the plugin.
function(swhub_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target swhub_${name})
  add_library(${target} MODULE ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE swhub_sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${target}
    LIBRARY_OUTPUT_DIRECTORY ${SWHUB_PLUGIN_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # A sanitized module leaves the sanitizer runtime to the executable that loads it (tests/fuzz).
  if(NOT SWHUB_FUZZ)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
