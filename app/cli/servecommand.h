#pragma once

#include <QStringList>

namespace sockbench::cli {

// sockbench serve NAME [--host H] [--port P] [--timeout SECONDS] | serve --list
int serve(const QStringList& arguments);
// The lines `sockbench --help` shows for it.
QString serveUsage();

} // namespace sockbench::cli
