#pragma once

#include "net/call.h"
#include "net/posixsocket.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace sockbench {

// One worker thread with a queue it owns. Jobs run one after another, in the order they
// were posted. While a job waits for its socket it polls the socket together with the
// lane's wake-up eventfd, so interrupt() takes effect at once instead of after a timeout.
// An idle lane waits for work on a condition variable, and after kIdleExit with nothing to
// do its thread ends: a socket nobody calls costs no thread, so a stage of thousands of
// sockets holds about as many threads as it has calls in progress. The next post() starts
// a thread again. The destructor stops the thread and joins it; jobs still queued are
// cancelled.
//
// A lane exists only if it can be woken: start() refuses (with the errno) when the
// wake-up descriptor or the thread cannot be had, so that no wait can hang for good. When
// a thread cannot be had again later, the jobs posted fail with that errno.
class Lane {
public:
    enum class Waits : quint8 {
        OnSockets, // its jobs wait for sockets: it needs a wake-up descriptor
        OnNothing, // its jobs never wait for a socket (the resolver, the delivery lane)
    };

    // The view of the lane a running job gets: its way to wait, and a hook that fires the
    // first time it really has to wait (the engine records that as "blocked").
    class Context final : public BlockingWait {
    public:
        WaitOutcome wait(int fd, short events, Deadline deadline) override;
        CallId callId() const { return m_call; }
        // Said to be blocked already, while it waited in the queue behind a blocked call.
        bool saidBlocked() const { return m_waited; }

    private:
        friend class Lane;
        Context(Lane& lane, CallId call, std::function<void()> onFirstWait, bool waited)
            : m_lane(lane)
            , m_call(call)
            , m_onFirstWait(std::move(onFirstWait))
            , m_waited(waited)
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
        // The lane's: onFirstWait has fired while it was queued (see below).
        bool saidBlocked = false;
    };

    // The running lane, or nullptr with *error set to the errno that stopped it: EMFILE or
    // ENFILE (no descriptor for the wake-up eventfd), EAGAIN (no thread).
    static std::unique_ptr<Lane> start(QString name, Waits waits, int* error);
    // How long a lane's thread waits for work before it ends (a post() starts another).
    static constexpr std::chrono::milliseconds kIdleExit{1000};
    ~Lane();
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    const QString& name() const { return m_name; }
    // Queues job and returns 0 (job is moved from). When the lane's thread had ended idle
    // and no new one can be had, returns the errno (EAGAIN) and leaves job, its fail()
    // not run, to the caller: who knows where it is safe to run it (never under its own
    // locks). A stopped lane fails the job at once instead, and returns 0.
    [[nodiscard]] int post(Job& job);
    // The inline path: a caller that would only wait for the result anyway (callAndWait)
    // runs the call on its own thread instead of handing it to the lane's. claim() takes
    // the idle lane for the call (nothing queued, nothing running: false otherwise, and the
    // caller posts instead); runClaimed() then runs it here, exactly as the lane's thread
    // would: its waits poll the lane's wake-up descriptor, so interrupt(), close() and
    // stop() reach it as they reach the lane's own jobs, and calls posted meanwhile queue
    // behind it. The caller keeps the lane alive until runClaimed() returns.
    bool claim(CallId call);
    void runClaimed(Job& job);
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
    // What the call waits for while it is parked in a wait: the poll events on its socket,
    // kWaitsForDeadline when it waits on a deadline only, 0 when it is not parked (running,
    // finished, or another call). A call queued behind one that waits is parked too, on
    // what that one waits for: two threads may wait in recv() on one socket, as in Python,
    // and the second waits (and counts as blocked: its onFirstWait fires) until the first
    // has its bytes and the second gets its turn in the kernel.
    static constexpr int kWaitsForDeadline = -1;
    int parkedOn(CallId call) const;
    bool hasWork() const;

private:
    Lane(QString name, int wakeFd);
    void loop();
    // Starts the thread that runs the queue (under m_mutex, but for start()); false, with
    // *error, when none can be had.
    bool startThread(int* error);
    void wake();
    void drainWake();
    bool interruptRequested() const;

    QString m_name;
    int m_wakeFd = -1;              // -1 only for a lane that waits on nothing
    mutable std::mutex m_mutex;     // guards m_queue; m_stop and m_retire change under it
    std::condition_variable m_work; // an idle lane waits here
    std::deque<Job> m_queue;
    std::atomic<quint64> m_running{0};
    std::atomic<int> m_parkedOn{0};           // see parkedOn()
    std::atomic<bool> m_runningWaited{false}; // the running job has waited at least once
    void sayQueuedBlocked();
    std::atomic<quint64> m_interruptTarget{0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_retire{false};
    std::atomic<bool> m_finished{false};
    bool m_threadLive = false; // under m_mutex: a thread runs loop() (or is about to)
    bool m_inline = false;     // under m_mutex: a claimed call runs on its caller's thread
    std::mutex m_threadMutex;  // guards m_thread: starting, joining, detaching it
    std::thread m_thread;
};

} // namespace sockbench
