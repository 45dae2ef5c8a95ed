#include "errnoexplainer.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>

namespace sockbench::errnoexplainer {

namespace {

// resources/errno/explanations.json, compiled into the core: one object keyed by the
// name errnocatalog gives ("EADDRINUSE", "EAI_NONAME", "HOST_NOT_FOUND") or by the outcome
// name of CallResult::errorName() ("timeout", "interrupted", "invalid"); each value holds
// "meaning", "causes" and "try". The test reads the same file and checks every entry.
QHash<QString, Explanation> load()
{
    QHash<QString, Explanation> table;
    QFile file(QStringLiteral(":/errno/explanations.json"));
    if (!file.open(QIODevice::ReadOnly))
        return table;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        Explanation e{it.key(), entry.value(QLatin1String("meaning")).toString(),
                      entry.value(QLatin1String("causes")).toString(),
                      entry.value(QLatin1String("try")).toString()};
        // A half-written entry would show an empty line on screen: leave it out, so the
        // card falls back to the C library's text (the test names the broken entry).
        if (e.meaning.isEmpty() || e.causes.isEmpty() || e.tryThis.isEmpty())
            continue;
        table.insert(e.name, e);
    }
    return table;
}

const QHash<QString, Explanation>& table()
{
    // Loaded once, on first use, from whichever thread asks first (a C++ static is
    // initialised thread-safely); read-only afterwards.
    static const QHash<QString, Explanation> loaded = load();
    return loaded;
}

std::optional<Explanation> byName(const QString& name)
{
    const auto it = table().constFind(name);
    if (it == table().constEnd())
        return std::nullopt;
    return *it;
}

} // namespace

std::optional<Explanation> explain(ErrorDomain domain, int number)
{
    return byName(errnocatalog::name(domain, number));
}

std::optional<Explanation> explain(ErrorDomain domain, int number, const Situation& situation)
{
    std::optional<Explanation> e = explain(domain, number);
    if (!e || domain != ErrorDomain::Errno)
        return e;
    const CallKind call = situation.call;
    const bool sends =
        call == CallKind::Send || call == CallKind::SendAll || call == CallKind::SendTo;
    const bool receives = call == CallKind::Recv || call == CallKind::RecvFrom ||
                          call == CallKind::RecvInto || call == CallKind::RecvFromInto;
    if (situation.listening && (sends || receives)) {
        e->meaning =
            QStringLiteral("You %1 on the listening socket. A listener carries no data: it has "
                           "no peer, and only hands out new connections through accept().")
                .arg(sends ? QStringLiteral("sent") : QStringLiteral("received"));
        e->causes = QStringLiteral("Using the server's listening socket where the socket "
                                   "accept() returned was meant.");
        e->tryThis = QStringLiteral("Call accept() on the listener and %1 on the socket it "
                                    "returns (conn, addr = server.accept()).")
                         .arg(sends ? QStringLiteral("send") : QStringLiteral("receive"));
    } else if (situation.datagram && number == ECONNREFUSED) {
        e->meaning = QStringLiteral(
            "Connection refused, on a datagram socket: UDP has no connection to refuse. An "
            "earlier datagram reached a machine where no socket was bound to its port, and "
            "that machine answered with an ICMP \"port unreachable\" message. A UDP socket "
            "given a peer by connect() hears that answer: the kernel keeps it and reports it "
            "on the socket's next call.");
        e->causes = QStringLiteral("Sending to a port where nothing receives yet: the "
                                   "receiver was not started, or it is bound to another port.");
        e->tryThis = QStringLiteral("Bind the receiving socket first, and send to the port it "
                                    "is bound to (its getsockname()[1]). The socket is still "
                                    "usable: call again.");
    } else if (situation.unixPath && call == CallKind::Bind && number == EADDRINUSE) {
        e->meaning = QStringLiteral(
            "A file already exists at this path: bind() makes the socket's file there, and "
            "will not take over one that is already there, even one left behind by a socket "
            "that has since closed.");
        e->causes = QStringLiteral("An earlier bind() to the same path (this run's or a "
                                   "previous one's) whose file nobody removed.");
        e->tryThis = QStringLiteral("Remove the file first (os.unlink(path)) when nothing "
                                    "listens there any more, or use the abstract namespace: a "
                                    "name that starts with '\\0' leaves no file.");
    } else if (call == CallKind::Listen && number == EADDRINUSE) {
        e->meaning = QStringLiteral(
            "Another socket already listens on this address and port. bind() let this socket "
            "have them too (SO_REUSEADDR, on both, while neither listened), but only one "
            "socket may listen on an address and port at a time.");
        e->causes = QStringLiteral("Two sockets bound to the same address and port with "
                                   "SO_REUSEADDR, and listen() on the second.");
        e->tryThis = QStringLiteral("Listen on one of them only, or bind the other to a port "
                                    "of its own (port 0: the kernel picks a free one).");
    } else if (call == CallKind::Accept && number == EINVAL) {
        e->meaning = QStringLiteral("accept() takes connections from a listening socket, and "
                                    "this one is not listening: listen() was never called on "
                                    "it (or it was shut down).");
        e->causes = QStringLiteral("accept() before listen(), or on a client's socket.");
        e->tryThis = QStringLiteral("Call bind(), then listen(), then accept() on the same "
                                    "socket. The socket is still usable.");
    } else if (call == CallKind::Bind && number == EINVAL) {
        e->meaning = QStringLiteral("This socket already has an address: a socket is bound "
                                    "once (connect() and sendto() bind it too, to a port the "
                                    "kernel picks).");
        e->causes = QStringLiteral("bind() twice, or bind() after connect() or sendto().");
        e->tryThis = QStringLiteral("Read the address it has with getsockname(), or make a new "
                                    "socket for the other address.");
    } else if (call == CallKind::Shutdown && number == EINVAL) {
        e->meaning = QStringLiteral("shutdown() was given a direction it does not know.");
        e->causes = QStringLiteral("A how other than 0, 1 or 2.");
        e->tryThis = QStringLiteral("Pass socket.SHUT_RD, socket.SHUT_WR or socket.SHUT_RDWR.");
    } else if (call == CallKind::SendTo && number == EINVAL) {
        e->meaning = QStringLiteral("sendto() was given an address the kernel cannot send to: "
                                    "port 0, which means \"any port\" only to bind(), or an "
                                    "address of the wrong kind for this socket.");
        e->causes = QStringLiteral("A destination port of 0, or an address of another family.");
        e->tryThis = QStringLiteral("Send to the port the receiving socket is bound to (its "
                                    "getsockname()[1]).");
    }
    return e;
}

std::optional<Explanation> explain(const CallResult& result)
{
    switch (result.outcome) {
    case Outcome::Ok:
        return std::nullopt;
    case Outcome::Error:
        return explain(result.errorDomain, result.errorNumber);
    case Outcome::Timeout:
    case Outcome::Interrupted:
    case Outcome::Invalid:
        return byName(outcomeName(result.outcome));
    }
    return std::nullopt;
}

} // namespace sockbench::errnoexplainer
