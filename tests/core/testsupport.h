#pragma once

// Small helpers shared by the core tests: run a call and wait for its event, make a
// connected pair on loopback (port 0, always), count descriptors and threads.

#include "engine/workbench.h"
#include "net/calls.h"

#include <QDir>
#include <QtTest>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unistd.h>

namespace sockbench::test {

// Generous: a call that should finish at once gets this long before the test fails.
constexpr std::chrono::milliseconds kFinishWithin{10000};

inline Event runCall(Workbench& bench, SocketId socket, const Call& call, const char* file,
                     int line)
{
    auto event = bench.callAndWait(socket, call, QStringLiteral("test"), kFinishWithin);
    if (!event) {
        QTest::qFail(qPrintable(QStringLiteral("%1() did not finish").arg(callName(call.kind))),
                     file, line);
        Event failed;
        failed.result = CallResult::invalid(QStringLiteral("did not finish"));
        return failed;
    }
    return *event;
}

#define RUN(bench, socket, call)                                                                   \
    ::sockbench::test::runCall((bench), (socket), (call), __FILE__, __LINE__)

// Fails the test (and returns) unless the event is a success.
#define EXPECT_OK(event)                                                                           \
    do {                                                                                           \
        const auto& e_ = (event);                                                                  \
        QVERIFY2(e_.result.ok(),                                                                   \
                 qPrintable(callName(e_.request.kind) + QStringLiteral(": ") +                     \
                            e_.result.errorName() + QStringLiteral(" ") + e_.result.message));     \
    } while (false)

#define EXPECT_ERRNO(event, name)                                                                  \
    do {                                                                                           \
        const auto& e_ = (event);                                                                  \
        QCOMPARE(e_.result.outcome, ::sockbench::Outcome::Error);                                  \
        QCOMPARE(e_.result.errorName(), QStringLiteral(name));                                     \
    } while (false)

inline SocketId makeSocket(Workbench& bench, AddressFamily family = AddressFamily::Inet4,
                           SocketType type = SocketType::Stream)
{
    const Event e = RUN(bench, SocketId{}, calls::socket(family, type));
    return e.result.ok() ? e.result.newSocket : SocketId{};
}

inline QString loopback(AddressFamily family)
{
    return family == AddressFamily::Inet6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1");
}

struct Connected {
    SocketId listener;
    SocketId client;
    SocketId server; // what accept() returned
    Endpoint listenAddress;
};

// A listener on loopback port 0, a client connected to it, and the accepted socket.
// On failure the returned ids are invalid and the test has been failed.
inline Connected connectedPair(Workbench& bench, AddressFamily family = AddressFamily::Inet4,
                               const QString& unixPath = {})
{
    Connected c;
    c.listener = makeSocket(bench, family);
    const QString host = family == AddressFamily::Unix ? unixPath : loopback(family);
    if (!RUN(bench, c.listener, calls::bind(host, 0)).result.ok())
        return {};
    if (!RUN(bench, c.listener, calls::listen(5)).result.ok())
        return {};
    c.listenAddress = RUN(bench, c.listener, calls::getsockname()).result.address;
    c.client = makeSocket(bench, family);
    const Event connected = RUN(bench, c.client, calls::connect(host, c.listenAddress.port()));
    if (!connected.result.ok())
        return {};
    const Event accepted = RUN(bench, c.listener, calls::accept());
    if (!accepted.result.ok())
        return {};
    c.server = accepted.result.newSocket;
    return c;
}

inline int countEntries(const QString& path)
{
    return static_cast<int>(
        QDir(path).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System).size());
}
// Descriptors this process holds on to. A file under /proc is not one: the kernel watcher
// reads /proc/net/tcp for a moment on each sweep while a closed connection sits in
// TIME_WAIT, and on a busy machine with many such connections that moment can be most of
// the time.
inline int openDescriptors()
{
    int count = 0;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString& fd :
         fds.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)) {
        char target[256] = {};
        const ssize_t length = ::readlink(qPrintable(fds.filePath(fd)), target, sizeof target - 1);
        count += length > 0 && !QByteArray(target, length).startsWith("/proc/");
    }
    return count;
}
inline int liveThreads()
{
    return countEntries(QStringLiteral("/proc/self/task"));
}

// Waits (with an event loop) until pred holds; returns whether it did.
template <typename Pred> bool waitUntil(Pred pred, std::chrono::milliseconds limit = kFinishWithin)
{
    QDeadlineTimer deadline(limit);
    while (!pred()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(5);
    }
    return true;
}

// A call submitted without waiting, and a handle on its result once it has one.
struct Pending {
    CallId call;
    std::shared_ptr<std::optional<Event>> result = std::make_shared<std::optional<Event>>();
    std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();

    bool finished() const
    {
        const std::lock_guard lock(*mutex);
        return result->has_value();
    }
    Event event() const
    {
        const std::lock_guard lock(*mutex);
        return result->value_or(Event{});
    }
};

inline Pending start(Workbench& bench, SocketId socket, const Call& call)
{
    Pending p;
    auto result = p.result;
    auto mutex = p.mutex;
    p.call = bench
                 .submit(socket, call, QStringLiteral("test"),
                         [result, mutex](const Event& e) {
                             const std::lock_guard lock(*mutex);
                             *result = e;
                         })
                 .call;
    return p;
}

// True once the trace shows the call blocked in the kernel.
inline bool isBlocked(Workbench& bench, CallId call)
{
    for (const Event& e : bench.trace().events())
        if (e.kind == EventKind::CallBlocked && e.call == call)
            return true;
    return false;
}

#define WAIT_BLOCKED(bench, pending)                                                               \
    QVERIFY(waitUntil([&] { return isBlocked((bench), (pending).call); }))
#define WAIT_FINISHED(pending) QVERIFY(waitUntil([&] { return (pending).finished(); }))

} // namespace sockbench::test
