#include "servecommand.h"

#include "streams.h"

#include "engine/workbench.h"
#include "services/peer.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

namespace sockbench::cli {

namespace {

// Nobody reads the trace of a headless server, yet every call is in it (the trace is the
// truth): it keeps a short history, the newest 10,000 events - about the last 1,000
// connections of course-web, under 10 MB - instead of the window's 250,000. With closed
// connections forgotten, memory stays flat however long the server runs.
constexpr Trace::Limits kServeHistory{10'000, 4 * 1024 * 1024};

int refuse(const QString& sentence)
{
    err() << "sockbench serve: " << sentence << '\n';
    err().flush();
    return 2;
}

// SIGINT and SIGTERM reach the event loop through a pipe: the handler only writes a byte
// (async-signal-safe), and a QSocketNotifier on the other end wakes the loop.
int g_signalPipe[2] = {-1, -1};
volatile sig_atomic_t g_signalNumber = 0;

extern "C" void onStopSignal(int number)
{
    const int saved = errno;
    g_signalNumber = number;
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}

bool catchStopSignals()
{
    if (g_signalPipe[0] < 0 && ::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    // A reader that went away must not kill the server through its stdout.
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0 &&
           ::sigaction(SIGPIPE, &ignore, nullptr) == 0;
}

int listPeers()
{
    for (const services::PeerKind& kind : services::peerKinds())
        out() << QStringLiteral("%1  %2  %3")
                     .arg(kind.name, -17)
                     .arg(kind.type == SocketType::Stream ? QStringLiteral("TCP")
                                                          : QStringLiteral("UDP"))
                     .arg(kind.summary)
              << '\n';
    out().flush();
    return 0;
}

bool isEveryInterface(const QString& host)
{
    if (host.isEmpty())
        return true;
    const auto literal = Endpoint::parseLiteral(host, 0, AddressFamily::Unspecified);
    return literal && literal->isAny();
}

// A numeric address, or something shaped like a host name (resolved when it is bound).
// Anything else is refused here, without asking a name server about it.
bool plausibleHost(const QString& host)
{
    if (host.isEmpty() || Endpoint::parseLiteral(host, 0, AddressFamily::Unspecified))
        return true;
    static const QRegularExpression name(
        QStringLiteral("^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$"));
    return name.match(host).hasMatch();
}

} // namespace

QString serveUsage()
{
    return QStringLiteral(
        "  sockbench serve NAME [--host H] [--port P] [--timeout SECONDS]\n"
        "                                  run a built-in peer headless: it listens on\n"
        "                                  127.0.0.1 unless --host says otherwise (port 0,\n"
        "                                  the default, picks a free port), prints\n"
        "                                  \"listening on HOST:PORT\" first and a line per\n"
        "                                  connection, and stops on Ctrl+C or SIGTERM.\n"
        "                                  course-web waits --timeout seconds (10) for a\n"
        "                                  request before it closes the connection\n"
        "  sockbench serve --list          list the built-in peers\n");
}

int serve(const QStringList& arguments)
{
    QString name;
    QString host = QStringLiteral("127.0.0.1");
    QString portText = QStringLiteral("0");
    QString timeoutText;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments[i];
        auto value = [&](QString* into) {
            if (i + 1 >= arguments.size())
                return false;
            *into = arguments[++i];
            return true;
        };
        if (argument == QLatin1String("--list")) {
            return listPeers();
        } else if (argument == QLatin1String("--host")) {
            if (!value(&host))
                return refuse(QStringLiteral("--host needs an address, such as 127.0.0.1."));
        } else if (argument == QLatin1String("--port")) {
            if (!value(&portText))
                return refuse(QStringLiteral("--port needs a number (0 picks a free port)."));
        } else if (argument == QLatin1String("--timeout")) {
            if (!value(&timeoutText))
                return refuse(QStringLiteral("--timeout needs a number of seconds."));
        } else if (argument.startsWith(QLatin1Char('-'))) {
            return refuse(
                QStringLiteral("unknown option %1 (sockbench --help lists them).").arg(argument));
        } else if (name.isEmpty()) {
            name = argument;
        } else {
            return refuse(
                QStringLiteral("one peer at a time (got %1 and %2).").arg(name, argument));
        }
    }
    if (name.isEmpty())
        return refuse(QStringLiteral("which peer? (sockbench serve --list lists them)"));
    if (!services::findPeerKind(name))
        return refuse(
            QStringLiteral("there is no built-in peer called %1 (sockbench serve --list lists "
                           "them).")
                .arg(name));
    bool ok = false;
    const int port = portText.toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return refuse(QStringLiteral("--port wants a number from 0 to 65535 (0 picks a free "
                                     "port), not \"%1\".")
                          .arg(portText));
    if (!plausibleHost(host))
        return refuse(QStringLiteral("\"%1\" is not an IP address or a host name.").arg(host));
    services::PeerOptions options;
    options.host = host;
    options.port = static_cast<quint16>(port);
    options.forgetClosed = true; // a server may run for days: see kServeHistory
    if (!timeoutText.isEmpty()) {
        const double seconds = timeoutText.toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 3600)
            return refuse(QStringLiteral("--timeout wants a number of seconds above 0, up to "
                                         "3600, not \"%1\".")
                              .arg(timeoutText));
        options.requestTimeout = std::chrono::milliseconds(qint64(seconds * 1000));
    }
    if (!catchStopSignals())
        return refuse(QStringLiteral("cannot catch SIGINT and SIGTERM: %1.")
                          .arg(QString::fromLocal8Bit(std::strerror(errno))));
    if (isEveryInterface(host)) {
        err() << "sockbench serve: warning: " << name
              << " listens on every interface: any machine that can reach this one can "
                 "connect to it.\n";
        err().flush();
    }

    // glibc gives threads malloc arenas of their own, up to eight per core, and a server
    // whose every connection brings new threads (its lanes) scatters its memory across all
    // of them: measured here, resident memory crept up by 0.5 KiB a connection over the
    // first 10,000 with nothing kept, and stayed flat to the kilobyte with one arena, for
    // the same answer times. Set before the workbench starts its first thread.
    ::mallopt(M_ARENA_MAX, 1);
    int status = 0;
    Workbench workbench;
    workbench.trace().setLimits(kServeHistory);
    auto peer = services::Peer::create(name, workbench);
    QSocketNotifier signals(g_signalPipe[0], QSocketNotifier::Read);
    QTimer giveUp; // a stop that does not finish in time ends the loop anyway
    giveUp.setSingleShot(true);
    QObject::connect(&giveUp, &QTimer::timeout, &giveUp, [] { QCoreApplication::exit(); });
    QObject::connect(&signals, &QSocketNotifier::activated, &signals, [&] {
        char bytes[16];
        while (::read(g_signalPipe[0], bytes, sizeof bytes) > 0) {
        }
        if (giveUp.isActive())
            return; // already stopping
        err() << "sockbench serve: stopping (" << (g_signalNumber == SIGINT ? "SIGINT" : "SIGTERM")
              << ")\n";
        err().flush();
        giveUp.start(5000);
        peer->stop();
    });
    QObject::connect(peer.get(), &services::Peer::listening, &signals, [](const Endpoint& address) {
        out() << "listening on " << address.toString() << '\n';
        out().flush();
    });
    QObject::connect(peer.get(), &services::Peer::connectionFinished, &signals,
                     [](const QString& line) {
                         out() << line << '\n';
                         out().flush();
                     });
    QObject::connect(peer.get(), &services::Peer::startFailed, &signals,
                     [&](const QString& sentence) {
                         refuse(sentence);
                         status = 2;
                         QCoreApplication::exit();
                     });
    QObject::connect(peer.get(), &services::Peer::stopped, &signals,
                     [] { QCoreApplication::exit(); });
    peer->start(options);
    QCoreApplication::exec();

    const int served = peer->connectionsServed();
    peer.reset(); // closes whatever is still open
    if (status != 0)
        return status;
    int open = 0;
    for (const Workbench::SocketInfo& socket : workbench.sockets())
        open += socket.open ? 1 : 0;
    if (open == 0)
        err() << "sockbench serve: stopped after " << served << " connection"
              << (served == 1 ? "" : "s") << "; every socket is closed.\n";
    else
        err() << "sockbench serve: stopped after " << served << " connection"
              << (served == 1 ? "" : "s") << "; " << open
              << " socket(s) still closing, closed on exit.\n";
    err().flush();
    return 0;
}

} // namespace sockbench::cli
