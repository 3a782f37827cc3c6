# inference/ and diffusion/ are Qt-free engines: refuse to configure if a Qt header creeps in.
function(atelier_check_qt_free)
  foreach(dir IN LISTS ARGN)
    file(GLOB_RECURSE sources "${dir}/*.cpp" "${dir}/*.hpp" "${dir}/*.h" "${dir}/*.cc")
    foreach(src IN LISTS sources)
      file(STRINGS "${src}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)")
      if(hits)
        message(FATAL_ERROR "${src} includes Qt (${hits}); inference/ and diffusion/ must stay plain C++20")
      endif()
    endforeach()
  endforeach()
endfunction()

# Script mode: cmake -DDIRS="a;b" -P CheckQtFree.cmake (used by the qt_free test).
if(CMAKE_SCRIPT_MODE_FILE AND DIRS)
  atelier_check_qt_free(${DIRS})
  message(STATUS "qt-free: ok")
endif()
