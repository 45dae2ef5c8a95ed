#pragma once

#include "presentation/stagemodel.h"

#include <QFrame>
#include <QHash>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QToolButton;
class QVariantAnimation;

namespace sockbench {

class ElapsedLabel;
class QueueBar;

// One socket on the stage: what it is, where it is bound and connected, the teaching state
// beside the kernel's TCP state, its kernel queues, a call it is blocked in, the last
// result, and a button for every lifecycle call. The suggested next calls stand out;
// every other call stays available, and a wrong one shows the kernel's real error here.
class SocketCard : public QFrame {
    Q_OBJECT
    Q_PROPERTY(double pulse READ pulse WRITE setPulse)
public:
    SocketCard(SocketId id, std::function<qint64()> clockNs, QWidget* parent = nullptr);

    // How much a card shows: the stage picks the most that fits every host in view.
    // Full: every row and a button for every call. Compact: the suggested calls only, the
    // others in More, no port labels, and a closed socket folds to its name and state. Minimal: the
    // name, the states, the addresses and what is waiting or failed, and More with every call.
    enum class Detail { Full, Compact, Minimal };
    void setDetail(Detail detail);
    Detail detail() const { return m_detail; }
    // Changes when the card's rows or their lengths may change: the stage fits again then.
    QString shape() const;

    SocketId socketId() const { return m_id; }
    // peerChosenByKernel: the other end's port was its kernel's pick (when that end is on
    // the stage too), so both cards label the port alike.
    // What became of the last call's error: the lesson's line said it would come ("# expect:
    // timeout"), or the program went on (an except clause, connect_ex()'s number), or
    // neither (not known yet, or it ended the thread: then what to try is shown).
    enum class Handled { No, Expected, Caught };
    void display(const SocketView& view, const QString& name, bool peerChosenByKernel = false,
                 Handled handled = Handled::No);
    QString title() const;
    // The call the script's next statement makes on this socket (`named.close()`): its
    // button shows, lit, at every detail but Minimal, so the class sees what comes.
    void setNextCall(std::optional<CallKind> kind);
    std::optional<CallKind> nextCall() const { return m_nextCall; }
    // Following a script (a lesson, an opened program): only the next statement's call is
    // lit, not every call the state suggests, which lit "accept" beside "Next — close()".
    // In free play the state's suggestions are the guide.
    void setScripted(bool scripted);
    QToolButton* callButton(CallKind kind) const { return m_buttons.value(kind); }
    QPushButton* interruptButton() const { return m_interrupt; }
    QToolButton* moreButton() const { return m_more; } // its menu holds every other call
    // A call's entry in More: shown there when its button is not (a compact card).
    QAction* menuCall(CallKind kind) const { return m_menuCalls.value(kind); }
    // The labels a test or a screen reader reads.
    QString stateText() const;
    QString kernelStateText() const;
    QString lastResultText() const;
    // For a failed last call: what the error means and what to try, in full (the card shows
    // each on one line, cut to fit, with everything in the tooltip); empty otherwise.
    QString errorExplanationText() const;
    QueueBar* receiveQueue() const { return m_recvQueue; }
    QueueBar* sendQueue() const { return m_sendQueue; }
    QueueBar* acceptQueue() const { return m_acceptQueue; }
    // A blocked call's time so far ("blocked in accept() for 3.2 s"): the stage's one clock
    // ticks every blocked card in view.
    bool isBlocked() const { return m_view.isBlocked(); }
    // Closed, its last call went well, and the kernel keeps nothing of it (no TIME_WAIT):
    // nothing on it is left to see but that it was closed.
    bool isGone() const;
    void refreshBlocked();
    QString blockedText() const;

    double pulse() const { return m_pulse; }
    void setPulse(double pulse);

Q_SIGNALS:
    void callRequested(sockbench::SocketId socket, sockbench::CallKind kind, QWidget* anchor);
    void interruptRequested(sockbench::CallId call);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QToolButton* addCallButton(CallKind kind, const QString& tooltip, QWidget* row);
    void updateRows();    // which rows and buttons show, for the view and the detail
    void markSuggested(); // the state's suggested calls, and the script's next one
    void showExplanation(const SocketView& view);
    void elideExplanation();

    static constexpr int kWholeRow = 64; // as a column span: as many as the host has

    SocketId m_id;
    std::function<qint64()> m_clock;
    SocketView m_view;
    QString m_name;
    QString m_titleText; // as the card says it; m_title wraps it only between its parts
    QLabel* m_title;
    QLabel* m_state;
    QLabel* m_tcpState;
    QLabel* m_local;
    QLabel* m_peer;
    QueueBar* m_recvQueue;
    QueueBar* m_sendQueue;
    QueueBar* m_acceptQueue;
    QWidget* m_blockedRow;
    QLabel* m_blocked;
    ElapsedLabel* m_elapsed;
    QPushButton* m_interrupt;
    QLabel* m_last;
    QLabel* m_meaning; // the failed call's error in one line: what it means
    QLabel* m_try;     // ... and what to try
    QString m_meaningText;
    QString m_tryText;
    QHash<CallKind, QToolButton*> m_buttons;
    QHash<CallKind, QAction*> m_menuCalls; // the same calls in More, for a compact card
    QWidget* m_buttonRow = nullptr;
    QToolButton* m_more;
    // The next statement's call on a Minimal card, in its title row: no button row to
    // make taller, and the class still sees what comes.
    QToolButton* m_nextInTitle;
    Detail m_detail = Detail::Full;
    bool m_peerChosenByKernel = false;
    std::optional<CallKind> m_nextCall;
    bool m_scripted = false;
    Handled m_handled = Handled::No; // the last call's error
    double m_pulse = 0;
    QVariantAnimation* m_pulseAnimation;
};

} // namespace sockbench
