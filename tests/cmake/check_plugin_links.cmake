# cmake -DSWHUB_SOURCE_ROOT=... -DWORK=... -DCASE=... [-DEXPECT=message] -P check_plugin_links.cmake
# Configures tests/cmake/plugin_links with CASE; without EXPECT the configure must succeed, with
# it the configure must fail and print EXPECT.
file(REMOVE_RECURSE ${WORK})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SWHUB_SOURCE_ROOT}/tests/cmake/plugin_links -B ${WORK} -G Ninja
          -DSWHUB_SOURCE_ROOT=${SWHUB_SOURCE_ROOT} -DCASE=${CASE}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX REPLACE "[ \t\r\n]+" " " said "${out}${err}")
if(NOT DEFINED EXPECT)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "case ${CASE}: the configure failed:\n${out}${err}")
  endif()
  return()
endif()
if(result EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: the configure succeeded, expected it to fail with: ${EXPECT}")
endif()
string(FIND "${said}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "case ${CASE}: expected \"${EXPECT}\" in:\n${out}${err}")
endif()
