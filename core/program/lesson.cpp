#include "lesson.h"

#include "interpreter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <optional>

namespace sockbench::program {

QString Lesson::actorAt(int line) const
{
    const int index = sectionAt(line);
    return index < 0 ? QStringLiteral("main") : sections[index].actor;
}

int Lesson::sectionAt(int line) const
{
    for (int i = 0; i < sections.size(); ++i)
        if (line >= sections[i].firstLine && line <= sections[i].lastLine)
            return i;
    return -1;
}

bool LineNotes::asks() const
{
    return std::any_of(narration.cbegin(), narration.cend(), [](const QString& paragraph) {
        return paragraph.contains(QLatin1Char('?')) ||
               paragraph.contains(QLatin1String("predict"), Qt::CaseInsensitive);
    });
}

namespace {

// How many brackets the line leaves open (negative: closes more than it opens), outside
// strings and comments.
int openBrackets(const QString& line)
{
    int open = 0;
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('#')) {
            break;
        } else if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{')) {
            ++open;
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
            --open;
        }
    }
    return open;
}

bool opensOrCloses(const QString& before, const QString& after)
{
    const auto ends = [&](char c) { return before.endsWith(QLatin1Char(c)); };
    const auto starts = [&](char c) { return after.startsWith(QLatin1Char(c)); };
    return ends('(') || ends('[') || ends('{') || starts(')') || starts(']') || starts('}');
}

} // namespace

QString statementAt(const QString& source, int line)
{
    if (line <= 0)
        return {};
    const QStringList lines = source.split(QLatin1Char('\n'));
    if (line > lines.size())
        return {};
    QString text = lines[line - 1].trimmed();
    int open = openBrackets(text);
    bool continued = text.endsWith(QLatin1Char('\\'));
    for (int next = line; (open > 0 || continued) && next < lines.size() && next < line + 8;
         ++next) {
        if (continued)
            text.chop(1);
        text = text.trimmed();
        const QString more = lines[next].trimmed();
        text += opensOrCloses(text, more) ? more : QLatin1Char(' ') + more;
        open += openBrackets(more);
        continued = more.endsWith(QLatin1Char('\\'));
    }
    return text;
}

QString LoadError::format() const
{
    return QStringLiteral("%1:%2:%3: %4").arg(fileName).arg(line).arg(column).arg(message);
}

namespace {

QStringList strings(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& item : value.toArray())
        out << item.toString();
    return out;
}

QList<std::pair<QString, QString>> pairs(const QJsonValue& value)
{
    QList<std::pair<QString, QString>> out;
    for (const QJsonValue& item : value.toArray()) {
        const QJsonArray pair = item.toArray();
        out.append({pair.at(0).toString(), pair.at(1).toString()});
    }
    return out;
}

Lesson fromJson(const QJsonObject& o)
{
    Lesson lesson;
    lesson.title = o.value(QStringLiteral("title")).toString();
    lesson.summary = o.value(QStringLiteral("summary")).toString();
    lesson.level = o.value(QStringLiteral("level")).toString();
    lesson.topics = strings(o.value(QStringLiteral("topics")));
    lesson.extra = pairs(o.value(QStringLiteral("extra")));
    lesson.peers = pairs(o.value(QStringLiteral("peers")));
    lesson.actors = strings(o.value(QStringLiteral("actors")));
    for (const QJsonValue& item : o.value(QStringLiteral("sections")).toArray()) {
        const QJsonObject s = item.toObject();
        lesson.sections.append({s.value(QStringLiteral("actor")).toString(),
                                s.value(QStringLiteral("first")).toInt(),
                                s.value(QStringLiteral("last")).toInt()});
    }
    const QJsonObject notes = o.value(QStringLiteral("notes")).toObject();
    for (auto it = notes.begin(); it != notes.end(); ++it) {
        const QJsonObject n = it.value().toObject();
        LineNotes line;
        line.narration = strings(n.value(QStringLiteral("narration")));
        line.expect = strings(n.value(QStringLiteral("expect")));
        line.pause = n.value(QStringLiteral("pause")).toBool();
        line.background = n.value(QStringLiteral("background")).toBool();
        line.statementEnd = n.value(QStringLiteral("end")).toInt();
        lesson.notes.insert(it.key().toInt(), line);
    }
    for (const QJsonValue& item : o.value(QStringLiteral("statements")).toArray())
        lesson.statementLines << item.toInt();
    // A section with nothing in it yet (an experiment's "# --- you ---") is a host too.
    for (const Section& section : std::as_const(lesson.sections))
        if (!lesson.actors.contains(section.actor))
            lesson.actors << section.actor;
    if (lesson.actors.isEmpty())
        lesson.actors << QStringLiteral("main");
    return lesson;
}

} // namespace

namespace {

// Every file of the backend, hashed once: a description is the backend's answer, and a
// newer backend may answer differently.
QByteArray backendFingerprint()
{
    static const QByteArray print = [] {
        QStringList files;
        QDirIterator it(QStringLiteral(":/python"), QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        QCryptographicHash hash(QCryptographicHash::Sha256);
        for (const QString& name : files) {
            QFile file(name);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            hash.addData(name.toUtf8());
            hash.addData(file.readAll());
        }
        return hash.result();
    }();
    return print;
}

// Where the description of this text under this name, by this interpreter and backend, is
// kept. The same question always gets the same answer, and asking python3 costs a process
// start (about 0.1 s, more through a launcher such as pyenv's shim) on the way to the
// window's first frame. Empty where there is no cache directory.
QString describedPath(const Interpreter& python, const QString& source, const QString& fileName)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (dir.isEmpty())
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QByteArray& part : {backendFingerprint(), python.path.toUtf8(),
                                   python.version.toUtf8(), fileName.toUtf8(), source.toUtf8()}) {
        hash.addData(QByteArray::number(part.size()));
        hash.addData(part);
    }
    return dir + QStringLiteral("/described/") + QString::fromLatin1(hash.result().toHex()) +
           QStringLiteral(".json");
}

std::optional<QJsonObject> readDescribed(const QString& path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    if (!doc.isObject() || doc.object().contains(QStringLiteral("error")))
        return std::nullopt;
    return doc.object();
}

// Kept whole or not at all (QSaveFile); at most kKeptDescriptions of them, the oldest go.
void keepDescribed(const QString& path, const QByteArray& json)
{
    constexpr int kKeptDescriptions = 500;
    if (path.isEmpty())
        return;
    QDir dir = QFileInfo(path).dir();
    if (!dir.mkpath(QStringLiteral(".")))
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
        return;
    const QFileInfoList kept =
        dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Time | QDir::Reversed);
    for (qsizetype i = 0; i + kKeptDescriptions < kept.size(); ++i)
        QFile::remove(kept[i].filePath());
}

} // namespace

std::variant<Lesson, LoadError> describe(const QString& source, const QString& fileName,
                                         const QString& path)
{
    LoadError failure{fileName, 1, 1, {}};
    const Interpreter& python = interpreter();
    if (!python.ok()) {
        failure.message = python.error;
        return failure;
    }
    const QString described = describedPath(python, source, fileName);
    std::optional<QJsonObject> known = readDescribed(described);
    if (!known) {
        const QString dir = backendDirectory(&failure.message);
        if (dir.isEmpty())
            return failure;
        QProcess process;
        process.start(python.path, {QStringLiteral("-S"), QStringLiteral("-E"),
                                    dir + QStringLiteral("/boot.py"), QStringLiteral("--describe"),
                                    QStringLiteral("-"), QStringLiteral("--name"), fileName});
        if (!process.waitForStarted(10000)) {
            failure.message =
                QStringLiteral("%1 cannot be started: %2.").arg(python.path, process.errorString());
            return failure;
        }
        process.write(source.toUtf8());
        process.closeWriteChannel();
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished(1000);
            failure.message = QStringLiteral("reading the program took too long.");
            return failure;
        }
        QJsonParseError error{};
        const QByteArray output = process.readAllStandardOutput();
        const QJsonDocument doc = QJsonDocument::fromJson(output, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            const QString why = QString::fromUtf8(process.readAllStandardError()).trimmed();
            failure.message =
                QStringLiteral("the program could not be read%1")
                    .arg(why.isEmpty() ? QStringLiteral(".")
                                       : QStringLiteral(": ") + why.split('\n').last());
            return failure;
        }
        const QJsonObject o = doc.object();
        if (o.contains(QStringLiteral("error"))) {
            const QJsonObject e = o.value(QStringLiteral("error")).toObject();
            failure.line = e.value(QStringLiteral("line")).toInt(1);
            failure.column = e.value(QStringLiteral("col")).toInt(1);
            failure.message = e.value(QStringLiteral("message")).toString();
            return failure;
        }
        keepDescribed(described, output);
        known = o;
    }
    Lesson lesson = fromJson(*known);
    lesson.fileName = fileName;
    lesson.path = path;
    lesson.source = source;
    return lesson;
}

QStringList exportProgram(const Lesson& lesson, const QString& mode, const QString& outDir,
                          QString* error)
{
    const Interpreter& python = interpreter();
    if (!python.ok()) {
        *error = python.error;
        return {};
    }
    const QString dir = backendDirectory(error);
    if (dir.isEmpty())
        return {};
    // The exporter reads a file: the program's text under its own name, in a private place.
    QTemporaryDir scratch;
    const QString source = scratch.filePath(QFileInfo(lesson.fileName).fileName());
    QFile file(source);
    if (!scratch.isValid() || !file.open(QIODevice::WriteOnly) ||
        file.write(lesson.source.toUtf8()) < 0 || !file.flush()) {
        *error = QStringLiteral("cannot write a scratch copy of %1").arg(lesson.fileName);
        return {};
    }
    file.close();
    QProcess process;
    process.start(python.path, {QStringLiteral("-S"), dir + QStringLiteral("/boot.py"),
                                QStringLiteral("--export"), mode, source, outDir});
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        process.kill();
        const QString why = QString::fromUtf8(process.readAllStandardError()).trimmed();
        *error = why.isEmpty() ? QStringLiteral("the export did not finish") : why;
        return {};
    }
    QStringList written;
    for (const QString& line : QString::fromUtf8(process.readAllStandardOutput()).split('\n'))
        if (!line.trimmed().isEmpty())
            written << line.trimmed();
    return written;
}

} // namespace sockbench::program
