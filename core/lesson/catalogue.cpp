#include "catalogue.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace sockbench::lesson::catalogue {

namespace {

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString titleOf(const QString& source)
{
    static const QRegularExpression title(QStringLiteral("^#\\s*title:\\s*(.+)$"),
                                          QRegularExpression::MultilineOption);
    const auto match = title.match(source);
    return match.hasMatch() ? match.captured(1).trimmed() : QString();
}

// "03-first-connection.py" -> "first-connection"
QString nameOf(const QString& fileName)
{
    QString base = QFileInfo(fileName).completeBaseName();
    static const QRegularExpression number(QStringLiteral("^\\d+[-_]"));
    return base.remove(number);
}

} // namespace

QList<LessonFile> shipped()
{
    QList<LessonFile> lessons;
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString& entry : dir.entryList({QStringLiteral("*.py")}, QDir::Files, QDir::Name)) {
        LessonFile lesson;
        lesson.path = dir.filePath(entry);
        lesson.source = readText(lesson.path);
        lesson.name = nameOf(entry);
        lesson.title = titleOf(lesson.source);
        lessons << lesson;
    }
    return lessons;
}

std::optional<LessonFile> find(const QString& nameOrPath, QString* error)
{
    const QFileInfo info(nameOrPath);
    if (info.isFile()) {
        QFile file(nameOrPath);
        if (!file.open(QIODevice::ReadOnly)) {
            if (error)
                *error =
                    QStringLiteral("%1: cannot read it: %2").arg(nameOrPath, file.errorString());
            return std::nullopt;
        }
        LessonFile lesson;
        lesson.path = nameOrPath;
        lesson.source = QString::fromUtf8(file.readAll());
        lesson.name = nameOf(nameOrPath);
        lesson.title = titleOf(lesson.source);
        return lesson;
    }
    const QList<LessonFile> lessons = shipped();
    bool isNumber = false;
    const int number = nameOrPath.toInt(&isNumber);
    for (qsizetype i = 0; i < lessons.size(); ++i) {
        const QString fileName = QFileInfo(lessons[i].path).fileName();
        if (lessons[i].name == nameOrPath || fileName == nameOrPath ||
            QFileInfo(fileName).completeBaseName() == nameOrPath ||
            (isNumber && fileName.section(QLatin1Char('-'), 0, 0).toInt() == number))
            return lessons[i];
    }
    if (error) {
        if (info.exists() || nameOrPath.contains(QLatin1Char('/')) ||
            nameOrPath.endsWith(QLatin1String(".py")))
            *error = QStringLiteral("%1: no such file").arg(nameOrPath);
        else
            *error =
                QStringLiteral("%1: no such lesson (sockbench lessons lists them)").arg(nameOrPath);
    }
    return std::nullopt;
}

} // namespace sockbench::lesson::catalogue
