// The ladder diagram over real loopback exchanges: one lifeline per socket, the blocked
// accept() as a bar, the bytes as an arrow from the send to the recv that read them, the
// handshake and the FIN as inferred arrows; clicking selects the event everywhere, and a
// selection made elsewhere is shown and scrolled to. A synthetic 100k-event trace checks
// that matching bytes to reads stays linear.

#include "../core/testsupport.h"
#include "views/ladderlayout.h"
#include "views/ladderview.h"
#include "views/selection.h"
#include "views/timeline.h"

#include <QScrollBar>
#include <QtTest>

using namespace sockbench;
using Layout = LadderLayout;

namespace {

// Where SOCKBENCH_PNG_DIR is set, the view is saved as a PNG to look at.
void savePng(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SOCKBENCH_PNG_DIR");
    if (!dir.isEmpty())
        widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

std::optional<Event> findEvent(const Trace& trace, CallId call, EventKind kind)
{
    for (const Event& e : trace.events())
        if (e.call == call && e.kind == kind)
            return e;
    return std::nullopt;
}

Event run(Workbench& bench, SocketId socket, const Call& call, const QString& actor)
{
    const auto event = bench.callAndWait(socket, call, actor, test::kFinishWithin);
    return event ? *event : Event{};
}

QList<Layout::Arrow> arrowsOf(const Layout& layout, Layout::ArrowKind kind)
{
    QList<Layout::Arrow> found;
    for (const Layout::Arrow& a : layout.arrows())
        if (a.kind == kind)
            found << a;
    return found;
}

// The course's first exchange, for real: the server blocks in accept(), the client
// connects and sends b'hello', the server reads it, the client shuts down and closes,
// the server reads b'' and closes.
struct Exchange {
    Workbench bench;
    SocketId listener, client, conn;
    quint64 acceptBlocked = 0, acceptFinished = 0, connect = 0, send = 0, recv = 0, shutdown = 0,
            eof = 0;

    bool play()
    {
        listener = run(bench, {}, calls::socket(), QStringLiteral("server")).result.newSocket;
        run(bench, listener, calls::bind(QStringLiteral("127.0.0.1"), 0), QStringLiteral("server"));
        run(bench, listener, calls::listen(1), QStringLiteral("server"));
        const quint16 port = run(bench, listener, calls::getsockname(), QStringLiteral("server"))
                                 .result.address.port();
        const CallId accept =
            bench.submit(listener, calls::accept(), QStringLiteral("server")).call;
        // accept() must really wait: nobody has connected yet.
        if (!test::waitUntil([&] {
                return findEvent(bench.trace(), accept, EventKind::CallBlocked).has_value();
            }))
            return false;
        client = run(bench, {}, calls::socket(), QStringLiteral("client")).result.newSocket;
        const Event connected =
            run(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port),
                QStringLiteral("client"));
        std::optional<Event> accepted;
        if (!test::waitUntil([&] {
                accepted = findEvent(bench.trace(), accept, EventKind::CallFinished);
                return accepted.has_value();
            }))
            return false;
        conn = accepted->result.newSocket;
        acceptBlocked = findEvent(bench.trace(), accept, EventKind::CallBlocked)->seq;
        acceptFinished = accepted->seq;
        connect = connected.seq;
        send = run(bench, client, calls::send("hello"), QStringLiteral("client")).seq;
        const Event read = run(bench, conn, calls::recv(1024), QStringLiteral("server"));
        recv = read.seq;
        shutdown = run(bench, client, calls::shutdown(SHUT_WR), QStringLiteral("client")).seq;
        run(bench, client, calls::close(), QStringLiteral("client"));
        const Event end = run(bench, conn, calls::recv(1024), QStringLiteral("server"));
        eof = end.seq;
        run(bench, conn, calls::close(), QStringLiteral("server"));
        run(bench, listener, calls::close(), QStringLiteral("server"));
        return connected.result.ok() && read.payloadSize == 5 && end.result.ok() &&
               end.payloadSize == 0;
    }
};

} // namespace

class TestLadder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layoutOfTheFirstExchange();
    void viewSelectsAndFollowsTheSelection();
    void manyExchanges();
    void refusedAndDatagrams();
    void emptyState();
    void matchingStaysLinear();
};

void TestLadder::layoutOfTheFirstExchange()
{
    Exchange x;
    QVERIFY(x.play());
    Timeline timeline;
    timeline.follow(x.bench.trace(), 1);
    Layout layout;
    layout.rebuild(timeline);

    // Three lifelines, one per socket; nothing went outside the workbench.
    QCOMPARE(layout.lifelines().size(), size_t(3));
    const int listener = layout.lifelineOf(x.listener);
    const int client = layout.lifelineOf(x.client);
    const int conn = layout.lifelineOf(x.conn);
    QVERIFY(listener >= 0 && client >= 0 && conn >= 0);
    // Grouped by host: the server's two sockets side by side, the client's apart.
    QCOMPARE(layout.actors(), QStringList({QStringLiteral("server"), QStringLiteral("client")}));
    QCOMPARE(layout.lifelines()[size_t(listener)].column, 0);
    QCOMPARE(layout.lifelines()[size_t(conn)].column, 1);
    QCOMPARE(layout.lifelines()[size_t(client)].column, 2);
    QVERIFY(layout.lifelines()[size_t(conn)].label().endsWith(QStringLiteral("server")));
    // The accepted socket appears where accept() returned it.
    QCOMPARE(layout.lifelines()[size_t(conn)].firstRow, layout.markFor(x.acceptFinished)->row);

    // accept() blocked: a bar from the moment it blocked to the moment it returned.
    bool barFound = false;
    for (const Layout::Bar& bar : layout.bars()) {
        if (bar.finishedSeq != x.acceptFinished)
            continue;
        barFound = true;
        QCOMPARE(bar.lifeline, listener);
        QCOMPARE(bar.blockedSeq, x.acceptBlocked);
        QCOMPARE(bar.fromRow, layout.markFor(x.acceptBlocked)->row);
        QCOMPARE(bar.toRow, layout.markFor(x.acceptFinished)->row);
        QVERIFY(bar.fromRow < bar.toRow);
    }
    QVERIFY(barFound);
    QCOMPARE(layout.markFor(x.acceptBlocked)->kind, Layout::MarkKind::Blocked);

    // The five bytes: one arrow from the send to the recv that read them.
    const auto data = arrowsOf(layout, Layout::ArrowKind::Data);
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0].from, client);
    QCOMPARE(data[0].to, conn);
    QCOMPARE(data[0].bytes, 5);
    QCOMPARE(data[0].seq, x.send);
    QCOMPARE(data[0].toSeq, x.recv);
    QCOMPARE(data[0].fromRow, layout.markFor(x.send)->row);
    QCOMPARE(data[0].toRow, layout.markFor(x.recv)->row);
    QVERIFY(data[0].label.contains(QStringLiteral("5 B")));
    QVERIFY(data[0].label.contains(QStringLiteral("b'hello'")));
    QVERIFY(!data[0].inferred);
    QCOMPARE(layout.markFor(x.recv)->text, QStringLiteral("recv(1024) → 5 B"));

    // The handshake, proven by connect() returning (or accept() returning the connection,
    // whichever reached the trace first): client → listener and back, in order, ending on
    // the row of the call that proves it.
    const auto syn = arrowsOf(layout, Layout::ArrowKind::Syn);
    const auto synAck = arrowsOf(layout, Layout::ArrowKind::SynAck);
    const auto ack = arrowsOf(layout, Layout::ArrowKind::Ack);
    QCOMPARE(syn.size(), 1);
    QCOMPARE(synAck.size(), 1);
    QCOMPARE(ack.size(), 1);
    QCOMPARE(syn[0].from, client);
    QCOMPARE(syn[0].to, listener);
    QCOMPARE(synAck[0].from, listener);
    QCOMPARE(synAck[0].to, client);
    QCOMPARE(ack[0].from, client);
    QCOMPARE(ack[0].to, listener);
    for (const auto& a : {syn[0], synAck[0], ack[0]}) {
        QVERIFY(a.inferred);
        QVERIFY(a.seq == x.connect || a.seq == x.acceptFinished);
        QCOMPARE(a.seq, syn[0].seq);
        QVERIFY(!a.proof.isEmpty());
    }
    QCOMPARE(syn[0].label, QStringLiteral("SYN (inferred)"));
    QVERIFY(syn[0].fromRow < synAck[0].fromRow && synAck[0].fromRow < ack[0].fromRow);
    QCOMPARE(ack[0].toRow, layout.markFor(ack[0].seq)->row);

    // The client's shutdown(SHUT_WR) sent a FIN; the server's side proves it arrived (its
    // recv returned b'', or the kernel moved it to CLOSE_WAIT first).
    const auto fins = arrowsOf(layout, Layout::ArrowKind::Fin);
    const auto fromClient = std::find_if(fins.begin(), fins.end(),
                                         [&](const Layout::Arrow& a) { return a.from == client; });
    QVERIFY(fromClient != fins.end());
    QCOMPARE(fromClient->to, conn);
    QVERIFY(fromClient->inferred);
    QCOMPARE(fromClient->label, QStringLiteral("FIN (inferred)"));
    QCOMPARE(fromClient->seq, x.shutdown);
    const Event* landed = timeline.find(fromClient->toSeq);
    QVERIFY(landed);
    QVERIFY(landed->seq == x.eof || (landed->kind == EventKind::Observation &&
                                     landed->kernel.tcpState == TcpState::CloseWait));
    QVERIFY(arrowsOf(layout, Layout::ArrowKind::Rst).isEmpty());

    // The server's close() sends its own FIN; the closed client's connection moves on to
    // TIME_WAIT, which the kernel watcher reports: the live layout draws it then.
    LadderLayout live;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            live.rebuild(timeline);
            const auto all = arrowsOf(live, Layout::ArrowKind::Fin);
            return std::any_of(all.begin(), all.end(), [&](const Layout::Arrow& a) {
                return a.from == conn && a.to == client && a.inferred;
            });
        }(),
        10000);
}

void TestLadder::viewSelectsAndFollowsTheSelection()
{
    Exchange x;
    QVERIFY(x.play());
    Timeline timeline;
    EventSelection selection;
    LadderView view(timeline, selection);
    view.resize(1100, 520);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    timeline.follow(x.bench.trace(), 1);
    QCOMPARE(view.layout().lifelines().size(), size_t(3));
    // Following the end, like a log: the newest event is in view.
    QVERIFY(view.isFollowing());
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    QVERIFY(view.verticalScrollBar()->maximum() > 0); // the test needs something to scroll
    savePng(view, QStringLiteral("ladder-first-exchange"));
    view.verticalScrollBar()->setValue(0);
    QVERIFY(!view.isFollowing());
    savePng(view, QStringLiteral("ladder-first-exchange-top"));

    // Selecting the send elsewhere (the log, the inspector) scrolls the ladder to it and
    // highlights its row.
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
    selection.select(x.send);
    const QRect sendRect = view.markRect(x.send);
    QVERIFY(!sendRect.isNull());
    QVERIFY2(view.viewport()->rect().contains(sendRect), "the selected event is in view");
    const QImage shot = view.viewport()->grab().toImage();
    QCOMPARE(shot.pixelColor(3, sendRect.center().y()), QColor(0xfe, 0xf9, 0xc3));
    savePng(view, QStringLiteral("ladder-send-selected"));

    // Clicking the recv's mark selects that event everywhere.
    view.scrollToEvent(x.recv);
    const QRect recvRect = view.markRect(x.recv);
    QVERIFY(view.viewport()->rect().contains(recvRect.center()));
    QCOMPARE(view.eventAt(recvRect.center()), x.recv);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, recvRect.center());
    QCOMPARE(selection.seq(), x.recv);
    // Down steps to the next event on the ladder.
    QTest::keyClick(&view, Qt::Key_Down);
    QVERIFY(selection.seq() > x.recv);

    // Zoom: the buttons and keys change the scale and 0 resets it.
    QTest::keyClick(&view, Qt::Key_Plus);
    QVERIFY(view.zoom() > 1.0);
    QTest::keyClick(&view, Qt::Key_0);
    QCOMPARE(view.zoom(), 1.0);
}

void TestLadder::manyExchanges()
{
    // A lesson-sized conversation: 20 requests and 20 replies over one connection.
    Workbench bench;
    test::Connected c = test::connectedPair(bench);
    QVERIFY(c.server.isValid());
    QList<quint64> sends, reads;
    for (int i = 0; i < 20; ++i) {
        const QByteArray request = "GET /" + QByteArray::number(i);
        sends << RUN(bench, c.client, calls::sendAll(request)).seq;
        const Event got = RUN(bench, c.server, calls::recv(1024));
        QCOMPARE(got.payloadSize, request.size());
        reads << got.seq;
        sends << RUN(bench, c.server, calls::send("200 OK " + QByteArray::number(i))).seq;
        reads << RUN(bench, c.client, calls::recv(1024)).seq;
    }
    EXPECT_OK(RUN(bench, c.client, calls::close()));
    Timeline timeline;
    EventSelection selection;
    LadderView view(timeline, selection);
    view.resize(1280, 720);
    timeline.follow(bench.trace(), 1);
    const auto data = arrowsOf(view.layout(), Layout::ArrowKind::Data);
    QCOMPARE(data.size(), 40);
    for (int i = 0; i < 40; ++i) {
        QCOMPARE(data[i].seq, sends[i]);
        QCOMPARE(data[i].toSeq, reads[i]);
    }
    savePng(view, QStringLiteral("ladder-many-exchanges"));
    selection.select(sends[10]);
    savePng(view, QStringLiteral("ladder-many-exchanges-selected"));
}

void TestLadder::refusedAndDatagrams()
{
    Workbench bench;
    // A port that is bound but not listening: connect() gets ECONNREFUSED, the kernel's RST.
    const SocketId bound = test::makeSocket(bench);
    EXPECT_OK(RUN(bench, bound, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 port = RUN(bench, bound, calls::getsockname()).result.address.port();
    const SocketId client = test::makeSocket(bench);
    const Event refused = RUN(bench, client, calls::connect(QStringLiteral("127.0.0.1"), port));
    EXPECT_ERRNO(refused, "ECONNREFUSED");
    // Two datagrams from one UDP socket to another, read in order.
    const SocketId a = test::makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    const SocketId b = test::makeSocket(bench, AddressFamily::Inet4, SocketType::Datagram);
    EXPECT_OK(RUN(bench, b, calls::bind(QStringLiteral("127.0.0.1"), 0)));
    const quint16 bPort = RUN(bench, b, calls::getsockname()).result.address.port();
    const quint64 first =
        RUN(bench, a, calls::sendTo("ping 1", QStringLiteral("127.0.0.1"), bPort)).seq;
    const quint64 second =
        RUN(bench, a, calls::sendTo("ping 22", QStringLiteral("127.0.0.1"), bPort)).seq;
    const quint64 read1 = RUN(bench, b, calls::recvFrom(1024)).seq;
    const quint64 read2 = RUN(bench, b, calls::recvFrom(1024)).seq;

    Timeline timeline;
    EventSelection selection;
    LadderView view(timeline, selection);
    view.resize(1280, 600);
    timeline.follow(bench.trace(), 1);
    const Layout& layout = view.layout();
    QCOMPARE(layout.markFor(refused.seq)->kind, Layout::MarkKind::Error);
    const auto rst = arrowsOf(layout, Layout::ArrowKind::Rst);
    QCOMPARE(rst.size(), 1);
    QCOMPARE(rst[0].from, layout.lifelineOf(bound));
    QCOMPARE(rst[0].to, layout.lifelineOf(client));
    QVERIFY(rst[0].inferred);
    QCOMPARE(arrowsOf(layout, Layout::ArrowKind::Syn).size(), 1);
    const auto data = arrowsOf(layout, Layout::ArrowKind::Data);
    QCOMPARE(data.size(), 2);
    QCOMPARE(data[0].seq, first);
    QCOMPARE(data[0].toSeq, read1);
    QCOMPARE(data[1].seq, second);
    QCOMPARE(data[1].toSeq, read2);
    QCOMPARE(data[1].from, layout.lifelineOf(a));
    QCOMPARE(data[1].to, layout.lifelineOf(b));
    QCOMPARE(data[1].bytes, 7);
    selection.select(refused.seq);
    savePng(view, QStringLiteral("ladder-refused-and-datagrams"));
}

void TestLadder::emptyState()
{
    Timeline timeline;
    EventSelection selection;
    LadderView view(timeline, selection);
    view.resize(800, 400);
    QVERIFY(view.layout().isEmpty());
    QCOMPARE(view.eventAt(QPoint(100, 100)), quint64(0));
    savePng(view, QStringLiteral("ladder-empty"));
}

void TestLadder::matchingStaysLinear()
{
    // 100k events across 50 connections, sends and reads in uneven sizes and sometimes
    // read before the send is in the trace (two threads race to append). Every send
    // lands on the read that holds its first byte. Quadratic matching would not finish.
    constexpr int kPairs = 50;
    QList<Event> events;
    quint64 seq = 0;
    auto add = [&](Event e) {
        e.seq = ++seq;
        e.kind = EventKind::CallFinished;
        events << e;
        return e.seq;
    };
    for (int i = 0; i < kPairs; ++i) {
        const auto port = quint16(40000 + i);
        Event listen;
        listen.socket = SocketId{quint32(3 * i + 1)};
        listen.actor = QStringLiteral("server");
        listen.request = calls::listen(5);
        listen.localAddress = Endpoint::inet4(0x7f000001, port);
        add(listen);
        Event connect;
        connect.socket = SocketId{quint32(3 * i + 2)};
        connect.actor = QStringLiteral("client");
        connect.request = calls::connect(QStringLiteral("127.0.0.1"), port);
        connect.localAddress = Endpoint::inet4(0x7f000001, quint16(50000 + i));
        connect.peerAddress = Endpoint::inet4(0x7f000001, port);
        connect.result.address = connect.peerAddress;
        add(connect);
        Event accept;
        accept.socket = listen.socket;
        accept.actor = QStringLiteral("server");
        accept.request = calls::accept();
        accept.result.newSocket = SocketId{quint32(3 * i + 3)};
        accept.result.address = connect.localAddress;
        accept.result.acceptedLocal = connect.peerAddress;
        add(accept);
    }
    int expected = 0;
    qint64 sent[kPairs] = {};
    while (events.size() < 99'000) {
        const int i = int(seq % kPairs);
        Event send;
        send.socket = SocketId{quint32(3 * i + 2)};
        send.request = calls::send("x", 3);
        send.result.count = send.payloadSize = 3;
        Event read;
        read.socket = SocketId{quint32(3 * i + 3)};
        read.request = calls::recv(1024);
        read.payloadSize = 3;
        // Every third read reaches the trace before its send.
        if (sent[i] % 9 == 0) {
            add(read);
            add(send);
        } else {
            add(send);
            add(read);
        }
        sent[i] += 3;
        ++expected;
    }
    Timeline timeline;
    timeline.setEvents(events);
    Layout layout;
    layout.rebuild(timeline);
    const auto data = arrowsOf(layout, Layout::ArrowKind::Data);
    QCOMPARE(data.size(), expected);
    for (const auto& a : data) {
        QCOMPARE(layout.lifelines()[size_t(a.to)].socket.value,
                 layout.lifelines()[size_t(a.from)].socket.value + 1);
        QVERIFY(std::max(a.seq, a.toSeq) - std::min(a.seq, a.toSeq) == 1);
    }
    // Incremental appends give the same picture as a rebuild.
    Timeline grown;
    Layout incremental;
    QObject::connect(&grown, &Timeline::appended, &grown, [&](qsizetype first, qsizetype count) {
        incremental.append(grown, first, count);
    });
    for (qsizetype i = 0; i < events.size(); i += 997)
        grown.append(events.mid(i, 997));
    QCOMPARE(incremental.arrows().size(), layout.arrows().size());
    QCOMPARE(incremental.marks().size(), layout.marks().size());
}

QTEST_MAIN(TestLadder)
#include "tst_ladder.moc"
