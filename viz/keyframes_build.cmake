# keyframes_build.cmake — the build id a keyframes file carries
# (viz/keyframes_file.c): a hash of every source the World's contents and
# the file's layout depend on, so that a file written by another build is
# never trusted; it is rebuilt instead.  Run as a build step, with the
# files CMakeLists.txt lists (joined by "|"):
#   cmake -DFILES=<a|b|...> -DOUT=<header> -P keyframes_build.cmake
string(REPLACE "|" ";" files "${FILES}")
if(NOT files)
  message(FATAL_ERROR "keyframes_build.cmake: no FILES to hash")
endif()
list(SORT files)
set(all "${CMAKE_C_COMPILER_ID}")
foreach(f ${files})
  file(SHA256 ${f} h)
  string(APPEND all ";${h}")
endforeach()
string(SHA256 id "${all}")
string(SUBSTRING "${id}" 0 32 id)
set(text "#define GMV_KEYFRAMES_BUILD \"${id}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
