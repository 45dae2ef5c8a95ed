#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace sockbench::program {

// What a program's comments say, read by the backend with Python's own tokenize/ast
// (`boot.py --describe`): the lesson header, the sections that give each line its actor,
// and the narration and directives above statements. A program without any of these is
// one actor, "main", with no narration.
struct Section {
    QString actor;
    int firstLine = 0; // the marker's line (1 for the part before the first marker)
    int lastLine = 0;  // the line before the next marker, or the file's last line
};

struct LineNotes {
    QStringList narration;   // paragraphs, in order
    QStringList expect;      // "# expect: A or B": {"A", "B"}; empty: none
    bool pause = false;      // "# pause"
    bool background = false; // "# background"
    int statementEnd = 0;    // the statement's last line (multi-line statements)

    // The narration asks the reader something ("How many come back?"): at a `# pause`,
    // the reader predicts before stepping, and the view keeps the answer out of sight.
    bool asks() const;
};

struct Lesson {
    QString fileName; // as messages name it
    QString path;     // a real path, or ":/lessons/..." for a shipped lesson
    QString source;
    QString title, summary, level;
    QStringList topics;
    QList<std::pair<QString, QString>> extra; // other "# key: value" header lines
    QList<std::pair<QString, QString>> peers; // "# peer: web = course-web": {web, course-web}
    QList<Section> sections;                  // in file order
    QStringList actors;                       // in order of first appearance
    QHash<int, LineNotes> notes;              // by the statement's first line
    QList<int> statementLines;                // first line of every statement, any depth

    QString actorAt(int line) const; // the actor whose section holds the line
    int sectionAt(int line) const;   // index into sections, -1 if none
};

// "FILE:LINE:COL: message", the form every refusal takes.
struct LoadError {
    QString fileName;
    int line = 0;
    int column = 0;
    QString message;
    QString format() const;
};

// The statement that begins on `line` (1-based), on one line: a call whose arguments run on
// over the next lines (open brackets, or a backslash at the end) is told whole,
// "getaddrinfo('localhost', 80, socket.AF_INET, 0)". Strings and comments are skipped.
QString statementAt(const QString& source, int line);

// Reads a program: its syntax (compile()), its comments and directives. Runs python3 once
// (a few tens of milliseconds); call it off the UI thread where that matters.
std::variant<Lesson, LoadError> describe(const QString& source, const QString& fileName,
                                         const QString& path = QString());

// Writes the program as runnable python3 files into outDir: "per-actor" (one file per
// actor) or "threads" (one file, a thread per actor, taking turns as in the workbench).
// Returns the files written; empty, with *error (one sentence), when it could not.
QStringList exportProgram(const Lesson& lesson, const QString& mode, const QString& outDir,
                          QString* error);

} // namespace sockbench::program
