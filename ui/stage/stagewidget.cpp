#include "stagewidget.h"

#include "hostwidget.h"
#include "masonrylayout.h"
#include "presentation/describe.h"
#include "presentation/presenter.h"
#include "socketcard.h"
#include "theme.h"
#include "wireoverlay.h"

#include <QCoreApplication>
#include <QEvent>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>

namespace sockbench {

namespace {

// Showing a widget lays out each of its ancestors at once (QWidget::setVisible activates
// their layouts), so cards that show several rows in one go would lay out the whole stage
// once per row. While held, the stage's and the hosts' layouts wait, and are laid out once,
// at the next layout pass. Measuring (heightForWidth) still works while they are held.
class LayoutHold {
public:
    explicit LayoutHold(QList<QLayout*> layouts)
        : m_layouts(std::move(layouts))
    {
        for (QLayout* layout : std::as_const(m_layouts))
            layout->setEnabled(false);
    }
    ~LayoutHold()
    {
        // What changed meanwhile has invalidated them and posted their layout requests.
        for (QLayout* layout : std::as_const(m_layouts))
            layout->setEnabled(true);
    }
    LayoutHold(const LayoutHold&) = delete;
    LayoutHold& operator=(const LayoutHold&) = delete;

private:
    QList<QLayout*> m_layouts;
};

} // namespace

StageWidget::StageWidget(StageModel& model, Presenter& presenter, std::function<qint64()> clockNs,
                         QWidget* parent)
    : QScrollArea(parent)
    , m_model(model)
    , m_presenter(presenter)
    , m_clock(std::move(clockNs))
    , m_canvas(new QWidget)
    , m_row(new MasonryLayout(m_canvas, 40, 16)) // room for the wires between hosts and rows
    , m_newHost(new QToolButton(this))
    , m_overlay(new WireOverlay([this](SocketId id) { return cardRect(id); }, m_canvas))
    , m_frame(new QTimer(this))
    , m_blockedClock(new QTimer(this))
    , m_refit(new QTimer(this))
{
    m_frame->setSingleShot(true);
    m_frame->setInterval(16);
    connect(m_frame, &QTimer::timeout, this, &StageWidget::flush);
    // One clock for every blocked call's "for 3.2 s": it ticks the cards in view, and only
    // while a call is blocked.
    m_blockedClock->setInterval(100);
    connect(m_blockedClock, &QTimer::timeout, this, &StageWidget::tickBlocked);
    m_refit->setSingleShot(true);
    m_refit->setInterval(kRefitDelayMs);
    connect(m_refit, &QTimer::timeout, this, [this] {
        m_tryFuller = true;
        m_fittedShape.clear(); // fit() looks again, though nothing changed
        flush();
        m_tryFuller = false;
    });
    setObjectName(QStringLiteral("stage"));
    setAccessibleName(tr("Stage: hosts and their sockets"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    m_canvas->setObjectName(QStringLiteral("stageCanvas"));
    setBackground(m_canvas, QColor(0xee, 0xf1, 0xf5));
    m_row->setContentsMargins(8, 8, 8, 8);
    m_newHost->setText(tr("New host"));
    m_newHost->setToolTip(tr("Add another actor: a thread of its own, drawn as a host"));
    m_newHost->setAccessibleName(tr("New host"));
    connect(m_newHost, &QToolButton::clicked, this, &StageWidget::newHostRequested);
    // A toolbar takes it (MainWindow's): the stage's own room is for hosts.
    setWidget(m_canvas);
    m_canvas->installEventFilter(this);
    m_overlay->raise();
    m_overlay->setCards([this] {
        std::vector<std::pair<SocketId, QRect>> shown;
        if (size_t(m_cards.size()) > WireOverlay::kFewCards)
            return shown; // too many to weave wires under: none asked for
        for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it)
            if (const QRect at = cardRect(it.key()); !at.isNull())
                shown.emplace_back(it.key(), at);
        // A host's name and threads, too: a wire across them struck the words through
        // (lesson 09's route round the crowd, over "second · finished").
        // (Within the overlay's limit: past it, it would weave under nothing at all.)
        for (const HostWidget* host : std::as_const(m_hosts))
            if (host->isVisible())
                for (const QRect& words : host->writtenRects())
                    if (shown.size() < WireOverlay::kFewCards)
                        shown.emplace_back(SocketId{},
                                           words.translated(host->mapTo(m_canvas, QPoint(0, 0))));
        return shown;
    });

    connect(&model, &StageModel::actorAdded, this,
            [this](const QString& actor) { ensureHost(actor); });
    connect(&model, &StageModel::socketAdded, this, &StageWidget::addSocket);
    connect(&model, &StageModel::socketChanged, this, &StageWidget::updateSocket);
    // The stage follows the action: the card a call just acted on is scrolled into view at
    // the next frame (a card already in view stays put, and so does the student's scroll).
    connect(&model, &StageModel::acted, this, [this](SocketId socket) {
        m_acted = socket;
        m_followTries = 0;
        if (!m_frame->isActive())
            m_frame->start();
    });
    connect(&model, &StageModel::cleared, this, &StageWidget::clear);
    connect(
        &model, &StageModel::bytesSent, this,
        [this](SocketId from, SocketId to, const QByteArray& sample, qint64 size, bool datagram) {
            const QString label =
                size <= 24 ? describe::bytes(sample, size, 24) : describe::byteCount(size);
            m_overlay->launch(from, to, label, size, std::max(m_presenter.currentDwellMs(), 250),
                              datagram);
        });
    connect(&m_presenter, &Presenter::advancing, m_overlay, &WireOverlay::land);
    connect(&model, &StageModel::controlSegment, this,
            [this](SocketId from, SocketId to, const QString& kind) {
                if (from.isValid())
                    m_overlay->mark(from, to, kind, std::max(m_presenter.currentDwellMs(), 300));
            });
}

QList<HostWidget*> StageWidget::hosts() const
{
    QList<HostWidget*> out;
    for (int i = 0; i < m_row->count(); ++i)
        if (auto* host = qobject_cast<HostWidget*>(m_row->itemAt(i)->widget()))
            out << host;
    return out;
}

void StageWidget::setThreads(const QList<program::ThreadView>& threads,
                             const std::function<QString(const program::ThreadView&)>& hostOf)
{
    QHash<QString, QList<program::ThreadView>> byHost;
    for (const program::ThreadView& t : threads)
        byHost[hostOf(t)] << t;
    for (auto it = byHost.cbegin(); it != byHost.cend(); ++it)
        if (!it.key().isEmpty())
            ensureHost(it.key());
    for (HostWidget* host : std::as_const(m_hosts))
        host->setThreads(byHost.value(host->actor()));
}

HostWidget* StageWidget::ensureHost(const QString& actor)
{
    if (auto* host = m_hosts.value(actor))
        return host;
    auto* host = new HostWidget(actor, m_canvas);
    host->newSocketButton()->setVisible(!isOutsideHost(actor)); // not ours to make sockets on
    connect(host, &HostWidget::newSocketRequested, this, &StageWidget::newSocketRequested);
    m_row->addWidget(host);
    host->installEventFilter(this); // its moves move its cards' wires
    // Shown now, not at the layout's queued show: a host made while the window is busy
    // (a program loading) must be there for the first socket it gets.
    host->show();
    m_hosts.insert(actor, host);
    m_overlay->raise();
    if (!m_frame->isActive())
        m_frame->start();
    return host;
}

void StageWidget::addSocket(SocketId socket)
{
    const SocketView* view = m_model.socket(socket);
    if (!view || m_cards.contains(socket))
        return;
    HostWidget* host = ensureHost(view->actor);
    // Shown under a hold: laid out with the others at the next layout pass, not once per
    // card (with a thousand cards on a host, that was a second of layout per card).
    const LayoutHold hold({m_row, host->layout()});
    auto* card = new SocketCard(socket, m_clock, host);
    card->setProperty("acceptedFrom", view->acceptedFrom.value);
    card->setScripted(m_scripted);
    connect(card, &SocketCard::callRequested, this, &StageWidget::callRequested);
    connect(card, &SocketCard::interruptRequested, this, &StageWidget::interruptRequested);
    SocketCard* listener = m_cards.value(view->acceptedFrom);
    host->addCard(card, listener && listener->parentWidget() == host ? listener : nullptr);
    m_cards.insert(socket, card);
    card->installEventFilter(this); // its moves move its wires
    showCard(card, *view);
    m_overlay->raise();
    // Its wire comes with the next frame's flush(), with the other new cards'.
    if (!m_frame->isActive())
        m_frame->start();
}

QString StageWidget::shownName(SocketId socket)
{
    const QString name = m_nameOf ? m_nameOf(socket) : QString();
    const QString was = m_nameShown.value(socket);
    if (name != was) {
        // Its group changed: the others in the old and the new one are numbered again.
        QList<SocketId> regroup;
        if (!was.isEmpty()) {
            QList<SocketId>& old = m_byName[was];
            old.removeOne(socket);
            regroup << old;
            if (old.isEmpty())
                m_byName.remove(was);
        }
        m_nameShown.insert(socket, name);
        if (!name.isEmpty()) {
            QList<SocketId>& group = m_byName[name];
            regroup << group;
            group.insert(std::lower_bound(group.begin(), group.end(), socket,
                                          [](SocketId a, SocketId b) { return a.value < b.value; }),
                         socket);
        }
        for (const SocketId other : std::as_const(regroup)) {
            SocketCard* card = m_cards.value(other);
            const SocketView* view = m_model.socket(other);
            if (card && view && other != socket)
                showCard(card, *view);
        }
    }
    const QList<SocketId> group = m_byName.value(name);
    return group.size() > 1 ? QStringLiteral("%1 #%2").arg(name).arg(group.indexOf(socket) + 1)
                            : name;
}

void StageWidget::showCard(SocketCard* card, const SocketView& view)
{
    const SocketId peer = m_model.peerOf(view.id);
    const SocketView* other = peer.isValid() ? m_model.socket(peer) : nullptr;
    card->display(
        view, shownName(view.id), other && other->local == view.peer && other->localChosenByKernel,
        view.lastFailed && m_handledOf ? m_handledOf(view.lastCallId) : SocketCard::Handled::No);
}

void StageWidget::updateSocket(SocketId socket)
{
    m_dirty.insert(socket);
    if (!m_frame->isActive())
        m_frame->start();
}

void StageWidget::flush()
{
    {
        QList<QLayout*> held{m_row};
        for (HostWidget* host : std::as_const(m_hosts))
            held << host->layout();
        const LayoutHold hold(held);
        for (const SocketId socket : std::exchange(m_dirty, {})) {
            SocketCard* card = m_cards.value(socket);
            const SocketView* view = m_model.socket(socket);
            if (card && view)
                showCard(card, *view);
        }
        updateWires();
        fit();
    }
    follow();
    const bool anyBlocked = std::any_of(m_cards.cbegin(), m_cards.cend(),
                                        [](const SocketCard* card) { return card->isBlocked(); });
    if (anyBlocked && !m_blockedClock->isActive())
        m_blockedClock->start();
    else if (!anyBlocked)
        m_blockedClock->stop();
}

bool StageWidget::isSettling() const
{
    return m_frame->isActive() || !m_dirty.isEmpty() || m_refit->isActive();
}

void StageWidget::tickBlocked()
{
    const QRect seen = viewport()->rect();
    for (SocketCard* card : std::as_const(m_cards))
        if (card->isBlocked() && card->isVisible() &&
            seen.intersects(QRect(card->mapTo(viewport(), QPoint(0, 0)), card->size())))
            card->refreshBlocked();
}

void StageWidget::follow()
{
    const auto scrolled = [this] {
        return QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    };
    if (!m_acted.isValid()) {
        // The card followed last frame is still followed while the layout settles, unless
        // the student has scrolled since.
        if (m_settleFrames <= 0)
            return;
        --m_settleFrames;
        SocketCard* card = m_cards.value(m_followed);
        if (!card || scrolled() != m_followScroll) {
            m_settleFrames = 0;
            return;
        }
        if (card->isVisible()) {
            const QRect at(card->mapTo(viewport(), QPoint(0, 0)), card->size());
            if (!viewport()->rect().contains(at))
                ensureWidgetVisible(card, 16, 16);
            m_followScroll = scrolled();
        }
        if (!m_frame->isActive())
            m_frame->start();
        return;
    }
    SocketCard* card = m_cards.value(m_acted);
    if (!card) {
        m_acted = {};
        return;
    }
    // A card added this frame has no place yet: lay out what is pending first, or the view
    // scrolls to where the card is not. A card not shown yet is followed at a later frame.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (!card->isVisible()) {
        if (++m_followTries < kFollowFrames && !m_frame->isActive())
            m_frame->start();
        return;
    }
    m_followed = m_acted;
    m_acted = {};
    m_followTries = 0;
    ensureWidgetVisible(card, 16, 16);
    m_followScroll = scrolled();
    m_settleFrames = kSettleFrames;
    if (!m_frame->isActive())
        m_frame->start();
}

void StageWidget::refreshNames()
{
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it)
        if (const SocketView* view = m_model.socket(it.key()))
            showCard(it.value(), *view);
}

void StageWidget::setScripted(bool scripted)
{
    if (scripted == m_scripted)
        return;
    m_scripted = scripted;
    for (SocketCard* card : std::as_const(m_cards))
        card->setScripted(scripted);
    if (!m_frame->isActive())
        m_frame->start(); // fewer or more buttons: the stage fits again
}

void StageWidget::showNextStatement(const QString& host, const QString& statement)
{
    // The first `name.call(` whose name is a socket on the stage and whose call is one a
    // socket takes: "assert conn.recv(100) == b'...'" is conn's recv.
    static const QRegularExpression call(
        QStringLiteral("\\b([A-Za-z_][A-Za-z0-9_]*)\\.([a-z_]+)\\s*\\("));
    SocketId target;
    std::optional<CallKind> kind;
    for (auto it = call.globalMatch(statement); it.hasNext() && !target.isValid();) {
        const QRegularExpressionMatch m = it.next();
        const auto named = callKindFromName(m.captured(2));
        if (!named || isModuleCall(*named))
            continue;
        // The newest open socket of that name, on the statement's own host if it has one
        // there (two hosts may each have a "conn"), else anywhere (a thread's calls land on
        // the card of the host that made the socket).
        const QList<SocketId> group = m_byName.value(m.captured(1));
        for (const bool sameHost : {true, false}) {
            for (auto at = group.crbegin(); at != group.crend() && !target.isValid(); ++at) {
                const SocketView* view = m_model.socket(*at);
                if (view && view->state != TeachingState::Closed &&
                    (!sameHost || view->actor == host))
                    target = *at;
            }
            if (target.isValid())
                break;
        }
        kind = named;
    }
    if (target != m_nextCallOn)
        if (SocketCard* was = m_cards.value(std::exchange(m_nextCallOn, target)))
            was->setNextCall(std::nullopt);
    if (SocketCard* card = m_cards.value(target)) {
        const QString before = card->shape();
        card->setNextCall(kind);
        if (card->shape() != before && !m_frame->isActive())
            m_frame->start(); // its button row changed: the stage fits again
    }
}

void StageWidget::updateWires()
{
    std::vector<WireOverlay::Wire> wires;
    const QHash<SocketId, SocketId> peers = m_model.peers();
    for (const SocketId id : m_model.sockets()) {
        const SocketView* view = m_model.socket(id);
        const SocketId peer = peers.value(id);
        // One wire per pair: drawn from the lower id. Connected UDP sockets get a dashed one.
        if (view && peer.isValid() && id < peer && peers.value(peer) == id)
            wires.push_back({id, peer, view->type == SocketType::Datagram});
    }
    // A closed end whose connection the kernel still holds (it closed first: FIN_WAIT1,
    // FIN_WAIT2, CLOSING), joined to the open end that has not closed yet: lesson 08's
    // point that close() does not end the connection at once.
    QHash<QString, SocketId> lingering;
    const auto ends = [](const Endpoint& local, const Endpoint& peer) {
        return local.unmapped().toString() + QLatin1Char('|') + peer.unmapped().toString();
    };
    for (const SocketId id : m_model.sockets())
        if (const SocketView* view = m_model.socket(id);
            view && view->state == TeachingState::Closed && view->isTcp() &&
            view->local.isValid() && view->peer.isValid() &&
            (view->kernel.tcpState == TcpState::FinWait1 ||
             view->kernel.tcpState == TcpState::FinWait2 ||
             view->kernel.tcpState == TcpState::Closing))
            lingering.insert(ends(view->local, view->peer), id);
    if (!lingering.isEmpty())
        for (const SocketId id : m_model.sockets())
            if (const SocketView* view = m_model.socket(id);
                view && view->state != TeachingState::Closed && view->isTcp() &&
                view->local.isValid() && view->peer.isValid())
                if (const SocketId closed = lingering.value(ends(view->peer, view->local));
                    closed.isValid() && !peers.contains(id))
                    wires.push_back({id, closed, false, false, true});
    const QHash<SocketId, SocketId> queued = m_model.waitingInQueues();
    for (auto it = queued.cbegin(); it != queued.cend(); ++it)
        wires.push_back({it.key(), it.value(), false, true});
    m_overlay->setWires(std::move(wires));
}

void StageWidget::clear()
{
    m_dirty.clear();
    m_acted = {};
    m_nextCallOn = {};
    // Hidden and out of the layout at once; deleted once control is back in the loop.
    for (SocketCard* card : std::as_const(m_cards)) {
        card->hide();
        card->deleteLater();
    }
    m_cards.clear();
    m_byName.clear();
    m_nameShown.clear();
    for (HostWidget* host : std::as_const(m_hosts)) {
        m_row->removeWidget(host);
        host->hide();
        host->deleteLater();
    }
    m_hosts.clear();
    m_overlay->setWires({});
    m_row->forgetPlaces();
    m_keptSpans.clear();
    m_fittedShape.clear();
    m_fittedStructure.clear();
    m_appliedLevel = -1;
    m_fullerRatio = 0;
    m_followed = {};
    m_settleFrames = 0;
}

QRect StageWidget::cardRect(SocketId socket) const
{
    SocketCard* card = m_cards.value(socket);
    if (!card || !card->isVisible())
        return {};
    return QRect(card->mapTo(m_canvas, QPoint(0, 0)), card->size());
}

void StageWidget::changeEvent(QEvent* event)
{
    QScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange && !m_frame->isActive())
        m_frame->start(); // a zoom: fit the hosts again at the new size
}

void StageWidget::resizeEvent(QResizeEvent* event)
{
    QScrollArea::resizeEvent(event);
    if (!m_frame->isActive())
        m_frame->start(); // fits the hosts to the new size at the next frame
    m_overlay->setGeometry(m_canvas->rect());
}

bool StageWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_canvas &&
        (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)) {
        m_overlay->setGeometry(m_canvas->rect());
        m_overlay->raise();
        // A host may move to another row without the canvas changing size: redraw the
        // wires where the cards are now.
        m_overlay->cardsMoved();
        // Grown past the room since fit() turned the bar off, by something its shape does
        // not name (a hint's row, a wider bar): the rest stays within reach, with a bar.
        if (event->type() == QEvent::Resize &&
            verticalScrollBarPolicy() == Qt::ScrollBarAlwaysOff &&
            m_canvas->height() > viewport()->height())
            setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    } else if (watched != m_canvas &&
               (event->type() == QEvent::Move || event->type() == QEvent::Resize ||
                event->type() == QEvent::Show || event->type() == QEvent::Hide)) {
        m_overlay->cardsMoved(); // a card or a host: where its wires end changed
    }
    return QScrollArea::eventFilter(watched, event);
}

} // namespace sockbench
