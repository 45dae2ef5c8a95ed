#pragma once

#include <QStringList>

namespace sockbench::cli {

// Names of the commands sockbench-cli runs; `sockbench NAME ...` hands these over.
QStringList commandNames();
// Runs one command; arguments exclude the program name. Returns the exit status.
int run(const QStringList& arguments);

} // namespace sockbench::cli
