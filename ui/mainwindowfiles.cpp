// MainWindow: what the File menu does - scripts, sessions, exports - and the step keys,
// which drive either the lesson or a recording that replays.

#include "mainwindow.h"

#include "lesson/catalogue.h"
#include "program/lesson.h"
#include "session.h"
#include "views/closerviews.h"

#include <QCheckBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace sockbench {

void MainWindow::saveAs()
{
    // A shipped lesson (":/lessons/...") or a session file is never the place for a script.
    const QString suggested =
        m_session->fileName().endsWith(QLatin1String(".py")) &&
                !m_session->fileName().startsWith(QLatin1Char(':'))
            ? m_session->fileName()
            : QDir::home().filePath(m_session->lessonName() + QStringLiteral(".py"));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the script"), suggested, tr("Python (*.py)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        say(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    file.write(m_session->scriptText().toUtf8());
    say(tr("Saved %1").arg(path));
}

void MainWindow::chooseAndOpen()
{
    // Several .py files at once run side by side, each a host: a server and its client, as
    // the course runs them in two terminals.
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open a script (or several, side by side) or a recorded session"),
        QDir::homePath(),
        tr("Scripts and sessions (*.py *.%1);;Python scripts (*.py);;Recorded sessions (*.%1)")
            .arg(QLatin1String(sessionfile::kSuffix)));
    if (paths.isEmpty())
        return;
    QString error;
    if (!openFiles(paths, &error) && !error.contains(QLatin1String(": not run: ")))
        QMessageBox::warning(this, tr("Not opened"), error);
}

bool MainWindow::openFiles(const QStringList& paths, QString* error)
{
    if (paths.size() == 1)
        return openFile(paths.first(), error);
    const auto refuse = [&](const QString& sentence) {
        say(sentence);
        if (error)
            *error = sentence;
        return false;
    };
    if (paths.isEmpty())
        return refuse(tr("no file to open"));
    for (const QString& path : paths)
        if (!path.endsWith(QLatin1String(".py"), Qt::CaseInsensitive))
            return refuse(tr("%1: only Python scripts run side by side; open a recorded "
                             "session on its own")
                              .arg(path));
    // Read and checked first (a file that is no program is refused as it is); then asked.
    QList<program::Lesson> lessons;
    QString why;
    if (!Session::describeFiles(paths, &lessons, &why))
        return refuse(why);
    QList<std::pair<QString, QString>> programs;
    for (const program::Lesson& lesson : std::as_const(lessons))
        programs.push_back({lesson.path, lesson.source});
    if (!mayRun(programs, error))
        return false;
    m_session->loadFiles(paths, lessons);
    return true;
}

namespace {

// A shipped lesson's text, exactly: it asks nothing (the workbench's own program).
bool isShippedProgram(const QString& source)
{
    static const QSet<QString> shipped = [] {
        QSet<QString> sources;
        for (const lesson::LessonFile& l : lesson::catalogue::shipped())
            sources.insert(l.source);
        return sources;
    }();
    return shipped.contains(source);
}

QString trustKey(const QString& path, const QString& source)
{
    // Trusted as it is: by name and text, so an edited file asks again.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QFileInfo(path).fileName().toUtf8());
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(source.toUtf8());
    return QStringLiteral("trustedPrograms/") + QString::fromLatin1(hash.result().toHex());
}

} // namespace

bool MainWindow::mayRun(const QList<std::pair<QString, QString>>& programs, QString* error)
{
    QSettings settings;
    QStringList names, keys;
    for (const auto& [path, source] : programs) {
        if (isShippedProgram(source) || settings.value(trustKey(path, source)).toBool())
            continue;
        names << QFileInfo(path).fileName();
        keys << trustKey(path, source);
    }
    if (names.isEmpty() || !m_askBeforeRunning)
        return true;
    const QString list = names.join(QStringLiteral(", ")).toHtmlEscaped();
    QMessageBox box(QMessageBox::Warning, tr("Run a program from outside Socket Workbench?"),
                    tr("<p><b>%1</b> did not come with Socket Workbench.</p>"
                       "<p>It runs on your <code>python3</code> with your rights, exactly as "
                       "<code>python3 %2</code> would in a terminal: it can read, change and "
                       "delete your files and use the network. The workbench shows its socket "
                       "calls; it does not fence it in.</p>"
                       "<p>Run it only if you know what it does.</p>",
                       nullptr, int(names.size()))
                        .arg(list, names.first().toHtmlEscaped()),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("runUnshippedProgram"));
    QPushButton* run = box.addButton(tr("Run it"), QMessageBox::AcceptRole);
    run->setObjectName(QStringLiteral("runIt"));
    QPushButton* keep = box.addButton(tr("Don't run it"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    auto* remember = new QCheckBox(
        tr("Don't ask again for %1 while it stays as it is now", nullptr, int(names.size()))
            .arg(names.join(QStringLiteral(", "))),
        &box);
    box.setCheckBox(remember);
    box.exec();
    if (box.clickedButton() != run) {
        const QString sentence =
            tr("%1: not run: you chose not to run a program that did not come with Socket "
               "Workbench")
                .arg(programs.size() == 1 ? programs.first().first
                                          : names.join(QStringLiteral(", ")));
        say(sentence);
        if (error)
            *error = sentence;
        return false;
    }
    if (remember->isChecked())
        for (const QString& key : std::as_const(keys))
            settings.setValue(key, true);
    return true;
}

void MainWindow::runRecordingLive()
{
    // A recording's script may come from anywhere: running it live asks as a file would.
    const auto& recording = m_session->replayer().session();
    QList<std::pair<QString, QString>> programs;
    for (const auto& p : recording.programs)
        programs.push_back({p.fileName, p.script});
    if (programs.isEmpty())
        programs.push_back({m_session->fileName(), recording.script});
    if (mayRun(programs, nullptr))
        m_session->runRecordingLive();
}

bool MainWindow::openFile(const QString& path, QString* error)
{
    const auto refuse = [&](const QString& why) {
        const QString sentence = path + QStringLiteral(": ") + why;
        say(sentence);
        if (error)
            *error = sentence;
        return false;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return refuse(tr("no such file"));
    if (info.isDir())
        return refuse(tr("a folder, not a script or a session file"));
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String(sessionfile::kSuffix))
        return openSession(path, error);
    if (suffix == QLatin1String("py"))
        return openLesson(path, error);
    return refuse(tr("not a script (.py) or a recorded session (.%1), so it is not opened")
                      .arg(QLatin1String(sessionfile::kSuffix)));
}

void MainWindow::exportPython()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export into which folder?"), QDir::homePath());
    if (dir.isEmpty())
        return;
    // The backend writes the exports (`boot.py --export`): one file per actor, and one
    // with a thread per actor, from the program as it stands (clicks included).
    const QString name =
        m_session->lessonName().isEmpty() ? QStringLiteral("experiment") : m_session->lessonName();
    auto described = program::describe(m_session->scriptText(), name + QStringLiteral(".py"));
    if (auto* error = std::get_if<program::LoadError>(&described)) {
        say(error->format());
        return;
    }
    for (const QString& mode : {QStringLiteral("per-actor"), QStringLiteral("threads")}) {
        QString error;
        if (program::exportProgram(std::get<program::Lesson>(described), mode, dir, &error)
                .isEmpty()) {
            say(tr("Export (%1) failed: %2").arg(mode, error));
            return;
        }
    }
    say(tr("Exported the program into %1: one file per actor, and one with a thread per actor")
            .arg(dir));
}

void MainWindow::saveSessionAs()
{
    const QString base =
        m_session->lessonName().isEmpty() ? QStringLiteral("session") : m_session->lessonName();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the session: the script and everything it did"),
        QDir::home().filePath(base + QLatin1Char('.') + QLatin1String(sessionfile::kSuffix)),
        tr("Recorded sessions (*.%1)").arg(QLatin1String(sessionfile::kSuffix)));
    if (!path.isEmpty())
        saveSession(path);
}

bool MainWindow::saveSession(const QString& path, QString* error)
{
    QString why;
    if (!m_session->saveRecording(path, &why)) {
        say(why);
        if (error)
            *error = why;
        return false;
    }
    say(tr("Saved the session in %1: open it to replay it, with no network needed")
            .arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::openSession(const QString& path, QString* error)
{
    QString why;
    if (!m_session->openRecording(path, &why)) {
        say(why);
        if (error)
            *error = why;
        return false;
    }
    // A replay is for looking closer: the ladder and the inspector come along.
    m_closerDock->show();
    say(tr("Replaying %1: Step (→) moves through what was recorded")
            .arg(QFileInfo(path).fileName()));
    updateControls();
    return true;
}

void MainWindow::stepForward()
{
    if (m_session->replayer().isActive())
        m_session->replayer().stepForward();
    else
        m_session->runner().step();
}

void MainWindow::stepBack()
{
    if (m_session->replayer().isActive())
        m_session->replayer().stepBack();
    else
        m_session->runner().stepBack();
}

void MainWindow::togglePlay()
{
    if (Replayer& replay = m_session->replayer(); replay.isActive()) {
        if (replay.isPlaying())
            replay.pause();
        else
            replay.play();
        return;
    }
    auto& r = m_session->runner();
    if (r.mode() == program::Runner::Mode::Playing)
        r.pause();
    else
        r.play();
}

void MainWindow::resetOrRewind()
{
    if (m_session->replayer().isActive())
        m_session->replayer().rewind();
    else
        m_session->runner().reset();
}

} // namespace sockbench
