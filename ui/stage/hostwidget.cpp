#include "hostwidget.h"

#include "masonrylayout.h"
#include "presentation/describe.h"
#include "socketcard.h"
#include "theme.h"

#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

namespace {

// The host's first row: its name at the left, New socket at the right, and where its thread
// is beside the name when that fits, or under the name, across the host, when it does not.
class HeaderLayout : public QLayout {
public:
    HeaderLayout(QWidget* title, QWidget* status, QWidget* button)
    {
        for (QWidget* widget : {title, status, button})
            m_items << new QWidgetItem(widget);
    }
    ~HeaderLayout() override { qDeleteAll(m_items); }

    void addItem(QLayoutItem* item) override { delete item; } // its three, no more
    int count() const override { return int(m_items.size()); }
    QLayoutItem* itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem* takeAt(int) override { return nullptr; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return arrange(QRect(0, 0, width, 0), false); }
    QSize sizeHint() const override
    {
        const int gap = spacing();
        return QSize(title()->sizeHint().width() + gap + status()->sizeHint().width() + gap +
                         button()->sizeHint().width(),
                     firstRowHeight());
    }
    QSize minimumSize() const override
    {
        return QSize(title()->minimumSize().width() + spacing() + button()->minimumSize().width(),
                     firstRowHeight());
    }
    void setGeometry(const QRect& rect) override
    {
        QLayout::setGeometry(rect);
        arrange(rect, true);
    }

private:
    QLayoutItem* title() const { return m_items[0]; }
    QLayoutItem* status() const { return m_items[1]; }
    QLayoutItem* button() const { return m_items[2]; }
    int firstRowHeight() const
    {
        return std::max(title()->sizeHint().height(), button()->sizeHint().height());
    }
    int arrange(const QRect& rect, bool apply) const
    {
        const int gap = spacing();
        const int row = firstRowHeight();
        const QSize b = button()->sizeHint();
        const int titleWidth =
            std::min(title()->sizeHint().width(), rect.width() - gap - b.width());
        const int room = rect.width() - titleWidth - b.width() - 2 * gap;
        const bool shown = !status()->isEmpty();
        // Beside the name when it fits there on the row, wrapped or not; under it otherwise.
        const bool beside = shown && room > 0 && status()->heightForWidth(room) <= row;
        const int below = shown && !beside ? status()->heightForWidth(rect.width()) : 0;
        if (apply) {
            const auto centred = [&](QLayoutItem* item, int x, int width) {
                const int height = std::min(item->sizeHint().height(), row);
                item->setGeometry(QRect(x, rect.y() + (row - height) / 2, width, height));
            };
            centred(title(), rect.x(), titleWidth);
            centred(button(), rect.right() + 1 - b.width(), b.width());
            if (beside)
                centred(status(), rect.x() + titleWidth + gap, room);
            else if (shown)
                status()->setGeometry(QRect(rect.x(), rect.y() + row + gap, rect.width(), below));
        }
        return row + (below > 0 ? gap + below : 0);
    }

    QList<QLayoutItem*> m_items;
};

} // namespace

HostWidget::HostWidget(const QString& actor, QWidget* parent)
    : QFrame(parent)
    , m_actor(actor)
    , m_title(new QLabel(this))
    , m_newSocket(new QToolButton(this))
    , m_cards(new MasonryLayout(nullptr, 8, 8))
    , m_threads(new QLabel(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("host"));
    setContentsMargins(kPanelEdge, kPanelEdge, kPanelEdge, kPanelEdge); // the edge's room
    setAccessibleName(tr("Host %1").arg(actor));
    // Hosts share the stage's width in equal columns (MasonryLayout).
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 10);
    layout->setSpacing(6);
    // Nested layouts without margins of their own: the host's are enough, and every pixel
    // of width decides how many hosts stand side by side.
    m_cards->setContentsMargins(0, 0, 0, 0);
    setRelativeFont(m_title, 1.25, true);
    m_title->setText(actor);
    m_title->setToolTip(tr("An actor of the lesson: a thread of its own, drawn as a host"));
    // The host's own thread, when it is the only one, says where it is beside the name: a
    // row less on every host.
    m_status->setObjectName(QStringLiteral("hostStatus"));
    m_status->setTextFormat(Qt::RichText);
    m_status->setWordWrap(true);
    m_status->setToolTip(tr("Where this host's thread is, and the call it waits in"));
    m_status->hide();
    m_newSocket->setText(tr("New socket"));
    m_newSocket->setToolTip(tr("Create a socket on this host: socket(family, type)"));
    m_newSocket->setAccessibleName(tr("New socket on %1").arg(actor));
    m_newSocket->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_newSocket);
    struct Kind {
        const char* label;
        AddressFamily family;
        SocketType type;
    };
    static const Kind kinds[] = {
        {"TCP over IPv4 (AF_INET, SOCK_STREAM)", AddressFamily::Inet4, SocketType::Stream},
        {"UDP over IPv4 (AF_INET, SOCK_DGRAM)", AddressFamily::Inet4, SocketType::Datagram},
        {"TCP over IPv6 (AF_INET6, SOCK_STREAM)", AddressFamily::Inet6, SocketType::Stream},
        {"UDP over IPv6 (AF_INET6, SOCK_DGRAM)", AddressFamily::Inet6, SocketType::Datagram},
        {"Unix stream (AF_UNIX, SOCK_STREAM)", AddressFamily::Unix, SocketType::Stream},
        {"Unix datagram (AF_UNIX, SOCK_DGRAM)", AddressFamily::Unix, SocketType::Datagram},
        // Connections that keep each message whole (the course's programs/seqpacket).
        {"Unix seqpacket (AF_UNIX, SOCK_SEQPACKET)", AddressFamily::Unix, SocketType::SeqPacket},
    };
    for (const Kind& kind : kinds) {
        QAction* action = menu->addAction(tr(kind.label));
        const AddressFamily family = kind.family;
        const SocketType type = kind.type;
        connect(action, &QAction::triggered, this,
                [this, family, type] { Q_EMIT newSocketRequested(m_actor, family, type); });
    }
    m_newSocket->setMenu(menu);
    auto* header = new HeaderLayout(m_title, m_status, m_newSocket);
    header->setContentsMargins(0, 0, 0, 0);
    header->setSpacing(6);
    layout->addLayout(header);
    m_threads->setObjectName(QStringLiteral("hostThreads"));
    m_threads->setTextFormat(Qt::RichText);
    m_threads->setWordWrap(true);
    m_threads->setToolTip(tr("The threads running on this host: where each is, and the call it "
                             "waits in"));
    m_threads->hide();
    layout->addWidget(m_threads);
    m_cards->setMaximumColumns(1);
    layout->addLayout(m_cards);
    layout->addStretch(1);
}

void HostWidget::addCard(SocketCard* card, SocketCard* after)
{
    setFolded(false); // a new socket is news: the host is at work again
    card->setParent(this);
    int index = m_cards->count();
    if (after) {
        const int at = m_cards->indexOf(after);
        if (at >= 0) {
            index = at + 1;
            // Keep accepted sockets in the order accept() returned them.
            while (index < m_cards->count()) {
                auto* next = qobject_cast<SocketCard*>(m_cards->itemAt(index)->widget());
                if (!next || next->property("acceptedFrom").toUInt() != after->socketId().value)
                    break;
                ++index;
            }
        }
    }
    m_cards->insertWidget(index, card);
    card->setVisible(true);
}

void HostWidget::setThreads(const QList<program::ThreadView>& threads)
{
    using State = program::ThreadView::State;
    m_rows.clear();
    m_ownStatus.clear();
    m_threadRows.clear();
    m_finished = !threads.isEmpty();
    // Two `# background` statements of one actor would read alike: those get their lines.
    QHash<QString, int> named;
    for (const program::ThreadView& t : threads)
        ++named[describe::threadName(t.name)];
    for (const program::ThreadView& t : threads) {
        QString colour = QStringLiteral("#6b7280"); // starting, waiting, finished
        switch (t.state) {
        case State::Running:
            colour = QStringLiteral("#047857");
            break;
        case State::Blocked:
        case State::Sleeping:
            colour = QStringLiteral("#b45309");
            break;
        case State::Failed:
            colour = QStringLiteral("#b91c1c");
            break;
        default:
            break;
        }
        m_finished = m_finished && t.state == State::Finished;
        const QString state = t.describe();
        const QString name =
            describe::threadName(t.name, named.value(describe::threadName(t.name)) > 1);
        m_threadRows << QStringLiteral("%1: %2").arg(name, state);
        m_rows << QStringLiteral("<span style='color:%1'>●</span> <b>%2</b> "
                                 "<span style='color:%1'>%3</span>")
                      .arg(colour, name.toHtmlEscaped(), state.toHtmlEscaped());
        m_ownStatus << QStringLiteral(
                           "<span style='color:%1'>●</span> <span style='color:%1'>%2</span>")
                           .arg(colour, state.toHtmlEscaped());
    }
    const bool own = threads.size() == 1 && threads.front().name == m_actor;
    if (!own)
        m_ownStatus.clear();
    showThreads();
}

void HostWidget::showThreads()
{
    QString summary;
    QString plainSummary;
    if (m_folded) {
        const qsizetype closed = cards().size();
        plainSummary = closed == 1 ? tr("socket closed") : tr("%1 sockets closed").arg(closed);
        summary = QStringLiteral("<span style='color:#6b7280'>· %1</span>")
                      .arg(plainSummary.toHtmlEscaped());
    }
    const bool own = !m_ownStatus.isEmpty();
    QString status = own ? m_ownStatus.front() : QString();
    QStringList rows = m_rows;
    if (own && m_folded)
        status += QLatin1Char(' ') + summary;
    else if (m_folded)
        rows << summary;
    m_status->setText(status);
    m_status->setAccessibleName(
        own ? m_threadRows.value(0) + (m_folded ? QStringLiteral("; ") + plainSummary : QString())
            : QString());
    m_status->setVisible(own);
    m_threads->setText(own ? QString() : rows.join(QStringLiteral("<br>")));
    QStringList spoken = m_threadRows;
    if (m_folded)
        spoken << plainSummary;
    m_threads->setAccessibleName(own ? QString() : spoken.join(QStringLiteral("; ")));
    m_threads->setVisible(!own && !rows.isEmpty());
}

bool HostWidget::canFold() const
{
    const QList<SocketCard*> all = cards();
    return m_finished && !all.isEmpty() &&
           std::all_of(all.cbegin(), all.cend(), [](const SocketCard* c) { return c->isGone(); });
}

void HostWidget::setFolded(bool folded)
{
    if (folded == m_folded)
        return;
    m_folded = folded;
    QStringList names;
    for (SocketCard* card : cards()) {
        card->setVisible(!folded);
        names << card->title();
    }
    // New socket stays: a folded host is still a host to make sockets on (free play). On the
    // folded line it is a "+", so that name, state and button keep to that one line.
    m_newSocket->setText(folded ? QStringLiteral("+") : tr("New socket"));
    // One row, with a thin margin: a folded host is a line of the stage, not a panel.
    layout()->setContentsMargins(10, folded ? 3 : 8, 10, folded ? 3 : 10);
    setToolTip(folded ? tr("Folded to give the hosts still at work more room: %1, every one "
                           "closed, and nothing left of them in the kernel")
                            .arg(names.join(QStringLiteral(", ")))
                      : QString());
    showThreads();
    relayout();
}

QString HostWidget::threadsText() const
{
    return m_threadRows.join(QLatin1Char('\n'));
}

void HostWidget::setSpan(int columns)
{
    columns = std::max(columns, 1);
    if (columns == span())
        return;
    setProperty("columnSpan", columns);
    m_cards->setMaximumColumns(columns);
    relayout();
}

int HostWidget::span() const
{
    return std::max(property("columnSpan").toInt(), 1);
}

void HostWidget::relayout()
{
    m_cards->invalidate();
    layout()->invalidate();
    updateGeometry();
}

QList<SocketCard*> HostWidget::cards() const
{
    QList<SocketCard*> out;
    for (int i = 0; i < m_cards->count(); ++i)
        if (auto* card = qobject_cast<SocketCard*>(m_cards->itemAt(i)->widget()))
            out << card;
    return out;
}

void HostWidget::paintEvent(QPaintEvent*)
{
    paintPanel(this, QColor(0xfb, 0xfc, 0xfd), QColor(0xcb, 0xd5, 0xe1), 14);
}

QList<QRect> HostWidget::writtenRects() const
{
    QList<QRect> out;
    for (const QLabel* label : {m_title, m_threads, m_status})
        if (label->isVisible() && !label->text().isEmpty()) {
            // The words only, not the width the layout gives the label.
            const QRect words(
                label->mapTo(this, QPoint(0, 0)),
                QSize(std::min(label->width(), label->sizeHint().width()), label->height()));
            out << words;
        }
    return out;
}

} // namespace sockbench
