#pragma once

#include "channel.h"

#include <QJsonObject>
#include <QObject>
#include <QProcess>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace sockbench::program {

// One program's backend: a python3 child process (docs/backend-protocol.md) joined to the
// workbench by a Channel. The child gets the channel as descriptor 3, dies with the
// workbench (PR_SET_PDEATHSIG), and has its address space capped (kMemoryLimit).
//
// A reader thread takes every frame the backend sends. The frame handler, if set, sees it
// first on that thread (the call bridge answers socket calls there, without a hop through
// the event loop); every frame it does not take reaches frameReceived() on the thread
// that owns this object.
class BackendProcess : public QObject {
    Q_OBJECT
public:
    // The most memory the program may map (RLIMIT_AS); past it Python raises MemoryError.
    static constexpr qint64 kMemoryLimit = qint64(2) << 30;

    explicit BackendProcess(QObject* parent = nullptr);
    ~BackendProcess() override; // kills the child and joins the reader

    // Returns true to take the frame (then frameReceived() does not see it).
    using FrameHandler = std::function<bool(Channel::Frame&)>;
    void setFrameHandler(FrameHandler handler) { m_handler = std::move(handler); }

    // Starts python3 with the backend. `load` answers the backend's hello: what to run
    // (see the protocol). false and *error (one sentence) when it cannot start.
    bool start(const QJsonObject& load, const QString& workingDirectory, QString* error);
    // Ends the child at once (SIGKILL). exited() follows.
    void kill();
    bool isRunning() const;
    qint64 pid() const;
    Channel* channel() const { return m_channel.get(); }
    bool send(const QJsonObject& message, const QByteArray& blob = {}, const QList<int>& fds = {});

Q_SIGNALS:
    void frameReceived(const QJsonObject& message, const QByteArray& blob);
    // A thread's socket call is on its way, its data (megabytes) still crossing: the
    // thread is in a call, not busy computing.
    void callArriving(qint64 tid);
    // Text the process wrote to its real stdout or stderr (not through sys.stdout):
    // interpreter crashes, faulthandler dumps, os.write(1, ...).
    void rawOutput(const QString& text, bool isError);
    // The process ended: its exit code, or the signal that killed it (signal > 0).
    void exited(int exitCode, int signal);

private:
    void readLoop();

    QProcess* m_process = nullptr; // child QObject
    std::unique_ptr<Channel> m_channel;
    std::thread m_reader;
    FrameHandler m_handler;
    QJsonObject m_load;
    std::atomic<bool> m_stopping{false};
};

} // namespace sockbench::program
