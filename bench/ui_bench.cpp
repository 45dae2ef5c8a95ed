// The window under bulk traffic: 1 GiB through a connection on the stage while the GUI
// thread keeps painting. Measures how long the GUI thread takes between frames (a 60 Hz
// timer: every gap past 16.7 ms is a dropped frame) against the same window idle, in the
// same run, and how much the process's memory grows.
//
//   sockbench-ui-bench [--quick] [--look-closer]   (under Xvfb, or QT_QPA_PLATFORM=offscreen)
//
// --look-closer shows the ladder, event log and inspector too: they follow every event.

#include "engine/workbench.h"
#include "mainwindow.h"
#include "net/calls.h"
#include "presentation/presenter.h"
#include "session.h"
#include "theme.h"

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sockbench;

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
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
        gaps.push_back((now - last) / 1e6);
        last = now;
    });
    tick.start();
    while (busy() && clock.elapsed() < maxMs)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    return gaps;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    applyTheme(app);
    const bool quick = app.arguments().contains(QStringLiteral("--quick"));
    const qint64 total = (quick ? 256LL : 1024LL) * 1024 * 1024;

    Workbench bench;
    MainWindow window(bench);
    window.resize(1920, 1080);
    window.closerDock()->setVisible(app.arguments().contains(QStringLiteral("--look-closer")));
    window.show();
    Session& session = window.session();
    session.startExperiment();
    QString error;
    const auto run = [&](const QString& statement) {
        session.runner().insertStatement(QStringLiteral("you"), statement, &error);
        const QElapsedTimer started = [] { QElapsedTimer t; t.start(); return t; }();
        while (session.runner().mode() != program::Runner::Mode::Idle &&
               session.runner().mode() != program::Runner::Mode::Finished && started.elapsed() < 5000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
    };
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

    // The window idle: the baseline for frame gaps.
    QElapsedTimer idle;
    idle.start();
    const std::vector<double> idleGaps = frameGaps([&] { return idle.elapsed() < 2000; }, 2000);

    const qint64 before = residentKiB();
    // The sender is a statement of the script, as a student would write it; the receiver
    // reads 1 MiB at a time straight through the workbench.
    session.runner().insertStatement(QStringLiteral("you"),
                                     QStringLiteral("client.sendall(b'x' * %1)").arg(total), &error);
    qint64 received = 0;
    std::function<void(const Event&)> more = [&](const Event& e) {
        if (e.result.ok() && e.result.count > 0) {
            received += e.result.count;
            if (received < total)
                bench.submit(conn, calls::recv(1 << 20), QStringLiteral("bench"), more);
        }
    };
    QElapsedTimer transfer;
    transfer.start();
    bench.submit(conn, calls::recv(1 << 20), QStringLiteral("bench"), more);
    const std::vector<double> busyGaps = frameGaps([&] { return received < total; }, 300000);
    const double seconds = transfer.elapsed() / 1000.0;
    session.presenter().catchUp();
    const qint64 after = residentKiB();

    const double idleP95 = percentile(idleGaps, 0.95);
    const double busyP95 = percentile(busyGaps, 0.95);
    std::printf("%-46s %12s %12s %8s %12s\n", "benchmark", "idle", "bulk", "ratio", "target");
    std::printf("%-46s %9.1f ms %9.1f ms %8.2f %12s\n", "GUI frame gap p95 while 1 GiB crosses the stage",
                idleP95, busyP95, busyP95 / idleP95, "<= 16.7 ms");
    std::printf("%-46s %9.0f MB %9.0f MB %8s %12s\n", "resident memory before / after", before / 1024.0,
                after / 1024.0, "", "flat");
    std::printf("%-46s %12s %9.0f MB/s\n", "transfer rate with the window watching", "",
                double(received) / seconds / 1e6);
    std::printf("%lld bytes received in %.1f s; trace holds %lld events\n", static_cast<long long>(received),
                seconds, static_cast<long long>(bench.trace().size()));
    return received >= total ? 0 : 1;
}
