// The name-resolution and address views on real calls: a real getaddrinfo('localhost', ...)
// on loopback, a real connect() to one of its entries, gethostbyname() next to
// gethostbyaddr(), and the address inspector on a real connection. Names resolve through
// /etc/hosts only (localhost); traffic stays on 127.0.0.1.
//
// Set SOCKBENCH_SCREENSHOTS=<dir> to have each view saved there as a PNG.

#include "testsupport.h"
#include "theme.h"
#include "views/addressview.h"
#include "views/resolutionview.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>

#include <sys/socket.h>

using namespace sockbench;
using namespace sockbench::test;

namespace {

void screenshot(QWidget& view, const QString& name)
{
    const QString dir = qEnvironmentVariable("SOCKBENCH_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    view.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

QString text(const QTableWidget* table, int row, int column)
{
    const QTableWidgetItem* item = table->item(row, column);
    return item ? item->text() : QString();
}

// A real call by a named actor, waited for.
Event runAs(Workbench& bench, const QString& actor, SocketId socket, const Call& call)
{
    auto event = bench.callAndWait(socket, call, actor, kFinishWithin);
    return event ? *event : Event{};
}

struct Listener {
    SocketId socket;
    quint16 port = 0;
};

Listener listenOnLoopback(Workbench& bench)
{
    Listener l;
    l.socket = makeSocket(bench);
    if (!RUN(bench, l.socket, calls::bind(QStringLiteral("127.0.0.1"), 0)).result.ok())
        return {};
    if (!RUN(bench, l.socket, calls::listen(4)).result.ok())
        return {};
    l.port = RUN(bench, l.socket, calls::getsockname()).result.address.port();
    return l;
}

} // namespace

class TestResolutionView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getaddrinfoTableAndTheEntryConnectUsed();
    void usedEntryIsTheOneThisActorConnectedTo();
    void gethostbynameAndGethostbyaddrSideBySide();
    void otherEventsGetTheHint();
    void addressViewShowsTheEventsAddresses();
    void addressViewLooksAtTypedText();
};

void TestResolutionView::initTestCase()
{
    applyTheme(*static_cast<QApplication*>(QCoreApplication::instance()));
}

void TestResolutionView::getaddrinfoTableAndTheEntryConnectUsed()
{
    Workbench bench;
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    EventSelection selection;
    ResolutionView view(timeline, selection);
    view.resize(1100, 420);
    view.show();

    const Listener server = listenOnLoopback(bench);
    QVERIFY(server.port != 0);
    // Lesson 16's call: getaddrinfo('localhost', port, AF_INET, SOCK_STREAM)[0], connected to.
    const Event answer =
        RUN(bench, SocketId{},
            calls::getaddrinfo(QStringLiteral("localhost"), QString::number(server.port),
                               AddressFamily::Inet4, SOCK_STREAM));
    EXPECT_OK(answer);
    const auto& entries = answer.result.addrInfo;
    QVERIFY(!entries.isEmpty());
    const AddrInfoEntry first = entries.first();
    QCOMPARE(first.family, AF_INET);
    const SocketId client = makeSocket(bench, AddressFamily::Inet4);
    const Event connected =
        RUN(bench, client, calls::connect(first.address.host(), first.address.port()));
    EXPECT_OK(connected);
    QVERIFY(connected.seq > answer.seq);
    QTRY_VERIFY(timeline.indexOf(connected.seq) >= 0);

    selection.select(answer.seq);
    QVERIFY(!view.showsHint());
    const QTableWidget* table = view.addrInfoTable();
    QVERIFY(table->isVisible());
    QCOMPARE(table->rowCount(), int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const AddrInfoEntry& entry = entries[row];
        QCOMPARE(entry.socketType, SOCK_STREAM);
        QCOMPARE(text(table, row, ResolutionView::Family), QStringLiteral("AF_INET"));
        QCOMPARE(text(table, row, ResolutionView::Type), QStringLiteral("SOCK_STREAM"));
        QVERIFY(text(table, row, ResolutionView::Proto)
                    .startsWith(QString::number(entry.protocol) + QLatin1Char(' ')));
        QCOMPARE(text(table, row, ResolutionView::CanonName),
                 QLatin1Char('\'') + entry.canonicalName + QLatin1Char('\''));
        // The sockaddr as Python prints it, with the listener's real port.
        QCOMPARE(text(table, row, ResolutionView::SockAddr),
                 QStringLiteral("('%1', %2)").arg(entry.address.host()).arg(server.port));
        QCOMPARE(text(table, row, ResolutionView::UsedBy).isEmpty(), row != 0);
    }
    QCOMPARE(view.usedRow(), 0);
    QCOMPARE(view.usedBySeq(), connected.seq);
    QCOMPARE(text(table, 0, ResolutionView::UsedBy),
             QStringLiteral("used by connect() at event #%1").arg(connected.seq));
    screenshot(view, QStringLiteral("resolution-getaddrinfo"));
}

// Several entries; another actor connects first, and this actor first connects somewhere
// else: the mark goes to the entry this actor's connect() reached, whichever row it is.
void TestResolutionView::usedEntryIsTheOneThisActorConnectedTo()
{
    Workbench bench;
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    EventSelection selection;
    ResolutionView view(timeline, selection);

    const Listener target = listenOnLoopback(bench);
    const Listener elsewhere = listenOnLoopback(bench);
    QVERIFY(target.port && elsewhere.port);
    const Event answer =
        RUN(bench, SocketId{},
            calls::getaddrinfo(QStringLiteral("localhost"), QString::number(target.port),
                               AddressFamily::Unspecified, SOCK_STREAM));
    EXPECT_OK(answer);
    int expectedRow = -1;
    for (int i = 0; i < answer.result.addrInfo.size(); ++i)
        if (answer.result.addrInfo[i].address == Endpoint::inet4(0x7f000001, target.port))
            expectedRow = i;
    QVERIFY2(expectedRow >= 0, "localhost has no 127.0.0.1 entry in /etc/hosts");

    const QString other = QStringLiteral("other");
    const Event otherSocket = runAs(bench, other, SocketId{}, calls::socket());
    EXPECT_OK(otherSocket);
    EXPECT_OK(runAs(bench, other, otherSocket.result.newSocket,
                    calls::connect(QStringLiteral("127.0.0.1"), target.port)));
    const SocketId mine = makeSocket(bench);
    EXPECT_OK(RUN(bench, mine, calls::connect(QStringLiteral("127.0.0.1"), elsewhere.port)));
    const SocketId second = makeSocket(bench);
    const Event used = RUN(bench, second, calls::connect(QStringLiteral("127.0.0.1"), target.port));
    EXPECT_OK(used);
    QTRY_VERIFY(timeline.indexOf(used.seq) >= 0);

    selection.select(answer.seq);
    QCOMPARE(view.addrInfoTable()->rowCount(), int(answer.result.addrInfo.size()));
    QCOMPARE(view.usedRow(), expectedRow);
    QCOMPARE(view.usedBySeq(), used.seq);
}

void TestResolutionView::gethostbynameAndGethostbyaddrSideBySide()
{
    Workbench bench;
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    EventSelection selection;
    ResolutionView view(timeline, selection);
    view.resize(1100, 420);
    view.show();

    const Event byName = RUN(bench, SocketId{}, calls::gethostbyname(QStringLiteral("localhost")));
    EXPECT_OK(byName);
    QCOMPARE(byName.result.text, QStringLiteral("127.0.0.1"));
    const Event byAddr = RUN(bench, SocketId{}, calls::gethostbyaddr(QStringLiteral("127.0.0.1")));
    EXPECT_OK(byAddr);
    QTRY_VERIFY(timeline.indexOf(byAddr.seq) >= 0);
    const HostEntry& host = byAddr.result.hostEntry;
    QVERIFY(host.addresses.contains(QStringLiteral("127.0.0.1")));

    selection.select(byAddr.seq);
    QVERIFY(!view.showsHint());
    const QTableWidget* table = view.hostTable();
    QVERIFY(table->isVisible());
    QCOMPARE(text(table, ResolutionView::HostCall, 0),
             QStringLiteral("gethostbyname('localhost')"));
    QCOMPARE(text(table, ResolutionView::HostAddresses, 0), QStringLiteral("['127.0.0.1']"));
    QCOMPARE(text(table, ResolutionView::HostReturns, 0), QStringLiteral("'127.0.0.1'"));
    QCOMPARE(text(table, ResolutionView::HostCall, 1),
             QStringLiteral("gethostbyaddr('127.0.0.1')"));
    QCOMPARE(text(table, ResolutionView::HostName, 1),
             QLatin1Char('\'') + host.name + QLatin1Char('\''));
    QVERIFY(text(table, ResolutionView::HostAddresses, 1).contains(QStringLiteral("'127.0.0.1'")));
    QVERIFY(text(table, ResolutionView::HostReturns, 1)
                .startsWith(QStringLiteral("('%1', [").arg(host.name)));
    QVERIFY(text(table, ResolutionView::HostEvent, 1)
                .startsWith(QLatin1Char('#') + QString::number(byAddr.seq)));
    screenshot(view, QStringLiteral("resolution-gethostby"));

    // Up to the selected event only: at gethostbyname(), gethostbyaddr() has not run yet.
    selection.select(byName.seq);
    QVERIFY(text(view.hostTable(), ResolutionView::HostCall, 1).contains(QStringLiteral("not")));
    QCOMPARE(text(view.hostTable(), ResolutionView::HostReturns, 0), QStringLiteral("'127.0.0.1'"));
}

void TestResolutionView::otherEventsGetTheHint()
{
    Workbench bench;
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    EventSelection selection;
    ResolutionView view(timeline, selection);
    view.resize(1100, 300);
    view.show();
    QVERIFY(view.showsHint()); // nothing selected

    const Event created = RUN(bench, SocketId{}, calls::socket());
    EXPECT_OK(created);
    QTRY_VERIFY(timeline.indexOf(created.seq) >= 0);
    selection.select(created.seq);
    QVERIFY(view.showsHint());
    QVERIFY(!view.addrInfoTable()->isVisible());
    QVERIFY(!view.hostTable()->isVisible());
    const auto* hint = view.findChild<QLabel*>(QStringLiteral("resolutionHint"));
    QVERIFY(hint && hint->isVisible());
    QVERIFY(hint->text().contains(QStringLiteral("getaddrinfo()")));
    QVERIFY(hint->text().contains(QStringLiteral("Lesson 16")));
    screenshot(view, QStringLiteral("resolution-hint"));
}

void TestResolutionView::addressViewShowsTheEventsAddresses()
{
    Workbench bench;
    Timeline timeline;
    timeline.follow(bench.trace(), 1);
    EventSelection selection;
    AddressView view(timeline, selection);
    view.resize(1100, 760);
    view.show();

    const Listener server = listenOnLoopback(bench);
    QVERIFY(server.port);
    const SocketId client = makeSocket(bench);
    const Event connected =
        RUN(bench, client, calls::connect(QStringLiteral("0x7F000001"), server.port));
    EXPECT_OK(connected);
    QVERIFY(connected.localAddress.isValid());
    QTRY_VERIFY(timeline.indexOf(connected.seq) >= 0);

    selection.select(connected.seq);
    const QStringList headings = view.eventHeadings();
    // The client's own address, and its peer = where connect() went: one table each.
    QCOMPARE(headings.size(), 2);
    QVERIFY(headings[0].endsWith(connected.localAddress.toString()));
    QVERIFY(headings[1].contains(QStringLiteral("connect() went to")));
    QVERIFY(headings[1].endsWith(QStringLiteral("127.0.0.1:%1").arg(server.port)));
    const QTableWidget* table = view.eventTable();
    QStringList values;
    for (int row = 0; row < table->rowCount(); ++row)
        values << text(table, row, 1);
    QVERIFY(values.contains(QStringLiteral("0x7F000001")));
    QVERIFY(values.contains(QStringLiteral("2130706433")));
    QVERIFY(values.contains(QStringLiteral("::ffff:127.0.0.1")));
    QVERIFY(values.contains(QString::number(server.port)));
    QVERIFY(values.contains(QStringLiteral("('127.0.0.1', %1)").arg(server.port)));
    QVERIFY(values.contains(portClassName(portClassOf(server.port))));
    view.lookAt(QStringLiteral("[::ffff:127.0.0.1]:4000"));
    screenshot(view, QStringLiteral("address-event"));

    // An event without an address says so instead of showing an empty table.
    const Event created = RUN(bench, SocketId{}, calls::socket());
    QTRY_VERIFY(timeline.indexOf(created.seq) >= 0);
    selection.select(created.seq);
    QVERIFY(view.eventHeadings().isEmpty());
    QVERIFY(text(view.eventTable(), 0, 0).contains(QStringLiteral("no address")));
}

void TestResolutionView::addressViewLooksAtTypedText()
{
    Timeline timeline;
    EventSelection selection;
    AddressView view(timeline, selection);
    view.resize(1100, 600);
    view.show();
    const auto* errorLabel = view.findChild<QLabel*>(QStringLiteral("addressLookupError"));
    QVERIFY(errorLabel);

    QTest::keyClicks(view.lookupField(), QStringLiteral("0x7F000001:4000"));
    QVERIFY(view.lookupError().isEmpty());
    QVERIFY(!errorLabel->isVisible());
    const QTableWidget* table = view.lookupTable();
    QVERIFY(table->isVisible());
    QStringList values;
    for (int row = 0; row < table->rowCount(); ++row)
        values << text(table, row, 1);
    QVERIFY(values.contains(QStringLiteral("127.0.0.1")));
    QVERIFY(values.contains(QStringLiteral(R"(b'\x7f\x00\x00\x01')")));
    QVERIFY(values.contains(QStringLiteral("0000:0000:0000:0000:0000:ffff:7f00:0001")));
    QVERIFY(values.contains(QStringLiteral("4000")));
    QVERIFY(values.contains(portClassName(PortClass::Registered)));
    screenshot(view, QStringLiteral("address-lookup"));

    // Not an address: one sentence, right next to the field, and no stale table.
    view.lookupField()->clear();
    QTest::keyClicks(view.lookupField(), QStringLiteral("localhost:80"));
    QVERIFY(view.lookupError().contains(QStringLiteral("host name")));
    QVERIFY(errorLabel->isVisible());
    QVERIFY(!table->isVisible());
    const QRect field = view.lookupField()->geometry();
    const QRect error = errorLabel->geometry();
    QVERIFY(error.left() >= field.right());
    QVERIFY(error.top() < field.bottom() && error.bottom() > field.top());
    screenshot(view, QStringLiteral("address-lookup-error"));

    view.lookAt(QStringLiteral("300.1.2.3"));
    QVERIFY(view.lookupError().contains(QStringLiteral("300.1.2.3")));
    view.lookAt(QString());
    QVERIFY(view.lookupError().isEmpty());
    QVERIFY(!errorLabel->isVisible());
}

QTEST_MAIN(TestResolutionView)
#include "tst_resolutionview.moc"
