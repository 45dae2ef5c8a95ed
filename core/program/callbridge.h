#pragma once
// TEMPORARY interface (the bridge branch brings the real one).
#include "backendprocess.h"
#include "engine/workbench.h"
#include <QObject>
#include <functional>
namespace sockbench::program {
class CallBridge : public QObject {
    Q_OBJECT
public:
    CallBridge(Workbench& workbench, BackendProcess& process,
               std::function<QString(qint64)> actorOf, QObject* parent = nullptr)
        : QObject(parent)
        , m_workbench(workbench)
        , m_process(process)
        , m_actorOf(std::move(actorOf))
    {
    }
    bool handle(Channel::Frame&) { return false; }
    QString nameOf(SocketId) const { return {}; }
Q_SIGNALS:
    void callStarted(qint64 tid, sockbench::CallId call, const QString& text);
    void callEnded(qint64 tid, sockbench::CallId call);

private:
    Workbench& m_workbench;
    BackendProcess& m_process;
    std::function<QString(qint64)> m_actorOf;
};
} // namespace sockbench::program
