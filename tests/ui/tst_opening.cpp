// Opening a file, in the window (File › Open, MainWindow::openFile) and from the command line
// (`sockbench FILE`): a recorded session replays, a script opens as a lesson, and anything
// else is refused with one sentence that names the file - on the command line with exit
// status 2 and no window.

#include "uisupport.h"

#include "lesson/catalogue.h"
#include "program/lesson.h"
#include "replay/replaybar.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>

using namespace sockbench;
using namespace sockbench::uitest;

namespace {

// The command line and the window say a malformed script's problem the same way the
// parser does; the test asks the parser rather than copying its words.
const char kMalformed[] =
    "# title: Not quite a lesson\nimport socket\nfor i in range(3)\n    pass\n";
const char kScript[] = "# title: A script opened by its file name\n"
                       "import socket\n"
                       "\n"
                       "# --- alpha ---\n"
                       "a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                       "\n"
                       "# --- beta ---\n"
                       "b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n";

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestOpening : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aSessionFileReplays();
    void aScriptOpensAsALesson();
    void aProgramFromOutsideRunsOnlyWhenTheStudentSaysSo();
    void whatCannotBeOpenedIsRefusedInOneSentence_data();
    void whatCannotBeOpenedIsRefusedInOneSentence();
    void theCommandLineOpensTheFile_data();
    void theCommandLineOpensTheFile();
    void theCommandLineRefusesWithStatus2AndNoWindow_data();
    void theCommandLineRefusesWithStatus2AndNoWindow();
    void helpSaysSo();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    void write(const QString& name, const QByteArray& content);
    Run app(const QStringList& arguments);
    QTemporaryDir m_dir;
    QTemporaryDir m_runtime; // XDG_RUNTIME_DIR for the app: Qt warns on stderr without one
    QString m_session;
    QString m_recordedTitle;
};

void TestOpening::initTestCase()
{
    startWindowTest("tst_opening");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_runtime.isValid());
    // A real recording, made the way a user makes one headless.
    m_session = path(QStringLiteral("exchange.sockbench"));
    QProcess cli;
    cli.start(QStringLiteral(SOCKBENCH_CLI),
              {QStringLiteral("run"), QStringLiteral("connection-refused"),
               QStringLiteral("--record"), m_session});
    // Generous: the lesson's few statements take well under a second, a loaded CI far more.
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(QFile::exists(m_session));
    const auto lesson = lesson::catalogue::find(QStringLiteral("connection-refused"));
    QVERIFY(lesson);
    m_recordedTitle = lesson->title;
    QVERIFY(!m_recordedTitle.isEmpty());

    write(QStringLiteral("script.py"), kScript);
    write(QStringLiteral("malformed.py"), kMalformed);
    write(QStringLiteral("client.py"), "import socket\nc = socket.socket()\nc.close()\n");
    write(QStringLiteral("notes.txt"), "import socket\n");
    write(QStringLiteral("broken.sockbench"), "{\"format\": \"something else\"}");
    QVERIFY(QDir(m_dir.path()).mkdir(QStringLiteral("folder.py")));
}

void TestOpening::write(const QString& name, const QByteArray& content)
{
    QFile file(path(name));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

Run TestOpening::app(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_runtime.path());
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral(SOCKBENCH_APP), arguments);
    Run run;
    // A screenshot settles for about two seconds; a minute leaves room for a slow machine.
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestOpening::aSessionFileReplays()
{
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("1")));
    QString error;
    QVERIFY2(window.openFile(m_session, &error), qPrintable(error));
    QVERIFY(window.session().replayer().isActive());
    QCOMPARE(window.session().lessonName(), QStringLiteral("connection-refused"));
    QVERIFY2(window.windowTitle().startsWith(m_recordedTitle), qPrintable(window.windowTitle()));
    QVERIFY2(window.windowTitle().contains(QStringLiteral("replaying exchange.sockbench")),
             qPrintable(window.windowTitle()));
    // Nothing ran for real: a replay makes no call.
    QCOMPARE(bench.trace().lastSeq(), quint64(0));
}

void TestOpening::aScriptOpensAsALesson()
{
    Workbench bench;
    MainWindow window(bench);
    QString error;
    RunQuestion yes(true);
    QVERIFY2(window.openFile(path(QStringLiteral("script.py")), &error), qPrintable(error));
    QVERIFY(!yes.asked.isEmpty());
    QVERIFY(!window.session().replayer().isActive());
    QCOMPARE(window.session().lessonName(), QStringLiteral("script"));
    QVERIFY2(window.windowTitle().startsWith(QStringLiteral("A script opened by its file name")),
             qPrintable(window.windowTitle()));
    QVERIFY(!window.windowTitle().contains(QStringLiteral("replaying")));
    // Its actors are the hosts, ready to step.
    QVERIFY(window.stage()->host(QStringLiteral("alpha")));
    QVERIFY(window.stage()->host(QStringLiteral("beta")));
    QTRY_VERIFY_WITH_TIMEOUT(window.stepAction()->isEnabled(), kWaitMs);
}

void TestOpening::whatCannotBeOpenedIsRefusedInOneSentence_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("pattern"); // the whole message, after the file's path
    QTest::newRow("missing session")
        << QStringLiteral("gone.sockbench") << QStringLiteral(": no such file");
    QTest::newRow("missing script")
        << QStringLiteral("gone.py") << QStringLiteral(": no such file");
    QTest::newRow("folder") << QStringLiteral("folder.py") << QStringLiteral(": a folder, .+");
    QTest::newRow("unknown kind") << QStringLiteral("notes.txt")
                                  << QStringLiteral(": not a script \\(\\.py\\) or a recorded "
                                                    "session \\(\\.sockbench\\).*");
    QTest::newRow("not a session") << QStringLiteral("broken.sockbench")
                                   << QStringLiteral(": not a Socket Workbench session.*");
    QTest::newRow("not a lesson") << QStringLiteral("malformed.py")
                                  << QStringLiteral(":\\d+:\\d+: .+");
}

void TestOpening::whatCannotBeOpenedIsRefusedInOneSentence()
{
    QFETCH(QString, file);
    QFETCH(QString, pattern);
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("first-connection")));
    QString error;
    QVERIFY(!window.openFile(path(file), &error));
    const QRegularExpression expected(
        QRegularExpression::anchoredPattern(QRegularExpression::escape(path(file)) + pattern));
    QVERIFY2(expected.match(error).hasMatch(), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QCOMPARE(window.lastProblem(), error);
    // Nothing half-opened: the lesson that was open still is.
    QCOMPARE(window.session().lessonName(), QStringLiteral("first-connection"));
    QVERIFY(!window.session().replayer().isActive());
}

void TestOpening::theCommandLineOpensTheFile_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("title"); // how the window's title starts
    QTest::addColumn<QString>("also");  // and something further in it
    const auto first = lesson::catalogue::find(QStringLiteral("1"));
    QVERIFY(first);
    QTest::newRow("session") << QStringList{QStringLiteral("exchange.sockbench")} << m_recordedTitle
                             << QStringLiteral("replaying exchange.sockbench");
    QTest::newRow("session, stepped")
        << QStringList{QStringLiteral("--step"), QStringLiteral("3"),
                       QStringLiteral("exchange.sockbench")}
        << m_recordedTitle << QStringLiteral("replaying exchange.sockbench");
    QTest::newRow("script") << QStringList{QStringLiteral("script.py")}
                            << QStringLiteral("A script opened by its file name")
                            << QStringLiteral("Socket Workbench");
    QTest::newRow("two scripts side by side")
        << QStringList{QStringLiteral("script.py"), QStringLiteral("client.py")}
        << QStringLiteral("script + client") << QStringLiteral("Socket Workbench");
    QTest::newRow("no file: the first lesson")
        << QStringList{} << first->title << QStringLiteral("Socket Workbench");
}

void TestOpening::theCommandLineOpensTheFile()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, title);
    QFETCH(QString, also);
    const QString png =
        path(QStringLiteral("shot-%1.png")
                 .arg(QTest::currentDataTag())
                 .replace(QRegularExpression(QStringLiteral("\\W+")), QStringLiteral("-")));
    const Run run = app(QStringList{QStringLiteral("--screenshot"), png, QStringLiteral("--size"),
                                    QStringLiteral("800x600")} +
                        arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(800, 600));
    // The screenshot carries the window's title: what was open when it was taken.
    const QString shown = image.text(QStringLiteral("Title"));
    QVERIFY2(shown.startsWith(title), qPrintable(shown));
    QVERIFY2(shown.contains(also), qPrintable(shown));
}

void TestOpening::theCommandLineRefusesWithStatus2AndNoWindow_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("pattern"); // the one line on stderr
    QTest::newRow("missing") << QStringList{QStringLiteral("gone.sockbench")}
                             << QStringLiteral("sockbench: gone\\.sockbench: no such file");
    QTest::newRow("unknown kind")
        << QStringList{QStringLiteral("notes.txt")}
        << QStringLiteral("sockbench: notes\\.txt: not a script \\(\\.py\\) or a recorded session "
                          "\\(\\.sockbench\\).*");
    QTest::newRow("not a session")
        << QStringList{QStringLiteral("broken.sockbench")}
        << QStringLiteral("sockbench: broken\\.sockbench: not a Socket Workbench session.*");
    // python3's own FILE:LINE:COL: sentence (program::describe), as `sockbench run` prints it.
    const auto described =
        program::describe(QString::fromUtf8(kMalformed), QStringLiteral("malformed.py"));
    const auto* problem = std::get_if<program::LoadError>(&described);
    QVERIFY2(problem, "describe() accepted a malformed program");
    QTest::newRow("not a lesson") << QStringList{QStringLiteral("malformed.py")}
                                  << QRegularExpression::escape(QStringLiteral("sockbench: ") +
                                                                problem->format());
    QTest::newRow("a script and a session")
        << QStringList{QStringLiteral("script.py"), QStringLiteral("exchange.sockbench")}
        << QStringLiteral("sockbench: exchange\\.sockbench: only scripts \\(\\.py\\) open side by "
                          "side; open a recorded session on its own");
    QTest::newRow("a file and --lesson")
        << QStringList{QStringLiteral("--lesson"), QStringLiteral("2"), QStringLiteral("script.py")}
        << QStringLiteral("sockbench: script\\.py: give a file or --lesson, not both");
}

void TestOpening::theCommandLineRefusesWithStatus2AndNoWindow()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, pattern);
    // With --screenshot: had a window been made and shown, the picture would be there.
    const QString png = path(QStringLiteral("refused.png"));
    QFile::remove(png);
    const Run run = app(QStringList{QStringLiteral("--screenshot"), png} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.endsWith(QLatin1Char('\n')), qPrintable(run.err));
    const QStringList lines = run.err.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 1);
    QVERIFY2(QRegularExpression(QRegularExpression::anchoredPattern(pattern))
                 .match(lines.first())
                 .hasMatch(),
             qPrintable(lines.first()));
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFile::exists(png));
}

void TestOpening::helpSaysSo()
{
    const Run run = app({QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("sockbench FILE.sockbench | FILE.py")),
             qPrintable(run.out));
}

void TestOpening::aProgramFromOutsideRunsOnlyWhenTheStudentSaysSo()
{
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("1")));
    const QString shipped = window.session().lessonName();
    const QString script = path(QStringLiteral("outside.py"));
    write(QStringLiteral("outside.py"), kScript);
    QString error;
    {
        // Refused: nothing of it runs, and the lesson open before stays.
        RunQuestion no(false);
        QVERIFY(!window.openFile(script, &error));
        QVERIFY2(no.asked.contains(QStringLiteral("outside.py")), qPrintable(no.asked));
        QVERIFY2(no.asked.contains(QStringLiteral("your rights")), qPrintable(no.asked));
        QVERIFY2(error.startsWith(script + QStringLiteral(": not run: ")), qPrintable(error));
        QCOMPARE(window.session().lessonName(), shipped);
    }
    {
        // Agreed, and trusted as it is now.
        RunQuestion yes(true, true);
        QVERIFY2(window.openFile(script, &error), qPrintable(error));
        QVERIFY(!yes.asked.isEmpty());
        QCOMPARE(window.session().lessonName(), QStringLiteral("outside"));
    }
    {
        RunQuestion none(false);
        QVERIFY2(window.openFile(script, &error), qPrintable(error));
        QVERIFY2(none.asked.isEmpty(), "asked again about a program trusted as it is");
    }
    {
        // Changed since: it asks again.
        write(QStringLiteral("outside.py"), kScript + QByteArray("# changed\n"));
        RunQuestion no(false);
        QVERIFY(!window.openFile(script, &error));
        QVERIFY(!no.asked.isEmpty());
    }
    {
        // A shipped lesson never asks.
        RunQuestion none(false);
        QVERIFY(window.openLesson(QStringLiteral("2"), &error));
        QVERIFY(none.asked.isEmpty());
    }
}

QTEST_MAIN(TestOpening)
#include "tst_opening.moc"
