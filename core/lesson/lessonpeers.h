#pragma once

#include "engine/workbench.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <memory>
#include <variant>
#include <vector>

namespace sockbench::services {
class Peer;
}

namespace sockbench::lesson {

// "# peer: web = course-web" in a lesson's header: NAME is bound to the address tuple of
// a built-in peer of that KIND, started for the lesson.
struct PeerDeclaration {
    QString name;
    QString kind;
};
// The lesson's peer lines, or one sentence saying what is wrong with one of them.
// From a program's header lines ("# peer: web = course-web" as {web, course-web}).
std::variant<QList<PeerDeclaration>, QString>
peerDeclarations(const QList<std::pair<QString, QString>>& headerPeers);

// The built-in peers of the lesson that is loaded. Each starts on a free loopback port
// when the lesson loads or resets, before its first statement, and is stopped (every
// socket closed) by the next reset. The peer's actor is its NAME, so its calls show on
// the stage and in the trace as that host's.
class LessonPeers : public QObject {
    Q_OBJECT
public:
    explicit LessonPeers(Workbench& workbench, QObject* parent = nullptr);
    ~LessonPeers() override;

    // Binds NAME to an outside address instead of starting its peer (a peer already
    // running elsewhere, even on another host: `sockbench run --peer NAME=HOST:PORT`).
    void setOutside(const QString& name, const Endpoint& address);
    // How long course-web waits for a request (tests make it short).
    void setRequestTimeout(std::chrono::milliseconds timeout) { m_requestTimeout = timeout; }

    // Off while a recorded session replays: a replay starts no socket at all.
    void setEnabled(bool enabled) { m_enabled = enabled; }
    // Stops the peers of the last run and starts the script's. Returns the calls whose
    // results mean that every peer listens, or could not (problem() said why).
    // The same for a program's header lines ("# peer: web = course-web" as {web,
    // course-web}).
    QList<CallId> restart(const QList<std::pair<QString, QString>>& headerPeers);
    // Each peer's name with its address, as the backend binds it: {"web": ["127.0.0.1", 40123]}.
    QJsonObject addressNames() const;
    void stopAll();

    QList<services::Peer*> peers() const;
    services::Peer* peer(const QString& name) const;
    // The trace's first event of the current peers' start (0 when there are none): the
    // stage shows the peers from there.
    quint64 startedAtSeq() const { return m_startedAt; }
    // A peer started by hand (the window's Peers menu), under the kind's name; it runs
    // until the next reset. nullptr with *error for an unknown kind.
    services::Peer* startExtra(const QString& kind, QString* error = nullptr);

Q_SIGNALS:
    void problem(const QString& sentence);
    void peerListening(const QString& name, const QString& kind,
                       const sockbench::Endpoint& address);

private:
    services::Peer* launch(const QString& name, const QString& kind, CallId* ready);

    Workbench& m_workbench;
    QHash<QString, Endpoint> m_outside;
    QList<PeerDeclaration> m_declared;
    std::vector<std::pair<QString, std::unique_ptr<services::Peer>>> m_peers;
    std::chrono::milliseconds m_requestTimeout{10000};
    quint64 m_startedAt = 0;
    bool m_enabled = true;
};

} // namespace sockbench::lesson
