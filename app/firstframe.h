#pragma once

// The end of a window's first painted frame. The window starts its lessons' python3 then
// (until that frame, on two cores, python3's start-up took the CPU the frame wanted), and,
// for `make bench` (bench/run.py) with SOCKBENCH_FIRST_FRAME set, the process prints the
// monotonic clock at that moment, as "FIRST_FRAME_NS <nanoseconds>", and exits at once. The
// window and the minimal Qt window it is measured against (bench/minimal_window.cpp) use the
// same code.

#include <QApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <utility>

namespace sockbench {

class FirstFrame : public QObject {
public:
    // Calls `painted` once, after the paint pass that first paints the window (flush
    // included), or after kLatestMs if no paint comes (a window shown minimized).
    FirstFrame(QWidget& window, std::function<void()> painted)
        : QObject(&window)
        , m_window(window)
        , m_painted(std::move(painted))
    {
        qApp->installEventFilter(this);
        QTimer::singleShot(kLatestMs, this, [this] { done(); });
    }

    static bool wanted() { return qEnvironmentVariableIsSet("SOCKBENCH_FIRST_FRAME"); }

    // For make bench: prints the clock and exits.
    static void report()
    {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        std::printf("FIRST_FRAME_NS %lld\n",
                    static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
        std::fflush(stdout);
        std::_Exit(0);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* widget = qobject_cast<QWidget*>(watched);
        if (event->type() == QEvent::Paint && widget && widget->window() == &m_window && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] { done(); });
        }
        return false;
    }

private:
    static constexpr int kLatestMs = 2000;

    void done()
    {
        if (!m_painted)
            return;
        qApp->removeEventFilter(this);
        std::exchange(m_painted, nullptr)();
    }

    QWidget& m_window;
    std::function<void()> m_painted;
    bool m_seen = false;
};

} // namespace sockbench
