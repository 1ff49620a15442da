# The client half of libpreimage builds freestanding (host compiler, and the MIPS64 cross compiler when present).
set(_cross "")
if(FPK_CROSS_TESTS)
  find_program(FPK_MIPS64_GCC mips64-linux-gnuabi64-gcc)
  if(FPK_MIPS64_GCC)
    set(_cross ${FPK_MIPS64_GCC})
  endif()
endif()
add_test(NAME preimage_client_freestanding
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/freestanding.sh ${CMAKE_C_COMPILER}
                 ${CMAKE_SOURCE_DIR}/src/preimage/client.c ${CMAKE_SOURCE_DIR}/include ${_cross})
set_tests_properties(preimage_client_freestanding PROPERTIES LABELS preimage TIMEOUT 60)
