#pragma once

#include "program/runner.h"

#include "presentation/stagemodel.h"
#include "socketcard.h"

#include <QHash>
#include <QScrollArea>
#include <QSet>

class QTimer;

#include <functional>

class QToolButton;

namespace sockbench {

class MasonryLayout;
class HostWidget;
class Presenter;
class WireOverlay;

// The stage: one host per actor, side by side in columns, socket cards inside, wires
// between the connected ones, bytes moving along them. Everything it shows comes from the
// StageModel, which the Presenter feeds from the trace.
class StageWidget : public QScrollArea {
    Q_OBJECT
public:
    using NameOf = std::function<QString(SocketId)>;
    StageWidget(StageModel& model, Presenter& presenter, std::function<qint64()> clockNs,
                QWidget* parent = nullptr);

    void setNameOf(NameOf nameOf) { m_nameOf = std::move(nameOf); }
    // Whether a call's error was expected or caught (SocketCard::Handled): its card says so,
    // without the advice for an error nobody wanted.
    using HandledOf = std::function<SocketCard::Handled(CallId)>;
    void setHandledOf(HandledOf handledOf) { m_handledOf = std::move(handledOf); }
    SocketCard* card(SocketId socket) const { return m_cards.value(socket); }
    HostWidget* host(const QString& actor) const { return m_hosts.value(actor); }
    QList<HostWidget*> hosts() const;
    WireOverlay* overlay() const { return m_overlay; }
    // A frame is pending: cards to show, or a fit to make at the new size.
    bool isSettling() const;
    QToolButton* newHostButton() const { return m_newHost; }
    // Shows every card's name again (the lesson's variables may have changed).
    void refreshNames();
    // The statement the script runs next, on the host that runs it: the socket call it
    // makes (`named.close()`, `conn, addr = server.accept()`) lights that button on the
    // card of the socket the variable names. "" for none.
    void showNextStatement(const QString& host, const QString& statement);
    // A script is being followed (SocketCard::setScripted), or free play.
    void setScripted(bool scripted);
    // The program's threads, each on the host that shows it (hostOf gives its name; a host
    // not on the stage yet is added). Hosts without a thread in the list show none.
    void setThreads(const QList<program::ThreadView>& threads,
                    const std::function<QString(const program::ThreadView&)>& hostOf);

Q_SIGNALS:
    void callRequested(sockbench::SocketId socket, sockbench::CallKind kind, QWidget* anchor);
    void interruptRequested(sockbench::CallId call);
    void newSocketRequested(const QString& actor, sockbench::AddressFamily family,
                            sockbench::SocketType type);
    void newHostRequested();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    HostWidget* ensureHost(const QString& actor);
    void addSocket(SocketId socket);
    void updateSocket(SocketId socket);
    void showCard(SocketCard* card, const SocketView& view); // with its peer's port label
    void flush();
    void tickBlocked(); // every blocked card in view: its time so far
    void follow();      // scrolls m_acted's card into view once it is laid out and shown
    void fit();         // picks how much the cards show, so that every host is in view
    void updateWires();
    void clear();
    QRect cardRect(SocketId socket) const;

    StageModel& m_model;
    Presenter& m_presenter;
    std::function<qint64()> m_clock;
    NameOf m_nameOf;
    HandledOf m_handledOf;
    QWidget* m_canvas;
    MasonryLayout* m_row; // the hosts, in columns
    QToolButton* m_newHost;
    WireOverlay* m_overlay;
    QHash<QString, HostWidget*> m_hosts;
    QHash<SocketId, SocketCard*> m_cards;
    // Cards to show again at the next frame: however many events arrive in between, a
    // card is laid out once a frame.
    QSet<SocketId> m_dirty;
    // Sockets by the name their card shows, in the order they were made: two sockets a
    // variable named in turn ("conn" in a loop) are "conn #1" and "conn #2".
    QHash<QString, QList<SocketId>> m_byName;
    QHash<SocketId, QString> m_nameShown;
    QString shownName(SocketId socket);
    SocketId m_nextCallOn; // the card whose button the next statement lights
    bool m_scripted = false;
    SocketId m_acted;    // the socket the newest call acted on, to scroll into view
    SocketId m_followed; // the one scrolled into view last: again after a refit
    int m_followTries = 0;
    // Frames left in which the followed card is scrolled into view again should the layout,
    // settling one pass at a time, still move it; and the scroll position those frames
    // left, so that a student's own scroll ends them.
    int m_settleFrames = 0;
    QPoint m_followScroll;
    static constexpr int kFollowFrames = 30; // about half a second of frames
    static constexpr int kSettleFrames = 6;
    // Up to this many cards, fit() measures a fuller level rather than guess, once the
    // stage has been still for kRefitDelay (see there).
    static constexpr int kFewCards = 60;
    static constexpr int kRefitDelayMs = 250;
    // A column narrower than this many average characters wraps a full card's title and
    // state: the stage takes fewer, wider columns while it fits in them.
    static constexpr int kComfortableColumn = 40;
    QTimer* m_frame;
    QTimer* m_blockedClock;
    QTimer* m_refit;           // a stage at rest measures its fuller level (few cards)
    bool m_tryFuller = false;  // set while that fit() runs
    QString m_fittedShape;     // what fit() last fitted: cards, hosts and room
    QString m_fittedStructure; // how many cards, hosts and explained errors, and the room
    int m_appliedLevel = -1;   // the detail and type size fit() set last
    double m_fullerRatio = 0;  // how much taller the level above it was, 0: not known
    // The arrangement fit() left last, at this room width: how many columns and each
    // host's span, kept while it fits.
    int m_keptWidth = 0;
    int m_keptColumns = 0;
    int m_keptExplained = 0;
    QHash<QString, int> m_keptSpans;
};

} // namespace sockbench
