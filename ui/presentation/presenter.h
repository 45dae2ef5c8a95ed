#pragma once

#include "engine/trace.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>

namespace sockbench {

class StageModel;

// Plays the trace into the stage at a teaching pace. Reality runs ahead: every event is
// in the trace the moment it happens, and the presenter shows them one by one, giving
// each the time its animation needs. lag() says how far the picture is behind, and
// catchUp() shows everything at once.
//
// Bulk traffic never piles up: once the backlog passes kCoalesceAbove events, the
// oldest ones are applied in one go (their bytes shown as one merged chunk per wire),
// so a gigabyte animates as smoothly as a few bytes and memory stays flat.
class Presenter : public QObject {
    Q_OBJECT
public:
    static constexpr int kCoalesceAbove = 200;
    static constexpr int kBaseDwellMs = 450; // one ordinary event at speed 1

    Presenter(const Trace& trace, StageModel& model, QObject* parent = nullptr);

    // 0.25 (slow, for the projector) .. 4 (quick); 0 shows everything as it happens.
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    int backlog() const { return static_cast<int>(m_pending.size()); }
    // How far behind reality the picture is, in trace time.
    qint64 lagNs() const;
    bool isLive() const { return m_pending.empty() && !m_dwell.isActive(); }
    // How long the newest event shown may take to animate (views time their motion by it).
    int currentDwellMs() const { return m_currentDwell; }
    // While a recording replays, the stage is not the live trace's: events that still
    // arrive (the old lesson's sockets closing) are skipped, not shown.
    void setSuspended(bool suspended);
    // Shows every event of the trace from fromSeq on at once, and presents what comes after
    // at the pace again (a run re-made silently for a step back is there, all of it).
    void resumeFrom(quint64 fromSeq);

public Q_SLOTS:
    void catchUp();
    // The stage was cleared: start again from the trace's next event, or from fromSeq on
    // (the events of the lesson's peers, which started with the reset).
    void restart(quint64 fromSeq = 0);

Q_SIGNALS:
    // The picture moves on to a later moment: what moved in the one before has arrived.
    void advancing();
    void presented(const sockbench::Event& event);
    void lagChanged();
    void caughtUp();

private:
    void fetch();
    void presentNext();
    int dwellFor(const Event& event) const;

    const Trace& m_trace;
    StageModel& m_model;
    std::deque<Event> m_pending;
    quint64 m_nextSeq = 0;
    double m_speed = 1.0;
    bool m_suspended = false;
    int m_currentDwell = 0;
    QTimer m_dwell;
};

} // namespace sockbench
