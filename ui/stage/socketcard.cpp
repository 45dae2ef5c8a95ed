#include "socketcard.h"

#include "cardwords.h"
#include "elapsedlabel.h"
#include "flowlayout.h"
#include "net/errnoexplainer.h"
#include "presentation/describe.h"
#include "queuebar.h"
#include "theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QResizeEvent>
#include <QStyle>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVariantAnimation>

namespace sockbench {

using namespace cardwords;

namespace {

struct CallButton {
    CallKind kind;
    const char* tooltip;
};

} // namespace

SocketCard::SocketCard(SocketId id, std::function<qint64()> clockNs, QWidget* parent)
    : QFrame(parent)
    , m_id(id)
    , m_clock(std::move(clockNs))
    , m_title(new QLabel(this))
    , m_state(new QLabel(this))
    , m_tcpState(new QLabel(this))
    , m_local(new QLabel(this))
    , m_peer(new QLabel(this))
    , m_recvQueue(new QueueBar(tr("recv-q"), QueueBar::Kind::Bytes, this))
    , m_sendQueue(new QueueBar(tr("send-q"), QueueBar::Kind::Bytes, this))
    , m_acceptQueue(new QueueBar(tr("accept queue"), QueueBar::Kind::Slots, this))
    , m_blockedRow(new QWidget(this))
    , m_blocked(new QLabel(m_blockedRow))
    , m_elapsed(new ElapsedLabel(QStringLiteral("99999.9 s"), m_blockedRow))
    , m_interrupt(new QPushButton(tr("Interrupt"), m_blockedRow))
    , m_last(new QLabel(this))
    , m_meaning(new QLabel(this))
    , m_try(new QLabel(this))
    , m_more(new QToolButton(this))
    , m_nextInTitle(new QToolButton(this))
    , m_pulseAnimation(new QVariantAnimation(this))
{
    setObjectName(QStringLiteral("socketCard"));
    setFrameShape(QFrame::NoFrame);
    setAttribute(Qt::WA_StyledBackground, false);
    // As tall as its rows need at the width its host gives it (labels wrap, buttons flow).
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 8, 8, 8); // the state band is 8 px of the left
    layout->setSpacing(4);

    // The name on a line of its own, then the states: a card as narrow as a third of the
    // stage still says both in full, wrapped rather than cut.
    setRelativeFont(m_title, 1.1, true);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    // More sits beside the name: every call is there, on a card of any size, without a row
    // of its own.
    auto* titleRow = new QHBoxLayout;
    titleRow->setContentsMargins(0, 0, 0, 0);
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_nextInTitle, 0, Qt::AlignTop);
    titleRow->addWidget(m_more, 0, Qt::AlignTop);
    m_nextInTitle->setObjectName(QStringLiteral("nextCall"));
    m_nextInTitle->hide();
    setSuggested(m_nextInTitle, true);
    connect(m_nextInTitle, &QToolButton::clicked, this, [this] {
        if (m_nextCall)
            Q_EMIT callRequested(m_id, *m_nextCall, m_nextInTitle);
    });
    layout->addLayout(titleRow);
    auto* states = new QHBoxLayout;
    states->setContentsMargins(0, 0, 0, 0);
    m_state->setToolTip(
        tr("The socket's state in the lesson's terms: what you have done with it so far"));
    m_tcpState->setToolTip(tr("The kernel's own TCP state for this socket, read with TCP_INFO"));
    m_tcpState->setWordWrap(true);
    states->addWidget(m_state, 0, Qt::AlignTop);
    states->addWidget(m_tcpState, 1);
    layout->addLayout(states);

    for (QLabel* label : {m_local, m_peer, m_last}) {
        label->setTextFormat(Qt::RichText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
    }
    m_local->setObjectName(QStringLiteral("local"));
    m_local->setToolTip(tr("This socket's own address (getsockname)"));
    m_peer->setToolTip(tr("The address at the other end (getpeername)"));
    layout->addWidget(m_local);
    layout->addWidget(m_peer);
    m_recvQueue->setToolTip(tr("Bytes that arrived and wait in the kernel for recv() (SIOCINQ)"));
    m_sendQueue->setToolTip(tr("Bytes sent but not yet acknowledged by the peer (SIOCOUTQ)"));
    m_acceptQueue->setToolTip(
        tr("Connections the kernel completed, waiting for accept(), against the backlog"));
    layout->addWidget(m_acceptQueue);
    layout->addWidget(m_recvQueue);
    layout->addWidget(m_sendQueue);

    auto* blockedLayout = new QHBoxLayout(m_blockedRow);
    blockedLayout->setContentsMargins(0, 0, 0, 0);
    m_blocked->setTextFormat(Qt::RichText);
    m_blocked->setWordWrap(true);
    blockedLayout->addWidget(m_blocked);
    // The seconds follow "for": on its line when the words wrap on a narrow card
    // ("blocked / in accept() for 1.3 s"), not beside "blocked", and right after it, not
    // across the card at its far edge. The room left goes before Interrupt.
    blockedLayout->addWidget(m_elapsed, 0, Qt::AlignBottom);
    blockedLayout->addStretch(1);
    m_interrupt->setToolTip(
        tr("Stop the blocked call now (the workbench wakes the waiting thread)"));
    m_interrupt->setAccessibleName(tr("Interrupt the blocked call"));
    blockedLayout->addWidget(m_interrupt);
    layout->addWidget(m_blockedRow);
    connect(m_interrupt, &QPushButton::clicked, this, [this] {
        if (m_view.blockedCall.isValid())
            Q_EMIT interruptRequested(m_view.blockedCall);
    });
    m_blockedRow->hide();

    m_last->setWordWrap(true);
    layout->addWidget(m_last);
    // The error is the lesson's moment: what it means and what to try are shown whole,
    // wrapped to the card. The usual causes are the tooltip, and in the inspector.
    m_meaning->setObjectName(QStringLiteral("errnoMeaning"));
    m_try->setObjectName(QStringLiteral("errnoTry"));
    for (QLabel* label : {m_meaning, m_try}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        label->hide();
        layout->addWidget(label);
    }
    setTextColor(m_meaning, QColor(0x7f, 0x1d, 0x1d));
    setTextColor(m_try, QColor(0x37, 0x41, 0x51));

    m_buttonRow = new QWidget(this);
    auto* row = new FlowLayout(m_buttonRow, 4, 4);
    row->setContentsMargins(0, 4, 0, 0);
    auto* menu = new QMenu(m_more);
    static const CallButton primary[] = {
        {CallKind::Bind, "Give the socket an address: bind((host, port))"},
        {CallKind::Listen, "Start accepting connections: listen(backlog)"},
        {CallKind::Accept, "Take the next connection from the accept queue: accept()"},
        {CallKind::Connect, "Connect to a listening socket: connect((host, port))"},
        {CallKind::SendTo, "Send one datagram to an address: sendto(data, (host, port))"},
        {CallKind::RecvFrom, "Receive one datagram and its sender: recvfrom(n)"},
        {CallKind::Send, "Hand bytes to the kernel: send(data) or sendall(data)"},
        {CallKind::Recv, "Read up to n bytes: recv(n)"},
        {CallKind::Shutdown, "Stop sending, receiving or both: shutdown(how)"},
        {CallKind::Close, "Give the socket up: close()"},
    };
    // Each call is a button, and also in the More menu: there when its button is not shown
    // (a compact card shows only the suggested calls).
    for (const CallButton& b : primary) {
        addCallButton(b.kind, tr(b.tooltip), m_buttonRow);
        QAction* action = menu->addAction(callName(b.kind) + QStringLiteral("()"));
        action->setToolTip(tr(b.tooltip));
        const CallKind kind = b.kind;
        connect(action, &QAction::triggered, this,
                [this, kind] { Q_EMIT callRequested(m_id, kind, m_more); });
        m_menuCalls.insert(kind, action);
    }
    m_more->setText(tr("More"));
    m_more->setToolTip(tr("Every other call: connect_ex, recv_into, setsockopt, settimeout, …"));
    m_more->setAccessibleName(tr("More calls"));
    m_more->setPopupMode(QToolButton::InstantPopup);
    menu->setToolTipsVisible(true);
    menu->addSeparator();
    static const CallButton more[] = {
        {CallKind::ConnectEx,
         "connect_ex((host, port)): connect, returning the errno instead of raising"},
        {CallKind::RecvInto, "recv_into(buffer): read into a bytearray"},
        {CallKind::RecvFromInto, "recvfrom_into(buffer): read a datagram into a bytearray"},
        {CallKind::SetSockOpt, "setsockopt(level, option, value)"},
        {CallKind::GetSockOpt, "getsockopt(level, option)"},
        {CallKind::SetTimeout, "settimeout(seconds) or setblocking(flag)"},
        {CallKind::GetSockName, "getsockname(): the socket's own address"},
        {CallKind::GetPeerName, "getpeername(): the other end's address"},
    };
    for (const CallButton& b : more) {
        QAction* action = menu->addAction(callName(b.kind) + QStringLiteral("()"));
        action->setToolTip(tr(b.tooltip));
        const CallKind kind = b.kind;
        connect(action, &QAction::triggered, this,
                [this, kind] { Q_EMIT callRequested(m_id, kind, m_more); });
    }
    m_more->setMenu(menu);
    layout->addWidget(m_buttonRow);

    m_pulseAnimation->setDuration(900);
    m_pulseAnimation->setStartValue(1.0);
    m_pulseAnimation->setEndValue(0.0);
    m_pulseAnimation->setEasingCurve(QEasingCurve::OutQuad);
    connect(m_pulseAnimation, &QVariantAnimation::valueChanged, this,
            [this](const QVariant& v) { setPulse(v.toDouble()); });
}

QToolButton* SocketCard::addCallButton(CallKind kind, const QString& tooltip, QWidget* row)
{
    auto* button = new QToolButton(row);
    button->setText(callName(kind));
    button->setToolTip(tooltip);
    button->setAccessibleName(callName(kind) + tr(" on this socket"));
    button->setObjectName(QStringLiteral("call_") + callName(kind));
    connect(button, &QToolButton::clicked, this,
            [this, kind, button] { Q_EMIT callRequested(m_id, kind, button); });
    row->layout()->addWidget(button);
    m_buttons.insert(kind, button);
    return button;
}

QString SocketCard::title() const
{
    return m_titleText;
}

QString SocketCard::stateText() const
{
    return badgeFor(m_view).text;
}

QString SocketCard::kernelStateText() const
{
    return m_view.kernel.tcpState == TcpState::None ? QString()
                                                    : tcpStateName(m_view.kernel.tcpState);
}

QString SocketCard::blockedText() const
{
    if (!m_view.isBlocked())
        return {};
    return QTextDocumentFragment::fromHtml(m_blocked->text()).toPlainText() + QLatin1Char(' ') +
           m_elapsed->text();
}

QString SocketCard::lastResultText() const
{
    return m_last->text();
}

QString SocketCard::errorExplanationText() const
{
    if (m_meaningText.isEmpty())
        return {};
    return m_meaningText + QLatin1Char('\n') + tr("Try: %1").arg(m_tryText);
}

void SocketCard::setPulse(double pulse)
{
    m_pulse = pulse;
    update();
}

void SocketCard::display(const SocketView& view, const QString& name, bool peerChosenByKernel,
                         Handled handled)
{
    m_peerChosenByKernel = peerChosenByKernel;
    const bool stateChanged =
        view.state != m_view.state || view.kernel.tcpState != m_view.kernel.tcpState ||
        view.lastFailed != m_view.lastFailed || view.lastCall != m_view.lastCall;
    m_handled = view.lastFailed ? handled : Handled::No;
    m_view = view;
    m_name = name;
    const QString who = name.isEmpty() ? tr("socket #%1").arg(view.id.value) : name;
    m_titleText = QStringLiteral("%1 · %2").arg(who, transport(view));
    // A narrow card wraps its title between its parts only: "conn from :37294" stays whole,
    QString unbroken = who;
    unbroken.replace(QLatin1Char(' '), QChar::Nbsp);
    unbroken.replace(QLatin1Char(':'), QStringLiteral(":\u2060")); // WORD JOINER: no break
    // ...and only after the name: "TCP · IPv4" is one piece, as a reader says it.
    QString kind = transport(view);
    kind.replace(QLatin1Char(' '), QChar::Nbsp);
    m_title->setText(QStringLiteral("%1\u00a0· %2").arg(unbroken, kind));
    setAccessibleName(tr("Socket %1").arg(who));
    const Badge badge = badgeFor(view);
    m_state->setText(chip(badge.text, badge.color));
    m_state->setAccessibleName(tr("state: %1").arg(badge.text));
    m_state->setToolTip(
        badge.why.isEmpty()
            ? tr("The socket's state in the lesson's terms: what you have done with it so far")
            : badge.why);
    const bool tcp = view.isTcp() && view.kernel.valid && view.kernel.tcpState != TcpState::None;
    m_tcpState->setVisible(tcp);
    // A TCP socket the kernel has made no connection for is in its CLOSE state: true, but
    // beside "created" it reads as "closed", so it says what it means.
    const bool notYet =
        view.kernel.tcpState == TcpState::Close &&
        (view.state == TeachingState::Created || view.state == TeachingState::Bound);
    if (tcp)
        m_tcpState->setText(
            notYet ? tr("<span style='color:#6b7280'>kernel CLOSE (no connection yet)</span>")
                   : QStringLiteral("<span style='color:#6b7280'>kernel</span> <b>%1</b>")
                         .arg(tcpStateName(view.kernel.tcpState)));
    const bool listening = view.kernel.acceptQueue >= 0;
    if (listening)
        m_acceptQueue->setValue(view.kernel.acceptQueue, view.kernel.backlog);
    if (view.state == TeachingState::Closed) {
        m_recvQueue->setValue(-1);
        m_sendQueue->setValue(-1);
    } else {
        m_recvQueue->setValue(view.kernel.recvQueue);
        m_sendQueue->setValue(view.kernel.sendQueue);
    }
    // For UDP the kernel's number (SIOCINQ) is the size of the next datagram only: two of
    // 5 bytes waiting read "5 B". It says so on the card, not "recv-q".
    if (view.type == SocketType::Datagram) {
        m_recvQueue->setLabel(tr("next datagram"));
        m_recvQueue->setToolTip(tr("The size of the next datagram waiting for recv(): for UDP "
                                   "the kernel reports the next one only, not how many wait"));
    }

    if (view.lastFailed) {
        // An error the lesson set out to show, or the program was ready for, in the kernel's
        // words and not as a fault; any other, as the fault it is.
        const bool fault = m_handled == Handled::No;
        m_last->setText(
            tr("<span style='color:%1'><b>%2</b> %3 <b>%4</b> — %5%6%7</span>")
                .arg(fault ? QStringLiteral("#b91c1c") : QStringLiteral("#92400e"),
                     describe::wrappable(view.lastCall),
                     fault ? tr("failed:") : QStringLiteral("→"),
                     view.lastErrorName.toHtmlEscaped(), describe::wrappable(view.lastErrorText),
                     view.lastException.isEmpty()
                         ? QString()
                         : tr(" (Python raises %1)").arg(view.lastException),
                     fault                            ? QString()
                     : m_handled == Handled::Expected ? tr(", as the lesson expects")
                                                      : tr(", and the program goes on")));
    } else {
        m_last->setText(
            tr("<span style='color:#374151'>%1 → %2</span>")
                .arg(describe::wrappable(view.lastCall), describe::wrappable(view.lastResult)));
    }
    showExplanation(view);

    markSuggested();
    updateRows();
    if (stateChanged && isVisible())
        m_pulseAnimation->start();
    update();
}

void SocketCard::markSuggested()
{
    QList<CallKind> suggested = m_scripted ? QList<CallKind>() : suggestedCalls(m_view);
    if (m_nextCall && m_view.state != TeachingState::Closed)
        suggested << *m_nextCall;
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it)
        setSuggested(it.value(), suggested.contains(it.key()));
}

void SocketCard::setScripted(bool scripted)
{
    if (scripted == m_scripted)
        return;
    m_scripted = scripted;
    markSuggested();
    updateRows();
}

void SocketCard::setNextCall(std::optional<CallKind> kind)
{
    // One button stands for a call's variants: sendall() is Send, recv_into() is Recv.
    if (kind) {
        switch (*kind) {
        case CallKind::SendAll:
            kind = CallKind::Send;
            break;
        case CallKind::ConnectEx:
            kind = CallKind::Connect;
            break;
        case CallKind::RecvInto:
            kind = CallKind::Recv;
            break;
        case CallKind::RecvFromInto:
            kind = CallKind::RecvFrom;
            break;
        default:
            break;
        }
        if (!m_buttons.contains(*kind))
            kind.reset();
    }
    if (kind == m_nextCall)
        return;
    m_nextCall = kind;
    markSuggested();
    updateRows();
}

QString SocketCard::shape() const
{
    // What decides which rows show and how they wrap, not the numbers in them.
    const SocketView& v = m_view;
    return QStringLiteral("%1|%2|%3|%4|%5|%6%7|%8|%9|")
               .arg(int(v.state))
               .arg(int(v.kernel.tcpState))
               .arg(v.lastFailed)
               .arg(v.isBlocked())
               .arg(v.kernel.recvQueue > 0)
               .arg(v.kernel.sendQueue > 0)
               .arg(v.kernel.sendQueue >= 0)
               .arg(v.kernel.acceptQueue >= 0)
               .arg(m_nextCall ? int(*m_nextCall) : -1) +
           m_title->text() + QLatin1Char('|') + m_last->text();
}

bool SocketCard::isGone() const
{
    const TcpState kernel = m_view.kernel.tcpState;
    return m_view.state == TeachingState::Closed && !m_view.lastFailed && !m_view.outside &&
           (kernel == TcpState::None || kernel == TcpState::Close);
}

void SocketCard::setDetail(Detail detail)
{
    if (detail == m_detail)
        return;
    m_detail = detail;
    updateRows();
}

void SocketCard::updateRows()
{
    const SocketView& view = m_view;
    const bool full = m_detail == Detail::Full;
    const bool minimal = m_detail == Detail::Minimal;
    // A closed socket, when room is short, is its name and state: the kernel has let it go.
    const bool folded = !full && view.state == TeachingState::Closed;
    const bool stream = isConnectionOriented(view.type);
    // An AF_UNIX listener has no accept queue the kernel reports, and no byte queues either.
    const bool listening = view.kernel.acceptQueue >= 0 || view.state == TeachingState::Listening;
    // A closed socket's queues are gone with it: no rows of "—".
    // Nor has a stream socket that never connected: no connection, no bytes ("recv-q 0 B"
    // on a socket just made said nothing).
    const bool unconnected =
        stream && view.kernel.recvQueue <= 0 &&
        (view.state == TeachingState::Created || view.state == TeachingState::Bound);
    const bool queues =
        !folded && !listening && !unconnected && view.state != TeachingState::Closed;
    // The port's label (two lines on a narrow card) only where there is room for it.
    m_local->setText(
        view.localLetGo && view.local.isValid()
            ? tr("<b>local</b> %1 <span style='color:#6b7280'>the failed connect()'s port: "
                 "the kernel has let it go</span>")
                  .arg(view.local.toString().toHtmlEscaped())
            : tr("<b>local</b> %1").arg(addressLine(view.local, view.localChosenByKernel, !full)));
    m_peer->setText(
        tr("<b>peer</b>&nbsp; %1").arg(addressLine(view.peer, m_peerChosenByKernel, !full)));
    m_local->setVisible(!folded && (!minimal || view.local.isValid()));
    m_peer->setVisible(!folded && (view.peer.isValid() || (stream && !minimal)));
    m_acceptQueue->setVisible(!folded && view.kernel.acceptQueue >= 0);
    m_recvQueue->setVisible(queues && (!minimal || view.kernel.recvQueue > 0));
    // Where the kernel counts no bytes sent and waiting (no connection yet; AF_UNIX, where
    // its number is memory) there is no send-q row: not "recv-q 0 B" beside "send-q —".
    m_sendQueue->setVisible(queues && stream && view.kernel.sendQueue >= 0 &&
                            (!minimal || view.kernel.sendQueue > 0));
    m_last->setVisible((!folded && !minimal) || view.lastFailed);
    m_meaning->setVisible(!m_meaningText.isEmpty());
    // The error is the lesson's moment; what to try, only for an error nobody expected.
    m_try->setVisible(!m_meaningText.isEmpty() && m_handled == Handled::No);

    // Full: a button for every call this kind of socket takes. Compact: the suggested ones,
    // the rest in More. Minimal, or a folded closed socket: More alone (beside the name).
    // Every call stays within reach (a closed socket's calls are a lesson too: EBADF).
    bool anyButton = false;
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        const CallKind kind = it.key();
        const bool streamOnly =
            kind == CallKind::Listen || kind == CallKind::Accept || kind == CallKind::Shutdown;
        const bool datagramOnly = kind == CallKind::SendTo || kind == CallKind::RecvFrom;
        // A program outside the workbench takes no calls from here.
        const bool applies = !view.outside && (stream ? !datagramOnly : !streamOnly);
        // A closed socket shows no row of calls at any size: they would all fail (EBADF),
        // which More still lets a student try.
        const bool shown = applies && !folded &&
                           ((full && view.state != TeachingState::Closed) ||
                            (!minimal && it.value()->property("suggested").toBool()));
        it.value()->setVisible(shown);
        m_menuCalls.value(kind)->setVisible(applies && !shown);
        anyButton = anyButton || shown;
    }
    m_more->setVisible(!view.outside);
    const bool nextInTitle =
        minimal && m_nextCall && !view.outside && view.state != TeachingState::Closed;
    if (nextInTitle) {
        m_nextInTitle->setText(callName(*m_nextCall));
        m_nextInTitle->setToolTip(tr("The call the script's next statement makes on this socket"));
        m_nextInTitle->setAccessibleName(callName(*m_nextCall) + tr(" on this socket"));
    }
    m_nextInTitle->setVisible(nextInTitle);
    m_buttonRow->setVisible(anyButton);
    m_buttonRow->layout()->invalidate(); // its height for a width is cached
    m_buttonRow->updateGeometry();
    refreshBlocked();
}

void SocketCard::showExplanation(const SocketView& view)
{
    std::optional<errnoexplainer::Explanation> explanation;
    if (view.lastFailed) {
        // The view carries the error by name: an errno, EAI_* or h_errno name, or the
        // outcome ("timeout", "invalid") of a call that failed without one.
        // In the words that fit the call that failed, on the socket it failed on.
        if (const auto known = errnocatalog::lookup(view.lastErrorName))
            explanation = errnoexplainer::explain(
                known->domain, known->number,
                {view.lastKind, view.state == TeachingState::Listening,
                 view.type == SocketType::Datagram, view.family == AddressFamily::Unix});
        else if (view.lastErrorName == outcomeName(Outcome::Timeout))
            explanation = errnoexplainer::explain(CallResult::timedOut());
        else if (view.lastErrorName == outcomeName(Outcome::Invalid))
            explanation = errnoexplainer::explain(CallResult::invalid(view.lastErrorText));
    }
    m_meaningText = explanation ? explanation->meaning : QString();
    m_tryText = explanation ? explanation->tryThis : QString();
    // An explained error is the lesson's moment: on a host that lays its cards out in
    // several columns, its card takes the whole row, where the paragraph wraps half as often.
    setProperty("columnSpan", explanation ? kWholeRow : 1);
    const QString tooltip =
        explanation
            ? tr("<p><b>%1</b>: %2</p><p><b>Usual causes:</b> %3</p><p><b>Try:</b> %4</p>")
                  .arg(explanation->name.toHtmlEscaped(), explanation->meaning.toHtmlEscaped(),
                       explanation->causes.toHtmlEscaped(), explanation->tryThis.toHtmlEscaped())
            : QString();
    for (QLabel* label : {m_last, m_meaning, m_try})
        label->setToolTip(tooltip);
    m_meaning->setAccessibleDescription(m_meaningText);
    m_try->setAccessibleDescription(m_tryText);
    elideExplanation();
}

void SocketCard::elideExplanation()
{
    if (m_meaningText.isEmpty())
        return;
    m_meaning->setText(m_meaningText);
    m_try->setText(tr("Try: %1").arg(m_tryText));
}

void SocketCard::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    elideExplanation();
}

void SocketCard::refreshBlocked()
{
    m_blockedRow->setVisible(m_view.isBlocked());
    if (!m_view.isBlocked())
        return;
    const double seconds = std::max<qint64>(0, m_clock() - m_view.blockedSinceNs) / 1e9;
    const CallKind kind = m_view.blockedKind;
    const bool receives = kind == CallKind::Recv || kind == CallKind::RecvFrom ||
                          kind == CallKind::RecvInto || kind == CallKind::RecvFromInto;
    // A datagram socket with no address waits for what nobody can send it.
    const bool unbound = receives && m_view.type == SocketType::Datagram &&
                         (!m_view.local.isValid() || m_view.local.port() == 0);
    // The words change with the call; the seconds at every tick of the stage's clock,
    // in a box of their own that never lays the card out again.
    // "for" stays with its call: a narrow card wraps before "in", never leaves "for" alone
    // on a line under the clock.
    // Under a hint, "for" ends the first lines: the seconds go up beside them.
    QLayout* row = m_blockedRow->layout();
    if (const Qt::Alignment at = unbound ? Qt::AlignTop : Qt::AlignBottom;
        row->itemAt(row->indexOf(m_elapsed))->alignment() != at)
        row->setAlignment(m_elapsed, at);
    m_blocked->setText(tr("<b>blocked</b> in&nbsp;%1()&nbsp;for%2")
                           .arg(callName(kind))
                           .arg(unbound ? tr("<br><span style='color:#92400e'>It has no address "
                                             "yet, so nothing can be sent to it: bind() it "
                                             "first.</span>")
                                        : QString()));
    // Tenths while they tell something (a timeout of half a second), whole seconds after
    // ten: a stage of long-blocked calls then changes once a second, not ten times.
    m_elapsed->setText(seconds < 10 ? tr("%1 s").arg(seconds, 0, 'f', 1)
                                    : tr("%1 s").arg(qint64(seconds)));
}

void SocketCard::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r = QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5);
    QPainterPath path;
    path.addRoundedRect(r, 10, 10);
    const bool closed = m_view.state == TeachingState::Closed;
    p.fillPath(path, closed ? QColor(0xf3, 0xf4, 0xf6) : QColor(Qt::white));
    QColor edge = m_view.isBlocked()                              ? QColor(0xd9, 0x77, 0x06)
                  : m_view.lastFailed && m_handled == Handled::No ? QColor(0xdc, 0x26, 0x26)
                                                                  : stateColor(m_view.state);
    QPen pen(edge, 2 + 4 * m_pulse);
    if (closed)
        pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.drawPath(path);
    // A band along the left edge in the state's colour, for reading the stage at a glance.
    QPainterPath band;
    band.addRoundedRect(QRectF(r.left(), r.top(), 8, r.height()), 4, 4);
    p.fillPath(band, badgeFor(m_view).color);
}

} // namespace sockbench
