#include "eventlogview.h"

#include "eventdetails.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace sockbench {

namespace {

QComboBox* makeCombo(QWidget* parent)
{
    // As wide as ten characters, whatever its entries: a socket's long name must not widen
    // Look closer (at 1280 the stage needs the room). The list that drops down shows them
    // whole.
    auto* combo = new QComboBox(parent);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(4);
    return combo;
}

// Replaces a combo's entries (the first, "all", entry stays) only when they changed, and
// keeps the chosen entry chosen.
void setEntries(QComboBox* combo, const QList<std::pair<QString, QVariant>>& entries)
{
    bool same = combo->count() == entries.size() + 1;
    for (qsizetype i = 0; same && i < entries.size(); ++i)
        same = combo->itemText(int(i + 1)) == entries[i].first &&
               combo->itemData(int(i + 1)) == entries[i].second;
    if (same)
        return;
    const QVariant chosen = combo->currentData();
    const QSignalBlocker blocker(combo);
    while (combo->count() > 1)
        combo->removeItem(1);
    for (const auto& [text, data] : entries)
        combo->addItem(text, data);
    combo->setCurrentIndex(std::max(0, combo->findData(chosen)));
}

} // namespace

EventLogView::EventLogView(Timeline& timeline, EventSelection& selection, QWidget* parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_selection(selection)
    , m_model(new EventLogModel(timeline, this))
    , m_filter(new EventLogFilter(this))
    , m_socketCombo(makeCombo(this))
    , m_actorCombo(makeCombo(this))
    , m_kindCombo(makeCombo(this))
    , m_table(new QTableView(this))
    , m_footer(new QLabel(this))
    , m_selectionNote(new QLabel(this))
    , m_copy(new QAction(QStringLiteral("Copy rows"), this))
{
    setObjectName(QStringLiteral("eventLog"));
    m_filter->setSourceModel(m_model);

    m_socketCombo->setObjectName(QStringLiteral("socketFilter"));
    m_actorCombo->setObjectName(QStringLiteral("actorFilter"));
    m_kindCombo->setObjectName(QStringLiteral("kindFilter"));
    m_socketCombo->addItem(QStringLiteral("All sockets"), QVariant::fromValue(quint32(0)));
    m_actorCombo->addItem(QStringLiteral("All actors"), QString());
    m_kindCombo->addItem(QStringLiteral("All events"), int(EventLogFilter::Kind::All));
    m_kindCombo->addItem(QStringLiteral("Calls"), int(EventLogFilter::Kind::Calls));
    m_kindCombo->addItem(QStringLiteral("Blocked calls"), int(EventLogFilter::Kind::Blocked));
    m_kindCombo->addItem(QStringLiteral("Kernel observations"),
                         int(EventLogFilter::Kind::Observations));
    m_kindCombo->addItem(QStringLiteral("Errors only"), int(EventLogFilter::Kind::Errors));

    auto* filters = new QHBoxLayout;
    auto addFilter = [&](const QString& label, QComboBox* combo) {
        auto* text = new QLabel(label, this);
        text->setBuddy(combo);
        filters->addWidget(text);
        filters->addWidget(combo);
        filters->addSpacing(12);
    };
    addFilter(QStringLiteral("&Socket"), m_socketCombo);
    addFilter(QStringLiteral("&Actor"), m_actorCombo);
    addFilter(QStringLiteral("S&how"), m_kindCombo);
    filters->addStretch();

    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setShowGrid(false);
    // Room between cells: a right-aligned byte count must not run into the kernel column.
    m_table->setStyleSheet(QStringLiteral("QTableView::item { padding: 0 10px 0 6px; }"));
    m_table->verticalHeader()->hide();
    // Fixed row heights: a 100,000-row table scrolls without measuring every row.
    const QFontMetrics metrics(m_table->font());
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(metrics.height() + 10);
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setHighlightSections(false);
    auto width = [&metrics](const char* sample) {
        return metrics.horizontalAdvance(QLatin1String(sample)) + 24;
    };
    m_table->setColumnWidth(EventLogModel::Seq, width("00000"));
    m_table->setColumnWidth(EventLogModel::Time, width("00000.000"));
    m_table->setColumnWidth(EventLogModel::Actor, width("server"));
    m_table->setColumnWidth(EventLogModel::Socket, width("listener"));
    m_table->setColumnWidth(EventLogModel::CallColumn, width("recvfrom_into"));
    m_table->setColumnWidth(EventLogModel::Arguments, width("AF_INET6, SOCK_STREAM"));
    m_table->setColumnWidth(EventLogModel::Result, width("new socket, peer 127.0.0.1:40000"));
    m_table->setColumnWidth(EventLogModel::Bytes, width("12.4 KiB"));

    m_copy->setObjectName(QStringLiteral("copyRows"));
    m_copy->setShortcut(QKeySequence::Copy);
    m_copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copy, &QAction::triggered, this, &EventLogView::copySelectedRows);
    m_table->addAction(m_copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_selectionNote->setObjectName(QStringLiteral("selectionNote"));
    m_selectionNote->setTextFormat(Qt::RichText);
    m_selectionNote->hide();
    connect(m_selectionNote, &QLabel::linkActivated, this, &EventLogView::clearFilters);
    m_footer->setObjectName(QStringLiteral("logFooter"));
    m_footer->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_footer->setStyleSheet(QStringLiteral("color: #475569;"));
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_selectionNote);
    bottom->addStretch();
    bottom->addWidget(m_footer);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(bottom);

    connect(m_socketCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setSocket(SocketId{m_socketCombo->currentData().value<quint32>()});
    });
    connect(m_actorCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setActor(m_actorCombo->currentData().toString()); });
    connect(m_kindCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setKind(EventLogFilter::Kind(m_kindCombo->currentData().toInt()));
    });

    // Rows leaving the proxy (trimmed, filtered out, reset) move the current index; that
    // is not the reader choosing another event, so it must not change the selection.
    auto hold = [this] { m_syncing = true; };
    auto release = [this] {
        m_syncing = false;
        showSelected(m_selection.seq());
        updateFooter();
    };
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this, hold);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, release);
    connect(m_filter, &QAbstractItemModel::layoutAboutToBeChanged, this, hold);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, release);
    connect(m_filter, &QAbstractItemModel::modelAboutToBeReset, this, hold);
    connect(m_filter, &QAbstractItemModel::modelReset, this, release);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        // A filter that shows rows again may bring the selected event back into view.
        if (!m_table->selectionModel()->hasSelection())
            showSelected(m_selection.seq());
        updateFooter();
    });
    connect(m_model, &EventLogModel::sourcesChanged, this, &EventLogView::refreshSourceCombos);
    // The script names sockets as it goes ("conn" once accept() returns): relabel.
    connect(&m_timeline, &Timeline::appended, this, &EventLogView::refreshSourceCombos);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventLogView::onCurrentRowChanged);
    connect(&m_selection, &EventSelection::changed, this, &EventLogView::showSelected);

    QScrollBar* scroll = m_table->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this,
            [this, scroll](int value) { m_followBottom = value >= scroll->maximum(); });
    connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
        if (m_followBottom)
            scroll->setValue(maximum);
    });

    refreshSourceCombos();
    updateFooter();
    showSelected(m_selection.seq());
}

void EventLogView::setSocketFilter(SocketId socket)
{
    refreshSourceCombos();
    m_socketCombo->setCurrentIndex(
        std::max(0, m_socketCombo->findData(QVariant::fromValue(socket.value))));
}

void EventLogView::setActorFilter(const QString& actor)
{
    refreshSourceCombos();
    m_actorCombo->setCurrentIndex(std::max(0, m_actorCombo->findData(actor)));
}

void EventLogView::setKindFilter(EventLogFilter::Kind kind)
{
    m_kindCombo->setCurrentIndex(std::max(0, m_kindCombo->findData(int(kind))));
}

void EventLogView::clearFilters()
{
    m_socketCombo->setCurrentIndex(0);
    m_actorCombo->setCurrentIndex(0);
    m_kindCombo->setCurrentIndex(0);
}

QString EventLogView::selectedRowsText() const
{
    QList<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows << m_filter->mapToSource(index).row();
    return m_model->rowsAsText(rows);
}

void EventLogView::copySelectedRows() const
{
    if (m_table->selectionModel()->hasSelection())
        QApplication::clipboard()->setText(selectedRowsText());
}

void EventLogView::refreshSourceCombos()
{
    QList<std::pair<QString, QVariant>> sockets;
    for (SocketId socket : m_model->sockets()) {
        const QString name = m_timeline.socketName(socket);
        const QString number = QStringLiteral("#%1").arg(socket.value);
        sockets.append({name == number ? name : QStringLiteral("%1  (%2)").arg(name, number),
                        QVariant::fromValue(socket.value)});
    }
    setEntries(m_socketCombo, sockets);
    QList<std::pair<QString, QVariant>> actors;
    for (const QString& actor : m_model->actors())
        actors.append({actor, actor});
    setEntries(m_actorCombo, actors);
}

void EventLogView::onCurrentRowChanged()
{
    if (m_syncing)
        return;
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    if (const Event* e = m_model->eventAt(current.row())) {
        // The view is still in the middle of the click: it applies its own selection (a
        // Ctrl+click toggles, a Shift+click extends) right after this, so leave it alone.
        m_selecting = true;
        m_selection.select(e->seq);
        m_selecting = false;
    }
}

void EventLogView::showSelected(quint64 seq)
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    const Event* shown = m_model->eventAt(current.row());
    const int sourceRow = m_model->rowOf(seq);
    const QModelIndex row =
        sourceRow < 0 ? QModelIndex() : m_filter->mapFromSource(m_model->index(sourceRow, 0));

    if (seq == 0) {
        m_selectionNote->hide();
    } else if (sourceRow < 0) {
        m_selectionNote->setText(QStringLiteral("Event #%1 is no longer in the log.").arg(seq));
        m_selectionNote->show();
    } else if (!row.isValid()) {
        m_selectionNote->setText(
            QStringLiteral("Event #%1 is hidden by the filters. <a href=\"#all\">Show all</a>")
                .arg(seq));
        m_selectionNote->show();
    } else {
        m_selectionNote->hide();
    }

    // The reader's own (perhaps multi-row) selection already holds this event: keep it.
    if (m_selecting)
        return;
    if (row.isValid() && shown && shown->seq == seq &&
        m_table->selectionModel()->isRowSelected(row.row(), {}))
        return;
    const bool wasSyncing = m_syncing;
    m_syncing = true;
    if (row.isValid()) {
        m_table->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
        m_table->scrollTo(row, QAbstractItemView::EnsureVisible);
    } else {
        m_table->selectionModel()->clearSelection();
    }
    m_syncing = wasSyncing;
}

void EventLogView::updateFooter()
{
    const int total = m_model->rowCount();
    const int shown = m_filter->rowCount();
    using eventdetails::number;
    QString text = m_filter->isFiltering()
                       ? QStringLiteral("%1 of %2 events shown").arg(number(shown), number(total))
                       : QStringLiteral("%1 events").arg(number(total));
    if (m_timeline.dropped() > 0)
        text += QStringLiteral(" · showing the newest %1 events (%2 older ones dropped)")
                    .arg(number(EventLogModel::kMaxRows), number(m_timeline.dropped()));
    else
        text += QStringLiteral(" · the log keeps the newest %1 events")
                    .arg(number(EventLogModel::kMaxRows));
    m_footer->setText(text);
}

} // namespace sockbench
