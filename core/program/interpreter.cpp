#include "interpreter.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

namespace sockbench::program {

namespace {

constexpr int kMinimumMinor = 9; // 3.9

// Where the answer of this interpreter is kept, when it is one that cannot answer otherwise
// next time: an executable (ELF) file named python*, unchanged since (the same absolute
// path, the same file it resolves to, its size and times). A launcher script (pyenv's shim) may
// start another interpreter tomorrow from the same path: it is asked every time. Asking costs a
// python3 start (about 0.1 s) on the way to the window's first frame. Empty: not to be kept.
QString keptAnswerPath(const QString& candidate)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    const QFileInfo info(candidate);
    const QString path = info.absoluteFilePath(); // a venv's python3, wherever it was named from
    const QString target = info.canonicalFilePath();
    QFile file(target);
    // An interpreter is a python file; a launcher that is one executable for every version
    // (mise's shims resolve to mise itself) is asked every time, as a script is.
    if (dir.isEmpty() || target.isEmpty() ||
        !QFileInfo(target).fileName().startsWith(QLatin1String("python")) ||
        !file.open(QIODevice::ReadOnly) ||
        file.read(4) != QByteArrayLiteral("\x7f"
                                          "ELF"))
        return {};
    const QFileInfo resolved(target);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& part :
         {path, target, QString::number(resolved.size()),
          QString::number(resolved.lastModified().toMSecsSinceEpoch()),
          QString::number(resolved.metadataChangeTime().toMSecsSinceEpoch())}) {
        hash.addData(QByteArray::number(part.size()));
        hash.addData(part.toUtf8());
    }
    return dir + QStringLiteral("/interpreter/") + QString::fromLatin1(hash.result().toHex());
}

// The kept answer: its executable and version, each a line.
std::optional<Interpreter> readKept(const QString& path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    Interpreter kept;
    kept.path = lines.value(0);
    kept.version = lines.value(1);
    if (kept.path.isEmpty() || kept.version.isEmpty() || !QFileInfo(kept.path).isExecutable())
        return std::nullopt;
    return kept;
}

void keep(const QString& path, const Interpreter& found)
{
    if (path.isEmpty() || !QDir().mkpath(QFileInfo(path).path()))
        return;
    QSaveFile file(path);
    const QByteArray text = (found.path + QLatin1Char('\n') + found.version).toUtf8();
    if (file.open(QIODevice::WriteOnly) && file.write(text) == text.size())
        file.commit();
}

} // namespace

Interpreter findInterpreter(const QString& candidate)
{
    Interpreter found;
    const QString keptAt = keptAnswerPath(candidate);
    if (std::optional<Interpreter> kept = readKept(keptAt))
        return *kept;
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
    keep(keptAt, found); // a usable one only: a refusal is asked again, once it may be fixed
    return found;
}

namespace {

Interpreter find()
{
    QString candidate = qEnvironmentVariable("SOCKBENCH_PYTHON");
    if (candidate.isEmpty())
        candidate = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (candidate.isEmpty()) {
        Interpreter found;
        found.error = QStringLiteral("Socket Workbench runs programs on python3 (3.9 or "
                                     "newer), and there is no python3 on PATH.");
        return found;
    }
    return findInterpreter(candidate);
}

} // namespace

const Interpreter& interpreter()
{
    static const Interpreter found = find();
    return found;
}

namespace {

// The backend's files (boot.py and the _sockbench package, and the preludes the exporter puts
// into exported programs), each with its path under the backend directory.
std::vector<std::pair<QString, QString>> backendFiles()
{
    std::vector<std::pair<QString, QString>> files;
    for (const auto& [from, into] :
         {std::pair{QStringLiteral(":/python"), QString()},
          std::pair{QStringLiteral(":/export"), QStringLiteral("/export")}}) {
        QDirIterator it(from, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString source = it.next();
            if (it.fileInfo().isFile())
                files.emplace_back(source, into + source.mid(from.size()));
        }
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    return files;
}

bool writeBackend(const QString& root, QString* failed)
{
    for (const auto& [source, relative] : backendFiles()) {
        const QString to = root + relative;
        QDir().mkpath(QFileInfo(to).path());
        QFile::remove(to);
        if (!QFile::copy(source, to)) {
            *failed = to;
            return false;
        }
        QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner);
    }
    return true;
}

// The backend kept in the cache directory, named after its contents: python3 compiles it
// once (its bytecode is kept beside it), not at every start and Reset of every process,
// as it did from a fresh directory (about 40 ms of a core, on the way to the first frame).
// Written into a staging directory and renamed into place, so that two processes starting
// at once each find it whole. Empty where there is no cache to keep it in.
QString keptBackend()
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (cache.isEmpty())
        return {};
    const QString root = cache + QStringLiteral("/backend");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto& [source, relative] : backendFiles()) {
        QFile file(source);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray text = file.readAll();
        for (const QByteArray& part : {relative.toUtf8(), text}) {
            hash.addData(QByteArray::number(part.size()) + ':');
            hash.addData(part);
        }
    }
    const QString name = QString::fromLatin1(hash.result().toHex().left(20));
    const QString kept = root + QLatin1Char('/') + name;
    const auto whole = [&kept] { return QFileInfo(kept + QStringLiteral("/boot.py")).isFile(); };
    if (whole())
        return kept;
    if (!QDir().mkpath(root))
        return {};
    QTemporaryDir staging(root + QStringLiteral("/.staging-XXXXXX"));
    QString failed;
    if (!staging.isValid() || !writeBackend(staging.path(), &failed))
        return {};
    // Compiled where it is written: python3 reads bytecode whatever PYTHONDONTWRITEBYTECODE
    // says, and loads it with the file names of where the sources are then.
    if (const Interpreter& python = interpreter(); python.ok()) {
        QProcess compile;
        compile.start(python.path, {QStringLiteral("-m"), QStringLiteral("compileall"),
                                    QStringLiteral("-q"), staging.path()});
        if (!compile.waitForFinished(30000)) {
            compile.kill();
            compile.waitForFinished(1000);
        }
    }
    if (QDir().rename(staging.path(), kept))
        staging.setAutoRemove(false);
    // Versions last used long ago go (their directory's time is when they were written).
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-30);
    for (const QFileInfo& other :
         QDir(root).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time)) {
        if (other.fileName() != name && other.lastModified() < old)
            QDir(other.absoluteFilePath()).removeRecursively();
    }
    return whole() ? kept : QString();
}

} // namespace

QString backendDirectory(QString* error)
{
    static std::mutex mutex;
    static QString path;
    static std::unique_ptr<QTemporaryDir> dir; // where there is no cache to keep it in
    static QString failure;
    std::lock_guard lock(mutex);
    if (!path.isEmpty())
        return path;
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return {};
    }
    path = keptBackend();
    if (!path.isEmpty())
        return path;
    auto made = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                QStringLiteral("/sockbench-backend-XXXXXX"));
    QString failed;
    if (!made->isValid()) {
        failure = QStringLiteral("The backend cannot be written to %1: %2.")
                      .arg(QDir::tempPath(), made->errorString());
    } else if (!writeBackend(made->path(), &failed)) {
        failure = QStringLiteral("The backend cannot be written to %1.").arg(failed);
    }
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return {};
    }
    dir = std::move(made);
    path = dir->path();
    return path;
}

std::future<void> prepareInBackground()
{
    return std::async(std::launch::async, [] {
        interpreter();
        backendDirectory(nullptr);
    });
}

} // namespace sockbench::program
