#pragma once

#include "ast.h"

#include <QList>
#include <QString>

#include <utility>

namespace sockbench::lesson::exporter {

// (file name, file text) pairs.
using Files = QList<std::pair<QString, QString>>;

// One script per actor (server.py, client.py, ...), each a plain Python 3 program made of
// its actor's statements. A value one actor needs from another (the port the server got
// from bind(('localhost', 0)), say) travels through a small file in a shared directory:
// start the scripts in the lesson's order, each in its own terminal.
Files perActor(const Script& script, const QString& lessonName);

// One script that runs each actor in a thread of its own with the workbench's ordering:
// statements start in file order, each once every earlier statement has finished or is
// blocked; `# expect:` becomes try/except. Run with `--json` it prints the same JSON lines
// as `sockbench run --json`, which is how the tests compare the two.
Files asThreads(const Script& script, const QString& lessonName);

} // namespace sockbench::lesson::exporter
