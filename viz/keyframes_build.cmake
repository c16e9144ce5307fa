# keyframes_build.cmake — the build id a keyframes file carries
# (viz/keyframes_file.c): a hash of every source the World's contents
# depend on, so that a file written by another build of the replay is
# never trusted; it is rebuilt instead.  Run as a build step:
#   cmake -DSRC=<source dir> -DOUT=<header> -P keyframes_build.cmake
file(GLOB files ${SRC}/viz/world*.c ${SRC}/viz/world*.h ${SRC}/viz/replay.c
     ${SRC}/viz/replay.h ${SRC}/viz/keyframes_file.c ${SRC}/viz/keyframes_file.h
     ${SRC}/core/event.c ${SRC}/core/event.h ${SRC}/core/trace.h
     ${SRC}/core/trace_read.c ${SRC}/core/trace_read.h ${SRC}/core/varint.h)
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
