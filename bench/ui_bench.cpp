// The window under load, against the same window idle in the same run.
//
//   sockbench-ui-bench [--quick] [--gib N] [--look-closer]   bulk traffic on the stage
//   sockbench-ui-bench --many N                              N sockets, half blocked
//
// (under Xvfb, or QT_QPA_PLATFORM=offscreen)
//
// Bulk: N GiB (1 unless said) cross a connection on the stage while the GUI thread keeps
// painting. It measures how long the GUI thread takes between frames (a 60 Hz timer:
// every gap past 16.7 ms is a dropped frame), idle and under the traffic, and the
// process's resident memory before, after the first GiB and at the end. --look-closer
// shows the ladder, event log and inspector too: they follow every event.
//
// Many: a server with N/2 accepted connections, each blocked in recv(), and the N/2
// clients that made them, all on the stage. It measures what the window costs while
// nothing happens (the GUI thread's CPU), how long a key takes to reach the screen, the
// resident memory and the threads.
//
// The last lines, "RESULT name value", are for bench/run.py (`make bench`).

#include "engine/workbench.h"
#include "mainwindow.h"
#include "net/calls.h"
#include "presentation/presenter.h"
#include "session.h"
#include "theme.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QKeyEvent>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <set>
#include <unistd.h>
#include <vector>

using namespace sockbench;

namespace {

// A field of /proc/self/status ("VmRSS", "Threads"), as its number.
qint64 status(const char* field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : file.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toLongLong();
    return -1;
}

double residentMB()
{
    return double(status("VmRSS")) / 1024.0;
}

// CPU seconds the GUI thread (the process's first thread) has used.
double guiThreadCpuSeconds()
{
    QFile file(QStringLiteral("/proc/self/task/%1/stat").arg(::getpid()));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = file.readAll();
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields[11].toLongLong() + fields[12].toLongLong()) /
           double(::sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<size_t>(p * double(values.size())))];
}

// Gaps between 16 ms timer ticks on the GUI thread, while `busy` holds.
std::vector<double> frameGaps(const std::function<bool()>& busy, int maxMs)
{
    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(16);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back(double(now - last) / 1e6);
        last = now;
    });
    tick.start();
    while (busy() && clock.elapsed() < maxMs)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    return gaps;
}

// The event loop as the application runs it, for `ms`: sleeping until something happens.
void live(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void result(const char* name, double value)
{
    std::printf("RESULT %s %.4f\n", name, value);
}

int bulk(MainWindow& window, Workbench& bench, double gib, bool lookCloser)
{
    const qint64 total = qint64(gib * 1024 * 1024 * 1024);
    window.closerDock()->setVisible(lookCloser);
    Session& session = window.session();
    session.startExperiment();
    QString error;
    const auto run = [&](const QString& statement) {
        const size_t before = session.runner().steps().size();
        session.runner().insertStatement(QStringLiteral("you"), statement, &error);
        QElapsedTimer started;
        started.start();
        // A click runs at once: until its step has come back.
        while ((session.runner().steps().size() <= before ||
                !session.runner().steps().back().settled) &&
               started.elapsed() < 5000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
    };
    // python3 stands ready before the first statement is typed.
    QElapsedTimer ready;
    ready.start();
    while (session.runner().mode() != program::Runner::Mode::Idle && ready.elapsed() < 10000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    run(QStringLiteral("import socket"));
    run(QStringLiteral("server = socket.socket()"));
    run(QStringLiteral("server.bind(('127.0.0.1', 0))"));
    run(QStringLiteral("server.listen(1)"));
    run(QStringLiteral("client = socket.socket()"));
    run(QStringLiteral("client.connect(('127.0.0.1', server.getsockname()[1]))"));
    run(QStringLiteral("conn, addr = server.accept()"));
    SocketId conn;
    for (const SocketId id : session.runner().sockets())
        if (session.runner().nameOf(id) == QLatin1String("conn"))
            conn = id;
    if (!conn.isValid()) {
        std::fprintf(stderr, "sockbench-ui-bench: the connection was not made: %s\n",
                     qPrintable(error));
        return 1;
    }

    // The window idle: the baseline for frame gaps.
    QElapsedTimer idle;
    idle.start();
    const std::vector<double> idleGaps = frameGaps([&] { return idle.elapsed() < 2000; }, 2000);

    const double before = residentMB();
    double afterOneGiB = 0;
    // The sender is the script, as a student would write it: one sendall() of up to 1 GiB
    // at a time (python3 here may hold 2 GiB), the first GiB alone, then the rest. The
    // receiver reads 1 MiB at a time straight through the workbench. Each payload crosses
    // into the window's process while it is sent; memory is measured once a statement is
    // over, as a student would see it.
    const qint64 oneGiB = qint64(1) << 30;
    const qint64 block = std::min(total, oneGiB);
    // `bytes` of the payload, in whole blocks and what is left (--gib 1.5: one block, then
    // half of one).
    const auto sendBytes = [&](qint64 bytes) {
        const qint64 whole = bytes / block;
        const qint64 rest = bytes % block;
        session.runner().insertStatement(
            QStringLiteral("you"),
            rest == 0
                ? QStringLiteral("for _ in range(%1): client.sendall(block)").arg(whole)
                : QStringLiteral("for piece in [block] * %1 + [block[:%2]]: client.sendall(piece)")
                      .arg(whole)
                      .arg(rest),
            &error);
    };
    run(QStringLiteral("block = b'x' * %1").arg(block));
    qint64 received = 0;
    std::function<void(const Event&)> more = [&](const Event& e) {
        if (e.result.ok() && e.result.count > 0) {
            received += e.result.count;
            if (received < total)
                bench.submit(conn, calls::recv(1 << 20), QStringLiteral("bench"), more);
        }
    };
    const auto settled = [&] {
        const auto& steps = session.runner().steps();
        return session.runner().mode() == program::Runner::Mode::Idle && !steps.empty() &&
               steps.back().settled;
    };
    QElapsedTimer transfer;
    transfer.start();
    bench.submit(conn, calls::recv(1 << 20), QStringLiteral("bench"), more);
    sendBytes(std::min(total, oneGiB));
    bool restSent = total <= oneGiB;
    const std::vector<double> busyGaps = frameGaps(
        [&] {
            if (!restSent && received >= oneGiB && settled()) {
                afterOneGiB = residentMB();
                sendBytes(total - oneGiB);
                restSent = true;
            }
            return received < total;
        },
        600000);
    const double seconds = double(transfer.elapsed()) / 1000.0;
    QElapsedTimer over;
    over.start();
    while (!settled() && over.elapsed() < 10000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    if (total == oneGiB)
        afterOneGiB = residentMB();
    session.presenter().catchUp();
    const double after = residentMB();

    const double idleP95 = percentile(idleGaps, 0.95);
    const double busyP95 = percentile(busyGaps, 0.95);
    std::printf("%-46s %12s %12s %12s\n", "benchmark", "idle", "bulk", "target");
    std::printf("%-46s %9.1f ms %9.1f ms %12s\n", "GUI frame gap p95", idleP95, busyP95,
                "16.7 / 20 ms");
    std::printf("%-46s %9.0f MB %9.0f MB\n", "resident memory before / after", before, after);
    std::printf("%-46s %12s %9.0f MB/s\n", "transfer rate with the window watching", "",
                double(received) / seconds / 1e6);
    std::printf("%lld bytes received in %.1f s; trace holds %lld events\n",
                static_cast<long long>(received), seconds,
                static_cast<long long>(bench.trace().size()));
    result("idle_gap_p95_ms", idleP95);
    result("bulk_gap_p95_ms", busyP95);
    result("rss_before_mb", before);
    if (afterOneGiB > 0)
        result("rss_after_1gib_mb", afterOneGiB);
    result("rss_after_mb", after);
    result("rate_mbs", double(received) / seconds / 1e6);
    return received >= total ? 0 : 1;
}

int many(MainWindow& window, Workbench& bench, int sockets)
{
    window.closerDock()->setVisible(false);
    Session& session = window.session();
    session.startExperiment();
    const auto wait = std::chrono::milliseconds(10000);
    const QString server = QStringLiteral("server");
    const QString clients = QStringLiteral("clients");
    const auto call = [&](SocketId socket, Call c, const QString& actor) {
        const auto event = bench.callAndWait(socket, std::move(c), actor, wait);
        if (!event || !event->result.ok()) {
            std::fprintf(stderr, "sockbench-ui-bench: a setup call failed\n");
            std::exit(1);
        }
        return *event;
    };
    const SocketId listener = call({}, calls::socket(), server).result.newSocket;
    call(listener, calls::bind(QStringLiteral("127.0.0.1"), 0), server);
    call(listener, calls::listen(sockets), server);
    const quint16 port = call(listener, calls::getsockname(), server).result.address.port();
    std::set<quint64> waiting; // the recv() calls made
    std::set<quint64> blockedCalls;
    QObject::connect(&bench, &Workbench::callBlocked, &bench,
                     [&](CallId c, SocketId) { blockedCalls.insert(c.value); });
    const auto blockedCount = [&] {
        int n = 0;
        for (const quint64 c : waiting)
            n += blockedCalls.count(c) ? 1 : 0;
        return n;
    };
    const int pairs = sockets / 2;
    for (int i = 0; i < pairs; ++i) {
        const SocketId client = call({}, calls::socket(), clients).result.newSocket;
        call(client, calls::connect(QStringLiteral("127.0.0.1"), port), clients);
        const SocketId conn = call(listener, calls::accept(), server).result.newSocket;
        waiting.insert(bench.submit(conn, calls::recv(1024), server).call.value); // nobody sends
        if (i % 50 == 0)
            QApplication::processEvents(); // the window follows as it goes
    }
    // Every recv() blocked, and the stage has drawn every socket.
    QElapsedTimer settle;
    settle.start();
    while (blockedCount() < pairs && settle.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    session.presenter().catchUp();
    live(2000);

    // Nothing happens: what does the window cost?
    std::fprintf(stderr, "sockbench-ui-bench: %d sockets on the stage; 5 s of nothing\n",
                 pairs * 2 + 1);
    const double cpuBefore = guiThreadCpuSeconds();
    QElapsedTimer quiet;
    quiet.start();
    live(5000);
    const double idleCpu = (guiThreadCpuSeconds() - cpuBefore) / (double(quiet.elapsed()) / 1000.0);

    // Key to screen: a key press (Tab: the focus moves on, and its frame is drawn) until the
    // window has handled it and painted the frame after it.
    bool handled = false;
    struct KeySeen : QObject {
        bool* handled;
        explicit KeySeen(bool* h)
            : handled(h)
        {
        }
        bool eventFilter(QObject*, QEvent* e) override
        {
            if (e->type() == QEvent::KeyPress)
                *handled = true;
            return false;
        }
    } seen(&handled);
    qApp->installEventFilter(&seen);
    std::vector<double> latencies;
    for (int i = 0; i < 20; ++i) {
        QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : &window;
        handled = false;
        QElapsedTimer key;
        key.start();
        QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyPress, Qt::Key_Tab, {}));
        QCoreApplication::postEvent(target, new QKeyEvent(QEvent::KeyRelease, Qt::Key_Tab, {}));
        while (!handled)
            QApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        window.repaint();
        latencies.push_back(double(key.nsecsElapsed()) / 1e6);
        live(100);
    }
    qApp->removeEventFilter(&seen);

    const int blocked = blockedCount();
    const double rss = residentMB();
    const qint64 threads = status("Threads");
    std::printf("%d sockets (%d blocked in recv()) on the stage\n", pairs * 2 + 1, blocked);
    std::printf("GUI thread CPU while nothing happens  %6.1f %%   (target <= 10 %%)\n",
                idleCpu * 100);
    std::printf("key to screen p95                      %6.1f ms  (target <= 50 ms)\n",
                percentile(latencies, 0.95));
    std::printf("resident memory                        %6.0f MB  (target <= 500 MB)\n", rss);
    std::printf("threads                                %6lld     (target < %d)\n",
                static_cast<long long>(threads), pairs * 2 + 1);
    result("many_sockets", pairs * 2 + 1);
    result("many_blocked", blocked);
    result("many_idle_cpu_pct", idleCpu * 100);
    result("many_key_p95_ms", percentile(latencies, 0.95));
    result("many_rss_mb", rss);
    result("many_threads", double(threads));
    bench.interruptAll();
    return blocked >= pairs ? 0 : 1;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    applyTheme(app);
    const QStringList args = app.arguments();
    const auto value = [&](const QString& option, double otherwise) {
        const qsizetype at = args.indexOf(option);
        return at >= 0 && at + 1 < args.size() ? args[at + 1].toDouble() : otherwise;
    };
    Workbench bench;
    MainWindow window(bench);
    window.resize(1920, 1080);
    window.show();
    if (args.contains(QStringLiteral("--many")))
        return many(window, bench, int(value(QStringLiteral("--many"), 2000)));
    const double gib =
        value(QStringLiteral("--gib"), args.contains(QStringLiteral("--quick")) ? 0.25 : 1);
    return bulk(window, bench, gib, args.contains(QStringLiteral("--look-closer")));
}
