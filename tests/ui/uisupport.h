#pragma once

// Helpers for driving the window the way a user does: pick "New socket", press a call's
// button, fill in its form, press Run - and wait for what the stage shows.

#include "engine/workbench.h"
#include "mainwindow.h"
#include "presentation/presenter.h"
#include "session.h"
#include "stage/callform.h"
#include "stage/hostwidget.h"
#include "stage/socketcard.h"
#include "stage/stagewidget.h"
#include "stage/wireoverlay.h"

#include <QApplication>
#include <QCheckBox>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <functional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockbench::uitest {

constexpr int kWaitMs = 30000; // a bound, not a pause: each wait ends when its condition holds

// What every window test's initTestCase does first: settings of its own, emptied (the zoom
// and the window's size another run left), and the offscreen platform's "This plugin does
// not support raise()/grabbing the keyboard/propagateSizeHints()" left out of the log. A
// menu or dialog opened offscreen says those dozens of times; in CI they filled QTest's
// warning budget and pushed a failure's own message out of the printed log.
inline void startWindowTest(const char* name)
{
    QCoreApplication::setOrganizationName(QStringLiteral("sockbench-tests"));
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
    QSettings().clear();
    static QtMessageHandler qtestLog = nullptr;
    qtestLog = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context,
                                         const QString& text) {
        if (type == QtWarningMsg && text.startsWith(QLatin1String("This plugin does not support")))
            return;
        qtestLog(type, context, text);
    });
}

// Creates a socket on host `actor` through its "New socket" menu; returns its card.
inline SocketCard* newSocket(MainWindow& window, const QString& actor, const QString& menuText)
{
    HostWidget* host = window.stage()->host(actor);
    if (!host)
        return nullptr;
    const auto before = window.stage()->findChildren<SocketCard*>();
    QMenu* menu = host->newSocketButton()->menu();
    for (QAction* action : menu->actions())
        if (action->text().startsWith(menuText))
            action->trigger();
    SocketCard* created = nullptr;
    const bool appeared = QTest::qWaitFor(
        [&] {
            for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
                if (!before.contains(card) && card->isVisible())
                    created = card;
            return created != nullptr;
        },
        kWaitMs);
    return appeared ? created : nullptr;
}

// The form the last click opened.
inline CallForm* openForm()
{
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* form = qobject_cast<CallForm*>(w); form && form->isVisible())
            return form;
    return nullptr;
}

inline void setText(CallForm* form, const QString& field, const QString& text)
{
    if (auto* edit = qobject_cast<QLineEdit*>(form->field(field))) {
        edit->selectAll();
        QTest::keyClicks(edit, text);
        if (edit->text() != text)
            edit->setText(text);
    }
}

inline void setNumber(CallForm* form, const QString& field, int value)
{
    if (auto* spin = qobject_cast<QSpinBox*>(form->field(field)))
        spin->setValue(value);
}

// Clicks the call's button on the card; a form that opens is filled in by fill() and run.
template <typename Fill> bool click(SocketCard* card, CallKind kind, Fill fill)
{
    // The button, or on a compact card the same call in More, as the student would.
    QToolButton* button = card->callButton(kind);
    if (button && button->isVisible())
        QTest::mouseClick(button, Qt::LeftButton);
    else if (QAction* entry = card->menuCall(kind); entry && entry->isVisible())
        entry->trigger();
    else
        return false;
    const bool needsForm = kind != CallKind::Accept && kind != CallKind::Close &&
                           kind != CallKind::GetSockName && kind != CallKind::GetPeerName;
    if (!needsForm)
        return true;
    CallForm* form = nullptr;
    if (!QTest::qWaitFor([&] { return (form = openForm()) != nullptr; }, kWaitMs)) {
        qWarning("no form opened for %s()", qPrintable(callName(kind)));
        return false;
    }
    fill(form);
    if (!form->runButton()->isEnabled())
        return false;
    QTest::mouseClick(form->runButton(), Qt::LeftButton);
    return true;
}

inline bool click(SocketCard* card, CallKind kind)
{
    return click(card, kind, [](CallForm*) {});
}

// Answers the question the window asks before it runs a program it did not ship, as the
// student would: "Run it" or "Don't run it", perhaps with "Don't ask again" ticked. What it
// asked is kept (empty: it never asked).
class RunQuestion {
public:
    explicit RunQuestion(bool run, bool remember = false)
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this, run, remember] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box || box->objectName() != QLatin1String("runUnshippedProgram"))
                return;
            asked = box->text();
            if (remember && box->checkBox())
                box->checkBox()->setChecked(true);
            auto* button = run ? box->findChild<QPushButton*>(QStringLiteral("runIt"))
                               : qobject_cast<QPushButton*>(box->escapeButton());
            if (button)
                button->click();
        });
        m_timer.start();
    }
    QString asked;

private:
    QTimer m_timer;
};

// What is wrong with the stage now, in words; empty when every host and every wire lies
// inside the part of the stage on screen and no two cards overlap.
inline QString whatIsOutOfView(StageWidget* stage)
{
    QStringList problems;
    QWidget* viewport = stage->viewport();
    const QRect visible = viewport->rect();
    const auto inView = [&](QWidget* w) {
        return QRect(w->mapTo(viewport, QPoint(0, 0)), w->size());
    };
    for (HostWidget* host : stage->hosts())
        if (host->isVisible() && !visible.contains(inView(host)))
            problems << QStringLiteral("host %1 at %2,%3 %4x%5 outside %6x%7")
                            .arg(host->actor())
                            .arg(inView(host).x())
                            .arg(inView(host).y())
                            .arg(host->width())
                            .arg(host->height())
                            .arg(visible.width())
                            .arg(visible.height());
    const QList<SocketCard*> cards = stage->findChildren<SocketCard*>();
    for (SocketCard* card : cards)
        if (card->isVisible() && !visible.contains(inView(card)))
            problems << QStringLiteral("card %1 outside the view").arg(card->title());
    for (int i = 0; i < cards.size(); ++i)
        for (int j = i + 1; j < cards.size(); ++j)
            if (cards[i]->isVisible() && cards[j]->isVisible() &&
                inView(cards[i]).intersects(inView(cards[j])))
                problems
                    << QStringLiteral("%1 overlaps %2").arg(cards[i]->title(), cards[j]->title());
    // A scroll bar only where the hosts cannot all fit in the room the bars would leave.
    const QSize room = stage->maximumViewportSize();
    if (stage->verticalScrollBar()->isVisible() &&
        stage->widget()->heightForWidth(room.width()) <= room.height())
        problems << QStringLiteral("a scroll bar the stage does not need");
    // A wire runs between two cards: both ends in view.
    for (const WireOverlay::Wire& wire : stage->overlay()->wires())
        for (const SocketId end : {wire.a, wire.b})
            if (SocketCard* card = stage->card(end); !card || !card->isVisible())
                problems << QStringLiteral("a wire ends at a card not shown");
    return problems.join(QStringLiteral("; "));
}

// Steps the runner one statement at a time, each once it is idle, until `reached` holds;
// false if the program ended, `limit` steps went by, or it did not come to rest first.
inline bool stepUntil(program::Runner& runner, const std::function<bool()>& reached, int limit)
{
    for (int taken = 0;; ++taken) {
        if (!QTest::qWaitFor([&] { return runner.mode() == program::Runner::Mode::Idle; }, kWaitMs))
            return false;
        if (reached())
            return true;
        if (runner.atEnd() || taken == limit)
            return false;
        runner.step();
    }
}

// Opens the lesson in the window as a teacher would before the first step: the picture
// follows at once (speed 0), the window at `size` (as it is when size is empty), shown,
// and the runner ready to step. False when any of it does not happen.
inline bool showLesson(MainWindow& window, const QString& lesson, QSize size = {})
{
    if (!window.openLesson(lesson))
        return false;
    window.session().presenter().setSpeed(0);
    if (size.isValid())
        window.resize(size);
    window.show();
    return QTest::qWaitForWindowExposed(&window) &&
           QTest::qWaitFor(
               [&] { return window.session().runner().mode() == program::Runner::Mode::Idle; },
               kWaitMs);
}

// A TCP port on 127.0.0.1 the kernel has just found free (bound to port 0, then closed),
// for two programs that must agree on one before either runs. 0 if none was found.
inline int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// The student's own program, written to a file of its own and opened in a window at the
// projector's size (1280x720, zoom 1), the picture following at once. open() says what went
// wrong, or nothing.
struct ScriptWindow {
    QTemporaryDir dir;
    Workbench bench;
    MainWindow window{bench};
    QString open(const QString& name, const QByteArray& text)
    {
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return QStringLiteral("could not write ") + path;
        file.close();
        window.setZoom(1.0);
        window.resize(1280, 720);
        window.session().presenter().setSpeed(0);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return QStringLiteral("the window was never shown");
        QString error;
        return window.session().loadFiles({path}, &error) ? QString() : error;
    }
};

// A window in free play, the picture following at once, as the stage tests click it.
struct ExperimentWindow {
    Workbench bench;
    MainWindow window{bench};
    explicit ExperimentWindow(QSize size = QSize(1600, 900))
    {
        window.resize(size);
        window.session().presenter().setSpeed(0);
        window.session().startExperiment();
        window.show();
    }
    const SocketView* view(SocketCard* card)
    {
        return window.session().model().socket(card->socketId());
    }
    QString script() { return window.session().scriptText(); }
};

} // namespace sockbench::uitest
