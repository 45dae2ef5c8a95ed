#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace sockbench::lesson {

// The lessons that ship with the workbench (compiled in from resources/lessons/), and
// the way a command line names one: a file path, a lesson name ("first-connection"),
// or its number ("3" or "03").
struct LessonFile {
    QString name;   // "first-connection"
    QString title;  // from its "# title:" line
    QString path;   // a file path, or ":/lessons/03-first-connection.py"
    QString source; // the file's text
};

namespace catalogue {

QList<LessonFile> shipped();
// A readable file at nameOrPath, else the shipped lesson of that name or number.
std::optional<LessonFile> find(const QString& nameOrPath, QString* error = nullptr);

} // namespace catalogue
} // namespace sockbench::lesson
