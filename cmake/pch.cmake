# Precompiled headers: the Qt and standard headers nearly every file includes are parsed
# once per library, not once per file. CI builds the whole tree twice (plain and with the
# sanitizers) on two cores, and most of each compile was spent parsing these.
#
# The core's list is Qt Core and the standard library alone (layering: no GUI header in
# core/); the window's adds Qt Widgets. Tests, the executables and the benchmarks reuse the
# precompiled header of the library they link, built once.
set(SOCKBENCH_PCH_CORE
    <QByteArray> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject> <QList> <QObject>
    <QRegularExpression> <QSet> <QString> <QStringList>
    <atomic> <chrono> <functional> <memory> <mutex> <optional> <variant> <vector>)
set(SOCKBENCH_PCH_UI ${SOCKBENCH_PCH_CORE}
    <QApplication> <QComboBox> <QHBoxLayout> <QLabel> <QPainter> <QScrollBar> <QSettings>
    <QTimer> <QToolButton> <QVBoxLayout> <QWidget>)

# Tests include <QtTest>, which brings the whole of Qt Core (and, with Qt Widgets linked,
# QtTest's widget helpers): about seven seconds of parsing per test file, forty-odd times
# per build. Each library gets a second header for its tests, the same list plus QtTest,
# built once on an empty anchor file. Call it in the directory the tests are made in: Qt's
# QT_TESTCASE_BUILDDIR, which the header reads, is that directory.
function(sockbench_test_pch library)
    set(anchor ${CMAKE_CURRENT_BINARY_DIR}/${library}_tests_pch.cpp)
    if(NOT EXISTS ${anchor})
        file(WRITE ${anchor} "// The anchor of ${library}'s test header: see cmake/pch.cmake.\n")
    endif()
    add_library(${library}_tests_pch STATIC ${anchor})
    set_target_properties(${library}_tests_pch PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
    target_link_libraries(${library}_tests_pch PRIVATE ${library} Qt6::Test sockbench_options)
    if(library STREQUAL "sockbench_ui")
        target_precompile_headers(${library}_tests_pch PRIVATE ${SOCKBENCH_PCH_UI} <QtTest>)
    else()
        target_precompile_headers(${library}_tests_pch PRIVATE ${SOCKBENCH_PCH_CORE} <QtTest>)
    endif()
endfunction()

# Every executable target made in these directories reuses the header of the library it
# links: sockbench_ui's where it links the window, else sockbench_core's; a test, its
# library's test header.
function(sockbench_reuse_pch)
    foreach(dir IN LISTS ARGN)
        get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(NOT type STREQUAL "EXECUTABLE")
                continue()
            endif()
            get_target_property(libs ${target} LINK_LIBRARIES)
            set(from "")
            if("sockbench_ui" IN_LIST libs)
                set(from sockbench_ui)
            elseif("sockbench_core" IN_LIST libs)
                set(from sockbench_core)
            endif()
            if(from AND "Qt6::Test" IN_LIST libs AND TARGET ${from}_tests_pch)
                set(from ${from}_tests_pch)
            endif()
            if(from)
                target_precompile_headers(${target} REUSE_FROM ${from})
            endif()
            # A test's moc output is included by its own file (tst_x.moc), so AUTOMOC's
            # mocs_compilation.cpp is empty, and loading the header for it took 2.6 s a
            # test under the sanitizers. (One that is not empty compiles all the same.)
            if("Qt6::Test" IN_LIST libs)
                get_target_property(binary ${target} BINARY_DIR)
                set_source_files_properties(${binary}/${target}_autogen/mocs_compilation.cpp
                    DIRECTORY ${dir} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
            endif()
        endforeach()
    endforeach()
endfunction()
