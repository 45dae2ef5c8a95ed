// Every socket call in every state, through the workbench, against CPython's _socket in
// the same run: callmatrix.py puts a fresh socket into each state (created, bound,
// listening, connected, shut down, closed; TCP and UDP; blocking, a timeout, non-blocking),
// makes one call and prints the outcome; this test builds the same states through
// Workbench::submit, makes the same call and compares every cell. A lesson run on the real
// python3 with the workbench standing in for _socket must see exactly what Python sees.
//
// Both sides normalize an outcome the same way (see callmatrix.py): "ok VALUE",
// "CLASS ERRNO TEXT" for an OSError, "TimeoutError timed out", "Invalid TEXT" for what
// Python raises before the kernel, and "blocks" for a blocking call still waiting after a
// second (this side then interrupts it, and the interruption must end it at once).

#include "callmatrixoutcome.h"
#include "engine/workbench.h"
#include "net/calls.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <sys/socket.h>
#include <thread>

using namespace sockbench;
using namespace std::chrono_literals;
using sockbench::test::normalized;

namespace {

constexpr auto kGuard = 1000ms; // as callmatrix.py's GUARD
constexpr double kTimeout = 0.2;
constexpr qint64 kBig = 4 * 1024 * 1024;
const QByteArray kPayload("hello");
const QString kHost = QStringLiteral("127.0.0.1");

// One cell's sockets, built through the workbench as callmatrix.py builds them.
class Cell {
public:
    Cell(Workbench& bench, SocketType type, const QString& state, const QString& mode)
        : m_bench(bench)
        , m_type(type)
    {
        build(state, mode);
    }
    ~Cell()
    {
        for (const SocketId id : std::as_const(m_keep))
            if (call(id, calls::close()).result.ok())
                m_bench.forget(id);
    }
    Cell(const Cell&) = delete;
    Cell& operator=(const Cell&) = delete;

    bool ok() const { return m_failure.isEmpty(); }
    const QString& failure() const { return m_failure; }
    SocketId socket() const { return s; }
    SocketId accepted() const { return m_accepted; }
    Call toPeer(Call c) const
    {
        c.args.host = m_peerAddress.host();
        c.args.port = m_peerAddress.port();
        return c;
    }

    // A call that should finish: waits as long as testsupport's kFinishWithin.
    Event call(SocketId id, const Call& c)
    {
        auto event = m_bench.callAndWait(id, c, QStringLiteral("matrix"), test::kFinishWithin);
        if (!event) {
            Event failed;
            failed.request = c;
            failed.result = CallResult::invalid(QStringLiteral("did not finish"));
            return failed;
        }
        if (event->request.kind == CallKind::Accept && event->result.ok())
            m_keep.append(event->result.newSocket);
        return *event;
    }

    // The call's normalized outcome; a blocking one still waiting after kGuard "blocks",
    // and is interrupted.
    QString guarded(SocketId id, const Call& c, bool blocking)
    {
        auto promise = std::make_shared<std::promise<Event>>();
        auto future = promise->get_future();
        const auto ticket = m_bench.submit(id, c, QStringLiteral("matrix"),
                                           [promise](const Event& e) { promise->set_value(e); });
        if (future.wait_for(blocking ? kGuard : test::kFinishWithin) != std::future_status::ready) {
            if (!blocking)
                return QStringLiteral("did not finish");
            m_bench.interrupt(ticket.call);
            if (future.wait_for(test::kFinishWithin) != std::future_status::ready)
                return QStringLiteral("blocks, and interrupt() did not end it");
            const Event ended = future.get();
            if (ended.result.outcome != Outcome::Interrupted)
                return QStringLiteral("blocks, then ") + normalized(ended);
            return QStringLiteral("blocks");
        }
        const Event event = future.get();
        if (event.request.kind == CallKind::Accept && event.result.ok())
            m_keep.append(event.result.newSocket);
        return normalized(event);
    }

    SocketId s;

private:
    SocketId make()
    {
        const Event e = call(SocketId{}, calls::socket(AddressFamily::Inet4, m_type));
        if (!e.result.ok())
            return {};
        m_keep.append(e.result.newSocket);
        return e.result.newSocket;
    }
    bool step(SocketId id, const Call& c)
    {
        const Event e = call(id, c);
        if (!e.result.ok() && m_failure.isEmpty())
            m_failure = QStringLiteral("setup %1: %2").arg(callName(c.kind), normalized(e));
        return e.result.ok();
    }
    void build(const QString& state, const QString& mode)
    {
        const bool tcp = m_type == SocketType::Stream;
        const SocketId peer = make();
        if (!step(peer, calls::bind(kHost, 0)) || (tcp && !step(peer, calls::listen(8))))
            return;
        m_peerAddress = call(peer, calls::getsockname()).result.address;
        s = make();
        if (!s.isValid()) {
            m_failure = QStringLiteral("setup: no socket");
            return;
        }
        if ((state == u"bound" || state == u"listening") && !step(s, calls::bind(kHost, 0)))
            return;
        if (state == u"listening" && !step(s, calls::listen(8)))
            return;
        if (state == u"connected" || state.startsWith(u"shut_")) {
            if (!step(s, toPeer(calls::connect({}, 0))))
                return;
            if (tcp) {
                const Event a = call(peer, calls::accept());
                if (!a.result.ok()) {
                    m_failure = QStringLiteral("setup accept: ") + normalized(a);
                    return;
                }
                m_accepted = a.result.newSocket;
            }
        }
        if (state == u"shut_wr" && !step(s, calls::shutdown(SHUT_WR)))
            return;
        if (state == u"shut_rd" && !step(s, calls::shutdown(SHUT_RD)))
            return;
        if (state == u"shut_rdwr" && !step(s, calls::shutdown(SHUT_RDWR)))
            return;
        if (mode == u"timeout" && !step(s, calls::settimeout(kTimeout)))
            return;
        if (mode == u"nonblocking" && !step(s, calls::setblocking(false)))
            return;
        if (state == u"closed")
            step(s, calls::close());
    }

    Workbench& m_bench;
    SocketType m_type;
    Endpoint m_peerAddress;
    SocketId m_accepted;
    QList<SocketId> m_keep;
    QString m_failure;
};

Call withFlags(Call c, int flags)
{
    c.args.flags = flags;
    return c;
}

Call matrixCall(const Cell& cell, const QString& name)
{
    static const std::map<QString, std::function<Call(const Cell&)>> table = {
        {QStringLiteral("accept"), [](const Cell&) { return calls::accept(); }},
        {QStringLiteral("connect"), [](const Cell& c) { return c.toPeer(calls::connect({}, 0)); }},
        {QStringLiteral("connect_ex"),
         [](const Cell& c) { return c.toPeer(calls::connectEx({}, 0)); }},
        {QStringLiteral("send"), [](const Cell&) { return calls::send(kPayload); }},
        {QStringLiteral("sendall"), [](const Cell&) { return calls::sendAll(kPayload); }},
        {QStringLiteral("sendto"),
         [](const Cell& c) { return c.toPeer(calls::sendTo(kPayload, {}, 0)); }},
        {QStringLiteral("recv"), [](const Cell&) { return calls::recv(16); }},
        {QStringLiteral("recvfrom"), [](const Cell&) { return calls::recvFrom(16); }},
        {QStringLiteral("recv_into"), [](const Cell&) { return calls::recvInto(16); }},
        {QStringLiteral("recvfrom_into"), [](const Cell&) { return calls::recvFromInto(16); }},
        {QStringLiteral("listen"), [](const Cell&) { return calls::listen(8); }},
        {QStringLiteral("bind"), [](const Cell&) { return calls::bind(kHost, 0); }},
        {QStringLiteral("shutdown"), [](const Cell&) { return calls::shutdown(SHUT_RDWR); }},
        {QStringLiteral("getsockname"), [](const Cell&) { return calls::getsockname(); }},
        {QStringLiteral("getpeername"), [](const Cell&) { return calls::getpeername(); }},
        {QStringLiteral("setsockopt"),
         [](const Cell&) { return calls::setsockopt(SocketOption::ReuseAddr, 1); }},
        {QStringLiteral("getsockopt"),
         [](const Cell&) { return calls::getsockopt(SocketOption::ReuseAddr); }},
        {QStringLiteral("settimeout"), [](const Cell&) { return calls::settimeout(0.5); }},
        {QStringLiteral("setblocking"), [](const Cell&) { return calls::setblocking(true); }},
        {QStringLiteral("close"), [](const Cell&) { return calls::close(); }},
    };
    return table.at(name)(cell);
}

struct CellSpec {
    QString key;
    SocketType type;
    QString state;
    QString mode;
    // The matrix's calls; extras have their own steps.
    std::function<QString(Workbench&, Cell&)> run;
};

QString recvWaitAll(Workbench& bench, Cell& cell)
{
    // The second piece is sent only once the recv waits (or has ended): a short read can
    // only come from a recv that did not honour MSG_WAITALL.
    if (!cell.call(cell.accepted(), calls::send("ab")).result.ok())
        return QStringLiteral("setup send failed");
    auto blocked = std::make_shared<std::promise<void>>();
    auto once = std::make_shared<std::atomic_flag>();
    auto result = std::make_shared<std::promise<Event>>();
    QObject context;
    QObject::connect(
        &bench, &Workbench::callBlocked, &context,
        [blocked, once](CallId, SocketId) {
            if (!once->test_and_set())
                blocked->set_value();
        },
        Qt::DirectConnection); // on the worker: this thread runs no event loop
    auto done = [blocked, once, result](const Event& e) {
        if (!once->test_and_set())
            blocked->set_value();
        result->set_value(e);
    };
    bench.submit(cell.socket(), withFlags(calls::recv(4), MSG_WAITALL), QStringLiteral("matrix"),
                 done);
    if (blocked->get_future().wait_for(test::kFinishWithin) != std::future_status::ready)
        return QStringLiteral("neither blocked nor finished");
    if (!cell.call(cell.accepted(), calls::send("cd")).result.ok())
        return QStringLiteral("setup send failed");
    auto future = result->get_future();
    if (future.wait_for(test::kFinishWithin) != std::future_status::ready)
        return QStringLiteral("did not finish");
    return normalized(future.get());
}

QString lastOf(Cell& cell, const QList<Call>& sequence)
{
    QString out;
    for (const Call& c : sequence)
        out = cell.guarded(cell.socket(), c, false);
    return out;
}

QList<CellSpec> extras()
{
    const auto one = [](Call c, bool blocking = true) {
        return [c, blocking](Workbench&, Cell& cell) {
            return cell.guarded(cell.socket(), c, blocking);
        };
    };
    const auto tcp = SocketType::Stream;
    const auto udp = SocketType::Datagram;
    const QString b = QStringLiteral("blocking");
    const QString connected = QStringLiteral("connected");
    const QString created = QStringLiteral("created");
    const QString bound = QStringLiteral("bound");
    Call sendTo70000 = calls::sendTo(kPayload, kHost, 70000);
    Call connectExNegative = calls::connectEx(kHost, -1);
    QList<CellSpec> out = {
        {QStringLiteral("recv_0"), tcp, connected, QStringLiteral("nonblocking"),
         one(calls::recv(0), false)},
        {QStringLiteral("recv_0_closed"), tcp, QStringLiteral("closed"), b, one(calls::recv(0))},
        {QStringLiteral("recv_into_empty_closed"), udp, QStringLiteral("closed"), b,
         one(calls::recvInto(0))},
        {QStringLiteral("recvfrom_0"), udp, bound, QStringLiteral("nonblocking"),
         one(calls::recvFrom(0), false)},
        {QStringLiteral("recv_negative"), tcp, connected, b, one(calls::recv(-1))},
        {QStringLiteral("recv_negative_closed"), tcp, QStringLiteral("closed"), b,
         one(calls::recv(-1))},
        {QStringLiteral("bind_port_70000_closed"), udp, QStringLiteral("closed"), b,
         one(calls::bind(kHost, 70000))},
        {QStringLiteral("recvfrom_negative"), udp, bound, b, one(calls::recvFrom(-1))},
        {QStringLiteral("recv_into_negative"), tcp, connected, b, one(calls::recvInto(4, -1))},
        {QStringLiteral("recvfrom_into_negative"), udp, bound, b, one(calls::recvFromInto(4, -1))},
        {QStringLiteral("recv_into_too_big"), tcp, connected, b, one(calls::recvInto(4, 8))},
        {QStringLiteral("recvfrom_into_too_big"), udp, bound, b, one(calls::recvFromInto(4, 8))},
        {QStringLiteral("recv_dontwait"), tcp, connected, b,
         one(withFlags(calls::recv(16), MSG_DONTWAIT))},
        {QStringLiteral("recv_dontwait_timeout"), tcp, connected, QStringLiteral("timeout"),
         one(withFlags(calls::recv(16), MSG_DONTWAIT), false)},
        {QStringLiteral("recv_waitall"), tcp, connected, b, recvWaitAll},
        {QStringLiteral("recv_waitall_nothing"), tcp, connected, b,
         one(withFlags(calls::recv(4), MSG_WAITALL))},
        {QStringLiteral("recv_waitall_timeout"), tcp, connected, QStringLiteral("timeout"),
         [](Workbench&, Cell& cell) {
             if (!cell.call(cell.accepted(), calls::send("ab")).result.ok())
                 return QStringLiteral("setup send failed");
             return cell.guarded(cell.socket(), withFlags(calls::recv(4), MSG_WAITALL), false);
         }},
        {QStringLiteral("recv_peek"), tcp, connected, b,
         [](Workbench&, Cell& cell) {
             if (!cell.call(cell.accepted(), calls::send("abc")).result.ok())
                 return QStringLiteral("setup send failed");
             const QString first =
                 cell.guarded(cell.socket(), withFlags(calls::recv(16), MSG_PEEK), true);
             const QString second = cell.guarded(cell.socket(), calls::recv(16), true);
             return first + second.mid(2);
         }},
        {QStringLiteral("send_dontwait"), tcp, connected, b,
         one(withFlags(calls::send(kPayload), MSG_DONTWAIT))},
        {QStringLiteral("send_big_nonblocking"), tcp, connected, QStringLiteral("nonblocking"),
         one(calls::send("x", kBig), false)},
        {QStringLiteral("send_big_timeout"), tcp, connected, QStringLiteral("timeout"),
         one(calls::send("x", kBig), false)},
        {QStringLiteral("sendall_big_timeout"), tcp, connected, QStringLiteral("timeout"),
         one(calls::sendAll("x", kBig), false)},
        {QStringLiteral("udp_recv_after_shut_rdwr"), udp, QStringLiteral("shut_rdwr"), b,
         one(calls::recv(16))},
        {QStringLiteral("listen_negative"), tcp, bound, b, one(calls::listen(-1))},
        {QStringLiteral("shutdown_3"), tcp, connected, b, one(calls::shutdown(3))},
        {QStringLiteral("bind_port_70000"), tcp, created, b, one(calls::bind(kHost, 70000))},
        {QStringLiteral("connect_port_70000"), tcp, created, b, one(calls::connect(kHost, 70000))},
        {QStringLiteral("connect_ex_port_negative"), tcp, created, b, one(connectExNegative)},
        {QStringLiteral("sendto_port_70000"), udp, created, b, one(sendTo70000)},
        {QStringLiteral("settimeout_negative"), tcp, created, b, one(calls::settimeout(-1))},
        {QStringLiteral("close_twice"), tcp, connected, b,
         [](Workbench&, Cell& cell) {
             return lastOf(cell, {calls::close(), calls::close()});
         }},
        {QStringLiteral("setsockopt_reuseaddr_2"), tcp, created, b,
         [](Workbench&, Cell& cell) {
             return lastOf(cell, {calls::setsockopt(SocketOption::ReuseAddr, 2),
                                  calls::getsockopt(SocketOption::ReuseAddr)});
         }},
        {QStringLiteral("getsockopt_type"), udp, created, b,
         one(calls::getsockopt(SocketOption::Type))},
        {QStringLiteral("getsockopt_acceptconn"), tcp, QStringLiteral("listening"), b,
         one(calls::getsockopt(SocketOption::AcceptConn))},
        {QStringLiteral("getsockopt_error"), tcp, created, b,
         one(calls::getsockopt(SocketOption::Error))},
        {QStringLiteral("setsockopt_type"), tcp, created, b,
         one(calls::setsockopt(SocketOption::Type, 1))},
        {QStringLiteral("getpeername_bound"), tcp, bound, b, one(calls::getpeername())},
    };
    for (CellSpec& spec : out)
        spec.key = QStringLiteral("extra/") + spec.key;
    return out;
}

QList<CellSpec> matrix()
{
    const QStringList modes = {QStringLiteral("blocking"), QStringLiteral("timeout"),
                               QStringLiteral("nonblocking")};
    const QStringList states = {QStringLiteral("created"),   QStringLiteral("bound"),
                                QStringLiteral("listening"), QStringLiteral("connected"),
                                QStringLiteral("shut_wr"),   QStringLiteral("shut_rd"),
                                QStringLiteral("shut_rdwr"), QStringLiteral("closed")};
    const QStringList names = {QStringLiteral("accept"),      QStringLiteral("connect"),
                               QStringLiteral("connect_ex"),  QStringLiteral("send"),
                               QStringLiteral("sendall"),     QStringLiteral("sendto"),
                               QStringLiteral("recv"),        QStringLiteral("recvfrom"),
                               QStringLiteral("recv_into"),   QStringLiteral("recvfrom_into"),
                               QStringLiteral("listen"),      QStringLiteral("bind"),
                               QStringLiteral("shutdown"),    QStringLiteral("getsockname"),
                               QStringLiteral("getpeername"), QStringLiteral("setsockopt"),
                               QStringLiteral("getsockopt"),  QStringLiteral("settimeout"),
                               QStringLiteral("setblocking"), QStringLiteral("close")};
    QList<CellSpec> out;
    for (const auto type : {SocketType::Stream, SocketType::Datagram}) {
        const QString kind =
            type == SocketType::Stream ? QStringLiteral("tcp") : QStringLiteral("udp");
        for (const QString& mode : modes)
            for (const QString& state : states) {
                if (type == SocketType::Datagram && state == u"listening")
                    continue;
                for (const QString& name : names) {
                    const bool blocking = mode == u"blocking";
                    out.append({QStringList{kind, mode, state, name}.join(u'/'), type, state, mode,
                                [name, blocking](Workbench&, Cell& cell) {
                                    return cell.guarded(cell.s, matrixCall(cell, name), blocking);
                                }});
                }
            }
    }
    return out + extras();
}

} // namespace

class CallMatrixTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyCellAsPython();
    void socketPairAsPython();

private:
    QString m_python;
    // Python's answers: started first, read when the workbench has made its own.
    std::unique_ptr<QProcess> m_oracle;
    std::optional<QHash<QString, QString>> m_theirs;
    const QHash<QString, QString>& theirs();
};

void CallMatrixTest::initTestCase()
{
    m_python =
        QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")});
    if (m_python.isEmpty())
        m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (m_python.isEmpty())
        QSKIP("python3 is not installed: there is nothing to compare with");
    m_oracle = std::make_unique<QProcess>();
    m_oracle->start(m_python, {QStringLiteral(CALLMATRIX_SCRIPT)});
    QVERIFY2(m_oracle->waitForStarted(), qPrintable(m_oracle->errorString()));
}

const QHash<QString, QString>& CallMatrixTest::theirs()
{
    if (m_theirs)
        return *m_theirs;
    m_theirs.emplace();
    if (!m_oracle->waitForFinished(60000) || m_oracle->exitStatus() != QProcess::NormalExit ||
        m_oracle->exitCode() != 0) {
        qWarning().noquote() << "callmatrix.py failed:" << m_oracle->readAllStandardError();
        return *m_theirs;
    }
    for (const QByteArray& line : m_oracle->readAllStandardOutput().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        m_theirs->insert(o.value(QStringLiteral("cell")).toString(),
                         o.value(QStringLiteral("out")).toString());
    }
    return *m_theirs;
}

void CallMatrixTest::everyCellAsPython()
{
    const QList<CellSpec> cells = matrix();
    QHash<QString, QString> ours;
    std::mutex oursMutex;
    {
        Workbench bench;
        std::atomic<qsizetype> next{0};
        auto worker = [&] {
            for (qsizetype i = next++; i < cells.size(); i = next++) {
                const CellSpec& spec = cells[i];
                QString out;
                {
                    Cell cell(bench, spec.type, spec.state, spec.mode);
                    out = cell.ok() ? spec.run(bench, cell) : cell.failure();
                }
                const std::lock_guard lock(oursMutex);
                ours.insert(spec.key, out);
            }
        };
        std::vector<std::thread> workers;
        for (int i = 0; i < 8; ++i)
            workers.emplace_back(worker);
        for (auto& w : workers)
            w.join();
    }

    const QHash<QString, QString>& python = theirs();
    QVERIFY2(!python.isEmpty(), "callmatrix.py gave no answers");
    qsizetype matrixCells = 0;
    for (auto it = python.cbegin(); it != python.cend(); ++it)
        matrixCells += !it.key().startsWith(u"pair/");
    QCOMPARE(matrixCells, cells.size());

    QStringList mismatches;
    for (const CellSpec& spec : cells) {
        const QString want = python.value(spec.key, QStringLiteral("(no such cell in python)"));
        const QString got = ours.value(spec.key);
        if (want != got)
            mismatches.append(QStringLiteral("%1\n    python:    %2\n    workbench: %3")
                                  .arg(spec.key, want, got));
    }
    if (!mismatches.isEmpty())
        qWarning().noquote() << mismatches.size() << "cells differ:\n" + mismatches.join(u'\n');
    QVERIFY2(mismatches.isEmpty(), qPrintable(QStringLiteral("%1 of %2 cells differ from python3")
                                                  .arg(mismatches.size())
                                                  .arg(cells.size())));
}

// socket.socketpair() through the workbench: two sockets from one call, connected to each
// other, answering as Python's pair does (callmatrix.py's "pair/..." cells).
void CallMatrixTest::socketPairAsPython()
{
    Workbench bench;
    QHash<QString, QString> ours;
    const auto run = [&bench](SocketId id, const Call& c) {
        auto event = bench.callAndWait(id, c, QStringLiteral("pair"), test::kFinishWithin);
        if (!event) {
            Event failed;
            failed.request = c;
            failed.result = CallResult::invalid(QStringLiteral("did not finish"));
            return failed;
        }
        return *event;
    };
    const auto unixAddress = [](const Event& e) {
        return e.result.ok() ? QStringLiteral("ok ") + e.result.address.toPythonTuple()
                             : normalized(e);
    };
    const auto exchange = [&run](SocketId from, SocketId to, const QByteArray& data, bool all) {
        const Event sent = run(from, all ? calls::sendAll(data) : calls::send(data));
        if (!sent.result.ok())
            return normalized(sent);
        const Event got = run(to, calls::recv(16));
        return got.result.ok()
                   ? QStringLiteral("ok ") + QString::fromLatin1(got.result.data.toHex())
                   : normalized(got);
    };
    for (const auto type : {SocketType::Stream, SocketType::Datagram}) {
        const QString prefix =
            type == SocketType::Stream ? QStringLiteral("pair/tcp/") : QStringLiteral("pair/udp/");
        const Event made = run(SocketId{}, calls::socketpair(AddressFamily::Unix, type));
        EXPECT_OK(made);
        const SocketId a = made.result.newSocket;
        const SocketId b = made.result.pairedSocket;
        QVERIFY(a.isValid() && b.isValid() && a != b);
        const auto infoA = bench.socket(a);
        const auto infoB = bench.socket(b);
        QVERIFY(infoA && infoB && infoA->open && infoB->open);
        QCOMPARE(infoB->family, AddressFamily::Unix);
        ours.insert(prefix + QStringLiteral("family"),
                    QStringLiteral("ok %1 %2")
                        .arg(infoA->family == AddressFamily::Unix ? AF_UNIX : -1)
                        .arg(infoB->type == SocketType::Stream ? SOCK_STREAM : SOCK_DGRAM));
        ours.insert(prefix + QStringLiteral("getsockname"),
                    unixAddress(run(a, calls::getsockname())));
        ours.insert(prefix + QStringLiteral("getpeername"),
                    unixAddress(run(b, calls::getpeername())));
        ours.insert(prefix + QStringLiteral("a_to_b"), exchange(a, b, "ping", true));
        ours.insert(prefix + QStringLiteral("b_to_a"), exchange(b, a, "pong", false));
        EXPECT_OK(run(a, calls::setblocking(false)));
        ours.insert(prefix + QStringLiteral("recv_empty"), normalized(run(a, calls::recv(16))));
        EXPECT_OK(run(b, calls::close()));
        ours.insert(prefix + QStringLiteral("recv_after_close"),
                    normalized(run(a, calls::recv(16))));
        ours.insert(prefix + QStringLiteral("send_after_close"),
                    normalized(run(a, calls::send("x"))));
        EXPECT_OK(run(a, calls::close()));
    }
    ours.insert(QStringLiteral("pair/inet"),
                normalized(run(SocketId{}, calls::socketpair(AddressFamily::Inet4))));

    const QHash<QString, QString>& python = theirs();
    QStringList mismatches;
    qsizetype compared = 0;
    for (auto it = python.cbegin(); it != python.cend(); ++it) {
        if (!it.key().startsWith(u"pair/"))
            continue;
        ++compared;
        const QString got = ours.value(it.key(), QStringLiteral("(no such cell here)"));
        if (got != it.value())
            mismatches.append(QStringLiteral("%1\n    python:    %2\n    workbench: %3")
                                  .arg(it.key(), it.value(), got));
    }
    QCOMPARE(compared, ours.size());
    QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(u'\n')));
}

QTEST_GUILESS_MAIN(CallMatrixTest)
#include "tst_callmatrix.moc"
