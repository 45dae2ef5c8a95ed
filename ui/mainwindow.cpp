#include "mainwindow.h"

#include "engine/workbench.h"
#include "net/calls.h"
#include "tracemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeWidget>

namespace sockbench {

MainWindow::MainWindow(Workbench& workbench, QWidget* parent)
    : QMainWindow(parent)
    , m_workbench(workbench)
    , m_traceModel(new TraceModel(workbench.trace(), this))
    , m_sockets(new QTreeWidget(this))
    , m_traceView(new QTableView(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Socket Workbench"));

    m_sockets->setHeaderLabels(
        {tr("Socket"), tr("Actor"), tr("Family · type"), tr("State"), tr("Kernel")});
    m_sockets->setRootIsDecorated(false);
    m_sockets->setAccessibleName(tr("Sockets"));

    m_traceView->setModel(m_traceModel);
    m_traceView->verticalHeader()->hide();
    m_traceView->horizontalHeader()->setStretchLastSection(true);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->setAccessibleName(tr("Trace of every call"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_sockets);
    split->addWidget(m_traceView);
    split->setStretchFactor(1, 2);
    setCentralWidget(split);

    auto* tools = addToolBar(tr("Workbench"));
    auto* demo = tools->addAction(tr("Run a loopback exchange"));
    demo->setToolTip(tr("Create a server and a client socket on 127.0.0.1 and send a few "
                        "bytes each way, for real"));
    connect(demo, &QAction::triggered, this, &MainWindow::runLoopbackDemo);
    auto* closeAll = tools->addAction(tr("Close every socket"));
    closeAll->setToolTip(tr("close() every socket that is still open"));
    connect(closeAll, &QAction::triggered, this,
            [this] { m_workbench.closeAll(QStringLiteral("you")); });

    statusBar()->addWidget(m_status);
    connect(&workbench.trace(), &Trace::appended, this, [this] {
        refreshSockets();
        m_traceView->scrollToBottom();
    });
    refreshSockets();
    resize(1100, 700);
}

void MainWindow::refreshSockets()
{
    const auto sockets = m_workbench.sockets();
    // The kernel column shows each socket's newest snapshot from the trace.
    QHash<SocketId, KernelSnapshot> latest;
    for (int row = 0; row < m_traceModel->rowCount(); ++row)
        if (const Event* e = m_traceModel->eventAt(row); e && e->kernel.valid)
            latest.insert(e->socket, e->kernel);
    m_sockets->clear();
    for (const auto& info : sockets) {
        auto* item = new QTreeWidgetItem(m_sockets);
        item->setText(
            0, info.acceptedFrom.isValid()
                   ? tr("#%1 (accepted by #%2)").arg(info.id.value).arg(info.acceptedFrom.value)
                   : QStringLiteral("#%1").arg(info.id.value));
        item->setText(1, info.actor);
        item->setText(2,
                      familyName(info.family) + QStringLiteral(" · ") + socketTypeName(info.type));
        item->setText(3, info.open ? tr("open") : tr("closed"));
        item->setText(4, describeKernel(latest.value(info.id)));
    }
    for (int c = 0; c < m_sockets->columnCount(); ++c)
        m_sockets->resizeColumnToContents(c);
    m_status->setText(tr("%n socket(s), %1 events in the trace", nullptr, int(sockets.size()))
                          .arg(m_workbench.trace().lastSeq()));
}

void MainWindow::runLoopbackDemo()
{
    // Each step is submitted when the one it depends on has finished; nothing here waits.
    auto& bench = m_workbench;
    const QString server = QStringLiteral("server");
    const QString client = QStringLiteral("client");
    const SocketId listener =
        bench.createSocket(AddressFamily::Inet4, SocketType::Stream, server).socket;
    bench.submit(listener, calls::bind(QStringLiteral("127.0.0.1"), 0), server);
    bench.submit(listener, calls::listen(1), server);
    bench.submit(listener, calls::accept(), server, [&bench, server](const Event& accepted) {
        if (accepted.result.ok())
            bench.submit(accepted.result.newSocket, calls::recv(1024), server);
    });
    bench.submit(listener, calls::getsockname(), server, [&bench, client](const Event& local) {
        const SocketId c =
            bench.createSocket(AddressFamily::Inet4, SocketType::Stream, client).socket;
        bench.submit(c, calls::connect(QStringLiteral("127.0.0.1"), local.result.address.port()),
                     client);
        bench.submit(c, calls::sendAll("hello"), client);
    });
}

} // namespace sockbench
