#pragma once

#include <QString>
#include <QStringList>

#include <future>

namespace sockbench::program {

// The python3 that runs programs, found once per process: $SOCKBENCH_PYTHON if set, else
// python3 on PATH. A launcher (pyenv's shim) is resolved to the interpreter it starts, so
// that each program start pays only the interpreter's own start-up.
struct Interpreter {
    QString path;    // the executable to start
    QString version; // "3.11.2"
    QString error;   // one sentence when there is none usable (then path is empty)
    bool ok() const { return error.isEmpty(); }
};
const Interpreter& interpreter();
// Asks candidate which interpreter it is and which version, or reads its answer kept from an
// earlier process: an executable file (not a launcher script) that has not changed since
// (the cache directory's interpreter/). What interpreter() does with the python3 it finds.
Interpreter findInterpreter(const QString& candidate);

// The directory holding the backend (boot.py and the _sockbench package): kept, compiled, in
// the cache directory under a name that is its contents' hash, written out of the program's
// resources when that version is not there yet (or into a temporary directory, once per
// process, where there is no cache). Empty with *error if it cannot be written.
QString backendDirectory(QString* error);

// Finds python3 and writes the backend on a thread of their own, so that whoever needs them
// first (a window opening its first lesson) finds them ready, or waits less: interpreter()
// and backendDirectory() wait for that thread's answer rather than start again. Keep the
// future until the process ends; its destructor waits for the thread.
std::future<void> prepareInBackground();

} // namespace sockbench::program
