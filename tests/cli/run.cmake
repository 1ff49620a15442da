# `fpvm run` CLI tests (included by tests/cli/CMakeLists.txt): hand-assembled states from run_mkstate,
# a tiny preimage host (run_host), one CTest entry per case of run.sh.
if(TARGET fpvm_cli AND TARGET fpvm)
  add_executable(run_mkstate ${CMAKE_CURRENT_LIST_DIR}/run_mkstate.c)
  target_link_libraries(run_mkstate PRIVATE fpvm)
  add_executable(run_host ${CMAKE_CURRENT_LIST_DIR}/run_host.c)
  set(_run_tools ${CMAKE_SOURCE_DIR}/tools/fpvm)
  add_executable(cli_run_units ${CMAKE_CURRENT_LIST_DIR}/run_test_units.c ${_run_tools}/run_match.c
                 ${_run_tools}/run_sprintf.c ${_run_tools}/run_log.c ${_run_tools}/cli.c)
  target_include_directories(cli_run_units PRIVATE ${CMAKE_SOURCE_DIR}/tests ${_run_tools})
  target_link_libraries(cli_run_units PRIVATE fpvm)
  add_test(NAME cli_run_units COMMAND cli_run_units)
  set_tests_properties(cli_run_units PROPERTIES LABELS cli)
  find_program(FPK_BASH_FOR_RUN bash REQUIRED)
  foreach(case basic resume proof roundtrip errors panic host hostdie preimage_stop challenger interrupt)
    add_test(NAME cli_run_${case}
             COMMAND ${FPK_BASH_FOR_RUN} ${CMAKE_CURRENT_LIST_DIR}/run.sh ${case} $<TARGET_FILE:fpvm_cli>
                     $<TARGET_FILE:run_mkstate> $<TARGET_FILE:run_host>)
    set_tests_properties(cli_run_${case} PROPERTIES LABELS cli TIMEOUT 60)
  endforeach()
endif()
