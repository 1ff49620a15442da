# tests/fpvm extras (included from fpk_glob_tests_in): the MIPS64 guest ELF for the load-elf tests.
if(TARGET fpvm_test_elf_cross)
  set_tests_properties(fpvm_test_elf_cross PROPERTIES SKIP_RETURN_CODE 77)
  find_program(FPK_MIPS64_CC mips64-linux-gnuabi64-gcc)
  if(FPK_CROSS_TESTS AND FPK_MIPS64_CC)
    set(_guest_src ${CMAKE_SOURCE_DIR}/tests/fpvm/test_elf_guest/guest.c)
    set(_guest_elf ${CMAKE_BINARY_DIR}/tests/fpvm_guest.elf)
    add_custom_command(OUTPUT ${_guest_elf}
                       COMMAND ${FPK_MIPS64_CC} -O1 -march=mips64 -mno-imadd -mno-check-zero-division -msoft-float
                               -mno-abicalls -fno-pic -static -nostdlib -nostartfiles -e _start -o ${_guest_elf}
                               ${_guest_src}
                       DEPENDS ${_guest_src}
                       COMMENT "Cross-compiling the MIPS64 test guest")
    add_custom_target(fpvm_guest_elf DEPENDS ${_guest_elf})
    add_dependencies(fpvm_test_elf_cross fpvm_guest_elf)
    target_compile_definitions(fpvm_test_elf_cross PRIVATE FPK_GUEST_ELF="${_guest_elf}")
    set_property(GLOBAL PROPERTY FPK_TEST_GUEST_ELF ${_guest_elf})
  endif()
endif()
