// The first window: it lists the workbench's sockets and the trace, and its loopback
// exchange runs on real sockets without the window ever waiting on one.

#include "engine/workbench.h"
#include "mainwindow.h"
#include "tracemodel.h"

#include <QTableView>
#include <QTreeWidget>
#include <QtTest>

using namespace sockbench;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loopbackExchangeShowsSocketsAndTrace();
};

void TestMainWindow::loopbackExchangeShowsSocketsAndTrace()
{
    Workbench bench;
    MainWindow window(bench);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.runLoopbackDemo();

    // The server's recv() returns the client's bytes.
    auto received = [&bench] {
        for (const Event& e : bench.trace().events())
            if (e.kind == EventKind::CallFinished && e.request.kind == CallKind::Recv &&
                e.result.ok())
                return e.payload == QByteArray("hello");
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(received(), 10000);

    auto* sockets = window.findChild<QTreeWidget*>();
    QVERIFY(sockets);
    QTRY_COMPARE(sockets->topLevelItemCount(), 3); // listener, client, accepted
    auto* view = window.findChild<QTableView*>();
    QVERIFY(view);
    QTRY_VERIFY(view->model()->rowCount() >= 8);
    bool sawAcceptRow = false;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        if (view->model()->index(row, TraceModel::CallColumn).data().toString() ==
            QLatin1String("accept()"))
            sawAcceptRow = true;
    QVERIFY(sawAcceptRow);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
