# Host CLI tests: a native client under `fphost --exec`, `fphost --server` under a spawning client,
# LMDB crash safety and sharing. Scripts get the tool paths as arguments.
add_executable(fph_test_client ${CMAKE_CURRENT_LIST_DIR}/client_main.c)
target_link_libraries(fph_test_client PRIVATE fph)
if(TARGET fphost)
  foreach(t exec_parity server_mode lmdb_kill lmdb_shared store_cli)
    add_test(NAME host_${t}
             COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/${t}.sh $<TARGET_FILE:fphost> $<TARGET_FILE:fph_test_client>)
    set_tests_properties(host_${t} PROPERTIES LABELS host TIMEOUT 60)
  endforeach()
endif()
