#include "interpreter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>
#include <mutex>

namespace sockbench::program {

namespace {

constexpr int kMinimumMinor = 9; // 3.9

Interpreter find()
{
    Interpreter found;
    QString candidate = qEnvironmentVariable("SOCKBENCH_PYTHON");
    if (candidate.isEmpty())
        candidate = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (candidate.isEmpty()) {
        found.error = QStringLiteral("Socket Workbench runs programs on python3 (3.9 or "
                                     "newer), and there is no python3 on PATH.");
        return found;
    }
    QProcess probe;
    probe.setProcessChannelMode(QProcess::SeparateChannels);
    probe.start(candidate,
                {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable); "
                                                      "print('%d.%d.%d' % sys.version_info[:3])")});
    if (!probe.waitForFinished(30000) || probe.exitStatus() != QProcess::NormalExit ||
        probe.exitCode() != 0) {
        probe.kill();
        probe.waitForFinished(1000);
        found.error = QStringLiteral("%1 does not run: Socket Workbench needs a working "
                                     "python3 (3.9 or newer).")
                          .arg(candidate);
        return found;
    }
    const QStringList lines =
        QString::fromLocal8Bit(probe.readAllStandardOutput()).split(QLatin1Char('\n'));
    const QString executable = lines.value(0).trimmed();
    found.version = lines.value(1).trimmed();
    const QStringList parts = found.version.split(QLatin1Char('.'));
    if (parts.value(0).toInt() != 3 || parts.value(1).toInt() < kMinimumMinor) {
        found.error = QStringLiteral("%1 is Python %2; Socket Workbench needs python3 3.9 or "
                                     "newer.")
                          .arg(candidate, found.version);
        return found;
    }
    found.path = QFileInfo(executable).isExecutable() ? executable : candidate;
    return found;
}

} // namespace

const Interpreter& interpreter()
{
    static const Interpreter found = find();
    return found;
}

QString backendDirectory(QString* error)
{
    static std::mutex mutex;
    static std::unique_ptr<QTemporaryDir> dir;
    static QString failure;
    std::lock_guard lock(mutex);
    if (dir)
        return dir->path();
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return {};
    }
    auto made = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                QStringLiteral("/sockbench-backend-XXXXXX"));
    if (!made->isValid()) {
        failure = QStringLiteral("The backend cannot be written to %1: %2.")
                      .arg(QDir::tempPath(), made->errorString());
        if (error)
            *error = failure;
        return {};
    }
    // The backend itself, and the preludes its exporter puts into exported programs.
    for (const auto& [from, into] :
         {std::pair{QStringLiteral(":/python"), QString()},
          std::pair{QStringLiteral(":/export"), QStringLiteral("/export")}}) {
        QDirIterator it(from, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString source = it.next();
            if (!it.fileInfo().isFile())
                continue;
            const QString to = made->path() + into + source.mid(from.size());
            QDir().mkpath(QFileInfo(to).path());
            QFile::remove(to);
            if (!QFile::copy(source, to)) {
                failure = QStringLiteral("The backend cannot be written to %1.").arg(to);
                if (error)
                    *error = failure;
                return {};
            }
            QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
        }
    }
    dir = std::move(made);
    return dir->path();
}

std::future<void> prepareInBackground()
{
    return std::async(std::launch::async, [] {
        interpreter();
        backendDirectory(nullptr);
    });
}

} // namespace sockbench::program
