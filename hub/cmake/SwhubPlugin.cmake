# The hub's private areas (hub/src/<area>, one static library swhub_<area> each; sdk aside): a
# plugin sees the SDK only, so a plugin that links one of them, directly or through a library it
# links, is refused when the build is configured.
file(GLOB _swhub_area_dirs LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_LIST_DIR}/../src ${CMAKE_CURRENT_LIST_DIR}/../src/*)
set(SWHUB_PRIVATE_AREAS core)
foreach(_area IN LISTS _swhub_area_dirs)
  if(IS_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/../src/${_area} AND NOT _area STREQUAL "sdk")
    list(APPEND SWHUB_PRIVATE_AREAS ${_area})
  endif()
endforeach()
get_filename_component(SWHUB_PRIVATE_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}/../src ABSOLUTE)

# swhub_add_plugin(NAME SOURCES... [LIBRARIES libs...])
# Builds bin/plugins/swhub_<NAME>.so with hidden visibility against the SDK alone. LIBRARIES
# adds private dependencies (xerces-c, ...) that stay inside the plugin; none may be a private
# area of the hub (checked once the whole directory is configured, so that a later
# target_link_libraries is seen too).
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
  # cmake --install puts it where an installed hub looks (lib/swhub/plugins; CMakeLists.txt).
  if(DEFINED SWHUB_INSTALL_PLUGIN_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${SWHUB_INSTALL_PLUGIN_DIR})
  endif()
  # A sanitized module leaves the sanitizer runtime to the executable that loads it (tests/fuzz).
  if(NOT SWHUB_FUZZ)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY \"${CMAKE_SOURCE_DIR}\" CALL swhub_check_plugin_links \"${name}\" \"${target}\")")
endfunction()

# Fails the configure step when plugin NAME (target TARGET) links a private area of the hub or
# includes its private headers.
function(swhub_check_plugin_links name target)
  get_target_property(includes ${target} INCLUDE_DIRECTORIES)
  foreach(dir IN LISTS includes)
    get_filename_component(dir "${dir}" ABSOLUTE)
    if(dir STREQUAL SWHUB_PRIVATE_SOURCE_DIR)
      message(FATAL_ERROR "plugin '${name}' includes hub/src, the hub's private areas: a plugin may see the SDK (hub/include/swhub/sdk) only")
    endif()
  endforeach()
  get_target_property(queue ${target} LINK_LIBRARIES)
  set(seen "")
  set(via "")
  while(queue)
    list(POP_FRONT queue lib)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
    if(NOT lib OR lib IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${lib})
    if(lib MATCHES "^swhub_(.+)$" AND CMAKE_MATCH_1 IN_LIST SWHUB_PRIVATE_AREAS)
      message(FATAL_ERROR "plugin '${name}' links ${lib}, a private area of the hub (hub/src/${CMAKE_MATCH_1}): a plugin may link the SDK (swhub_sdk) only")
    endif()
    if(TARGET ${lib})
      get_target_property(imported ${lib} IMPORTED)
      get_target_property(type ${lib} TYPE)
      if(NOT imported)
        if(NOT type STREQUAL "INTERFACE_LIBRARY")
          get_target_property(more ${lib} LINK_LIBRARIES)
          if(more)
            list(APPEND queue ${more})
          endif()
        endif()
        get_target_property(more ${lib} INTERFACE_LINK_LIBRARIES)
        if(more)
          list(APPEND queue ${more})
        endif()
      endif()
    endif()
  endwhile()
endfunction()
