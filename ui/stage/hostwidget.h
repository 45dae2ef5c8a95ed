#pragma once

#include "net/call.h"
#include "program/runner.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace sockbench {

class MasonryLayout;
class SocketCard;

// One actor of the lesson, drawn as a host: its name, its socket cards top to bottom
// (each socket accept() made right after its listener), and a button for a new one. A host
// the stage gives several columns' width lays its cards out in as many columns.
class HostWidget : public QFrame {
    Q_OBJECT
public:
    explicit HostWidget(const QString& actor, QWidget* parent = nullptr);

    const QString& actor() const { return m_actor; }
    // Adds a card; one whose socket was accepted goes right after its listener's family.
    void addCard(SocketCard* card, SocketCard* after = nullptr);
    QList<SocketCard*> cards() const;
    // How many of the stage's columns the host spans, and so how many columns of cards it
    // may lay out (no more than it has cards).
    void setSpan(int columns);
    int span() const;
    // Drops every size measured: the cards' detail or type size changed.
    void relayout();
    QToolButton* newSocketButton() const { return m_newSocket; }
    // The lines of execution running on this host (its actor's thread, and the threads it
    // started), one compact row each: name, state, line, the call it is blocked in.
    void setThreads(const QList<program::ThreadView>& threads);
    QString threadsText() const; // the rows as plain text, one a line
    // Where its name, its threads and its status are written, in its own coordinates:
    // a wire keeps out from under them as from under a card.
    QList<QRect> writtenRects() const;
    // Every thread of the host has finished and every socket on it is gone: it may fold.
    bool canFold() const;
    // Folded, the host is its name and where its threads ended, with its sockets summed up
    // beside them ("3 sockets closed"): the room a finished program's closed sockets
    // took goes to the hosts still at work. Unfolded, it shows them again.
    void setFolded(bool folded);
    bool isFolded() const { return m_folded; }

Q_SIGNALS:
    void newSocketRequested(const QString& actor, sockbench::AddressFamily family,
                            sockbench::SocketType type);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void showThreads(); // the rows of m_rows, and the folded summary

    QString m_actor;
    QLabel* m_title;
    QToolButton* m_newSocket;
    MasonryLayout* m_cards;
    QLabel* m_threads;
    QLabel* m_status; // the host's one thread, named as the host: beside the name
    QStringList m_threadRows;
    QStringList m_rows;      // the same, coloured (rich text)
    QStringList m_ownStatus; // the host's one thread's row, without its name
    bool m_finished = false;
    bool m_folded = false;
};

} // namespace sockbench
