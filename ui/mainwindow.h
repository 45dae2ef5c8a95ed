#pragma once

#include <QMainWindow>

class QTableView;
class QTreeWidget;
class QLabel;

namespace sockbench {

class Workbench;
class TraceModel;

// The workbench window: the sockets the workbench holds and the trace of every call.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Workbench& workbench, QWidget* parent = nullptr);

    // A first TCP exchange on loopback, started from the toolbar: server and client
    // sockets, a blocked accept() released by connect(), a few bytes each way.
    void runLoopbackDemo();

private:
    void refreshSockets();

    Workbench& m_workbench;
    TraceModel* m_traceModel;
    QTreeWidget* m_sockets;
    QTableView* m_traceView;
    QLabel* m_status;
};

} // namespace sockbench
