#include "backendprocess.h"

#include "interpreter.h"

#include <QCoreApplication>
#include <QPointer>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockbench::program {

namespace {
constexpr int kChildChannelFd = 3;
}

BackendProcess::BackendProcess(QObject* parent)
    : QObject(parent)
{
}

BackendProcess::~BackendProcess()
{
    m_stopping = true;
    if (m_process) {
        m_process->disconnect(this);
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    if (m_channel)
        m_channel->shutdown();
    if (m_reader.joinable())
        m_reader.join();
}

bool BackendProcess::start(const QJsonObject& load, const QString& workingDirectory, QString* error)
{
    const Interpreter& python = interpreter();
    if (!python.ok()) {
        *error = python.error;
        return false;
    }
    const QString dir = backendDirectory(error);
    if (dir.isEmpty())
        return false;

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        *error = QStringLiteral("The program cannot be started: no channel to it (%1).")
                     .arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    const int childEnd = pair[1];
    m_channel = std::make_unique<Channel>(pair[0]);
    m_load = load;

    m_process = new QProcess(this);
    m_process->setProgram(python.path);
    m_process->setArguments({QStringLiteral("-u"), dir + QStringLiteral("/boot.py")});
    if (!workingDirectory.isEmpty())
        m_process->setWorkingDirectory(workingDirectory);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("SOCKBENCH_CHANNEL_FD"), QString::number(kChildChannelFd));
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    env.remove(QStringLiteral("PYTHONSTARTUP"));
    m_process->setProcessEnvironment(env);
    const pid_t parentPid = ::getpid();
    m_process->setChildProcessModifier([childEnd, parentPid] {
        // Only async-signal-safe calls here: the child of a threaded parent.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parentPid)
            ::_exit(70);
        if (childEnd == kChildChannelFd)
            ::fcntl(childEnd, F_SETFD, 0);
        else
            ::dup2(childEnd, kChildChannelFd);
        rlimit limit{rlim_t(kMemoryLimit), rlim_t(kMemoryLimit)};
        ::setrlimit(RLIMIT_AS, &limit);
        ::setpgid(0, 0);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        Q_EMIT rawOutput(QString::fromUtf8(m_process->readAllStandardOutput()), false);
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        Q_EMIT rawOutput(QString::fromUtf8(m_process->readAllStandardError()), true);
    });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        // The reader ends when the channel does; join it before saying so, so that
        // every frame the program sent has been delivered first.
        if (m_reader.joinable())
            m_reader.join();
        QCoreApplication::sendPostedEvents(this);
        if (status == QProcess::CrashExit)
            Q_EMIT exited(-1, code > 0 ? code : SIGKILL);
        else
            Q_EMIT exited(code, 0);
    });
    m_process->start();
    ::close(childEnd);
    if (!m_process->waitForStarted(10000)) {
        *error =
            QStringLiteral("%1 cannot be started: %2.").arg(python.path, m_process->errorString());
        return false;
    }
    m_reader = std::thread([this] { readLoop(); });
    return true;
}

void BackendProcess::readLoop()
{
    QPointer<BackendProcess> self(this);
    const auto arriving = [this](const QJsonObject& message) {
        if (message.value(QStringLiteral("t")).toString() != QLatin1String("call"))
            return;
        const auto tid = qint64(message.value(QStringLiteral("tid")).toDouble());
        QMetaObject::invokeMethod(
            this, [this, tid] { Q_EMIT callArriving(tid); }, Qt::QueuedConnection);
    };
    while (auto frame = m_channel->receive(arriving)) {
        if (frame->message.value(QStringLiteral("t")).toString() == QLatin1String("hello")) {
            QJsonObject answer = m_load;
            answer.insert(QStringLiteral("t"), QStringLiteral("load"));
            answer.insert(QStringLiteral("id"), frame->message.value(QStringLiteral("id")));
            m_channel->send(answer);
        }
        if (m_handler && m_handler(*frame))
            continue;
        for (int fd : frame->fds)
            ::close(fd);
        QMetaObject::invokeMethod(
            this,
            [this, message = std::move(frame->message), blob = std::move(frame->blob)] {
                Q_EMIT frameReceived(message, blob);
            },
            Qt::QueuedConnection);
    }
}

void BackendProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        ::kill(-pid_t(m_process->processId()), SIGKILL); // its process group
        m_process->kill();
    }
}

bool BackendProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 BackendProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

bool BackendProcess::send(const QJsonObject& message, const QByteArray& blob, const QList<int>& fds)
{
    return m_channel && m_channel->send(message, blob, fds);
}

} // namespace sockbench::program
