# atelier_add_test(NAME name SOURCES a.cpp ... LIBS lib ... [LABELS l ...] [TIMEOUT s])
# Every test is a Qt Test executable registered with CTest, run headless.
function(atelier_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  atelier_target_defaults(${T_NAME})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  # Shared test helpers are included from the source root ("tests/support/...").
  target_include_directories(${T_NAME} PRIVATE "${PROJECT_SOURCE_DIR}")
  target_compile_definitions(${T_NAME} PRIVATE
    ATELIER_SHARED_TESTDATA="${ATELIER_SHARED_TESTDATA}"
    ATELIER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ATELIER_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_QUICK_BACKEND=software")
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
