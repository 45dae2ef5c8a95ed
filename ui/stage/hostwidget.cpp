#include "hostwidget.h"

#include "socketcard.h"
#include "theme.h"

#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockbench {

HostWidget::HostWidget(const QString& actor, QWidget* parent)
    : QFrame(parent)
    , m_actor(actor)
    , m_title(new QLabel(this))
    , m_newSocket(new QToolButton(this))
    , m_cards(new QVBoxLayout)
    , m_threads(new QLabel(this))
{
    setObjectName(QStringLiteral("host"));
    setAccessibleName(tr("Host %1").arg(actor));
    // Hosts share the stage's width in equal columns (FlowLayout::setColumns).
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 10);
    layout->setSpacing(6);
    // Nested layouts without margins of their own: the host's are enough, and every pixel
    // of width decides how many hosts stand side by side.
    auto* header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    m_cards->setContentsMargins(0, 0, 0, 0);
    setRelativeFont(m_title, 1.25, true);
    m_title->setText(actor);
    m_title->setToolTip(tr("An actor of the lesson: a thread of its own, drawn as a host"));
    header->addWidget(m_title, 1);
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
    };
    for (const Kind& kind : kinds) {
        QAction* action = menu->addAction(tr(kind.label));
        const AddressFamily family = kind.family;
        const SocketType type = kind.type;
        connect(action, &QAction::triggered, this,
                [this, family, type] { Q_EMIT newSocketRequested(m_actor, family, type); });
    }
    m_newSocket->setMenu(menu);
    header->addWidget(m_newSocket);
    layout->addLayout(header);
    m_threads->setObjectName(QStringLiteral("hostThreads"));
    m_threads->setTextFormat(Qt::RichText);
    m_threads->setWordWrap(true);
    m_threads->setToolTip(tr("The threads running on this host: where each is, and the call it "
                             "waits in"));
    m_threads->hide();
    layout->addWidget(m_threads);
    m_cards->setSpacing(8);
    layout->addLayout(m_cards);
    layout->addStretch(1);
}

void HostWidget::addCard(SocketCard* card, SocketCard* after)
{
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
    QStringList rows;
    m_threadRows.clear();
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
        const QString state = t.describe();
        m_threadRows << QStringLiteral("%1: %2").arg(t.name, state);
        rows << QStringLiteral("<span style='color:%1'>●</span> <b>%2</b> "
                               "<span style='color:%1'>%3</span>")
                    .arg(colour, t.name.toHtmlEscaped(), state.toHtmlEscaped());
    }
    m_threads->setText(rows.join(QStringLiteral("<br>")));
    m_threads->setAccessibleName(m_threadRows.join(QStringLiteral("; ")));
    m_threads->setVisible(!rows.isEmpty());
}

QString HostWidget::threadsText() const
{
    return m_threadRows.join(QLatin1Char('\n'));
}

QList<SocketCard*> HostWidget::cards() const
{
    QList<SocketCard*> out;
    for (int i = 0; i < m_cards->count(); ++i)
        if (auto* card = qobject_cast<SocketCard*>(m_cards->itemAt(i)->widget()))
            out << card;
    return out;
}

} // namespace sockbench
