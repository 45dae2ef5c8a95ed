// StageWidget::fit(): how much the cards show, how many columns the hosts take and where
// they stand, so that every host is in view and stays where it stood.

#include "stagewidget.h"

#include "hostwidget.h"
#include "masonrylayout.h"
#include "socketcard.h"
#include "theme.h"

#include <QTimer>

#include <algorithm>

namespace sockbench {

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
    const int startLevel = index;
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
            if (t.level > fitted && fitted < startLevel) {
                // The stage has just found room for a fuller level (a larger window, cards
                // that lost rows). It goes back to the less full one to stay as it was only
                // if the fuller arrangement would move something: a host alone on the stage
                // that widens where it stands (its cards in two columns) takes the room, and
                // so does an arrangement with the same columns and every host in its own.
                const int h = arrange(fitted, false);
                if (h <= room.height() && m_row->movedLastTime() == 0 &&
                    (hosts.size() == 1 || m_row->columnsFor(room.width()) == m_keptColumns)) {
                    tallest = h;
                    keptFits = true;
                    break;
                }
            }
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

} // namespace sockbench
