#include "commands.h"

#include "lessoncommands.h"
#include "servecommand.h"
#include "streams.h"

#include <QCoreApplication>
#include <QTextStream>

namespace sockbench::cli {

namespace {

int usage(QTextStream& stream, int status)
{
    stream << "Socket Workbench " << QCoreApplication::applicationVersion()
           << ": socket programming, done for real.\n\n"
              "Usage:\n"
              "  sockbench [--lesson NAME|FILE] [--platform NAME]  open the workbench window\n"
              "  sockbench FILE.sockbench | FILE.py\n"
              "                                  open the window on a recorded session, to\n"
              "                                  replay it, or on a script, as a lesson; exit 2\n"
              "                                  when the file cannot be opened\n"
              "  sockbench --screenshot FILE.png [--lesson X | FILE] [--step N]\n"
              "                                  render the window to a PNG and exit\n"
              "  sockbench lessons               list the shipped lessons\n"
              "  sockbench run NAME|FILE [--json] [--peer NAME=HOST:PORT] [--record FILE]\n"
              "                                  run a lesson headless and print its transcript;\n"
              "                                  exit 0 when it passed, 1 when something failed,\n"
              "                                  2 when the file is not a valid lesson; --peer\n"
              "                                  binds a lesson's peer to a server elsewhere\n"
              "                                  instead of starting the built-in one; --record\n"
              "                                  saves the run as a session file to replay\n"
              "  sockbench export NAME|FILE [--out DIR] [--threads]\n"
              "                                  write the lesson as runnable Python 3 scripts\n"
           << serveUsage() << "  sockbench --version | --help\n";
    stream.flush();
    return status;
}

} // namespace

QStringList commandNames()
{
    return {QStringLiteral("run"),   QStringLiteral("lessons"), QStringLiteral("export"),
            QStringLiteral("serve"), QStringLiteral("version"), QStringLiteral("--version"),
            QStringLiteral("help"),  QStringLiteral("--help"),  QStringLiteral("-h")};
}

int run(const QStringList& arguments)
{
    if (arguments.isEmpty())
        return usage(err(), 2);
    const QString& command = arguments.first();
    const QStringList rest = arguments.mid(1);
    if (command == QLatin1String("--version") || command == QLatin1String("version")) {
        out() << "sockbench " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("help") ||
        command == QLatin1String("-h"))
        return usage(out(), 0);
    if (command == QLatin1String("lessons"))
        return listLessons(rest);
    if (command == QLatin1String("run"))
        return runLesson(rest);
    if (command == QLatin1String("export"))
        return exportLesson(rest);
    if (command == QLatin1String("serve"))
        return serve(rest);
    err() << "sockbench: unknown command '" << command << "' (sockbench --help lists them)\n";
    return 2;
}

} // namespace sockbench::cli
