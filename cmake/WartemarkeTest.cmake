# wm_add_test(): one Boost.Test executable registered with ctest, optionally run under a wrapper.
find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)

# wm_add_test(NAME name SOURCES a.cpp ... LIBS lib ... [WRAPPER cmd ...] [LABELS l ...] [TIMEOUT s])
function(wm_add_test)
  cmake_parse_arguments(T "CALENDAR_GUARD" "NAME;TIMEOUT" "SOURCES;LIBS;WRAPPER;LABELS;ENV" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} Boost::unit_test_framework)
  target_compile_definitions(${T_NAME} PRIVATE BOOST_TEST_DYN_LINK
    WM_SOURCE_DIR="${CMAKE_SOURCE_DIR}" WM_BINARY_DIR="${CMAKE_BINARY_DIR}")
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  # --report_level=short ends the output with "N test case(s) out of M skipped" when a
  # precondition failed (tests/support/preconditions.hpp); ctest then reports a skip, not a pass.
  add_test(NAME ${T_NAME} COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}> --log_level=message
           --report_level=short)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set(env "WM_BIN_DIR=${CMAKE_BINARY_DIR}/bin;WM_SOURCE_DIR=${CMAKE_SOURCE_DIR};ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0;SDL_VIDEODRIVER=dummy;SDL_AUDIODRIVER=dummy")
  list(APPEND env ${T_ENV})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}" ENVIRONMENT "${env}"
    SKIP_REGULAR_EXPRESSION "test cases? out of [0-9]+ skipped")
  # Suites that use dates run once more with every broker they start (without its own
  # --clock-start) a year ahead: a literal date paired with the real clock fails here today,
  # not on some later day in CI (tests/support/broker_process.cpp).
  if(T_CALENDAR_GUARD)
    add_test(NAME ${T_NAME}_year_ahead COMMAND ${T_WRAPPER} $<TARGET_FILE:${T_NAME}> --log_level=message
             --report_level=short)
    set_tests_properties(${T_NAME}_year_ahead PROPERTIES TIMEOUT ${T_TIMEOUT}
      LABELS "${T_LABELS};calendar" ENVIRONMENT "${env};WM_TEST_DAYS_AHEAD=366"
      SKIP_REGULAR_EXPRESSION "test cases? out of [0-9]+ skipped")
  endif()
endfunction()
