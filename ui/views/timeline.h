#pragma once

#include "engine/trace.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <functional>

namespace sockbench {

// The events the "look closer" views (ladder, event log, inspector, plots) show: the live
// trace from the stage's last reset on, or a recorded session up to the replay cursor.
// Every view reads the same Timeline, so they all show the same moments.
//
// Bounded: it keeps the newest kMaxEvents events (events share their payload bytes with
// the trace, so a copy here costs little more than the Event itself).
class Timeline : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxEvents = 100'000;

    explicit Timeline(QObject* parent = nullptr);

    // Live: shows the trace's events from fromSeq on, and follows what it appends. Resets.
    void follow(const Trace& trace, quint64 fromSeq);
    // Live, as the stage shows it: the presenter hands over each event it presents, and
    // the views get them in one batch per turn of the event loop (bulk traffic presents
    // hundreds at once). start() clears and begins such a feed.
    void start();
    void add(const Event& event);
    // Recorded: no trace. Resets and shows these events (replay appends and truncates).
    void setEvents(const QList<Event>& events);
    void append(const QList<Event>& events);
    // Keeps the first count events (stepping back through a replay). Resets.
    void truncate(qsizetype count);
    void clear();
    bool isLive() const { return m_live; }

    qsizetype size() const { return qsizetype(m_events.size()); }
    const Event& at(qsizetype index) const { return m_events[size_t(index)]; }
    // The index of the event with this sequence number, -1 if it is not here.
    qsizetype indexOf(quint64 seq) const;
    const Event* find(quint64 seq) const;
    // Events trimmed off the front so far by the cap.
    qint64 dropped() const { return m_dropped; }

    // How views name a socket: the script's variable ("server", "conn") when known, else
    // "#3". The session sets the namer; a recorded session brings its names along.
    QString socketName(SocketId socket) const;
    void setSocketNamer(std::function<QString(SocketId)> namer) { m_namer = std::move(namer); }
    // The actor (host) that created the socket, from the first event that names it.
    QString actorOf(SocketId socket) const { return m_actors.value(socket); }

public Q_SLOTS:
    void pull(); // live: takes what the trace appended since last time

Q_SIGNALS:
    // Events [first, first + count) arrived (indices as they are after the signal).
    void appended(qsizetype first, qsizetype count);
    // count events left the front to keep the cap: every index moved down by count.
    void trimmed(qsizetype count);
    // Everything changed: views rebuild from size() and at().
    void reset();

private:
    void remember(const Event& event);

    void flush();

    const Trace* m_trace = nullptr;
    bool m_live = false;
    QList<Event> m_batch;
    QMetaObject::Connection m_following;
    quint64 m_nextSeq = 1;
    std::deque<Event> m_events;
    qint64 m_dropped = 0;
    QHash<SocketId, QString> m_actors;
    std::function<QString(SocketId)> m_namer;
};

} // namespace sockbench
