# One options target that every sockbench target links: the language standard, the
# warnings, and the Qt defines that keep the code honest.
add_library(sockbench_options INTERFACE)
target_compile_features(sockbench_options INTERFACE cxx_std_20)
target_compile_options(sockbench_options INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Wshadow -Wnon-virtual-dtor
    $<$<BOOL:${SOCKBENCH_WARNINGS_AS_ERRORS}>:-Werror>)
target_compile_definitions(sockbench_options INTERFACE
    QT_NO_CONTEXTLESS_CONNECT QT_NO_KEYWORDS QT_NO_URL_CAST_FROM_STRING
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)
target_compile_definitions(sockbench_options INTERFACE
    SOCKBENCH_VERSION="${PROJECT_VERSION}")
# Line tables are the debug information that gets used here: the sanitizers' stack traces
# and perf's profiles. Full -g (every local variable) made each compile a fifth slower, in
# a CI that builds everything twice; configure with CMAKE_BUILD_TYPE=Debug to step in gdb.
target_compile_options(sockbench_options INTERFACE $<$<CONFIG:RelWithDebInfo>:-g1>)

# Sanitizers (`make sanitize` builds with address,undefined in a build directory of its
# own; a ThreadSanitizer build is -DSOCKBENCH_SANITIZE=thread). Every target links the
# options target, so every object and executable is instrumented alike.
set(SOCKBENCH_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list (e.g. address,undefined or thread); empty for none")
if(SOCKBENCH_SANITIZE)
    target_compile_options(sockbench_options INTERFACE
        -fsanitize=${SOCKBENCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    # UBSan's vptr check reads memory through a pipe it opens at the moment of the check:
    # in a process out of descriptors (tst_teardown's EMFILE child, a lesson that opens
    # sockets until the kernel says no) it reports valid objects as broken. Every other
    # UBSan check stays on.
    if(SOCKBENCH_SANITIZE MATCHES "undefined")
        target_compile_options(sockbench_options INTERFACE -fno-sanitize=vptr)
    endif()
    target_link_options(sockbench_options INTERFACE -fsanitize=${SOCKBENCH_SANITIZE})
    # -O1, as the sanitizers' own documentation advises: the instrumented code runs about
    # as fast, and each file compiles in about half the time of -O2 (36 s against 20 s for
    # the largest test here). It comes after the configuration's -O2, so it wins.
    target_compile_options(sockbench_options INTERFACE -O1)
endif()
