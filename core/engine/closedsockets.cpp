// What becomes of a closed socket: its lanes are joined by the janitor as soon as they
// end, and on request the workbench forgets it altogether.

#include "kernelwatcher.h"
#include "socketentry.h"
#include "workbench.h"

namespace sockbench {

Lane* Workbench::janitorLane()
{
    const std::lock_guard lock(m_mutex);
    if (m_closing)
        return nullptr;
    if (!m_janitor) {
        int error = 0;
        // Its jobs join threads and never wait for a socket: it needs no descriptor.
        m_janitor = Lane::start(QStringLiteral("janitor"), Lane::Waits::OnNothing, &error);
    }
    return m_janitor.get();
}

void Workbench::reap(std::shared_ptr<SocketEntry> closed, bool shutdown)
{
    if (!closed)
        return;
    auto work = [closed, shutdown] {
        for (const auto& lane : closed->takeRetiredLanes())
            lane->join();
        if (shutdown)
            closed->shutdown(QStringLiteral("the socket was forgotten"));
    };
    Lane::Job job;
    job.run = [work](Lane::Context&) { work(); };
    job.fail = [work](const CallResult&) { work(); };
    if (Lane* janitor = janitorLane(); janitor && janitor->post(job) == 0)
        return;
    // No janitor (closing, or no thread to be had): the entry waits for the teardown,
    // never destroyed here, where this may be one of its own lanes.
    const std::lock_guard lock(m_mutex);
    m_unreaped.append(std::move(closed));
}

bool Workbench::forget(SocketId socket)
{
    std::shared_ptr<SocketEntry> gone;
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_sockets.find(socket);
        if (it == m_sockets.end())
            return false;
        const auto phase = (*it)->phase();
        if (phase != SocketEntry::Phase::Closed && phase != SocketEntry::Phase::Failed)
            return false;
        gone = std::move(*it);
        m_sockets.erase(it);
    }
    m_trace->forgetSocket(socket);
    if (KernelWatcher* watcher = m_watching.load(std::memory_order_acquire))
        watcher->forgetClosed(socket);
    // Never destroyed here: this may be one of its own lanes (a completion of its close).
    reap(std::move(gone), true);
    return true;
}

} // namespace sockbench
