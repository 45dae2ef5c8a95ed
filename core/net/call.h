#pragma once

#include "endpoint.h"
#include "errnocatalog.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace sockbench {

// Every call the course teaches. Names follow Python's socket module.
enum class CallKind : quint8 {
    Socket,
    SetSockOpt,
    GetSockOpt,
    Bind,
    Listen,
    Accept,
    Connect,
    ConnectEx,
    Send,
    SendAll,
    SendTo,
    Recv,
    RecvFrom,
    RecvInto,
    RecvFromInto,
    Shutdown,
    Close,
    GetSockName,
    GetPeerName,
    SetBlocking,
    SetTimeout,
    GetAddrInfo,
    GetHostByName,
    GetHostByAddr,
    GetHostName,
    SocketPair, // socket.socketpair(): two connected sockets, by default AF_UNIX
};

QString callName(CallKind kind); // Python's name: "recv_into", "getaddrinfo", ...
std::optional<CallKind> callKindFromName(const QString& name);
// Module-level calls (getaddrinfo, gethostbyname, ...) belong to no socket.
bool isModuleCall(CallKind kind);
bool isDataCall(CallKind kind); // moves payload bytes: send*, recv*

// SeqPacket: a connection (listen, accept, connect) that keeps each message whole, as a
// datagram does; Linux offers it for AF_UNIX.
enum class SocketType : quint8 { Stream, Datagram, SeqPacket };
QString socketTypeName(SocketType type); // "SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET"
// Stream and SeqPacket sockets connect (listen, accept, connect, a peer); datagrams do not.
inline bool isConnectionOriented(SocketType type)
{
    return type != SocketType::Datagram;
}
int toNativeSocketType(SocketType type); // SOCK_STREAM, ...
// A SOCK_* number as the system gives it (getaddrinfo's entries): its name, or the number.
QString nativeSocketTypeName(int type);

// The options the workbench lets you set; each knows its level.
enum class SocketOption : quint8 {
    ReuseAddr,
    ReusePort,
    Linger,
    RcvBuf,
    SndBuf,
    Broadcast,
    KeepAlive,
    Error,
    Type,
    AcceptConn,
    TcpNoDelay,
    // Any other option whose value is a C int (IPV6_V6ONLY, TCP_KEEPIDLE, IP_TTL, ...):
    // CallArgs::optionLevel and optionNumber say which, as the numbers the kernel takes.
    Integer,
};
QString optionName(SocketOption option);      // "SO_REUSEADDR", "TCP_NODELAY"
QString optionLevelName(SocketOption option); // "SOL_SOCKET", "IPPROTO_TCP"
std::optional<SocketOption> optionFromName(const QString& name);
struct CallArgs;
// The names of the option a call sets or gets: for SocketOption::Integer, the constant's
// name when it is a well-known one ("IPV6_V6ONLY", "IPPROTO_IPV6"), else its number.
QString optionName(const CallArgs& args);
QString optionLevelName(const CallArgs& args);
// The value a setsockopt() call sets, as Python writes it: 1, or b'\xef\x01\x02\x03...'.
QString optionValueText(const CallArgs& args);

// What the program asked for, as the program said it: host text is resolved on the
// worker, exactly where Python's socket module resolves it.
struct CallArgs {
    // socket()
    AddressFamily family = AddressFamily::Inet4;
    SocketType type = SocketType::Stream;
    int proto = 0;
    // bind / connect / connect_ex / sendto; getaddrinfo / gethostbyname / gethostbyaddr
    QString host;            // as given: "", "localhost", "127.0.0.1", a path for AF_UNIX
    bool hostIsNone = false; // getaddrinfo(None, ...)
    qint64 port = 0;         // checked against 0–65535 before anything is sent
    quint32 flowInfo = 0;
    quint32 scopeId = 0;
    QString service;    // getaddrinfo: a service name or number as text; empty = None
    int flags = 0;      // getaddrinfo AI_* flags; send/recv MSG_* flags
    int typeFilter = 0; // getaddrinfo: SOCK_* wanted, 0 = any (family filters likewise,
                        // with AddressFamily::Unspecified meaning any)
    // listen()
    std::optional<int> backlog; // nullopt: Python's default
    // setsockopt / getsockopt
    SocketOption option = SocketOption::ReuseAddr;
    int optionLevel = 0;      // SocketOption::Integer: the level (IPPROTO_IPV6, ...)
    int optionNumber = 0;     // SocketOption::Integer: the option (IPV6_V6ONLY, ...)
    qint64 value = 0;         // integer options; SO_LINGER: l_onoff
    qint64 lingerSeconds = 0; // SO_LINGER: l_linger
    // send / sendall / sendto: payload repeated `repeat` times (b'x' * 1000 is one byte
    // repeated 1000 times; a 1 GiB transfer never needs 1 GiB of memory).
    // setsockopt: a value that is not a C int (struct ip_mreq, struct timeval, ...), as the
    // bytes the program passed; empty when the value is `value`.
    QByteArray payload;
    qint64 repeat = 1;
    qint64 payloadLength() const { return payload.size() * std::max<qint64>(repeat, 0); }
    // recv* sizes: recv(n), recv_into(buffer, nbytes) where bufferSize is len(buffer)
    qint64 size = 0;
    qint64 bufferSize = 0;
    // shutdown()
    int how = 0;
    // socket(), socketpair(), accept(): the numbers the caller will hold the new descriptors
    // by, when it is another process (a Python program's stand-in reserves them before it
    // asks); -1: the workbench's own numbers are the caller's.
    int newFd = -1;
    int newPairedFd = -1;
    // settimeout(): nullopt = None (blocking); setblocking(flag) uses blocking
    std::optional<double> timeout;
    bool blocking = true;
};

struct Call {
    CallKind kind = CallKind::Socket;
    CallArgs args;
};

// The outcome kinds a call can have. A timeout is Python's socket.timeout, not an errno;
// Interrupted means the workbench stopped the call; Invalid is an argument the call
// never reached the kernel with (Python's ValueError/TypeError/OverflowError).
enum class Outcome : quint8 { Ok, Error, Timeout, Interrupted, Invalid };
QString outcomeName(Outcome outcome);

struct AddrInfoEntry {
    int family = 0; // AF_* value, as Python returns it
    int socketType = 0;
    int protocol = 0;
    QString canonicalName;
    Endpoint address;
};

struct HostEntry {
    QString name;
    QStringList aliases;
    QStringList addresses;
};

struct SocketId {
    quint32 value = 0;
    bool isValid() const { return value != 0; }
    friend bool operator==(SocketId a, SocketId b) { return a.value == b.value; }
    friend auto operator<=>(SocketId a, SocketId b) { return a.value <=> b.value; }
};
inline size_t qHash(SocketId id, size_t seed = 0)
{
    return ::qHash(id.value, seed);
}

struct CallId {
    quint64 value = 0;
    bool isValid() const { return value != 0; }
    friend bool operator==(CallId a, CallId b) { return a.value == b.value; }
    friend auto operator<=>(CallId a, CallId b) { return a.value <=> b.value; }
};
inline size_t qHash(CallId id, size_t seed = 0)
{
    return ::qHash(id.value, seed);
}

struct CallResult {
    Outcome outcome = Outcome::Ok;
    ErrorDomain errorDomain = ErrorDomain::Errno;
    int errorNumber = 0; // errno, EAI_* or h_errno
    QString message;     // strerror text, or the sentence explaining an Invalid argument

    // Values, by call: send*/recv_into: bytes; connect_ex: its errno (0 = connected);
    // getsockopt: the option's value; setblocking/settimeout: unused.
    qint64 count = 0;
    qint64 lingerSeconds = 0; // getsockopt(SO_LINGER)
    QByteArray data;          // recv, recvfrom, recv_into, recvfrom_into: the bytes read
    Endpoint address;         // accept/recvfrom: the peer; bind/connect: where it went;
                              // getsockname/getpeername: the answer
    SocketId newSocket;       // socket(), socketpair() and accept(): the workbench's id for it
    SocketId pairedSocket;    // socketpair(): the second socket
    // socket() and accept(): count is the new descriptor as the caller holds it;
    // socketpair(): count and pairedFd are the two ends' (sv[0], sv[1]).
    qint64 pairedFd = -1;
    Endpoint acceptedLocal; // accept(): the new socket's own address
    QList<AddrInfoEntry> addrInfo;
    HostEntry hostEntry;  // gethostbyaddr
    QString text;         // gethostname, gethostbyname
    bool partial = false; // an interrupted/timed-out sendall: count says how far it got

    bool ok() const { return outcome == Outcome::Ok; }
    QString errorName() const; // "EADDRINUSE", "timeout", "interrupted", "invalid"
    static CallResult fromErrno(int number);
    static CallResult fromError(ErrorDomain domain, int number);
    static CallResult invalid(const QString& sentence);
    static CallResult timedOut();
    static CallResult interrupted(const QString& why);
};

} // namespace sockbench

Q_DECLARE_METATYPE(sockbench::SocketId)
Q_DECLARE_METATYPE(sockbench::CallId)
