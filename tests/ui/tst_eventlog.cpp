// The event log and the inspector over a real loopback exchange: every trace event is a
// row, the filters pick the right rows, Copy gives the rows as text, and selecting in the
// log, in the inspector's EventSelection or elsewhere keeps every view on the same event.

#include "presentation/describe.h"
#include "testsupport.h"
#include "theme.h"
#include "views/eventlogview.h"
#include "views/hexview.h"
#include "views/inspectorview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTableView>
#include <QtTest>

using namespace sockbench;

namespace {

// Where SOCKBENCH_PNG_DIR is set, the views are saved as PNGs to look at.
void savePng(QWidget& widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("SOCKBENCH_PNG_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::sendPostedEvents(); // the layouts settle before the picture is taken
    QCoreApplication::processEvents();
    widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

QStringList column(const EventLogView& log, int column)
{
    QStringList cells;
    for (int row = 0; row < log.filter()->rowCount(); ++row)
        cells << log.filter()->index(row, column).data().toString();
    return cells;
}

} // namespace

class TestEventLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyEventIsARow();
    void filtersBySocketActorAndKind();
    void errorRowShowsTheErrnoName();
    void copyPutsRowsOnTheClipboard();
    void selectingARowSelectsEverywhere();
    void selectionFromElsewhereSelectsTheRow();
    void followsTheBottomUntilTheReaderScrollsUp();
    void inspectorSaysWhenOnlyASampleWasKept();
    void aHiddenInspectorWaitsUntilItIsShown();
    void modelStaysAtTheCap();

private:
    Event run(SocketId socket, const Call& call, const QString& actor);
    int proxyRowOf(quint64 seq) const;

    std::unique_ptr<Workbench> m_bench;
    std::unique_ptr<Timeline> m_timeline;
    std::unique_ptr<EventSelection> m_selection;
    std::unique_ptr<EventLogView> m_log;
    std::unique_ptr<InspectorView> m_inspector;
    QHash<SocketId, QString> m_names;
    SocketId m_server, m_client, m_conn, m_extra;
    Event m_bind, m_listen, m_recv, m_failedBind;
};

Event TestEventLog::run(SocketId socket, const Call& call, const QString& actor)
{
    const auto event = m_bench->callAndWait(socket, call, actor, test::kFinishWithin);
    if (!event) {
        QTest::qFail("the call did not finish", __FILE__, __LINE__);
        return {};
    }
    return *event;
}

int TestEventLog::proxyRowOf(quint64 seq) const
{
    const int row = m_log->model()->rowOf(seq);
    return m_log->filter()->mapFromSource(m_log->model()->index(row, 0)).row();
}

void TestEventLog::initTestCase()
{
    // Pictures to look at are taken the way the window shows them.
    if (qEnvironmentVariableIsSet("SOCKBENCH_PNG_DIR"))
        applyTheme(*qApp);
}

// A real exchange on loopback: a server, a client, "hello", and a bind that fails.
void TestEventLog::init()
{
    m_bench = std::make_unique<Workbench>();
    m_timeline = std::make_unique<Timeline>();
    m_selection = std::make_unique<EventSelection>();
    m_names.clear();
    m_timeline->setSocketNamer([this](SocketId socket) { return m_names.value(socket); });
    m_timeline->follow(m_bench->trace(), 1);
    m_log = std::make_unique<EventLogView>(*m_timeline, *m_selection);
    m_inspector = std::make_unique<InspectorView>(*m_timeline, *m_selection);
    m_log->resize(1500, 420);
    m_inspector->resize(760, 900);
    m_log->show();
    m_inspector->show();

    const QString server = QStringLiteral("server");
    const QString client = QStringLiteral("client");
    m_server = run({}, calls::socket(), server).result.newSocket;
    m_names.insert(m_server, server);
    m_bind = run(m_server, calls::bind(QStringLiteral("127.0.0.1"), 0), server);
    m_listen = run(m_server, calls::listen(5), server);
    const quint16 port = run(m_server, calls::getsockname(), server).result.address.port();
    m_client = run({}, calls::socket(), client).result.newSocket;
    m_names.insert(m_client, client);
    QVERIFY(run(m_client, calls::connect(QStringLiteral("127.0.0.1"), port), client).result.ok());
    m_conn = run(m_server, calls::accept(), server).result.newSocket;
    m_names.insert(m_conn, QStringLiteral("conn"));
    QVERIFY(run(m_client, calls::sendAll("hello"), client).result.ok());
    m_recv = run(m_conn, calls::recv(1024), server);
    QCOMPARE(m_recv.payload, QByteArray("hello"));
    m_extra = run({}, calls::socket(), client).result.newSocket;
    m_names.insert(m_extra, QStringLiteral("extra"));
    m_failedBind = run(m_extra, calls::bind(QStringLiteral("127.0.0.1"), port), client);
    QCOMPARE(m_failedBind.result.errorName(), QStringLiteral("EADDRINUSE"));
    // The trace reaches the timeline through a queued signal.
    QTRY_VERIFY(m_timeline->find(m_failedBind.seq));
}

void TestEventLog::cleanup()
{
    m_inspector.reset();
    m_log.reset();
    m_timeline.reset();
    m_selection.reset();
    m_bench.reset();
}

void TestEventLog::everyEventIsARow()
{
    QCOMPARE(m_log->model()->rowCount(), int(m_timeline->size()));
    QCOMPARE(m_log->filter()->rowCount(), int(m_timeline->size()));
    for (int row = 0; row < m_log->model()->rowCount(); ++row)
        QCOMPARE(m_log->model()->index(row, EventLogModel::Seq).data().toString(),
                 QString::number(m_timeline->at(row).seq));
    const int bindRow = m_log->model()->rowOf(m_bind.seq);
    auto cell = [&](int column) {
        return m_log->model()->index(bindRow, column).data().toString();
    };
    QCOMPARE(cell(EventLogModel::Actor), QStringLiteral("server"));
    QCOMPARE(cell(EventLogModel::Socket), QStringLiteral("server"));
    QCOMPARE(cell(EventLogModel::CallColumn), QStringLiteral("bind"));
    QCOMPARE(cell(EventLogModel::Arguments), QStringLiteral("('127.0.0.1', 0)"));
    QCOMPARE(cell(EventLogModel::Result), QStringLiteral("ok"));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d+\\.\\d{3}$"))
                .match(cell(EventLogModel::Time))
                .hasMatch());
    const int recvRow = m_log->model()->rowOf(m_recv.seq);
    QCOMPARE(m_log->model()->index(recvRow, EventLogModel::Bytes).data().toString(),
             QStringLiteral("5 B"));
    QCOMPARE(m_log->model()->index(recvRow, EventLogModel::Result).data().toString(),
             QStringLiteral("b'hello'"));
    QCOMPARE(m_log->findChild<QLabel*>(QStringLiteral("logFooter"))->text(),
             QStringLiteral("%1 events · the log keeps the newest 100,000 events")
                 .arg(m_timeline->size()));
    savePng(*m_log, QStringLiteral("eventlog"));
}

void TestEventLog::filtersBySocketActorAndKind()
{
    m_log->setKindFilter(EventLogFilter::Kind::Calls);
    m_log->setSocketFilter(m_server);
    QCOMPARE(m_log->findChild<QComboBox*>(QStringLiteral("socketFilter"))->currentText(),
             QStringLiteral("server  (#%1)").arg(m_server.value));
    QCOMPARE(column(*m_log, EventLogModel::CallColumn),
             (QStringList{"socket", "bind", "listen", "getsockname", "accept"}));
    // A connection's socket begins with the accept() that made it.
    m_log->setSocketFilter(m_conn);
    QCOMPARE(column(*m_log, EventLogModel::CallColumn), (QStringList{"accept", "recv"}));

    m_log->setSocketFilter({});
    m_log->setActorFilter(QStringLiteral("client"));
    QCOMPARE(column(*m_log, EventLogModel::CallColumn),
             (QStringList{"socket", "connect", "sendall", "socket", "bind"}));
    QCOMPARE(column(*m_log, EventLogModel::Actor).count(QStringLiteral("client")),
             m_log->filter()->rowCount());

    // Every kind shows exactly the events of that kind.
    m_log->setActorFilter({});
    const QList<std::pair<EventLogFilter::Kind, std::function<bool(const Event&)>>> kinds{
        {EventLogFilter::Kind::All, [](const Event&) { return true; }},
        {EventLogFilter::Kind::Calls,
         [](const Event& e) { return e.kind == EventKind::CallFinished; }},
        {EventLogFilter::Kind::Blocked,
         [](const Event& e) { return e.kind == EventKind::CallBlocked; }},
        {EventLogFilter::Kind::Observations,
         [](const Event& e) { return e.kind == EventKind::Observation; }},
        {EventLogFilter::Kind::Errors,
         [](const Event& e) { return e.kind == EventKind::CallFinished && !e.result.ok(); }},
    };
    for (const auto& [kind, belongs] : kinds) {
        m_log->setKindFilter(kind);
        QStringList expected;
        for (qsizetype i = 0; i < m_timeline->size(); ++i)
            if (belongs(m_timeline->at(i)))
                expected << QString::number(m_timeline->at(i).seq);
        QCOMPARE(column(*m_log, EventLogModel::Seq), expected);
    }
    m_log->setKindFilter(EventLogFilter::Kind::Errors);
    QCOMPARE(column(*m_log, EventLogModel::Seq), QStringList{QString::number(m_failedBind.seq)});
    QVERIFY(m_log->findChild<QLabel*>(QStringLiteral("logFooter"))
                ->text()
                .startsWith(QStringLiteral("1 of %1 events shown").arg(m_timeline->size())));
}

void TestEventLog::errorRowShowsTheErrnoName()
{
    const int row = m_log->model()->rowOf(m_failedBind.seq);
    const QModelIndex result = m_log->model()->index(row, EventLogModel::Result);
    QCOMPARE(result.data().toString(), QStringLiteral("EADDRINUSE"));
    QVERIFY(result.data(Qt::ToolTipRole).toString().contains(m_failedBind.result.message));
    QCOMPARE(m_log->model()->index(row, EventLogModel::Socket).data().toString(),
             QStringLiteral("extra"));
    QVERIFY(result.data(EventLogModel::ErrorRole).toBool());
}

void TestEventLog::copyPutsRowsOnTheClipboard()
{
    QApplication::clipboard()->clear();
    QTableView* table = m_log->table();
    m_log->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_log.get()));
    // The reader clicks listen(), then Ctrl+clicks bind(), then presses Ctrl+C.
    auto click = [&](quint64 seq, Qt::KeyboardModifiers modifiers) {
        const QModelIndex index =
            m_log->filter()->index(proxyRowOf(seq), EventLogModel::CallColumn);
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers,
                          table->visualRect(index).center());
    };
    click(m_listen.seq, {});
    click(m_bind.seq, Qt::ControlModifier);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 2);
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);

    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4); // header, two rows, and the final line break
    QCOMPARE(lines[0], QStringLiteral("#\ttime (ms)\tactor\tsocket\tcall\targuments\t"
                                      "result / errno\tbytes\tkernel"));
    // Rows in log order, whatever order they were selected in.
    const QStringList bind = lines[1].split(QLatin1Char('\t'));
    QCOMPARE(bind.size(), 9);
    QCOMPARE(bind[0], QString::number(m_bind.seq));
    QCOMPARE(bind.mid(2, 6),
             (QStringList{"server", "server", "bind", "('127.0.0.1', 0)", "ok", ""}));
    QCOMPARE(bind[8], describe::kernel(m_bind.kernel));
    const QStringList listen = lines[2].split(QLatin1Char('\t'));
    QCOMPARE(listen.mid(2, 6), (QStringList{"server", "server", "listen", "5", "ok", ""}));
    QCOMPARE(lines[3], QString());

    // The context menu's "Copy rows" does the same.
    QApplication::clipboard()->clear();
    QCOMPARE(m_log->copyAction()->text(), QStringLiteral("Copy rows"));
    QVERIFY(table->actions().contains(m_log->copyAction()));
    m_log->copyAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), lines.join(QLatin1Char('\n')));
}

void TestEventLog::selectingARowSelectsEverywhere()
{
    QCOMPARE(m_inspector->shownSeq(), quint64(0));
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorEmpty"))->isVisible());
    QTableView* table = m_log->table();
    const QModelIndex recv =
        m_log->filter()->index(proxyRowOf(m_recv.seq), EventLogModel::CallColumn);
    table->scrollTo(recv);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(recv).center());
    QCOMPARE(m_selection->seq(), m_recv.seq);

    // The inspector follows: the call, its result and the bytes in hex and text.
    QCOMPARE(m_inspector->shownSeq(), m_recv.seq);
    QVERIFY(m_inspector->payloadText().startsWith(QStringLiteral("0000  68 65 6c 6c 6f")));
    QVERIFY(m_inspector->payloadText().endsWith(QStringLiteral("hello")));
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorCall"))
                ->text()
                .contains(QStringLiteral("recv(1024)")));
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorPayloadNote"))
                ->text()
                .contains(QStringLiteral("5 bytes")));
    savePng(*m_inspector, QStringLiteral("inspector-recv"));

    // An error shows its errno name in the inspector's result.
    const QModelIndex failed =
        m_log->filter()->index(proxyRowOf(m_failedBind.seq), EventLogModel::Result);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(failed).center());
    QCOMPARE(m_selection->seq(), m_failedBind.seq);
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorResult"))
                ->text()
                .contains(QStringLiteral("EADDRINUSE")));
    savePng(*m_inspector, QStringLiteral("inspector-error"));
    savePng(*m_log, QStringLiteral("eventlog-selected"));
}

void TestEventLog::selectionFromElsewhereSelectsTheRow()
{
    QTableView* table = m_log->table();
    auto selectedSeq = [&] {
        const QModelIndex current = m_log->filter()->mapToSource(table->currentIndex());
        const Event* e = m_log->model()->eventAt(current.row());
        return e && table->selectionModel()->isRowSelected(table->currentIndex().row(), {}) ? e->seq
                                                                                            : 0;
    };
    m_selection->select(m_bind.seq);
    QCOMPARE(selectedSeq(), m_bind.seq);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(m_inspector->shownSeq(), m_bind.seq);

    // Hidden by a filter: nothing selected, and the log says why.
    m_log->setKindFilter(EventLogFilter::Kind::Errors);
    m_selection->select(m_recv.seq);
    QVERIFY(!table->selectionModel()->hasSelection());
    auto* note = m_log->findChild<QLabel*>(QStringLiteral("selectionNote"));
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("#%1 is hidden by the filters").arg(m_recv.seq)));
    // Showing everything again brings the selected row back.
    m_log->clearFilters();
    QCOMPARE(selectedSeq(), m_recv.seq);
    QVERIFY(!note->isVisible());

    m_selection->clear();
    QVERIFY(!table->selectionModel()->hasSelection());
    QCOMPARE(m_inspector->shownSeq(), quint64(0));
}

void TestEventLog::followsTheBottomUntilTheReaderScrollsUp()
{
    m_log->resize(900, 260); // fewer rows than events fit: the table scrolls
    QScrollBar* scroll = m_log->table()->verticalScrollBar();
    QTRY_VERIFY(scroll->maximum() > 0);
    QTRY_COMPARE(scroll->value(), scroll->maximum());

    const int maximum = scroll->maximum();
    scroll->setValue(0); // the reader scrolls up to read
    const Event more = run(m_conn, calls::getpeername(), QStringLiteral("server"));
    QTRY_VERIFY(m_timeline->find(more.seq));
    QTRY_VERIFY(scroll->maximum() > maximum);
    QCOMPARE(scroll->value(), 0);

    scroll->setValue(scroll->maximum()); // back at the bottom: follow again
    const Event last = run(m_conn, calls::getsockname(), QStringLiteral("server"));
    QTRY_VERIFY(m_timeline->find(last.seq));
    QTRY_COMPARE(scroll->value(), scroll->maximum());
    const QModelIndex lastRow = m_log->filter()->index(m_log->filter()->rowCount() - 1, 0);
    QVERIFY(m_log->table()->viewport()->rect().intersects(m_log->table()->visualRect(lastRow)));
}

void TestEventLog::inspectorSaysWhenOnlyASampleWasKept()
{
    // A recorded 1 MiB send of which the trace kept a 64-byte sample.
    Event sent;
    sent.seq = 7;
    sent.timeNs = 5'000'000;
    sent.startNs = 4'000'000;
    sent.socket = SocketId{2};
    sent.actor = QStringLiteral("client");
    sent.lane = LaneKind::Write;
    sent.request = calls::sendAll("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", 1);
    sent.requestedBytes = 1'048'576;
    sent.result.count = 1'048'576;
    sent.payloadSize = 1'048'576;
    sent.payload = QByteArray("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").leftJustified(64, 'x');
    m_timeline->setEvents({sent});
    QCOMPARE(m_inspector->shownSeq(), quint64(0));
    m_selection->select(7);
    QCOMPARE(m_inspector->shownSeq(), quint64(7));
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorPayloadNote"))
                ->text()
                .contains(QStringLiteral("64 of 1,048,576 bytes kept in the trace")));
    QVERIFY(m_inspector->payloadText().startsWith(QStringLiteral(
        "0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 30 0d 0a  GET / HTTP/1.0\\r\\n")));
    QCOMPARE(m_inspector->payloadText().count(QLatin1Char('\n')), 3); // four rows of 16
    savePng(*m_inspector, QStringLiteral("inspector-sample"));

    // The timeline cleared: the inspector is empty again and says how to fill it.
    m_timeline->clear();
    QCOMPARE(m_inspector->shownSeq(), quint64(0));
    QVERIFY(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorEmpty"))->isVisible());
    m_selection->clear();
    QCOMPARE(m_inspector->findChild<QLabel*>(QStringLiteral("inspectorEmpty"))->text(),
             QStringLiteral("Select an event in the ladder or the log to see it here."));
    savePng(*m_inspector, QStringLiteral("inspector-empty"));
}

void TestEventLog::modelStaysAtTheCap()
{
    Timeline timeline;
    EventSelection selection;
    EventLogView log(timeline, selection);
    EventLogModel& model = *log.model();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    auto synthetic = [](quint64 from, qsizetype count) {
        QList<Event> events;
        events.reserve(count);
        for (qsizetype i = 0; i < count; ++i) {
            Event e;
            e.seq = from + quint64(i);
            e.timeNs = qint64(e.seq) * 1000;
            e.startNs = e.timeNs;
            e.socket = SocketId{1};
            e.actor = QStringLiteral("you");
            e.request.kind = CallKind::GetSockName;
            events.append(e);
        }
        return events;
    };
    constexpr qsizetype cap = EventLogModel::kMaxRows;
    QCOMPARE(cap, Timeline::kMaxEvents);
    timeline.append(synthetic(1, cap));
    QCOMPARE(model.rowCount(), int(cap));
    timeline.append(synthetic(cap + 1, 25));
    QCOMPARE(model.rowCount(), int(cap));
    QCOMPARE(log.filter()->rowCount(), int(cap));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed[0][1].toInt(), 0);
    QCOMPARE(removed[0][2].toInt(), 24);
    // The newest are kept, the oldest 25 dropped.
    QCOMPARE(model.eventAt(0)->seq, quint64(26));
    QCOMPARE(model.eventAt(int(cap) - 1)->seq, quint64(cap + 25));
    // Times stay measured from the first event seen, so a row's time never changes.
    QCOMPARE(model.index(0, EventLogModel::Time).data().toString(), QStringLiteral("0.025"));
    QVERIFY(
        log.findChild<QLabel*>(QStringLiteral("logFooter"))
            ->text()
            .contains(QStringLiteral("showing the newest 100,000 events (25 older ones dropped)")));
}

void TestEventLog::aHiddenInspectorWaitsUntilItIsShown()
{
    // Look closer closed: selecting events costs nothing in the inspector (the bytes are not
    // dumped, the labels not laid out). Shown again, it shows the event selected last.
    auto* call = m_inspector->findChild<QLabel*>(QStringLiteral("inspectorCall"));
    auto* hex = m_inspector->findChild<HexView*>(QStringLiteral("inspectorHex"));
    QVERIFY(call && hex);
    m_selection->select(m_bind.seq);
    QVERIFY(call->text().contains(QStringLiteral("bind(")));
    m_inspector->hide();
    m_selection->select(m_recv.seq);
    QCOMPARE(m_inspector->shownSeq(), m_recv.seq);
    QVERIFY2(call->text().contains(QStringLiteral("bind(")), qPrintable(call->text()));
    QVERIFY(hex->bytes().isEmpty());
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    QVERIFY2(call->text().contains(QStringLiteral("recv(1024)")), qPrintable(call->text()));
    QCOMPARE(hex->bytes(), QByteArray("hello"));
}

QTEST_MAIN(TestEventLog)
#include "tst_eventlog.moc"
