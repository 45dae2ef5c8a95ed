#pragma once

#include "net/call.h"

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

Q_SIGNALS:
    void newSocketRequested(const QString& actor, sockbench::AddressFamily family,
                            sockbench::SocketType type);

private:
    QString m_actor;
    QLabel* m_title;
    QToolButton* m_newSocket;
    QVBoxLayout* m_cards;
};

} // namespace sockbench
