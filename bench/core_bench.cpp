// Core benchmarks: the workbench against plain C socket loops measured in the same run.
// Prints ratios, never absolute pass/fail timings; see bench/README.md for the targets.
//
//   sockbench-core-bench [--quick] [--only bulk|pingpong]
//
// The last lines, "RESULT name value", are for bench/run.py (`make bench`).

#include "engine/workbench.h"
#include "net/calls.h"

#include <QCoreApplication>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <future>
#include <limits>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace sockbench;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

// A connected TCP pair on loopback made with plain system calls.
std::pair<int, int> rawPair()
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener, 1);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address);
    const int server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ::close(listener);
    return {client, server};
}

constexpr qint64 kChunk = 256 * 1024;

double rawBulk(qint64 total)
{
    auto [client, server] = rawPair();
    const auto start = Clock::now();
    std::thread sender([client = client, total] {
        std::vector<char> buffer(kChunk, 'x');
        qint64 sent = 0;
        while (sent < total) {
            const ssize_t n =
                ::send(client, buffer.data(), static_cast<size_t>(std::min(kChunk, total - sent)),
                       MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += n;
        }
    });
    std::vector<char> buffer(kChunk);
    qint64 received = 0;
    while (received < total) {
        const ssize_t n = ::recv(server, buffer.data(), kChunk, 0);
        if (n <= 0)
            break;
        received += n;
    }
    sender.join();
    const double elapsed = seconds(Clock::now() - start);
    ::close(client);
    ::close(server);
    return double(received) / elapsed;
}

struct Pair {
    SocketId client, server;
};

Pair workbenchPair(Workbench& bench)
{
    const auto actor = QStringLiteral("bench");
    const auto wait = std::chrono::milliseconds(10000);
    const SocketId listener = bench.callAndWait({}, calls::socket(), actor, wait)->result.newSocket;
    bench.callAndWait(listener, calls::bind(QStringLiteral("127.0.0.1"), 0), actor, wait);
    bench.callAndWait(listener, calls::listen(1), actor, wait);
    const quint16 port =
        bench.callAndWait(listener, calls::getsockname(), actor, wait)->result.address.port();
    const SocketId client = bench.callAndWait({}, calls::socket(), actor, wait)->result.newSocket;
    bench.callAndWait(client, calls::connect(QStringLiteral("127.0.0.1"), port), actor, wait);
    const SocketId server =
        bench.callAndWait(listener, calls::accept(), actor, wait)->result.newSocket;
    bench.callAndWait(listener, calls::close(), actor, wait);
    return {client, server};
}

// The whole transfer through the workbench, tracing on: one sendall() of `total` bytes
// and a window of recv() calls kept in flight, as a program using the async API would.
double workbenchBulk(qint64 total)
{
    Workbench bench;
    const Pair p = workbenchPair(bench);
    const auto actor = QStringLiteral("bench");
    std::mutex mutex;
    std::condition_variable changed;
    qint64 received = 0;
    int inFlight = 0;
    bool failed = false;
    const auto start = Clock::now();
    bench.submit(p.client, calls::sendAll(QByteArray("x"), total), actor);
    std::unique_lock lock(mutex);
    constexpr int kWindow = 4;
    while (received < total && !failed) {
        while (inFlight < kWindow) {
            ++inFlight;
            lock.unlock();
            bench.submit(p.server, calls::recv(kChunk), actor, [&](const Event& e) {
                const std::lock_guard done(mutex);
                --inFlight;
                if (e.result.ok() && e.result.count > 0)
                    received += e.result.count;
                else
                    failed = true;
                changed.notify_all();
            });
            lock.lock();
        }
        changed.wait(lock, [&] { return inFlight < kWindow || received >= total || failed; });
    }
    const double elapsed = seconds(Clock::now() - start);
    lock.unlock();
    bench.interruptAll();
    return double(received) / elapsed;
}

double rawPingPong(int rounds)
{
    auto [client, server] = rawPair();
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread echo([server = server, rounds] {
        char byte = 0;
        for (int i = 0; i < rounds; ++i) {
            if (::recv(server, &byte, 1, 0) != 1)
                break;
            ::send(server, &byte, 1, MSG_NOSIGNAL);
        }
    });
    char byte = 'p';
    const auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
        ::send(client, &byte, 1, MSG_NOSIGNAL);
        if (::recv(client, &byte, 1, 0) != 1)
            break;
    }
    const double elapsed = seconds(Clock::now() - start);
    echo.join();
    ::close(client);
    ::close(server);
    return elapsed / rounds;
}

// Both ends driven through the workbench as the raw loop drives its sockets: blocking
// calls on two threads, each waiting for its call's result (callAndWait).
double workbenchPingPong(int rounds)
{
    Workbench bench;
    const Pair p = workbenchPair(bench);
    const auto actor = QStringLiteral("bench");
    const auto wait = std::chrono::milliseconds(10000);
    bench.callAndWait(p.client, calls::setsockopt(SocketOption::TcpNoDelay, 1), actor, wait);
    bench.callAndWait(p.server, calls::setsockopt(SocketOption::TcpNoDelay, 1), actor, wait);
    std::thread echo([&bench, &p, &actor, wait, rounds] {
        for (int i = 0; i < rounds; ++i) {
            const auto got = bench.callAndWait(p.server, calls::recv(1), actor, wait);
            if (!got || !got->result.ok() || got->result.count != 1)
                break;
            bench.callAndWait(p.server, calls::send(got->result.data), actor, wait);
        }
    });
    const auto start = Clock::now();
    for (int i = 0; i < rounds; ++i) {
        bench.callAndWait(p.client, calls::send("p"), actor, wait);
        if (!bench.callAndWait(p.client, calls::recv(1), actor, wait))
            break;
    }
    const double elapsed = seconds(Clock::now() - start);
    echo.join();
    bench.interruptAll();
    return elapsed / rounds;
}

std::vector<double> interruptLatencies(int samples)
{
    Workbench bench;
    const Pair p = workbenchPair(bench);
    const auto actor = QStringLiteral("bench");
    std::vector<double> out;
    for (int i = 0; i < samples; ++i) {
        std::promise<void> blocked;
        std::promise<Clock::time_point> finished;
        auto blockedFuture = blocked.get_future();
        auto finishedFuture = finished.get_future();
        const QMetaObject::Connection c = QObject::connect(
            &bench, &Workbench::callBlocked, &bench,
            [&blocked](CallId, SocketId) { blocked.set_value(); }, Qt::DirectConnection);
        const CallId call =
            bench
                .submit(p.server, calls::recv(1), actor,
                        [&finished](const Event&) { finished.set_value(Clock::now()); })
                .call;
        blockedFuture.wait();
        QObject::disconnect(c);
        const auto asked = Clock::now();
        bench.interrupt(call);
        out.push_back(seconds(finishedFuture.get() - asked) * 1e3);
    }
    std::sort(out.begin(), out.end());
    return out;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const qint64 total = (quick ? 256LL : 1024LL) * 1024 * 1024;
    const int rounds = quick ? 2000 : 20000;
    const int repeats = quick ? 1 : 3;
    // --only NAME: one figure, for a profile of it (the others print as nan).
    const qsizetype onlyAt = app.arguments().indexOf(QStringLiteral("--only"));
    const QString only = onlyAt >= 0 ? app.arguments().value(onlyAt + 1) : QString();
    if (onlyAt >= 0 && only != QStringLiteral("bulk") && only != QStringLiteral("pingpong")) {
        std::fprintf(stderr, "sockbench-core-bench: --only takes bulk or pingpong\n");
        return 2;
    }
    const bool bulk = only.isEmpty() || only == QStringLiteral("bulk");
    const bool pingPong = only.isEmpty() || only == QStringLiteral("pingpong");

    constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> rawRates{kNone}, benchRates{kNone}, rawTrips{kNone}, benchTrips{kNone};
    if (bulk)
        rawRates.clear(), benchRates.clear();
    if (pingPong)
        rawTrips.clear(), benchTrips.clear();
    for (int i = 0; i < repeats; ++i) {
        if (bulk) {
            rawRates.push_back(rawBulk(total));
            benchRates.push_back(workbenchBulk(total));
        }
        if (pingPong) {
            rawTrips.push_back(rawPingPong(rounds));
            benchTrips.push_back(workbenchPingPong(rounds));
        }
    }
    const auto latencies =
        only.isEmpty() ? interruptLatencies(quick ? 50 : 200) : std::vector<double>{kNone};

    const double bulkRatio = median(benchRates) / median(rawRates);
    const double tripRatio = median(benchTrips) / median(rawTrips);
    const double p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
    std::printf("%-44s %12s %12s %8s %10s\n", "benchmark", "baseline", "workbench", "ratio",
                "target");
    std::printf("%-44s %9.0f MB/s %7.0f MB/s %8.3f %10s\n",
                "bulk transfer (traced) vs plain send/recv", median(rawRates) / 1e6,
                median(benchRates) / 1e6, bulkRatio, ">= 0.95");
    std::printf("%-44s %9.1f us %9.1f us %8.3f %10s\n", "1-byte ping-pong vs raw round trip",
                median(rawTrips) * 1e6, median(benchTrips) * 1e6, tripRatio, "<= 1.5");
    std::printf("%-44s %12s %9.3f ms %8s %10s\n", "interrupt of a blocked recv, p99", "-", p99, "-",
                "<= 50 ms");
    // For bench/run.py: one line per figure, name and value.
    std::printf(
        "RESULT bulk_ratio %.4f\nRESULT pingpong_ratio %.4f\nRESULT interrupt_p99_ms %.4f\n",
        bulkRatio, tripRatio, p99);
    std::printf("RESULT bulk_raw_mbs %.1f\nRESULT bulk_bench_mbs %.1f\n", median(rawRates) / 1e6,
                median(benchRates) / 1e6);
    std::printf("RESULT pingpong_raw_us %.2f\nRESULT pingpong_bench_us %.2f\n",
                median(rawTrips) * 1e6, median(benchTrips) * 1e6);
    return 0;
}
