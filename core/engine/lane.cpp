#include "lane.h"

#include <cerrno>
#include <optional>
#include <poll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>

namespace sockbench {

std::unique_ptr<Lane> Lane::start(QString name, Waits waits, int* error)
{
    int wakeFd = -1;
    if (waits == Waits::OnSockets) {
        // Without it a wait in poll() could only end when the socket moves: a blocked
        // accept() could never be interrupted, and the lane never joined.
        wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wakeFd < 0) {
            *error = errno;
            return nullptr;
        }
    }
    std::unique_ptr<Lane> lane(new Lane(std::move(name), wakeFd));
    lane->m_threadLive = true;
    if (!lane->startThread(error))
        return nullptr; // the destructor closes the descriptor; there is no thread to join
    return lane;
}

bool Lane::startThread(int* error)
{
    const std::lock_guard lock(m_threadMutex);
    // The thread that ended for want of work: it cleared m_threadLive under m_mutex and
    // returned, taking no lock again.
    if (m_thread.joinable())
        m_thread.join();
    try {
        m_thread = std::thread([this] { loop(); });
    } catch (const std::system_error& e) {
        // pthread_create's EAGAIN: out of threads (RLIMIT_NPROC, memory).
        *error = e.code().value() > 0 ? e.code().value() : EAGAIN;
        return false;
    }
    return true;
}

Lane::Lane(QString name, int wakeFd)
    : m_name(std::move(name))
    , m_wakeFd(wakeFd)
{
}

Lane::~Lane()
{
    stop(QStringLiteral("the workbench was closed"));
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

int Lane::post(Job& job)
{
    bool behindAWait = false;
    bool queued = false;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_stop.load() && !m_finished.load()) {
            if (!m_threadLive) {
                // Its thread ended idle: start one before queueing, so that nothing is
                // ever queued with no thread to run it. Under the lock: a stop() waits.
                int error = 0;
                if (!startThread(&error))
                    return error;
                m_threadLive = true;
            }
            behindAWait = m_running.load() != 0 && m_runningWaited.load() && job.onFirstWait;
            m_queue.push_back(std::move(job));
            queued = true;
        }
    }
    // Queued behind a call that waits, it waits too: the lane's thread says so (the
    // caller may hold its socket's lock, which saying so takes).
    if (behindAWait)
        wake();
    if (!queued) {
        if (job.fail)
            job.fail(CallResult::interrupted(QStringLiteral("the socket's worker has stopped")));
        job = {};
    } else {
        m_work.notify_one();
    }
    return 0;
}

bool Lane::claim(CallId call)
{
    const std::lock_guard lock(m_mutex);
    if (m_stop.load() || m_retire.load() || m_finished.load() || m_inline || !m_queue.empty() ||
        m_running.load() != 0 || m_wakeFd < 0)
        return false;
    m_inline = true;
    m_interruptTarget.store(0);
    m_runningWaited.store(false);
    m_running.store(call.value);
    return true;
}

void Lane::runClaimed(Job& job)
{
    {
        Context context(*this, job.call, std::move(job.onFirstWait), false);
        job.run(context);
    }
    bool queued = false;
    {
        const std::lock_guard lock(m_mutex);
        m_runningWaited.store(false);
        m_running.store(0);
        m_inline = false;
        queued = !m_queue.empty();
    }
    // Calls posted while it ran wait for the lane's thread: it may go on now. (An idle
    // thread is not woken for nothing.)
    if (queued)
        m_work.notify_one();
}

bool Lane::interrupt(CallId call)
{
    std::optional<Job> cancelled;
    {
        const std::lock_guard lock(m_mutex);
        for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
            if (it->call == call) {
                cancelled = std::move(*it);
                m_queue.erase(it);
                break;
            }
        }
        if (!cancelled && m_running.load() == call.value) {
            m_interruptTarget.store(call.value);
            wake();
            return true;
        }
    }
    if (cancelled) {
        if (cancelled->fail)
            cancelled->fail(
                CallResult::interrupted(QStringLiteral("interrupted before it started")));
        return true;
    }
    return false;
}

void Lane::interruptRunning()
{
    const quint64 running = m_running.load();
    if (running == 0)
        return;
    m_interruptTarget.store(running);
    wake();
}

void Lane::interruptAllQueued()
{
    std::deque<Job> cancelled;
    {
        const std::lock_guard lock(m_mutex);
        cancelled.swap(m_queue);
    }
    interruptRunning();
    for (auto& job : cancelled)
        if (job.fail)
            job.fail(CallResult::interrupted(QStringLiteral("interrupted before it started")));
}

void Lane::stop(const QString& why)
{
    std::deque<Job> cancelled;
    {
        const std::lock_guard lock(m_mutex);
        m_stop.store(true);
        cancelled.swap(m_queue);
    }
    m_work.notify_one();
    wake(); // a job waiting in poll()
    std::thread thread;
    {
        // Once m_stop is set no post() starts another thread (it checks, under m_mutex).
        const std::lock_guard lock(m_threadMutex);
        thread = std::move(m_thread);
    }
    if (thread.joinable()) {
        // The last owner may let go of a lane from a job running on it; never self-join.
        if (thread.get_id() == std::this_thread::get_id())
            thread.detach();
        else
            thread.join();
    }
    for (auto& job : cancelled)
        if (job.fail)
            job.fail(CallResult::interrupted(why));
}

void Lane::retire()
{
    {
        const std::lock_guard lock(m_mutex);
        m_retire.store(true);
        if (!m_threadLive && m_queue.empty())
            m_finished.store(true); // its thread ended idle: nothing is left to end
    }
    m_work.notify_one();
}

void Lane::join()
{
    std::thread thread;
    {
        const std::lock_guard lock(m_threadMutex);
        if (!m_thread.joinable() || m_thread.get_id() == std::this_thread::get_id())
            return;
        thread = std::move(m_thread);
    }
    thread.join();
}

bool Lane::hasWork() const
{
    const std::lock_guard lock(m_mutex);
    return !m_queue.empty() || m_running.load() != 0;
}

void Lane::wake()
{
    if (m_wakeFd < 0)
        return; // its jobs never poll
    const quint64 one = 1;
    // eventfd writes of 8 bytes cannot be short; EAGAIN only if the counter is saturated,
    // in which case the lane is already awake.
    [[maybe_unused]] const auto written = ::write(m_wakeFd, &one, sizeof one);
}

void Lane::drainWake()
{
    quint64 value = 0;
    [[maybe_unused]] const auto read = ::read(m_wakeFd, &value, sizeof value);
}

void Lane::sayQueuedBlocked()
{
    std::vector<std::function<void()>> blocked;
    {
        const std::lock_guard lock(m_mutex);
        for (Job& job : m_queue)
            if (!job.saidBlocked && job.onFirstWait) {
                job.saidBlocked = true;
                blocked.push_back(job.onFirstWait);
            }
    }
    for (const auto& say : blocked)
        say();
}

int Lane::parkedOn(CallId call) const
{
    if (m_running.load() != call.value) {
        const std::lock_guard lock(m_mutex);
        const bool queued = std::any_of(m_queue.begin(), m_queue.end(),
                                        [call](const Job& job) { return job.call == call; });
        return queued && m_runningWaited.load() ? m_parkedOn.load() : 0;
    }
    const int events = m_parkedOn.load();
    // The call may have ended (and another begun) while we looked.
    return m_running.load() == call.value ? events : 0;
}

bool Lane::interruptRequested() const
{
    return m_stop.load() || (m_running.load() != 0 && m_interruptTarget.load() == m_running.load());
}

void Lane::loop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            // Queued calls wait while a claimed call runs on its caller's thread.
            const auto done = [this] {
                return m_stop.load() || (m_retire.load() && m_queue.empty());
            };
            const bool work = m_work.wait_for(lock, kIdleExit, [this, &done] {
                return done() || (!m_inline && (m_retire.load() || !m_queue.empty()));
            });
            if (done()) {
                m_finished.store(true);
                m_threadLive = false;
                return;
            }
            if (!work) {
                if (!m_queue.empty())
                    continue;         // behind a claimed call: go on waiting for it to end
                m_threadLive = false; // idle: the next post() starts a thread again
                return;
            }
            job = std::move(m_queue.front());
            m_queue.pop_front();
            m_interruptTarget.store(0);
            m_runningWaited.store(false);
            m_running.store(job.call.value);
        }
        Context context(*this, job.call, std::move(job.onFirstWait), job.saidBlocked);
        job.run(context);
        m_runningWaited.store(false);
        m_running.store(0);
    }
}

WaitOutcome Lane::Context::wait(int fd, short events, Deadline deadline)
{
    if (!m_waited) {
        m_waited = true;
        if (m_onFirstWait)
            m_onFirstWait();
    }
    m_lane.m_runningWaited.store(true); // the calls queued behind this one wait as long
    // A lane that waits on nothing has no way to be woken from poll(): it never polls.
    if (m_lane.m_wakeFd < 0)
        return WaitOutcome::Interrupted;
    for (;;) {
        if (m_lane.interruptRequested())
            return WaitOutcome::Interrupted;
        m_lane.sayQueuedBlocked(); // calls posted behind this one since it began to wait
        int timeoutMs = -1;
        if (deadline) {
            const auto left = *deadline - Clock::now();
            if (left <= Clock::duration::zero())
                return WaitOutcome::TimedOut;
            // Round up so that we never wake a hair before the deadline and spin.
            timeoutMs =
                static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(left).count());
        }
        pollfd fds[2] = {{m_lane.m_wakeFd, POLLIN, 0}, {fd, events, 0}};
        m_lane.m_parkedOn.store(fd >= 0 ? int(events) : kWaitsForDeadline);
        const int n = ::poll(fds, fd >= 0 ? 2 : 1, timeoutMs);
        m_lane.m_parkedOn.store(0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return WaitOutcome::Interrupted;
        }
        if (fds[0].revents & POLLIN)
            m_lane.drainWake(); // an interrupt or a stop; the loop head tells whose
        if (fd >= 0 && fds[1].revents != 0)
            return m_lane.interruptRequested() ? WaitOutcome::Interrupted : WaitOutcome::Ready;
    }
}

} // namespace sockbench
