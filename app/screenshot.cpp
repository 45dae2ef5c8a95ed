#include "screenshot.h"

#include "engine/workbench.h"
#include "mainwindow.h"
#include "session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QTimer>

#include <cstdio>

namespace sockbench {

namespace {

// Runs the event loop until done() holds or the limit passes. The loop sleeps between
// events; done() is looked at every few milliseconds, never in a busy spin.
bool spinUntil(const std::function<bool()>& done, int limitMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    bool met = false;
    QTimer look;
    look.setInterval(5);
    QObject::connect(&look, &QTimer::timeout, &loop, [&] {
        if (done()) {
            met = true;
            loop.quit();
        } else if (clock.elapsed() > limitMs) {
            loop.quit();
        }
    });
    look.start();
    loop.exec();
    return met;
}

} // namespace

int takeScreenshot(MainWindow& window, const QString& file, int steps, QSize size)
{
    window.resize(size);
    window.show();
    Session& session = window.session();
    auto& runner = session.runner();
    // The picture should show where the steps got to, not an animation half-way.
    session.presenter().setSpeed(0);
    spinUntil([&] { return runner.mode() != program::Runner::Mode::Resetting; }, 5000);
    // A recorded session steps through its recording, with no socket.
    if (session.replayer().isActive())
        for (int i = 0; i < steps; ++i) {
            session.replayer().stepForward();
            QApplication::processEvents(); // as between two key presses
        }
    for (int i = 0; i < steps && !runner.atEnd() && !session.replayer().isActive(); ++i) {
        runner.step();
        if (!spinUntil(
                [&] {
                    return runner.mode() == program::Runner::Mode::Idle ||
                           runner.mode() == program::Runner::Mode::Finished;
                },
                15000)) {
            std::fprintf(stderr, "sockbench: statement %d did not settle\n", i + 1);
            return 1;
        }
    }
    // The kernel's view follows calls by a few milliseconds (the watcher looks at a socket
    // at most every 10 ms): wait until the trace has been quiet for a moment.
    quint64 seen = session.workbench().trace().lastSeq();
    QElapsedTimer quiet;
    quiet.start();
    spinUntil(
        [&] {
            const quint64 now = session.workbench().trace().lastSeq();
            if (now != seen) {
                seen = now;
                quiet.restart();
            }
            return quiet.elapsed() > 250;
        },
        3000);
    session.presenter().catchUp();
    // Let the last transitions (a queue filling, a card's pulse) finish: the picture shows
    // where things are, not where they are going.
    QElapsedTimer settle;
    settle.start();
    spinUntil([&] { return settle.elapsed() > 1000; }, 2000);
    QApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    // The PNG's Title is the window's (the grab has no title bar): what lesson or recording
    // the picture shows can be read back from the file.
    QImage image = window.grab().toImage();
    image.setText(QStringLiteral("Title"), window.windowTitle());
    const bool saved = image.save(file, "PNG");
    if (!saved)
        std::fprintf(stderr, "sockbench: cannot write %s\n", qPrintable(file));
    return saved ? 0 : 1;
}

} // namespace sockbench
