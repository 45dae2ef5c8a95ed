// Save a session, close it, open the file and replay it: the stage and the closer views
// show what was recorded, step by step, forwards and backwards - and no socket is made.

#include "lesson/console.h"
#include "presentation/stagemodel.h"
#include "replay/replaybar.h"
#include "session/eventjson.h"
#include "uisupport.h"
#include "views/closerviews.h"
#include "views/eventlogmodel.h"
#include "views/eventlogview.h"
#include "views/ladderlayout.h"
#include "views/ladderview.h"

#include <QDir>
#include <QDockWidget>
#include <QJsonDocument>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>

using namespace sockbench;
using namespace sockbench::uitest;

namespace {

// The stage's picture, in words: every socket's state, addresses, kernel view, last call.
QStringList picture(const StageModel& model)
{
    QStringList lines;
    for (const SocketId id : model.sockets()) {
        const SocketView* s = model.socket(id);
        lines << QStringLiteral("#%1 %2 %3 %4 %5 %6 %7 [%8 -> %9] sent %10 got %11")
                     .arg(id.value)
                     .arg(s->actor, teachingStateName(s->state), s->local.toString(),
                          s->peer.toString(), tcpStateName(s->kernel.tcpState), s->lastCall,
                          s->lastResult)
                     .arg(s->bytesSent)
                     .arg(s->bytesReceived);
    }
    return lines;
}

// The picture the first count recorded events make, drawn by a stage model of its own.
QStringList pictureAfter(const QList<Event>& events, int count)
{
    StageModel model;
    for (int i = 0; i < count; ++i)
        model.apply(events[i]);
    return picture(model);
}

QList<QByteArray> asJson(const Timeline& timeline)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < timeline.size(); ++i)
        out << QJsonDocument(eventjson::toJson(timeline.at(i))).toJson(QJsonDocument::Compact);
    return out;
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot).size());
}

// What the closer views show: the event log's rows as text, and the ladder's lifelines and
// arrows.
QStringList closerViews(MainWindow& window)
{
    QCoreApplication::sendPostedEvents(); // the views' coalesced updates
    QStringList shown;
    const EventLogModel* log = window.closerViews()->eventLog()->model();
    QList<int> rows;
    for (int row = 0; row < log->rowCount(); ++row)
        rows << row;
    shown << log->rowsAsText(rows);
    const LadderLayout& ladder = window.closerViews()->ladder()->layout();
    for (const auto& line : ladder.lifelines())
        shown << QStringLiteral("lifeline %1 %2").arg(line.actor, line.name);
    for (const auto& arrow : ladder.arrows())
        shown
            << QStringLiteral("arrow %1 -> %2: %3").arg(arrow.from).arg(arrow.to).arg(arrow.label);
    return shown;
}

// Runs a lesson to its end in a window and saves the session; returns the picture and the
// events at the moment of saving.
struct Recorded {
    QStringList picture;
    QList<QByteArray> events;
    QHash<SocketId, QString> names;
    QStringList views;
};

} // namespace

class TestReplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void savedSessionReplaysWithoutASocket_data();
    void savedSessionReplaysWithoutASocket();
    void selectingAMomentMovesTheReplayThere();
    void brokenFilesAreRefusedInTheWindow_data();
    void brokenFilesAreRefusedInTheWindow();
    void runAgainLive();
    void liveSelectionFollowsTheNewestCall();

private:
    bool record(const QString& lesson, const QString& path, Recorded* recorded);
    QTemporaryDir m_dir;
};

void TestReplay::initTestCase()
{
    startWindowTest("tst_replay");
    QVERIFY(m_dir.isValid());
}

bool TestReplay::record(const QString& lesson, const QString& path, Recorded* recorded)
{
    Workbench bench;
    MainWindow window(bench);
    if (!window.openLesson(lesson)) {
        qWarning() << "cannot open" << lesson;
        return false;
    }
    window.session().presenter().setSpeed(0);
    window.show();
    auto& runner = window.session().runner();
    if (!QTest::qWaitFor([&] { return runner.mode() == program::Runner::Mode::Idle; }, kWaitMs)) {
        qWarning() << "the lesson never got ready";
        return false;
    }
    runner.setStopAtPauses(false);
    runner.setPlayInterval(0);
    runner.play();
    if (!QTest::qWaitFor([&] { return runner.isFinished(); }, 30000) || runner.failures() != 0) {
        qWarning() << "the lesson did not pass:" << runner.stepCount() << runner.failures();
        return false;
    }
    QString error;
    if (!window.saveSession(path, &error)) {
        qWarning() << error;
        return false;
    }
    // Right after saving, before the event loop runs again: what the file holds.
    recorded->picture = picture(window.session().model());
    recorded->events = asJson(window.session().timeline());
    recorded->views = closerViews(window);
    for (const SocketId id : window.session().model().sockets())
        recorded->names.insert(id, window.session().timeline().socketName(id));
    return !recorded->events.isEmpty();
}

void TestReplay::savedSessionReplaysWithoutASocket_data()
{
    QTest::addColumn<QString>("lesson");
    QTest::newRow("first connection") << QStringLiteral("first-connection");
    QTest::newRow("connection refused") << QStringLiteral("connection-refused");
    // A lesson with a built-in peer: the replay must not start the peer.
    QTest::newRow("web page, with a peer") << QStringLiteral("a-web-page-over-a-raw-socket");
}

void TestReplay::savedSessionReplaysWithoutASocket()
{
    QFETCH(QString, lesson);
    const QString path = m_dir.filePath(lesson + QStringLiteral(".sockbench"));
    Recorded recorded;
    QVERIFY(record(lesson, path, &recorded));
    // The ladder had lifelines and arrows to compare, the log its rows.
    QVERIFY(recorded.views.filter(QStringLiteral("lifeline ")).size() >= 2);
    QVERIFY(recorded.views.first().count(QLatin1Char('\n')) >= 10);

    // Another workbench, as after closing the app: the replay must not touch it at all.
    Workbench bench;
    MainWindow window(bench);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int descriptors = openDescriptors();
    QString error;
    QVERIFY2(window.openLesson(path, &error), qPrintable(error));
    const Replayer& replay = window.session().replayer();
    QVERIFY(replay.isActive());
    QVERIFY(window.replayBar()->isVisible());
    QVERIFY(window.closerDock()->isVisible());
    QCOMPARE(replay.total(), int(recorded.events.size()));
    const auto& events = replay.session().events;
    const auto& statements = replay.session().statements;
    // It steps as the live window did: one line event a step, from where the run began (a
    // peer already listening).
    QVERIFY(replay.bySteps());
    QCOMPARE(replay.steps(), int(statements.size()));
    QCOMPARE(replay.step(), 0);
    const auto shownBefore = [&](quint64 seq) {
        return int(std::count_if(events.begin(), events.end(),
                                 [seq](const Event& e) { return e.seq <= seq; }));
    };
    QCOMPARE(replay.position(), shownBefore(statements[0].beforeSeq));

    // → steps through the recording, a line event at a time; the stage shows exactly what
    // the events up to the next step's moment make.
    int steps = 0;
    while (!replay.atEnd() && steps < 10000) {
        const int before = replay.position();
        QTest::keyClick(&window, Qt::Key_Right);
        ++steps;
        QCOMPARE(replay.step(), steps);
        QCOMPARE(replay.position(), steps < replay.steps()
                                        ? shownBefore(statements[steps].beforeSeq)
                                        : replay.total());
        QVERIFY(replay.position() >= before);
        QCOMPARE(picture(window.session().model()), pictureAfter(events, replay.position()));
        // The inspector looks at the newest call shown, not at the kernel's observations.
        int called = replay.position() - 1;
        while (called > 0 && events[called].kind == EventKind::Observation)
            --called;
        if (called >= 0 && events[called].kind != EventKind::Observation)
            QCOMPARE(window.session().selection().seq(), events[called].seq);
        QCOMPARE(window.replayBar()->slider()->value(), replay.position());
    }
    QVERIFY(replay.atEnd());
    QCOMPARE(steps, int(statements.size()));
    QVERIFY(!window.stepAction()->isEnabled());
    // At the end: the same picture, the same events, the same names as when it was saved.
    QCOMPARE(picture(window.session().model()), recorded.picture);
    QCOMPARE(asJson(window.session().timeline()), recorded.events);
    for (auto it = recorded.names.cbegin(); it != recorded.names.cend(); ++it)
        QCOMPARE(window.session().timeline().socketName(it.key()), it.value());
    QCOMPARE(closerViews(window), recorded.views);
    // The console tells what each recorded step did, once.
    QCOMPARE(window.console()->transcript().size(), statements.size());

    // ← goes back one step at a time, to the start.
    while (replay.step() > 0 && steps-- > 0) {
        const int before = replay.step();
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(replay.step(), before - 1);
        QCOMPARE(picture(window.session().model()), pictureAfter(events, replay.position()));
        QCOMPARE(window.session().timeline().size(), qsizetype(replay.position()));
    }
    QCOMPARE(replay.step(), 0);
    QCOMPARE(replay.position(), shownBefore(statements[0].beforeSeq));

    // The panels make no calls during a replay: they say so instead.
    const QString host = window.session().model().actors().value(0);
    QVERIFY(window.stage()->host(host));
    window.stage()->host(host)->newSocketButton()->menu()->actions().first()->trigger();
    QCOMPARE(window.lastProblem(), window.session().replayRefusal());
    auto* startEcho = window.findChild<QAction*>(QStringLiteral("startPeer_echo"));
    QVERIFY(startEcho);
    startEcho->trigger();
    QVERIFY2(window.lastProblem().contains(QLatin1String("without sockets")),
             qPrintable(window.lastProblem()));

    // Not one call reached the workbench: no socket, no lookup, nothing.
    QCOMPARE(bench.trace().lastSeq(), quint64(0));
    QCOMPARE(openDescriptors(), descriptors);
}

void TestReplay::selectingAMomentMovesTheReplayThere()
{
    const QString path = m_dir.filePath(QStringLiteral("select.sockbench"));
    Recorded recorded;
    QVERIFY(record(QStringLiteral("first-connection"), path, &recorded));
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openSession(path));
    Replayer& replay = window.session().replayer();
    replay.seek(replay.total());
    const auto& events = replay.session().events;
    // A click on an early moment in the ladder or the log selects it: the stage goes back.
    const int target = replay.total() / 3;
    window.session().selection().select(events[target - 1].seq);
    QCOMPARE(replay.position(), target);
    QCOMPARE(picture(window.session().model()), pictureAfter(events, target));
    // Dragging the slider goes anywhere too.
    window.replayBar()->slider()->setValue(replay.total() - 1);
    QCOMPARE(replay.position(), replay.total() - 1);
    QCOMPARE(picture(window.session().model()), pictureAfter(events, replay.total() - 1));
    QCOMPARE(bench.trace().lastSeq(), quint64(0));
}

void TestReplay::brokenFilesAreRefusedInTheWindow_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("says");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("broken.sockbench: the file is empty");
    QTest::newRow("truncated") << QByteArray("{\n  \"format\": \"sockbench-session\",\n  \"ver")
                               << QStringLiteral("broken.sockbench:3:");
    QTest::newRow("newer") << QByteArray("{\"format\": \"sockbench-session\", \"version\": 7}")
                           << QStringLiteral("newer Socket Workbench");
    QTest::newRow("script that is not a lesson")
        << QByteArray("{\"format\": \"sockbench-session\", \"version\": 1, \"script\": "
                      "\"while True\\n    pass\\n\", \"events\": []}")
        << QStringLiteral("a script inside the session file");
}

void TestReplay::brokenFilesAreRefusedInTheWindow()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, says);
    const QString path = m_dir.filePath(QStringLiteral("broken.sockbench"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("first-connection")));
    QString error;
    QVERIFY(!window.openSession(path, &error));
    QVERIFY2(error.contains(says), qPrintable(error));
    QCOMPARE(window.lastProblem(), error);
    // Nothing half-loaded: the lesson that was open is still there, ready to step.
    QVERIFY(!window.session().replayer().isActive());
    QVERIFY(!window.replayBar()->isVisible());
    QCOMPARE(window.session().lessonName(), QStringLiteral("first-connection"));
    QTRY_VERIFY_WITH_TIMEOUT(window.stepAction()->isEnabled(), 10000);
}

void TestReplay::runAgainLive()
{
    const QString path = m_dir.filePath(QStringLiteral("live.sockbench"));
    Recorded recorded;
    QVERIFY(record(QStringLiteral("connection-refused"), path, &recorded));
    Workbench bench;
    MainWindow window(bench);
    window.show();
    QVERIFY(window.openSession(path));
    window.session().presenter().setSpeed(0);
    QTest::mouseClick(window.replayBar()->liveButton(), Qt::LeftButton);
    QVERIFY(!window.session().replayer().isActive());
    QVERIFY(!window.replayBar()->isVisible());
    auto& runner = window.session().runner();
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    runner.setStopAtPauses(false);
    runner.setPlayInterval(0);
    runner.play();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isFinished(), 30000);
    QCOMPARE(runner.failures(), 0);
    // Real calls this time, and the stage ends as the recording did.
    QVERIFY(bench.trace().lastSeq() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(window.session().model().sockets().size(),
                              qsizetype(recorded.picture.size()), kWaitMs);
}

void TestReplay::liveSelectionFollowsTheNewestCall()
{
    Workbench bench;
    MainWindow window(bench);
    QVERIFY(window.openLesson(QStringLiteral("first-connection")));
    window.session().presenter().setSpeed(0);
    auto& runner = window.session().runner();
    const Timeline& timeline = window.session().timeline();
    EventSelection& selection = window.session().selection();
    auto newestCall = [&] {
        for (qsizetype i = timeline.size() - 1; i >= 0; --i)
            if (timeline.at(i).kind != EventKind::Observation)
                return timeline.at(i).seq;
        return quint64(0);
    };
    QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    for (int i = 0; i < 3; ++i) {
        runner.step();
        QTRY_VERIFY_WITH_TIMEOUT(runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    }
    // Nobody picked a moment: the inspector shows the newest call - once every event of
    // those steps is on the timeline (under load the presenter can be a few behind).
    QTRY_VERIFY_WITH_TIMEOUT(timeline.size() > 0 &&
                                 timeline.at(timeline.size() - 1).seq == bench.trace().lastSeq() &&
                                 newestCall() != 0 && selection.seq() == newestCall(),
                             kWaitMs);
    // The student picks an earlier one: it stays while the lesson goes on.
    const quint64 picked = timeline.at(0).seq;
    QVERIFY(picked != selection.seq());
    selection.select(picked);
    runner.step();
    QTRY_VERIFY_WITH_TIMEOUT(
        runner.stepCount() == 4 && runner.mode() == program::Runner::Mode::Idle, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(newestCall() > picked, kWaitMs);
    QCOMPARE(selection.seq(), picked);
}

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
