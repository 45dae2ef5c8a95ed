#include "commands.h"

#include <QCoreApplication>
#include <QTextStream>

namespace sockbench::cli {

namespace {

QTextStream& out() {
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err() {
    static QTextStream stream(stderr);
    return stream;
}

int usage(QTextStream& stream, int status) {
    stream << "Usage: sockbench [--lesson NAME] [--platform NAME]   open the workbench window\n"
              "       sockbench --screenshot FILE.png [--lesson NAME] [--step N]\n"
              "       sockbench --version | --help\n";
    stream.flush();
    return status;
}

} // namespace

QStringList commandNames() {
    return {QStringLiteral("--version"), QStringLiteral("version"), QStringLiteral("--help"),
            QStringLiteral("help")};
}

int run(const QStringList& arguments) {
    if (arguments.isEmpty())
        return usage(err(), 2);
    const QString& command = arguments.first();
    if (command == QLatin1String("--version") || command == QLatin1String("version")) {
        out() << "sockbench " << QCoreApplication::applicationVersion() << '\n';
        out().flush();
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("help"))
        return usage(out(), 0);
    err() << "sockbench: unknown command '" << command << "' (try sockbench --help)\n";
    err().flush();
    return 2;
}

} // namespace sockbench::cli
