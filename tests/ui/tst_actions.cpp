// Every action the window offers, triggered at least once: in free play, in lessons (one
// with two hosts, one with four) and while a recording replays. The menu and toolbar
// actions are found by walking the window, so a new one is exercised without anyone
// listing it; then New host, New socket of every kind, and every button on every card.
// After each, what the user should see; and never a crash (the sanitizer build runs this
// too). Modal dialogs are answered from inside their own event loop, as a user would.

#include "windowdriver.h"

#include "lesson/catalogue.h"
#include "replay/replaybar.h"
#include "session/sessionfile.h"

#include <QDir>
#include <QDockWidget>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QWidgetAction>

using namespace sockbench;
using namespace sockbench::uitest;

namespace {

bool isInside(const QObject* object, const QObject* ancestor)
{
    for (; object; object = object->parent())
        if (object == ancestor)
            return true;
    return false;
}

// The window's actions outside the stage (the stage's are driven card by card and host by
// host): menus, toolbar, docks. Ordered so that those that replace what is open come last.
QList<QAction*> windowActions(MainWindow& window)
{
    QList<QAction*> actions;
    for (QAction* action : window.findChildren<QAction*>())
        if (!action->isSeparator() && !qobject_cast<QWidgetAction*>(action) && !action->menu() &&
            !isInside(action, window.stage()))
            actions << action;
    static const QStringList last = {QStringLiteral("newExperiment"), QStringLiteral("open"),
                                     QStringLiteral("quit")};
    std::stable_sort(actions.begin(), actions.end(), [](QAction* a, QAction* b) {
        return last.indexOf(a->objectName()) < last.indexOf(b->objectName());
    });
    return actions;
}

QString describe(QAction* action)
{
    return action->objectName().isEmpty() ? action->text() : action->objectName();
}

// Triggers one action of the window and checks what it must have done.
void trigger(WindowUnderTest& f, QAction* action, const QString& files, const QString& script)
{
    MainWindow& w = f.window;
    const QString name = action->objectName();
    const qsizetype seen = f.dialogs.seen.size();
    const auto dialogOpened = [&](const QString& kind) {
        QCOMPARE(f.dialogs.seen.size(), seen + 1);
        QCOMPARE(f.dialogs.seen.last().kind, kind);
    };
    QVERIFY2(action->isEnabled(), qPrintable(describe(action)));
    if (name == QLatin1String("saveScript")) {
        f.dialogs.savePath = QDir(files).filePath(name + QStringLiteral(".py"));
        action->trigger();
        CHECKED(dialogOpened(QStringLiteral("save")));
        QFile saved(f.dialogs.savePath);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), f.session().scriptText());
    } else if (name == QLatin1String("saveSession")) {
        f.dialogs.savePath = QDir(files).filePath(name + QStringLiteral(".sockbench"));
        action->trigger();
        CHECKED(dialogOpened(QStringLiteral("save")));
        QFile saved(f.dialogs.savePath);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const auto read = sessionfile::read(saved.readAll(), f.dialogs.savePath);
        if (const auto* why = std::get_if<QString>(&read))
            QFAIL(qPrintable(*why));
        const auto& recorded = std::get<sessionfile::RecordedSession>(read);
        QCOMPARE(recorded.lessonName, f.session().lessonName());
        QVERIFY(!recorded.events.isEmpty()); // every context has made (or shows) calls by now
    } else if (name == QLatin1String("exportPython")) {
        f.dialogs.folder = QDir(files).filePath(name);
        QVERIFY(QDir().mkpath(f.dialogs.folder));
        action->trigger();
        CHECKED(dialogOpened(QStringLiteral("folder")));
        QVERIFY2(!QDir(f.dialogs.folder).entryList({QStringLiteral("*.py")}).isEmpty(),
                 qPrintable(w.lastProblem()));
    } else if (name == QLatin1String("open")) {
        f.dialogs.openPath = script;
        action->trigger();
        // The file, then the question a program from outside asks before it runs.
        QCOMPARE(f.dialogs.seen.size(), seen + 2);
        QCOMPARE(f.dialogs.seen[seen].kind, QStringLiteral("open"));
        QCOMPARE(f.dialogs.seen.last().kind, QStringLiteral("question"));
        QVERIFY(f.dialogs.seen.last().text.contains(QFileInfo(script).fileName()));
        QCOMPARE(f.session().lessonName(), QFileInfo(script).completeBaseName());
        QVERIFY(!f.replaying());
        QVERIFY(f.settle());
    } else if (name == QLatin1String("newExperiment")) {
        action->trigger();
        QCOMPARE(f.session().lessonName(), QStringLiteral("experiment"));
        QVERIFY(!f.replaying());
        QVERIFY(w.stage()->host(QStringLiteral("you")));
        QVERIFY(f.settle());
    } else if (name.startsWith(QLatin1String("startPeer_"))) {
        const QString kind = name.mid(int(std::strlen("startPeer_")));
        action->trigger();
        if (f.replaying()) {
            QVERIFY2(w.lastProblem().contains(QLatin1String("replays without sockets")),
                     qPrintable(w.lastProblem()));
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(w.stage()->host(kind), kWaitMs);
            QTRY_VERIFY_WITH_TIMEOUT(
                w.statusBar()->currentMessage().contains(QLatin1String("listens on")), kWaitMs);
        }
    } else if (name == QLatin1String("zoomIn") || name == QLatin1String("zoomOut")) {
        const double before = w.zoom();
        action->trigger();
        QVERIFY(name == QLatin1String("zoomIn") ? w.zoom() > before : w.zoom() < before);
    } else if (name == QLatin1String("actualSize")) {
        w.setZoom(1.3);
        action->trigger();
        QCOMPARE(w.zoom(), 1.0);
    } else if (action->isCheckable()) {
        // A toggle (Look closer, the toolbar's own): it flips, and flips back.
        const bool before = action->isChecked();
        action->trigger();
        QCOMPARE(action->isChecked(), !before);
        action->trigger();
        QCOMPARE(action->isChecked(), before);
    } else {
        // Nothing more to say about it here; it must not break anything.
        action->trigger();
    }
    QCOMPARE(f.dialogs.seen.size() > seen,
             name == QLatin1String("saveScript") || name == QLatin1String("saveSession") ||
                 name == QLatin1String("exportPython") || name == QLatin1String("open"));
    QVERIFY(w.isVisible());
    QVERIFY(f.settle());
    CHECKED(f.checkStage());
}

// Every action of the window but Quit (the caller's last) and step, back, play and reset
// (driveLessonControls presses those in an order that leaves each enabled).
void triggerEveryWindowAction(WindowUnderTest& f, const QString& files, const QString& script)
{
    const QList<QAction*> actions = windowActions(f.window);
    QStringList names;
    for (QAction* action : actions)
        names << describe(action);
    // The set is not trivial, and the known ones are in it (renaming one is noticed here).
    for (const char* known : {"newExperiment", "open", "saveScript", "saveSession", "exportPython",
                              "quit", "stepBack", "step", "play", "reset", "lookCloser", "zoomIn",
                              "zoomOut", "actualSize", "startPeer_echo", "startPeer_udp-echo"})
        QVERIFY2(names.contains(QLatin1String(known)), known);
    QVERIFY(actions.size() >= 18);
    QCOMPARE(actions.last()->objectName(), QStringLiteral("quit"));
    static const QStringList driven = {QStringLiteral("stepBack"), QStringLiteral("step"),
                                       QStringLiteral("play"), QStringLiteral("reset")};
    for (QAction* action : actions) {
        if (driven.contains(action->objectName()) || action->objectName() == QLatin1String("quit"))
            continue;
        CHECKED(trigger(f, action, files, script));
    }
    qInfo("the window's actions: %s", qPrintable(names.join(QStringLiteral(", "))));
}

void quit(WindowUnderTest& f)
{
    QAction* quit = f.window.findChild<QAction*>(QStringLiteral("quit"));
    QVERIFY(quit);
    quit->trigger();
    QVERIFY(!f.window.isVisible());
}

const char kScript[] = "# title: Opened with File › Open\n"
                       "import socket\n"
                       "\n"
                       "# --- opened ---\n"
                       "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n";

} // namespace

class TestActions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void freePlay();
    void lesson_data();
    void lesson();
    void whileARecordingReplays();
    void newHostRefusesATakenOrInvalidName();
    void openingWhatIsNoLessonSaysWhyInAMessage();
    void stepBackOverAnInterruptedCall();
    void aClickAtAnEarlierMomentStartsAnotherFuture();

private:
    QTemporaryDir m_dir;
    QString m_script;
    QString m_session;
};

void TestActions::initTestCase()
{
    startWindowTest("tst_actions");
    // Qt's own dialogs, which a test can answer, wherever it runs.
    QCoreApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    // Quit closes the window in every case here; Qt's automatic quit when the last window
    // closes would end every event loop after it (the dialogs') in this one process.
    QApplication::setQuitOnLastWindowClosed(false);
    QVERIFY(m_dir.isValid());
    m_script = m_dir.filePath(QStringLiteral("opened.py"));
    QFile script(m_script);
    QVERIFY(script.open(QIODevice::WriteOnly));
    QVERIFY(script.write(kScript) > 0);
    script.close();
    // A recording with two hosts and their cards, made as a user makes one headless.
    m_session = m_dir.filePath(QStringLiteral("first.sockbench"));
    QProcess cli;
    cli.start(QStringLiteral(SOCKBENCH_CLI),
              {QStringLiteral("run"), QStringLiteral("first-connection"),
               QStringLiteral("--record"), m_session});
    QVERIFY(cli.waitForFinished(60000)); // a few statements; generous for a loaded machine
    QCOMPARE(cli.exitCode(), 0);
}

void TestActions::cleanupTestCase()
{
    QSettings().clear(); // the zoom it tried
}

void TestActions::freePlay()
{
    WindowUnderTest f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    CHECKED(pick(f, QStringLiteral("experiment")));
    QVERIFY(f.window.stage()->host(QStringLiteral("you")));
    CHECKED(addHost(f));
    CHECKED(addHost(f));
    QVERIFY(f.hostsAdded[0] != f.hostsAdded[1]);
    CHECKED(newSocketOfEveryKind(f, f.hostsAdded[0]));
    // The lesson's controls first: Back replays the statements so far, and a call the test
    // interrupts below would block again in that replay (see stepBackOverAnInterruptedCall).
    CHECKED(driveLessonControls(f));
    // Reset emptied the stage; the statements are still there: step them again.
    CHECKED(stepPastTheClicks(f));
    QTRY_COMPARE_WITH_TIMEOUT(f.window.stage()->findChildren<SocketCard*>().size(), kSocketKinds,
                              kWaitMs);
    CHECKED(pressEveryCardButton(f));
    // Every lifecycle call and every entry of More was pressed, and a blocked one interrupted:
    // each by its button, or by its entry in More on a card too compact for every button.
    for (const CallKind kind :
         {CallKind::Bind, CallKind::Listen, CallKind::Accept, CallKind::Connect, CallKind::SendTo,
          CallKind::RecvFrom, CallKind::Send, CallKind::Recv, CallKind::Shutdown, CallKind::Close})
        QVERIFY2(f.pressed.contains(QStringLiteral("call_") + callName(kind)) ||
                     f.pressed.contains(callName(kind) + QStringLiteral("()")),
                 qPrintable(callName(kind)));
    QVERIFY(f.pressed.contains(QStringLiteral("interrupt")));
    CHECKED(triggerEveryWindowAction(f, m_dir.path(), m_script));

    // Quit while a call blocks: the window closes, and the call ends.
    SocketCard* listener =
        newSocket(f.window, QStringLiteral("opened"), QStringLiteral("TCP over IPv4"));
    QVERIFY(listener);
    QVERIFY(click(listener, CallKind::Bind));
    QTRY_VERIFY2_WITH_TIMEOUT(listener->stateText() == QLatin1String("bound"),
                              qPrintable(QStringLiteral("%1 | mode %2 | %3")
                                             .arg(f.window.lastProblem())
                                             .arg(int(f.runner().mode()))
                                             .arg(f.session().scriptText().right(300))),
                              kWaitMs);
    QVERIFY(click(listener, CallKind::Listen));
    QTRY_COMPARE_WITH_TIMEOUT(listener->stateText(), QStringLiteral("listening"), kWaitMs);
    // How each statement ended: a click's error is its result (Raised), here of what type.
    QStringList ended;
    const auto collecting = connect(
        &f.runner(), &program::Runner::stepFinished, this, [&](const program::StepRecord& outcome) {
            // ENGINE: an interrupted click is Kind::Interrupted; else Python's exception type.
            ended << (outcome.kind == program::StepRecord::Kind::Interrupted
                          ? QStringLiteral("Interrupted")
                          : outcome.error.section(QLatin1Char(':'), 0, 0));
        });
    const auto stopCollecting = qScopeGuard([&] { disconnect(collecting); }); // before `ended` goes
    QVERIFY(click(listener, CallKind::Accept));
    QTRY_VERIFY_WITH_TIMEOUT(f.session().model().socket(listener->socketId())->isBlocked(),
                             kWaitMs);
    QVERIFY(ended.isEmpty());
    CHECKED(quit(f));
    QTRY_COMPARE_WITH_TIMEOUT(ended, QStringList{QStringLiteral("Interrupted")}, kWaitMs);
}

void TestActions::lesson_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("steps"); // how far to step before pressing everything
    QTest::newRow("01, two hosts") << QStringLiteral("first-connection") << 6;
    QTest::newRow("04, four hosts") << QStringLiteral("many-clients") << 12;
}

void TestActions::lesson()
{
    QFETCH(QString, name);
    QFETCH(int, steps);
    WindowUnderTest f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    CHECKED(pick(f, name));
    CHECKED(stepLesson(f, steps));
    QTRY_VERIFY_WITH_TIMEOUT(f.window.stage()->findChildren<SocketCard*>().size() >= 2, kWaitMs);
    CHECKED(addHost(f));
    CHECKED(addHost(f));
    QVERIFY(f.hostsAdded[0] != f.hostsAdded[1]);
    CHECKED(newSocketOfEveryKind(f, f.hostsAdded[1]));
    CHECKED(driveLessonControls(f)); // before any interrupt: see freePlay
    CHECKED(stepPastTheClicks(f));
    QTRY_VERIFY_WITH_TIMEOUT(
        f.window.stage()->findChildren<SocketCard*>().size() >= 2 + kSocketKinds, kWaitMs);
    CHECKED(pressEveryCardButton(f));
    const QString files = m_dir.filePath(
        QString::fromUtf8(QTest::currentDataTag())
            .replace(QRegularExpression(QStringLiteral("\\W+")), QStringLiteral("-")));
    QVERIFY(QDir().mkpath(files));
    CHECKED(triggerEveryWindowAction(f, files, m_script));
    CHECKED(quit(f));
}

void TestActions::whileARecordingReplays()
{
    WindowUnderTest f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    CHECKED(pick(f, QStringLiteral("experiment")));
    // File › Open, answered with the recording: it replays.
    f.dialogs.openPath = m_session;
    f.window.findChild<QAction*>(QStringLiteral("open"))->trigger();
    QCOMPARE(f.dialogs.seen.size(), 1);
    QVERIFY(f.replaying());
    QCOMPARE(f.session().lessonName(), QStringLiteral("first-connection"));
    // Show the whole recording: every card it made is on the stage.
    while (!f.session().replayer().atEnd())
        f.window.stepAction()->trigger();
    QVERIFY(f.window.stage()->findChildren<SocketCard*>().size() >= 2);
    CHECKED(addHost(f));
    CHECKED(newSocketOfEveryKind(f, QStringLiteral("server")));
    CHECKED(pressEveryCardButton(f));
    CHECKED(driveLessonControls(f));
    // Its own actions, except the one that leaves (File › Open, New experiment): below.
    const QString files = m_dir.filePath(QStringLiteral("replay"));
    QVERIFY(QDir().mkpath(files));
    for (QAction* action : windowActions(f.window)) {
        static const QStringList later = {
            QStringLiteral("stepBack"), QStringLiteral("step"), QStringLiteral("play"),
            QStringLiteral("reset"),    QStringLiteral("open"), QStringLiteral("newExperiment"),
            QStringLiteral("quit")};
        if (!later.contains(action->objectName()))
            CHECKED(trigger(f, action, files, m_script));
    }
    QVERIFY(f.replaying());
    // Run again live: the recorded script, for real.
    QTest::mouseClick(f.window.replayBar()->liveButton(), Qt::LeftButton);
    QVERIFY(!f.replaying());
    QVERIFY(f.settle());
    QVERIFY(f.window.stepAction()->isEnabled());
    CHECKED(quit(f));
}

void TestActions::newHostRefusesATakenOrInvalidName()
{
    WindowUnderTest f;
    CHECKED(pick(f, QStringLiteral("first-connection")));
    const QStringList before = f.session().model().actors();
    f.dialogs.inputText = QStringLiteral("server");
    QTest::mouseClick(f.window.stage()->newHostButton(), Qt::LeftButton);
    QCOMPARE(f.dialogs.seen.size(), 1);
    QVERIFY2(f.window.lastProblem().contains(QLatin1String("server")),
             qPrintable(f.window.lastProblem()));
    QCOMPARE(f.session().model().actors(), before);
    f.dialogs.inputText = QStringLiteral("2nd host");
    QTest::mouseClick(f.window.stage()->newHostButton(), Qt::LeftButton);
    QCOMPARE(f.dialogs.seen.size(), 2);
    QVERIFY2(f.window.lastProblem().contains(QLatin1String("Python name")),
             qPrintable(f.window.lastProblem()));
    QCOMPARE(f.session().model().actors(), before);
}

void TestActions::openingWhatIsNoLessonSaysWhyInAMessage()
{
    WindowUnderTest f;
    CHECKED(pick(f, QStringLiteral("first-connection")));
    const QString notes = m_dir.filePath(QStringLiteral("notes.txt"));
    QFile file(notes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a lesson\n");
    file.close();
    f.dialogs.openPath = notes;
    f.window.findChild<QAction*>(QStringLiteral("open"))->trigger();
    QCOMPARE(f.dialogs.seen.size(), 2); // the file dialog, then the message saying why
    QCOMPARE(f.dialogs.seen[0].kind, QStringLiteral("open"));
    QCOMPARE(f.dialogs.seen[1].kind, QStringLiteral("message"));
    QVERIFY2(f.dialogs.seen[1].text.startsWith(notes + QStringLiteral(": ")),
             qPrintable(f.dialogs.seen[1].text));
    QCOMPARE(f.session().lessonName(), QStringLiteral("first-connection"));
}

void TestActions::stepBackOverAnInterruptedCall()
{
    // Found by pressing everything in free play: a call the student interrupted, replayed by
    // Back, blocked again with nobody to interrupt it, and Back never settled. The re-made
    // run interrupts it again, as the student did.
    WindowUnderTest f;
    CHECKED(pick(f, QStringLiteral("experiment")));
    SocketCard* card = newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(card);
    QVERIFY(f.settle());
    for (const CallKind kind : {CallKind::Bind, CallKind::Listen, CallKind::Accept, CallKind::Recv,
                                CallKind::GetSockName}) {
        QObject* control = card->callButton(kind);
        for (QAction* action : card->moreButton()->menu()->actions())
            if (action->text().startsWith(callName(kind) + QLatin1Char('(')))
                control = action;
        QVERIFY(control);
        CHECKED(press(f, card, control));
    }
    QVERIFY(f.pressed.contains(QStringLiteral("interrupt"))); // accept() blocked, was interrupted
    const int at = f.runner().stepCount();
    f.window.stepBackAction()->trigger();
    QCOMPARE(f.runner().stepCount(), at - 1); // at once, from the record
    f.window.stepBackAction()->trigger();
    // Going on re-makes the run up to there: the re-make interrupts accept() again, as the
    // student did, or it would wait in it for ever.
    f.window.stepAction()->trigger();
    QVERIFY(f.settle());
    QVERIFY(!f.runner().isRewound());
    QCOMPARE(f.runner().stepCount(), at - 1);
}

void TestActions::aClickAtAnEarlierMomentStartsAnotherFuture()
{
    // Python Tutor's slider, with a live kernel behind it: Back shows the moment before
    // listen(); a click there re-makes the run up to that moment and runs the click, and the
    // listen() that came after is another future, gone from the script.
    WindowUnderTest f;
    CHECKED(pick(f, QStringLiteral("experiment")));
    SocketCard* card = newSocket(f.window, QStringLiteral("you"), QStringLiteral("TCP over IPv4"));
    QVERIFY(card);
    QVERIFY(f.settle());
    for (const CallKind kind : {CallKind::Bind, CallKind::Listen})
        CHECKED(press(f, card, card->callButton(kind)));
    QVERIFY(f.session().scriptText().contains(QStringLiteral(".listen(")));
    const int at = f.runner().stepCount();
    f.window.stepBackAction()->trigger();
    QCOMPARE(f.runner().stepCount(), at - 1);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the old cards
    const auto cards = f.window.stage()->findChildren<SocketCard*>();
    QCOMPARE(cards.size(), 1);
    const SocketView* shown = f.session().model().socket(cards.first()->socketId());
    QVERIFY(shown);
    QCOMPARE(shown->state, TeachingState::Bound); // as it was before listen()
    CHECKED(press(f, cards.first(), cards.first()->callButton(CallKind::Close)));
    QVERIFY(!f.runner().isRewound());
    const QString script = f.session().scriptText();
    QVERIFY2(!script.contains(QStringLiteral(".listen(")), qPrintable(script));
    QVERIFY2(script.contains(QStringLiteral(".close()")), qPrintable(script));
    QCOMPARE(f.runner().stepCount(), at); // bind's moment, then close() instead of listen()
    QCOMPARE(f.runner().steps().back().source.section(QLatin1Char('.'), 1),
             QStringLiteral("close()"));
}

QTEST_MAIN(TestActions)
#include "tst_actions.moc"
