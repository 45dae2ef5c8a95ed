#pragma once

#include "event.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace sockbench {

// The one ordered record of everything that happened: every call, every result, every
// change the kernel showed. Thread-safe; workers append, views read.
//
// Memory is bounded. Each event keeps at most kPayloadPerEvent bytes of its payload; an
// event whose payload would take the stored total past the payload limit (kPayloadTotal
// unless setLimits() says otherwise), or its socket's kept bytes past kPayloadPerSocket,
// keeps only a kPayloadSample-byte sample (so the total never passes the limit by more
// than samples). A bulk transfer is thus shown in full for its first 4 MiB, then sampled:
// its later events cost no fresh memory, whose first touch is most of what tracing a bulk
// transfer costs (bench/README.md). Stored bytes own exactly their size: a
// 20-byte read into a 64 KiB buffer keeps 20 bytes, not the buffer. The trace holds the
// newest kMaxEvents events, or the limit set (firstSeq() says where it starts). The
// per-socket totals count every byte and every call, whatever was trimmed, until the
// socket is forgotten.
class Trace : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kPayloadPerEvent = 64 * 1024;
    static constexpr qint64 kPayloadTotal = 64 * 1024 * 1024;
    static constexpr qsizetype kPayloadSample = 64;
    static constexpr qint64 kPayloadPerSocket = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxEvents = 250'000;

    struct Limits {
        qsizetype maxEvents = kMaxEvents;
        qint64 payloadTotal = kPayloadTotal;
    };

    struct SocketTotals {
        qint64 bytesSent = 0;
        qint64 bytesReceived = 0;
        qint64 calls = 0;
        qint64 errors = 0;
        qint64 payloadKept = 0; // payload bytes its events were given to keep
    };

    // A place in the order, taken when a call begins, before its system call can cause
    // anything. What the call causes (a peer's accept() returning, a state the watcher
    // sees) is told to the trace by other threads, sometimes before the call itself gets
    // to say it blocked or returned; those events are ordered after the place all the
    // same. Events behind a place not yet filled are kept but not published: lastSeq(),
    // events() and appended() stop before it. A place is filled by the call's first event
    // (blocked, or finished); one destroyed unfilled leaves a gap in the numbers.
    class Place {
    public:
        Place() = default;
        Place(Place&& other) noexcept;
        Place& operator=(Place&& other) noexcept;
        Place(const Place&) = delete;
        Place& operator=(const Place&) = delete;
        ~Place() { giveUp(); }
        bool held() const { return m_seq != 0; }
        void giveUp();

    private:
        friend class Trace;
        Trace* m_trace = nullptr;
        quint64 m_seq = 0;
    };

    explicit Trace(QObject* parent = nullptr);

    // Stamps the event with the next sequence number and the current time (in place, so
    // the caller's copy carries them too), stores a copy trimmed to the limits above and
    // returns the sequence number. In the stored copy the received bytes live in payload
    // only (result.data is emptied) and the request keeps a kPayloadSample-byte sample.
    quint64 append(Event& event);
    // The same, into the place reserved for it when the place is still held (it is then
    // released); otherwise an append as above.
    quint64 append(Event& event, Place& place);
    // A place for the event a call is about to cause first (see Place).
    Place reserve();
    // Nanoseconds on the trace's monotonic clock: what Event::timeNs and startNs use.
    qint64 nowNs() const;

    // A long-running headless server keeps a shorter history than the window: the oldest
    // events beyond the new limits go at once.
    void setLimits(const Limits& limits);
    Limits limits() const;
    // Drops the socket's totals (the workbench forgot the socket); its events stay.
    void forgetSocket(SocketId socket);

    quint64 firstSeq() const;
    quint64 lastSeq() const;
    qsizetype size() const;
    std::optional<Event> event(quint64 seq) const;
    // Events from seq fromSeq on (clamped to what is kept), at most max of them (-1: all).
    QList<Event> events(quint64 fromSeq = 0, qsizetype max = -1) const;
    SocketTotals totals(SocketId socket) const;
    qint64 payloadBytesStored() const;

Q_SIGNALS:
    // Something was appended; lastSeq is the newest. Coalesced: while one notification
    // waits in the trace's thread, further appends do not queue another. Each signal
    // carries a larger lastSeq than the one before, and the last one the newest event.
    void appended(quint64 lastSeq);

private:
    void notify();
    void evictLocked();   // caller holds m_mutex
    void publishLocked(); // caller holds m_mutex: moves m_published past filled places
    // Stamps both with seq (and the kept copy with the time), trims the kept payload to
    // the budgets and counts it. The caller holds m_mutex.
    void storeLocked(Event& stamped, quint64 seq, Event& kept);
    void release(quint64 seq);

    const std::chrono::steady_clock::time_point m_start;
    mutable std::mutex m_mutex; // guards everything below
    // Each event in memory of its own, made before the lock is taken (null: a place).
    std::deque<std::unique_ptr<Event>> m_events;
    quint64 m_firstSeq = 1; // the sequence number of m_events.front()
    quint64 m_nextSeq = 1;
    quint64 m_published = 0;    // every event up to this one is stored and may be read
    std::deque<quint64> m_held; // places reserved and not yet filled, oldest first
    qint64 m_payloadStored = 0;
    QHash<SocketId, SocketTotals> m_totals;
    Limits m_limits;
    std::atomic<bool> m_notifyPending{false};
    quint64 m_lastNotified = 0; // touched only in the trace's own thread
};

} // namespace sockbench
