#pragma once

#include <QStringList>

namespace sockbench::cli {

int listLessons(const QStringList& arguments); // sockbench lessons
int runLesson(const QStringList& arguments);   // sockbench run NAME|FILE [--json]
int exportLesson(
    const QStringList& arguments); // sockbench export NAME|FILE [--out DIR] [--threads]

} // namespace sockbench::cli
