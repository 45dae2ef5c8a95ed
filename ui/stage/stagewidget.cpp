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

void StageWidget::showCard(SocketCard* card, const SocketView& view)
{
    const SocketId peer = m_model.peerOf(view.id);
    const SocketView* other = peer.isValid() ? m_model.socket(peer) : nullptr;
    card->display(view, m_nameOf ? m_nameOf(view.id) : QString(),
                  other && other->local == view.peer && other->localChosenByKernel,
                  view.lastFailed && m_handledOf ? m_handledOf(view.lastCallId)
                                                 : SocketCard::Handled::No);
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

void StageWidget::fit()
{
    // Every host in view, with as much on each card as that leaves room for: first a host
    // with many cards spans more of the stage's columns and lays its cards out in as many;
    // then cards give up their buttons and port labels, then show only their states and
    // addresses, then a host whose program has finished with every socket gone folds to its
    // name, and only then does the type get smaller (legible from the back row comes before
    // complete). Only past that does the stage scroll (and it follows the card the newest
    // call acted on).
    struct Level {
        SocketCard::Detail detail;
        double scale;
        bool fold; // hosts that may fold do
    };
    using D = SocketCard::Detail;
    static constexpr Level kLevels[] = {
        {D::Full, 1.0, false},   {D::Compact, 1.0, false}, {D::Minimal, 1.0, false},
        {D::Minimal, 1.0, true}, {D::Minimal, 0.9, true},  {D::Minimal, 0.8, true},
        {D::Minimal, 0.7, true},
    };
    // The room without scroll bars: a stage that fits there has none, and the room a bar
    // took comes back (measured with it, a stage scrolled once kept scrolling for the width
    // the bar took).
    const QSize room = maximumViewportSize();
    QString shape =
        QStringLiteral("%1x%2|%3").arg(room.width()).arg(room.height()).arg(font().pointSizeF());
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it)
        shape += QLatin1Char('/') + it.value()->shape();
    // A host may fold once its program has finished with every socket gone, but not while it
    // holds the card the newest call acted on: that step's picture is that card.
    const auto holdsFollowed = [this](const HostWidget* host) {
        for (const SocketId id : {m_acted, m_followed})
            if (const SocketCard* card = m_cards.value(id); card && card->parentWidget() == host)
                return true;
        return false;
    };
    QSet<const HostWidget*> foldable;
    for (const HostWidget* host : std::as_const(m_hosts)) {
        shape += QLatin1Char('/') + host->threadsText();
        if (host->canFold() && !holdsFollowed(host)) {
            foldable.insert(host);
            shape += QStringLiteral("/folds");
        }
    }
    if (shape == m_fittedShape)
        return;
    m_fittedShape = shape;
    // How much taller a fuller level is holds while the stage holds the same things; a
    // card more, a host more, an error explained (or gone), or a host that may fold (or no
    // longer) makes the guess stale.
    int explained = 0;
    for (const SocketCard* card : std::as_const(m_cards))
        explained += card->errorExplanationText().isEmpty() ? 0 : 1;
    const QString structure = QStringLiteral("%1|%2|%3|%4")
                                  .arg(m_cards.size())
                                  .arg(m_hosts.size())
                                  .arg(explained)
                                  .arg(foldable.size());
    if (std::exchange(m_fittedStructure, structure) != structure)
        m_fullerRatio = 0;
    // The cards are about to move: the one followed last is followed again once they have.
    if (!m_acted.isValid())
        m_acted = m_followed;
    const QList<HostWidget*> hosts = this->hosts();
    m_row->setHeightLimit(room.height());
    const auto apply = [&](int index) {
        const Level& level = kLevels[index];
        // A new type size or detail: every nested size measured before is wrong. The same
        // level again: only what changed has dropped its own.
        const bool anew = std::exchange(m_appliedLevel, index) != index;
        setFontSize(m_canvas, font().pointSizeF() * level.scale);
        m_row->setMinimumColumnWidth(m_canvas->fontMetrics().averageCharWidth() * 26);
        // Measured at once, not at the next layout pass: every cached size is dropped.
        for (SocketCard* card : std::as_const(m_cards))
            card->setDetail(level.detail);
        m_row->setMaximumColumns(0);
        for (HostWidget* host : hosts) {
            host->setFolded(level.fold && foldable.contains(host));
            host->setSpan(1);
            if (anew)
                forgetMeasuredSizes(host);
            else
                host->relayout();
        }
        m_row->invalidate();
    };
    const auto height = [&] {
        m_row->invalidate();
        return m_row->heightForWidth(room.width());
    };
    // The hosts at one level, each host as wide as makes the stage shortest: the stage's height.
    const auto tryLevel = [&](int index) {
        apply(index);
        int tallest = height();
        // A host takes one more column while that makes the stage shorter, the one that
        // shortens it most first: a host with more cards than columns lays them out in
        // more, a host with one tall card (a long error explanation) makes it wider. The
        // column is a new one, or one of the stage's own (its other hosts stack closer
        // rather than all growing narrower), whichever is shorter.
        const int fit = m_row->columnsThatFit(room.width());
        while (tallest > room.height()) {
            HostWidget* widest = nullptr;
            int widestCap = 0;
            int best = tallest;
            const int cap = m_row->maximumColumns(); // 0: as many as fit
            const int columns = m_row->columnsFor(room.width());
            for (HostWidget* host : hosts) {
                const int span = host->span();
                if (span >= fit)
                    continue;
                host->setSpan(span + 1);
                for (const int tried : {cap, columns}) {
                    m_row->setMaximumColumns(tried);
                    if (const int h = height(); h < best) {
                        best = h;
                        widest = host;
                        widestCap = tried;
                    }
                }
                m_row->setMaximumColumns(cap);
                host->setSpan(span);
            }
            if (!widest)
                break;
            widest->setSpan(widest->span() + 1);
            m_row->setMaximumColumns(widestCap);
            tallest = height();
        }
        return tallest;
    };
    // Each level costs a full measure of every card at another type size, so the search
    // starts at the level fitted last: the stage changes a little at each step.
    // Measured without scroll bars, the stage that fits has none; one that does not fit even
    // at the last level scrolls. (Left to the scroll area, a bar shown once stays: it asks
    // for the height at the width the bar leaves.)
    const auto settle = [this, &room](int tallest) {
        setVerticalScrollBarPolicy(tallest <= room.height() ? Qt::ScrollBarAlwaysOff
                                                            : Qt::ScrollBarAsNeeded);
    };
    const int last = int(std::size(kLevels)) - 1;
    // The last level with every card's type at its size and every host unfolded.
    constexpr int kLastWholeType = 2;
    int index = std::clamp(m_appliedLevel, 0, last);
    int tallest = tryLevel(index);
    if (tallest > room.height()) {
        while (tallest > room.height() && index < last) {
            const int fuller = tallest;
            tallest = tryLevel(++index);
            m_fullerRatio = double(fuller) / std::max(tallest, 1);
        }
        settle(tallest);
        return;
    }
    // It fits: a fuller level is tried once it could fit too (something shrank, or the room
    // grew), judged by how much taller it was than this one when it last did not fit. That
    // guess may be stale without the stage's structure changing (cards closed lose their
    // rows; the hosts take other columns): a stage of a lesson's few dozen cards measures
    // it instead, once it has been still for a moment (not at every frame of a run).
    if (index > 0 && !m_tryFuller && m_cards.size() <= kFewCards)
        m_refit->start();
    while (index > 0 &&
           (m_tryFuller || m_fullerRatio <= 0 || tallest * m_fullerRatio <= room.height() * 1.05)) {
        const int fuller = tryLevel(index - 1);
        if (fuller > room.height()) {
            m_fullerRatio = double(fuller) / std::max(tallest, 1);
            tallest = tryLevel(index);
            break;
        }
        --index;
        tallest = fuller;
        m_fullerRatio = 0; // not measured yet for the next level up
    }
    // It fits. Columns narrower than a card reads well at (lesson 04's server beside three
    // hosts with no socket yet wrapped "server · / TCP · IPv4" in a third of the stage) give
    // way to fewer, wider ones while the stage still fits: the hosts stack instead.
    const int comfortable = m_canvas->fontMetrics().averageCharWidth() * kComfortableColumn;
    if (std::all_of(hosts.cbegin(), hosts.cend(),
                    [](const HostWidget* h) { return h->span() == 1; })) {
        int columns = m_row->columnsFor(room.width());
        while (columns > 1 && room.width() / columns < comfortable) {
            const int cap = m_row->maximumColumns();
            m_row->setMaximumColumns(columns - 1);
            const int fewer = height();
            if (fewer > room.height() || m_row->columnsFor(room.width()) >= columns) {
                m_row->setMaximumColumns(cap);
                height();
                break;
            }
            tallest = fewer;
            columns = m_row->columnsFor(room.width());
        }
    }
    // The arrangement fitted last (how many columns, and each host's span; a host new since
    // takes one) stays while it fits, at this level or, rather than move the hosts, at the
    // next less full one with the type still whole: the hosts do not change columns at every
    // step because a card grew or a fewer-column stage would fit for now (lesson 04 went back
    // and forth between two and three columns twenty times).
    const auto keptSpan = [this](const HostWidget* host) {
        return m_keptSpans.value(host->actor(), 1);
    };
    const auto arrangedAsKept = [&] {
        return m_keptColumns == m_row->columnsFor(room.width()) &&
               std::all_of(hosts.cbegin(), hosts.cend(),
                           [&](const HostWidget* h) { return h->span() == keptSpan(h); });
    };
    // An error explained (or gone) is the step's news: its host takes the room it needs.
    if (!m_keptSpans.isEmpty() && m_keptWidth == room.width() && m_keptExplained == explained &&
        (!arrangedAsKept() || m_row->movedLastTime() > 0)) {
        const int fitted = index;
        const int cap = m_row->maximumColumns();
        QHash<HostWidget*, int> spans;
        for (HostWidget* host : hosts)
            spans.insert(host, host->span());
        const auto arrange = [&](int level, bool kept) {
            if (level != m_appliedLevel)
                apply(level);
            for (HostWidget* host : hosts)
                host->setSpan(kept ? keptSpan(host) : spans.value(host));
            m_row->setMaximumColumns(kept ? m_keptColumns : cap);
            return height();
        };
        // Kept whole at this level, or at the next; else kept but for a host or two that
        // change columns; else as fitted afresh.
        struct Try {
            int level;
            bool whole;
        };
        bool keptFits = false;
        for (const Try t : {Try{fitted, true}, Try{fitted + 1, true}, Try{fitted, false}}) {
            if (t.level > kLastWholeType)
                continue;
            if (const int h = arrange(t.level, true);
                h <= room.height() && (!t.whole || m_row->movedLastTime() == 0)) {
                tallest = h;
                keptFits = true;
                break;
            }
        }
        if (!keptFits)
            tallest = arrange(fitted, false);
    }
    m_keptWidth = room.width();
    m_keptExplained = explained;
    m_keptColumns = m_row->columnsFor(room.width());
    m_keptSpans.clear();
    for (const HostWidget* host : hosts)
        m_keptSpans.insert(host->actor(), host->span());
    settle(tallest);
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
    const QHash<SocketId, SocketId> queued = m_model.waitingInQueues();
    for (auto it = queued.cbegin(); it != queued.cend(); ++it)
        wires.push_back({it.key(), it.value(), false, true});
    m_overlay->setWires(std::move(wires));
}

void StageWidget::clear()
{
    m_dirty.clear();
    m_acted = {};
    // Hidden and out of the layout at once; deleted once control is back in the loop.
    for (SocketCard* card : std::as_const(m_cards)) {
        card->hide();
        card->deleteLater();
    }
    m_cards.clear();
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
