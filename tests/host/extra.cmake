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

# In-VM parity (needs the SDK examples, the MIPS64 cross compiler and fpvm). Those targets are defined in
# directories processed after this one, so the check runs deferred, at the end of the top-level directory.
function(fph_add_vm_parity list_dir bin_dir)
  if(NOT (TARGET fphost AND TARGET fpvm_cli AND TARGET fpp_testhost AND FPP_MIPS64_CC))
    return()
  endif()
  foreach(pair claim:good claim:wrong merkle-inclusion:good merkle-inclusion:wrong sha256-chain:good)
    string(REPLACE ":" ";" p ${pair})
    list(GET p 0 ex)
    list(GET p 1 set)
    set(setfile ${CMAKE_SOURCE_DIR}/examples/${ex}/inputs/${set}.txt)
    if(NOT TARGET ${ex} OR NOT EXISTS ${setfile})
      continue()
    endif()
    add_test(NAME host_vm_parity_${ex}_${set}
             COMMAND sh ${list_dir}/vm_parity.sh $<TARGET_FILE:fphost> $<TARGET_FILE:fpvm_cli>
                     $<TARGET_FILE:fpp_testhost> $<TARGET_PROPERTY:${ex},FPP_NATIVE>
                     $<TARGET_PROPERTY:${ex},FPP_MIPS64> ${setfile} ${bin_dir}/vm_parity/${ex}-${set})
    set_tests_properties(host_vm_parity_${ex}_${set} PROPERTIES LABELS host TIMEOUT 120)
  endforeach()
endfunction()
cmake_language(EVAL CODE
  "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL fph_add_vm_parity [[${CMAKE_CURRENT_LIST_DIR}]] [[${CMAKE_CURRENT_BINARY_DIR}]])")
