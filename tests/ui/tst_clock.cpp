// The blocked calls' clock: every card blocked in a call says for how long, and the
// seconds go on for all of them from one clock without laying the stage out again (a
// window with hundreds of blocked sockets stays idle between ticks).

#include "windowdriver.h"

#include "net/calls.h"
#include "presentation/presenter.h"
#include "stagewidget.h"

#include <QSettings>

using namespace sockbench;
using namespace sockbench::uitest;

namespace {

// Counts the layout requests that reach the stage's canvas and its hosts.
class LayoutCounter : public QObject {
public:
    int requests = 0;
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::LayoutRequest)
            ++requests;
        return false;
    }
};

} // namespace

class TestClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void blockedCallsTickWithoutLayingOutTheStage();
    void longWaitsCountWholeSeconds();
};

void TestClock::initTestCase()
{
    startWindowTest("tst_clock");
}

void TestClock::blockedCallsTickWithoutLayingOutTheStage()
{
    // Three listeners, each with a thread of the workbench blocked in accept().
    Workbench bench;
    MainWindow window(bench);
    window.setZoom(1.0);
    window.resize(1280, 720);
    window.session().presenter().setSpeed(0);
    window.session().startExperiment();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString you = QStringLiteral("you");
    QTRY_VERIFY_WITH_TIMEOUT(window.session().runner().mode() == program::Runner::Mode::Idle &&
                                 window.stage()->host(you),
                             kWaitMs);
    for (int i = 0; i < 3; ++i) {
        const auto made = bench.callAndWait({}, calls::socket(), you, std::chrono::seconds(5));
        QVERIFY(made && made->result.ok());
        const SocketId listener = made->result.newSocket;
        QVERIFY(bench.callAndWait(listener, calls::bind(QStringLiteral("127.0.0.1"), 0), you,
                                  std::chrono::seconds(5)));
        QVERIFY(bench.callAndWait(listener, calls::listen(5), you, std::chrono::seconds(5)));
        bench.submit(listener, calls::accept(), you, [](const Event&) {});
    }
    const auto blockedCards = [&] {
        QList<SocketCard*> blocked;
        for (SocketCard* card : window.stage()->findChildren<SocketCard*>())
            if (card->isBlocked() && card->isVisible())
                blocked << card;
        return blocked;
    };
    QTRY_COMPARE_WITH_TIMEOUT(blockedCards().size(), 3, kWaitMs);
    window.session().presenter().catchUp();
    for (SocketCard* card : blockedCards())
        QVERIFY2(card->blockedText().startsWith(QStringLiteral("blocked in accept() for ")),
                 qPrintable(card->blockedText()));
    // Settled: from here on only the clock changes anything on the stage.
    QTest::qWait(300);
    LayoutCounter counter;
    QWidget* canvas = window.stage()->widget();
    canvas->installEventFilter(&counter);
    for (HostWidget* host : window.stage()->hosts())
        host->installEventFilter(&counter);
    QStringList before;
    for (SocketCard* card : blockedCards())
        before << card->blockedText();
    // Every card's seconds go on (each reads more than before).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QList<SocketCard*> cards = blockedCards();
            for (qsizetype i = 0; i < cards.size(); ++i)
                if (cards[i]->blockedText() == before.value(i))
                    return false;
            return cards.size() == 3;
        }(),
        kWaitMs);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCOMPARE(counter.requests, 0);
    // No card keeps a timer of its own.
    for (SocketCard* card : blockedCards())
        QVERIFY(card->findChildren<QTimer*>().isEmpty());
}

void TestClock::longWaitsCountWholeSeconds()
{
    // Tenths while they tell something (a half-second timeout), whole seconds from ten on:
    // a stage of long-blocked calls repaints once a second, not ten times.
    qint64 nowNs = 0;
    SocketCard card(SocketId{1}, [&nowNs] { return nowNs; });
    SocketView view;
    view.id = SocketId{1};
    view.actor = QStringLiteral("server");
    view.state = TeachingState::Listening;
    view.blockedCall = CallId{7};
    view.blockedKind = CallKind::Accept;
    view.blockedSinceNs = 1'000'000'000;
    card.display(view, QStringLiteral("server"));
    const auto at = [&](qint64 sinceNs) {
        nowNs = view.blockedSinceNs + sinceNs;
        card.refreshBlocked();
        return card.blockedText();
    };
    QVERIFY2(at(450'000'000).endsWith(QStringLiteral(" 0.5 s")), qPrintable(card.blockedText()));
    QVERIFY2(at(9'940'000'000).endsWith(QStringLiteral(" 9.9 s")), qPrintable(card.blockedText()));
    QVERIFY2(at(12'700'000'000).endsWith(QStringLiteral(" 12 s")), qPrintable(card.blockedText()));
    QVERIFY2(at(3'601'000'000'000).endsWith(QStringLiteral(" 3601 s")),
             qPrintable(card.blockedText()));
}

QTEST_MAIN(TestClock)
#include "tst_clock.moc"
