#pragma once

#include "net/call.h"
#include "program/runner.h"

#include <QFrame>

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace sockbench {

class SocketCard;

// One actor of the lesson, drawn as a host: its name, its socket cards top to bottom
// (each socket accept() made sits right under its listener), and a button for a new one.
class HostWidget : public QFrame {
    Q_OBJECT
public:
    explicit HostWidget(const QString& actor, QWidget* parent = nullptr);

    const QString& actor() const { return m_actor; }
    // Adds a card; one whose socket was accepted goes right after its listener's family.
    void addCard(SocketCard* card, SocketCard* after = nullptr);
    QList<SocketCard*> cards() const;
    QToolButton* newSocketButton() const { return m_newSocket; }
    // The lines of execution running on this host (its actor's thread, and the threads it
    // started), one compact row each: name, state, line, the call it is blocked in.
    void setThreads(const QList<program::ThreadView>& threads);
    QString threadsText() const; // the rows as plain text, one a line

Q_SIGNALS:
    void newSocketRequested(const QString& actor, sockbench::AddressFamily family,
                            sockbench::SocketType type);

private:
    QString m_actor;
    QLabel* m_title;
    QToolButton* m_newSocket;
    QVBoxLayout* m_cards;
    QLabel* m_threads;
    QStringList m_threadRows;
};

} // namespace sockbench
