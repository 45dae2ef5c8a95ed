#pragma once

// For `make bench` (bench/run.py): with SOCKBENCH_FIRST_FRAME set, the process prints the
// monotonic clock at the end of its window's first painted frame, as
// "FIRST_FRAME_NS <nanoseconds>", and exits at once. The window and the minimal Qt window
// it is measured against (bench/minimal_window.cpp) use the same code.

#include <QApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace sockbench {

class FirstFrame : public QObject {
public:
    explicit FirstFrame(QWidget& window)
        : QObject(&window)
        , m_window(window)
    {
        qApp->installEventFilter(this);
    }

    static bool wanted() { return qEnvironmentVariableIsSet("SOCKBENCH_FIRST_FRAME"); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        auto* widget = qobject_cast<QWidget*>(watched);
        if (event->type() == QEvent::Paint && widget && widget->window() == &m_window && !m_seen) {
            m_seen = true;
            // After the paint pass that this event belongs to, flush included.
            QTimer::singleShot(0, this, [] {
                timespec now{};
                clock_gettime(CLOCK_MONOTONIC, &now);
                std::printf("FIRST_FRAME_NS %lld\n",
                            static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
                std::fflush(stdout);
                std::_Exit(0);
            });
        }
        return false;
    }

private:
    QWidget& m_window;
    bool m_seen = false;
};

} // namespace sockbench
