#pragma once

// Driving the whole window as a user does, for tests that press everything: modal dialogs
// answered from inside their own event loop, New host, New socket of every kind, every
// button on a card (a call that blocks is interrupted from the card), and the lesson's
// step, back, play and reset.

#include "uisupport.h"

#include <QComboBox>
#include <QDialog>
#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>

#include <optional>
#include <unistd.h>

namespace sockbench::uitest {

// Stops the test function at the first failure inside a helper.
#define CHECKED(call)                                                                              \
    do {                                                                                           \
        call;                                                                                      \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

// Answers the modal dialogs an action opens: a file dialog gets the path the test chose, the
// New host question keeps its suggestion (or gets the text the test chose), a message box
// is read and closed. The answer is queued when the dialog shows, so it runs inside the
// dialog's own event loop and trigger() returns once the dialog is done. Every dialog is
// noted, so a test can say which one an action must open.
class DialogAnswerer : public QObject {
public:
    struct Seen {
        QString kind; // "save", "open", "folder", "input", "message", "other"
        QString text; // the path given, the suggestion read, the message read
    };
    QString savePath;
    QString openPath;
    QString folder;
    QString inputText; // empty: accept the suggestion
    QList<Seen> seen;

    DialogAnswerer() { qApp->installEventFilter(this); }
    ~DialogAnswerer() override { qApp->removeEventFilter(this); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Show)
            if (auto* dialog = qobject_cast<QDialog*>(watched); dialog && dialog->isModal()) {
                const QPointer<QDialog> guard(dialog);
                QMetaObject::invokeMethod(
                    this,
                    [this, guard] {
                        if (guard && guard->isVisible())
                            answer(guard);
                    },
                    Qt::QueuedConnection);
            }
        return false;
    }

private:
    void answer(QDialog* dialog)
    {
        if (auto* files = qobject_cast<QFileDialog*>(dialog)) {
            const bool folderMode = files->fileMode() == QFileDialog::Directory;
            const bool save = files->acceptMode() == QFileDialog::AcceptSave;
            const QString path = folderMode ? folder : save ? savePath : openPath;
            seen << Seen{folderMode ? QStringLiteral("folder")
                         : save     ? QStringLiteral("save")
                                    : QStringLiteral("open"),
                         path};
            files->selectFile(path);
            dialog->accept(); // QFileDialog's own accept(), protected there, public in QDialog
            if (files->isVisible()) { // the dialog refused the path: it is still asking
                seen.last().kind += QStringLiteral(" (refused)");
                files->reject();
            }
            return;
        }
        if (auto* input = qobject_cast<QInputDialog*>(dialog)) {
            seen << Seen{QStringLiteral("input"), input->textValue()};
            if (!inputText.isEmpty())
                input->setTextValue(inputText);
            input->accept();
            return;
        }
        if (auto* box = qobject_cast<QMessageBox*>(dialog)) {
            // Asked before a program the workbench did not ship runs: the tests run their own.
            if (auto* run = box->findChild<QPushButton*>(QStringLiteral("runIt"))) {
                seen << Seen{QStringLiteral("question"), box->text()};
                run->click();
                return;
            }
            seen << Seen{QStringLiteral("message"), box->text()};
            box->done(QMessageBox::Ok);
            return;
        }
        seen << Seen{QStringLiteral("other"), dialog->windowTitle()};
        dialog->reject();
    }
};

struct WindowUnderTest {
    Workbench bench;
    MainWindow window{bench};
    DialogAnswerer dialogs;
    QStringList hostsAdded;
    // Every kind of call button and More entry pressed, over all the cards.
    QSet<QString> pressed;
    int unixNames = 0;

    WindowUnderTest()
    {
        window.resize(1600, 1000);
        window.show();
    }
    Session& session() { return window.session(); }
    program::Runner& runner() { return window.session().runner(); }
    bool replaying() { return window.session().replayer().isActive(); }
    bool settle(int limitMs = kWaitMs)
    {
        return QTest::qWaitFor(
            [&] {
                const auto mode = runner().mode();
                return (mode == program::Runner::Mode::Idle ||
                        mode == program::Runner::Mode::Finished) &&
                       !session().replayer().isPlaying();
            },
            limitMs);
    }
    // Each actor of the model is a host on the stage.
    void checkStage()
    {
        for (const QString& actor : session().model().actors())
            QVERIFY2(window.stage()->host(actor), qPrintable(actor));
    }
};

// Picks an entry of the toolbar's lesson picker, as a click on it would.
inline void pick(WindowUnderTest& f, const QString& name)
{
    QComboBox* picker = f.window.lessonPicker();
    const int index = picker->findData(name);
    QVERIFY2(index >= 0, qPrintable(name));
    picker->setCurrentIndex(index);
    Q_EMIT picker->activated(index);
    QCOMPARE(f.session().lessonName(), name);
    QVERIFY(f.settle());
    f.session().presenter().setSpeed(0); // the picture follows at once
}

inline void stepLesson(WindowUnderTest& f, int steps)
{
    for (int i = 0; i < steps && !f.runner().atEnd(); ++i) {
        QVERIFY(f.settle());
        QTRY_VERIFY_WITH_TIMEOUT(f.window.stepAction()->isEnabled(), kWaitMs);
        f.window.stepAction()->trigger();
    }
    QVERIFY(f.settle());
}

// Steps until the statements the clicks appended (the program's last lines) have run again.
// ENGINE: needs the real runner (the stub takes no step).
inline void stepPastTheClicks(WindowUnderTest& f)
{
    const QList<int>& lines = f.runner().lesson().statementLines;
    QVERIFY(!lines.isEmpty());
    const int last = lines.last();
    const auto ran = [&] {
        for (const program::StepRecord& r : f.runner().steps())
            if (r.line == last)
                return true;
        return false;
    };
    for (int guard = 0; guard < 1000 && !ran() && !f.runner().atEnd(); ++guard)
        CHECKED(stepLesson(f, 1));
    QVERIFY(ran());
}

// New host: the dialog suggests a name no host has; the host appears under it.
inline void addHost(WindowUnderTest& f)
{
    const QStringList before = f.session().model().actors();
    const qsizetype seen = f.dialogs.seen.size();
    QTest::mouseClick(f.window.stage()->newHostButton(), Qt::LeftButton);
    if (f.replaying()) {
        QCOMPARE(f.dialogs.seen.size(), seen); // nothing asked: a recording has its hosts
        QCOMPARE(f.window.lastProblem(), f.session().replayRefusal());
        QCOMPARE(f.session().model().actors(), before);
        return;
    }
    QCOMPARE(f.dialogs.seen.size(), seen + 1);
    QCOMPARE(f.dialogs.seen.last().kind, QStringLiteral("input"));
    const QString name = f.dialogs.seen.last().text;
    QVERIFY2(!name.isEmpty() && !before.contains(name), qPrintable(name));
    QCOMPARE(f.session().model().actors(), before + QStringList{name});
    QVERIFY(f.window.stage()->host(name));
    f.hostsAdded << name;
}

// "TCP over IPv4 (AF_INET, SOCK_STREAM)" -> what the socket must be.
inline std::optional<std::pair<AddressFamily, SocketType>> kindOf(const QString& label)
{
    static const QRegularExpression shape(
        QStringLiteral("\\((AF_INET6?|AF_UNIX), (SOCK_STREAM|SOCK_DGRAM|SOCK_SEQPACKET)\\)"));
    const auto match = shape.match(label);
    if (!match.hasMatch())
        return std::nullopt;
    const AddressFamily family =
        match.captured(1) == QLatin1String("AF_INET")    ? AddressFamily::Inet4
        : match.captured(1) == QLatin1String("AF_INET6") ? AddressFamily::Inet6
                                                         : AddressFamily::Unix;
    return std::pair{family, match.captured(2) == QLatin1String("SOCK_STREAM") ? SocketType::Stream
                             : match.captured(2) == QLatin1String("SOCK_DGRAM")
                                 ? SocketType::Datagram
                                 : SocketType::SeqPacket};
}

// What the design promises in a host's New socket menu: AF_INET, AF_INET6 and AF_UNIX, each
// as stream and datagram; and AF_UNIX as seqpacket, connections that keep each message whole.
constexpr int kSocketKinds = 7;

// Every entry of the host's New socket menu: a card of that kind appears on the host.
inline void newSocketOfEveryKind(WindowUnderTest& f, const QString& actor)
{
    HostWidget* host = f.window.stage()->host(actor);
    QVERIFY(host);
    QSet<std::pair<int, int>> offered;
    for (QAction* action : host->newSocketButton()->menu()->actions()) {
        if (action->isSeparator())
            continue;
        const auto kind = kindOf(action->text());
        QVERIFY2(kind, qPrintable(action->text()));
        offered.insert({int(kind->first), int(kind->second)});
        const QList<SocketCard*> before = host->cards();
        action->trigger();
        if (f.replaying()) {
            QCOMPARE(f.window.lastProblem(), f.session().replayRefusal());
            QCOMPARE(host->cards(), before);
            continue;
        }
        QTRY_VERIFY_WITH_TIMEOUT(host->cards().size() == before.size() + 1, kWaitMs);
        SocketCard* card = nullptr;
        for (SocketCard* c : host->cards())
            if (!before.contains(c))
                card = c;
        QVERIFY(card);
        const SocketView* view = f.session().model().socket(card->socketId());
        QVERIFY(view);
        QCOMPARE(view->family, kind->first);
        QCOMPARE(view->type, kind->second);
        QTRY_COMPARE_WITH_TIMEOUT(card->stateText(), QStringLiteral("created"), kWaitMs);
        QVERIFY(f.settle());
    }
    QCOMPARE(offered.size(), kSocketKinds);
}

// The call buttons of a card in the order they sit on it, close() last; then its More menu.
inline QList<QObject*> callControls(SocketCard* card)
{
    QList<QObject*> controls;
    QToolButton* close = nullptr;
    for (QToolButton* button : card->findChildren<QToolButton*>()) {
        if (!button->objectName().startsWith(QLatin1String("call_")) || !button->isVisibleTo(card))
            continue;
        if (button == card->callButton(CallKind::Close))
            close = button;
        else
            controls << button;
    }
    // More: every call without a button of its own (on a compact card, the lifecycle calls
    // too), as the menu shows them.
    QObject* closeEntry = nullptr;
    if (card->moreButton()->isVisibleTo(card))
        for (QAction* action : card->moreButton()->menu()->actions()) {
            if (action->isSeparator() || !action->isVisible())
                continue;
            if (action == card->menuCall(CallKind::Close))
                closeEntry = action;
            else
                controls << action;
        }
    if (close)
        controls << close;
    if (closeEntry)
        controls << closeEntry;
    return controls;
}

// Presses one call control of a card. A form that opens is run with what it suggests (an
// AF_UNIX address gets a name of this test's own); a call that blocks is interrupted from
// the card. Live, the click becomes a statement that runs; in a replay it is refused.
inline void press(WindowUnderTest& f, SocketCard* card, QObject* control)
{
    const QString label = control->objectName().isEmpty() ? qobject_cast<QAction*>(control)->text()
                                                          : control->objectName();
    f.pressed.insert(label);
    // A call already blocked on this socket (the lesson's accept(), say) would keep ours
    // queued behind it on the socket's worker lane: end it first, from the card.
    if (!f.replaying() && f.session().model().socket(card->socketId())->isBlocked()) {
        QTRY_VERIFY_WITH_TIMEOUT(card->interruptButton()->isVisible(), kWaitMs);
        QTest::mouseClick(card->interruptButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.session().model().socket(card->socketId())->isBlocked(),
                                 kWaitMs);
        QVERIFY(f.settle());
    }
    QList<int> inserted, finished, blocked;
    auto& runner = f.runner();
    // A click's statement is known by its line (statementInserted); its steps by theirs.
    const auto c1 = QObject::connect(&f.session(), &Session::statementInserted, &f.window,
                                     [&](int line) { inserted << line; });
    const auto c2 =
        QObject::connect(&runner, &program::Runner::stepFinished, &f.window,
                         [&](const program::StepRecord& outcome) { finished << outcome.line; });
    const auto c3 =
        QObject::connect(&runner, &program::Runner::stepBlocked, &f.window,
                         [&](int index, CallId) { blocked << runner.steps()[size_t(index)].line; });
    const auto disconnectAll = qScopeGuard([&] {
        QObject::disconnect(c1);
        QObject::disconnect(c2);
        QObject::disconnect(c3);
    });

    if (auto* button = qobject_cast<QToolButton*>(control))
        QTest::mouseClick(button, Qt::LeftButton);
    else
        qobject_cast<QAction*>(control)->trigger();
    if (CallForm* form = openForm()) {
        QVERIFY2(!f.replaying(), "a replay opened a call form");
        const SocketView* view = f.session().model().socket(card->socketId());
        QVERIFY(view);
        if (view->family == AddressFamily::Unix && form->field(QStringLiteral("host")) &&
            !form->field(QStringLiteral("target")))
            setText(
                form, QStringLiteral("host"),
                QStringLiteral("@sockbench-tst-actions-%1-%2").arg(::getpid()).arg(++f.unixNames));
        QVERIFY2(form->runButton()->isEnabled(), qPrintable(label));
        QTest::mouseClick(form->runButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!openForm(), kWaitMs);
    }
    if (f.replaying()) {
        QCOMPARE(f.window.lastProblem(), f.session().replayRefusal());
        QVERIFY(inserted.isEmpty());
        return;
    }
    if (inserted.isEmpty()) {
        // Refused before it ran (a socket no statement can name): said, in a sentence.
        QVERIFY2(!f.window.lastProblem().isEmpty(), qPrintable(label));
        return;
    }
    const int step = inserted.last(); // after an `import socket` the click needed first
    QTRY_VERIFY2_WITH_TIMEOUT(finished.contains(step) || blocked.contains(step), qPrintable(label),
                              kWaitMs);
    if (!finished.contains(step)) {
        // Blocked, as a real recv() or accept() with nothing to take: the card says so and
        // offers Interrupt, which ends it.
        QTRY_VERIFY_WITH_TIMEOUT(card->interruptButton()->isVisible(), kWaitMs);
        f.pressed.insert(QStringLiteral("interrupt"));
        QTest::mouseClick(card->interruptButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(finished.contains(step), qPrintable(label), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!card->interruptButton()->isVisible(), kWaitMs);
    }
    QVERIFY(f.settle());
}

inline void pressEveryCardButton(WindowUnderTest& f)
{
    const QList<SocketCard*> cards = f.window.stage()->findChildren<SocketCard*>();
    QVERIFY(!cards.isEmpty());
    for (SocketCard* card : cards) {
        const QPointer<SocketCard> alive(card);
        const QList<QObject*> controls = callControls(card);
        QVERIFY(controls.size() >= 10); // the lifecycle calls of its kind, and More
        for (QObject* control : controls) {
            QVERIFY(alive);
            CHECKED(press(f, card, control));
        }
    }
}

// Step, back, play, reset: each pressed while it is enabled, and it does what it says.
inline void driveLessonControls(WindowUnderTest& f)
{
    MainWindow& w = f.window;
    if (f.replaying()) {
        const Replayer& replay = f.session().replayer();
        QVERIFY(replay.position() > 0);
        const int at = replay.position();
        QVERIFY(w.stepBackAction()->isEnabled());
        w.stepBackAction()->trigger();
        QVERIFY(replay.position() < at);
        QVERIFY(w.stepAction()->isEnabled());
        w.stepAction()->trigger();
        QCOMPARE(replay.position(), at);
        w.stepBackAction()->trigger(); // something left to play
        QVERIFY(w.playAction()->isEnabled());
        w.playAction()->trigger();
        QVERIFY(replay.isPlaying() || replay.atEnd());
        if (replay.isPlaying())
            w.playAction()->trigger(); // the same action pauses
        QVERIFY(!replay.isPlaying());
        QVERIFY(w.resetAction()->isEnabled());
        w.resetAction()->trigger();
        QCOMPARE(replay.position(), 0);
        return;
    }
    auto& runner = f.runner();
    QVERIFY(f.settle());
    if (runner.stepCount() == 0)
        CHECKED(stepLesson(f, 1));
    QVERIFY(runner.stepCount() > 0);
    int at = runner.stepCount();
    QVERIFY(w.stepBackAction()->isEnabled());
    w.stepBackAction()->trigger();
    QCOMPARE(runner.stepCount(), at - 1); // at once: the moment before, from the record
    QVERIFY(w.stepAction()->isEnabled());
    w.stepAction()->trigger();
    QVERIFY(f.settle());
    QCOMPARE(runner.stepCount(), at);
    w.stepBackAction()->trigger(); // something left to play
    at = runner.stepCount();
    QVERIFY(w.playAction()->isEnabled());
    w.playAction()->trigger();
    // Play from an earlier moment first re-makes the run up to there.
    QTRY_VERIFY_WITH_TIMEOUT(
        runner.mode() == program::Runner::Mode::Playing || runner.stepCount() > at, kWaitMs);
    if (runner.mode() == program::Runner::Mode::Playing)
        w.playAction()->trigger(); // the same action pauses
    QVERIFY(f.settle());
    QVERIFY(runner.mode() != program::Runner::Mode::Playing);
    QVERIFY(w.resetAction()->isEnabled());
    w.resetAction()->trigger();
    QVERIFY(f.settle());
    QCOMPARE(runner.stepCount(), 0);
    // The stage starts again: no socket of the lesson's is left on it.
    for (const SocketId id : f.session().model().sockets())
        QVERIFY2(!runner.lesson().actors.contains(f.session().model().socket(id)->actor),
                 qPrintable(f.session().model().socket(id)->actor));
}

} // namespace sockbench::uitest
