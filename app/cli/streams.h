#pragma once

#include <QTextStream>

namespace sockbench::cli {

// Standard output and error for every command: one stream each, so that what a command
// prints keeps its order whichever file prints it.
inline QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

inline QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

} // namespace sockbench::cli
