# fpk_add_test(NAME name SOURCES a.c b.c LIBS lib... [ARGS ...] [LABELS ...])
# One executable per test unit; CTest runs it with ARGS.
function(fpk_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;ARGS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS})
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# fpk_glob_tests(LIBS lib...): every test_<unit>.c in the current folder becomes one test executable,
# run by CTest with the vectors directory as argv[1]. Folders need no other bookkeeping, so several
# people can add tests to one folder without touching the same file.
function(fpk_glob_tests)
  cmake_parse_arguments(G "" "" "LIBS" ${ARGN})
  get_filename_component(dir ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_*.c)
  foreach(src ${srcs})
    get_filename_component(unit ${src} NAME_WE)
    fpk_add_test(NAME ${dir}_${unit} SOURCES ${src} LIBS ${G_LIBS} ARGS ${FPK_VECTORS_DIR} LABELS ${dir})
  endforeach()
endfunction()

# fpk_glob_tests_in(dir LIBS ...): as fpk_glob_tests for tests/<dir>, skipped while a library it links is
# not built yet (an empty module). Tests under tests/<dir> that need more than that go in
# tests/<dir>/extra.cmake, included here.
function(fpk_glob_tests_in dir)
  cmake_parse_arguments(G "" "" "LIBS" ${ARGN})
  foreach(l ${G_LIBS})
    if(NOT TARGET ${l})
      return()
    endif()
  endforeach()
  set(full ${CMAKE_CURRENT_SOURCE_DIR}/${dir})
  file(GLOB srcs CONFIGURE_DEPENDS ${full}/test_*.c)
  foreach(src ${srcs})
    get_filename_component(unit ${src} NAME_WE)
    fpk_add_test(NAME ${dir}_${unit} SOURCES ${src} LIBS ${G_LIBS} ARGS ${FPK_VECTORS_DIR} LABELS ${dir})
  endforeach()
  if(EXISTS ${full}/extra.cmake)
    include(${full}/extra.cmake)
  endif()
endfunction()
