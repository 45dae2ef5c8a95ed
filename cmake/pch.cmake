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

# Every executable target made in these directories reuses the header of the library it
# links: sockbench_ui's where it links the window, else sockbench_core's.
function(sockbench_reuse_pch)
    foreach(dir IN LISTS ARGN)
        get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
        foreach(target IN LISTS targets)
            get_target_property(type ${target} TYPE)
            if(NOT type STREQUAL "EXECUTABLE")
                continue()
            endif()
            get_target_property(libs ${target} LINK_LIBRARIES)
            if("sockbench_ui" IN_LIST libs)
                target_precompile_headers(${target} REUSE_FROM sockbench_ui)
            elseif("sockbench_core" IN_LIST libs)
                target_precompile_headers(${target} REUSE_FROM sockbench_core)
            endif()
        endforeach()
    endforeach()
endfunction()
