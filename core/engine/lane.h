#pragma once

#include "net/call.h"
#include "net/posixsocket.h"

#include <QString>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace sockbench {

// One worker thread with a queue it owns. Jobs run one after another, in the order they
// were posted. While a job waits for its socket it polls the socket together with the
// lane's wake-up eventfd, so interrupt() takes effect at once instead of after a timeout.
// The destructor stops the thread and joins it; jobs still queued are cancelled.
class Lane {
public:
    // The view of the lane a running job gets: its way to wait, and a hook that fires the
    // first time it really has to wait (the engine records that as "blocked").
    class Context final : public BlockingWait {
    public:
        WaitOutcome wait(int fd, short events, Deadline deadline) override;
        CallId callId() const { return m_call; }

    private:
        friend class Lane;
        Context(Lane& lane, CallId call, std::function<void()> onFirstWait)
            : m_lane(lane)
            , m_call(call)
            , m_onFirstWait(std::move(onFirstWait))
        {
        }
        Lane& m_lane;
        CallId m_call;
        std::function<void()> m_onFirstWait;
        bool m_waited = false;
    };

    struct Job {
        CallId call;
        std::function<void(Context&)> run;           // on the lane's thread
        std::function<void(const CallResult&)> fail; // instead of run, if it never runs

        std::function<void()> onFirstWait;
        // close(): on a socket already closed, succeed (Python's close() twice is fine)
        // instead of failing with EBADF.
        bool okIfClosed = false;
    };

    explicit Lane(QString name);
    ~Lane();
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    const QString& name() const { return m_name; }
    void post(Job job);
    // Interrupts this call: a queued one is cancelled, a running one's wait returns
    // Interrupted. Returns false when the lane has no such call.
    bool interrupt(CallId call);
    // Interrupts whatever runs now (close() uses it); queued jobs stay.
    void interruptRunning();
    // Cancels every queued job and interrupts the running one; the lane goes on.
    void interruptAllQueued();
    // Cancels every queued job and interrupts the running one, then stops the thread.
    void stop(const QString& why);
    // Lets the queue run empty, then ends the thread without joining it; join() later.
    void retire();
    bool isFinished() const { return m_finished.load(); }
    void join();
    CallId runningCall() const { return CallId{m_running.load()}; }
    bool hasWork() const;

private:
    void loop();
    void wake();
    void drainWake();
    bool interruptRequested() const;

    QString m_name;
    int m_wakeFd = -1;
    mutable std::mutex m_mutex; // guards m_queue
    std::deque<Job> m_queue;
    std::atomic<quint64> m_running{0};
    std::atomic<quint64> m_interruptTarget{0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_retire{false};
    std::atomic<bool> m_finished{false};
    std::thread m_thread;
};

} // namespace sockbench
