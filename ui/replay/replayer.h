#pragma once

#include "session/sessionfile.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace sockbench {

class EventSelection;
class StageModel;
class Timeline;

// Plays a recorded session into the stage and the closer views, with no socket at all:
// the recorded events go through the same StageModel the live trace does. One step shows
// the events up to and including the next call that finished or blocked (what a live step
// shows); back rebuilds the picture up to the step before, at once.
class Replayer : public QObject {
    Q_OBJECT
public:
    Replayer(StageModel& model, Timeline& timeline, EventSelection& selection,
             QObject* parent = nullptr);

    // At the beginning; hosts are laid out in actorOrder first (the script's), then any
    // other actor the events name.
    void start(const sessionfile::RecordedSession& session, const QStringList& actorOrder = {});
    void stop();
    bool isActive() const { return m_active; }
    bool isPlaying() const { return m_play.isActive(); }
    const sessionfile::RecordedSession& session() const { return m_session; }
    int position() const { return m_position; } // events shown
    int total() const { return int(m_session.events.size()); }
    bool atEnd() const
    {
        return m_position >= total() && (!bySteps() || m_step >= int(m_statementBefore.size()));
    }
    // A recording whose statements are line events (format version 2) steps by them, as the
    // live window did: "step N of M" is the same number there and here. Older ones step by
    // call (and so does one with no statement). step(): the statements run at the moment
    // shown.
    bool bySteps() const { return !m_statementBefore.empty(); }
    int step() const { return m_step; }
    int steps() const { return int(m_statementBefore.size()); }
    // The statement that made the last event shown, if the file knows it.
    const sessionfile::RecordedStatement* currentStatement() const;
    // The finished event of a recorded call (nullptr if it never finished), and what the
    // recording says a socket was: its descriptor (-1 unknown) and family.
    const Event* finishedEvent(CallId call) const;
    std::pair<qint64, AddressFamily> socketFacts(SocketId socket) const;
    // The statements the events shown so far have finished, in the order they finished.
    QList<const sessionfile::RecordedStatement*> statementsShown() const;
    // The time between steps while playing.
    void setInterval(int milliseconds) { m_play.setInterval(std::max(milliseconds, 1)); }

public Q_SLOTS:
    void stepForward();
    void stepBack();
    void seek(int position); // shows exactly the first position events
    void play();
    void pause();
    void rewind();

Q_SIGNALS:
    void moved(int position, int total);
    void playingChanged(bool playing);

private:
    void show(int from, int to); // applies events [from, to) to what is shown
    void rebuild(int position);
    void followSelection(quint64 seq);
    int stepEnd(int from) const; // the position after the next finished call from here

    StageModel& m_model;
    Timeline& m_timeline;
    EventSelection& m_selection;
    sessionfile::RecordedSession m_session;
    QHash<CallId, int> m_statementOfCall; // index into m_session.statements
    QStringList m_actorOrder;
    QHash<CallId, int> m_finishedAt; // a call's finished event, by index
    QHash<SocketId, std::pair<qint64, AddressFamily>> m_socketFacts;
    // (event index where the statement is over, statement index), in event order.
    std::vector<std::pair<int, int>> m_statementEnds;
    // By steps: how many events were shown when each statement began (non-decreasing).
    std::vector<int> m_statementBefore;
    int m_step = 0;
    int positionOfStep(int step) const;
    void showStep(int step);
    int m_position = 0;
    bool m_active = false;
    bool m_moving = false; // the replayer itself is selecting: do not follow that
    QTimer m_play;
};

} // namespace sockbench
