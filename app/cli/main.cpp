// sockbench-cli: every headless command of Socket Workbench. Links the core alone.
#include "commands.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sockbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SOCKBENCH_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return sockbench::cli::run(arguments);
}
