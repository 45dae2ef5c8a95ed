#include "pysocket.h"

#include "net/calls.h"
#include "signatures.h"

#include <arpa/inet.h>
#include <array>
#include <cmath>
#include <cstring>
#include <netdb.h>
#include <sys/socket.h>

namespace sockbench::lesson {

QList<std::optional<Value>> PyArgs::bind(const QStringList& names, int required) const
{
    // PyArg_ParseTupleAndKeywords' checks, in its order and words.
    QList<std::optional<Value>> bound(names.size());
    const auto given = positional.size() + keywords.size();
    if (given > names.size())
        throw typeError(QStringLiteral("%1() takes at most %2 argument%3 (%4 given)")
                            .arg(function)
                            .arg(names.size())
                            .arg(names.size() == 1 ? QString() : QStringLiteral("s"))
                            .arg(given),
                        pos);
    for (qsizetype i = 0; i < positional.size(); ++i)
        bound[i] = positional[i];
    for (const auto& [name, value] : keywords) {
        const auto index = names.indexOf(name);
        if (index < 0)
            throw typeError(
                QStringLiteral("'%1' is an invalid keyword argument for %2()").arg(name, function),
                pos);
        if (bound[index])
            throw typeError(QStringLiteral("argument for %1() given by name ('%2') and position "
                                           "(%3)")
                                .arg(function, name)
                                .arg(index + 1),
                            pos);
        bound[index] = value;
    }
    for (int i = 0; i < required; ++i)
        if (!bound[i])
            throw typeError(QStringLiteral("%1() missing required argument '%2' (pos %3)")
                                .arg(function, names[i])
                                .arg(i + 1),
                            pos);
    return bound;
}

namespace pysocket {

namespace {

struct Constant {
    const char* name;
    qint64 value;
    const char* enumClass; // Python shows these by name inside reprs
};

constexpr Constant kConstants[] = {
    {"AF_UNSPEC", AF_UNSPEC, "AddressFamily"},
    {"AF_INET", AF_INET, "AddressFamily"},
    {"AF_INET6", AF_INET6, "AddressFamily"},
    {"AF_UNIX", AF_UNIX, "AddressFamily"},
    {"SOCK_STREAM", SOCK_STREAM, "SocketKind"},
    {"SOCK_DGRAM", SOCK_DGRAM, "SocketKind"},
    {"SOCK_RAW", SOCK_RAW, "SocketKind"},
    {"SOL_SOCKET", SOL_SOCKET, nullptr},
    {"SO_REUSEADDR", SO_REUSEADDR, nullptr},
    {"SO_REUSEPORT", SO_REUSEPORT, nullptr},
    {"SO_LINGER", SO_LINGER, nullptr},
    {"SO_RCVBUF", SO_RCVBUF, nullptr},
    {"SO_SNDBUF", SO_SNDBUF, nullptr},
    {"SO_BROADCAST", SO_BROADCAST, nullptr},
    {"SO_KEEPALIVE", SO_KEEPALIVE, nullptr},
    {"SO_ERROR", SO_ERROR, nullptr},
    {"SO_TYPE", SO_TYPE, nullptr},
    {"SO_ACCEPTCONN", SO_ACCEPTCONN, nullptr},
    {"IPPROTO_IP", IPPROTO_IP, nullptr},
    {"IPPROTO_TCP", IPPROTO_TCP, nullptr},
    {"IPPROTO_UDP", IPPROTO_UDP, nullptr},
    {"IPPROTO_IPV6", IPPROTO_IPV6, nullptr},
    {"TCP_NODELAY", 1, nullptr},
    {"SHUT_RD", SHUT_RD, nullptr},
    {"SHUT_WR", SHUT_WR, nullptr},
    {"SHUT_RDWR", SHUT_RDWR, nullptr},
    {"SOMAXCONN", 4096, nullptr},
    {"MSG_PEEK", MSG_PEEK, "MsgFlag"},
    {"MSG_DONTWAIT", MSG_DONTWAIT, "MsgFlag"},
    {"MSG_WAITALL", MSG_WAITALL, "MsgFlag"},
    {"AI_PASSIVE", AI_PASSIVE, "AddressInfo"},
    {"AI_CANONNAME", AI_CANONNAME, "AddressInfo"},
    {"AI_NUMERICHOST", AI_NUMERICHOST, "AddressInfo"},
    {"AI_NUMERICSERV", AI_NUMERICSERV, "AddressInfo"},
    {"INADDR_ANY", 0, nullptr},
    {"INADDR_LOOPBACK", 0x7f000001, nullptr},
    {"INADDR_BROADCAST", 0xffffffff, nullptr},
};

// Module functions: those marked remote go to the workbench.
constexpr const char* kFunctions[] = {
    "socket",    "getaddrinfo", "gethostbyname", "gethostbyaddr",     "gethostname",
    "inet_aton", "inet_ntoa",   "inet_pton",     "inet_ntop",         "htons",
    "ntohs",     "htonl",       "ntohl",         "getdefaulttimeout",
};

constexpr const char* kSocketMethods[] = {
    "bind",        "listen",     "accept",      "connect",     "connect_ex",  "send",
    "sendall",     "sendto",     "recv",        "recvfrom",    "recv_into",   "recvfrom_into",
    "shutdown",    "close",      "getsockname", "getpeername", "setsockopt",  "getsockopt",
    "setblocking", "settimeout", "gettimeout",  "fileno",      "getblocking",
};

// The socket module has more; these are the ones a student is likely to try.
constexpr const char* kNotInWorkbench[] = {
    "create_connection", "create_server", "socketpair",    "fromfd",      "getfqdn",
    "gethostbyname_ex",  "getservbyname", "getservbyport", "getnameinfo", "setdefaulttimeout",
};

QString name(const Value& callee)
{
    return callee.kind == Value::Kind::Method
               ? callee.text
               : callee.text.mid(callee.text.indexOf(QLatin1Char('.')) + 1);
}

qint64 toInt(const Value& v, const PyArgs& args)
{
    if (v.kind == Value::Kind::Int)
        return v.integer;
    if (v.kind == Value::Kind::Bool)
        return v.boolean ? 1 : 0;
    throw typeError(
        QStringLiteral("'%1' object cannot be interpreted as an integer").arg(v.typeName()),
        args.pos);
}

QByteArray toBytesLike(const Value& v, const PyArgs& args)
{
    if (v.isBytesLike())
        return v.toBytes();
    throw typeError(QStringLiteral("a bytes-like object is required, not '%1'").arg(v.typeName()),
                    args.pos);
}

AddressFamily familyOf(qint64 native, const PyArgs& args)
{
    if (auto family = fromNativeFamily(static_cast<int>(native));
        family && *family != AddressFamily::Unspecified)
        return *family;
    throw PyError{
        QStringLiteral("OSError"),
        QStringLiteral("the workbench speaks AF_INET, AF_INET6 and AF_UNIX, not family %1")
            .arg(native),
        args.pos, std::nullopt};
}

// Python's getsockaddrarg(): the address tuple of this family, into the call's args.
void addressInto(CallArgs& out, const Value& address, AddressFamily family, const PyArgs& args,
                 const QString& method)
{
    if (family == AddressFamily::Unix) {
        if (address.kind == Value::Kind::Str)
            out.host = address.text;
        else if (address.isBytesLike())
            out.host = QString::fromUtf8(address.toBytes());
        else
            throw typeError(
                QStringLiteral("a bytes-like object is required, not '%1'").arg(address.typeName()),
                args.pos);
        return;
    }
    const QString familyText = familyName(family);
    if (address.kind != Value::Kind::Tuple)
        throw typeError(QStringLiteral("%1(): %2 address must be tuple, not %3")
                            .arg(method, familyText, address.typeName()),
                        args.pos);
    const auto& items = address.elements();
    const bool six = family == AddressFamily::Inet6;
    if ((!six && items.size() != 2) || (six && (items.size() < 2 || items.size() > 4)))
        throw typeError(
            six ? QStringLiteral(
                      "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])")
                : QStringLiteral("AF_INET address must be a pair (host, port)"),
            args.pos);
    if (items[0].kind != Value::Kind::Str && !items[0].isBytesLike())
        throw typeError(
            QStringLiteral("str, bytes or bytearray expected, not %1").arg(items[0].typeName()),
            args.pos);
    out.host =
        items[0].kind == Value::Kind::Str ? items[0].text : QString::fromUtf8(items[0].toBytes());
    out.port = toInt(items[1], args);
    if (out.port < 0 || out.port > 65535)
        throw PyError{QStringLiteral("OverflowError"),
                      QStringLiteral("%1(): port must be 0-65535.").arg(method), args.pos,
                      std::nullopt};
    if (six && items.size() > 2)
        out.flowInfo = static_cast<quint32>(toInt(items[2], args));
    if (six && items.size() > 3)
        out.scopeId = static_cast<quint32>(toInt(items[3], args));
}

std::optional<SocketOption> optionOf(qint64 level, qint64 option)
{
    if (level == SOL_SOCKET) {
        switch (option) {
        case SO_REUSEADDR:
            return SocketOption::ReuseAddr;
        case SO_REUSEPORT:
            return SocketOption::ReusePort;
        case SO_LINGER:
            return SocketOption::Linger;
        case SO_RCVBUF:
            return SocketOption::RcvBuf;
        case SO_SNDBUF:
            return SocketOption::SndBuf;
        case SO_BROADCAST:
            return SocketOption::Broadcast;
        case SO_KEEPALIVE:
            return SocketOption::KeepAlive;
        case SO_ERROR:
            return SocketOption::Error;
        case SO_TYPE:
            return SocketOption::Type;
        case SO_ACCEPTCONN:
            return SocketOption::AcceptConn;
        default:
            return std::nullopt;
        }
    }
    if (level == IPPROTO_TCP && option == 1)
        return SocketOption::TcpNoDelay;
    return std::nullopt;
}

Value none(const Event&)
{
    return Value::none();
}

SocketRef& self(const Value& callee)
{
    return *callee.self->socket;
}

PreparedCall onSocket(const Value& callee, Call call, std::function<Value(const Event&)> toValue)
{
    return PreparedCall{self(callee).id, std::move(call), std::move(toValue)};
}

PreparedCall prepareSocketMethod(const Value& callee, const PyArgs& args)
{
    const QString method = callee.text;
    const std::shared_ptr<SocketRef> ref = callee.self->socket;
    const AddressFamily family = ref->family;
    auto addressCall = [&](CallKind kind, const Value& address) {
        Call call;
        call.kind = kind;
        addressInto(call.args, address, family, args, method);
        return call;
    };
    auto address = [family](const Event& e) { return addressValue(e.result.address, family); };

    if (method == QLatin1String("bind") || method == QLatin1String("connect")) {
        const auto a = args.bind({QStringLiteral("address")}, 1);
        return onSocket(
            callee,
            addressCall(method == QLatin1String("bind") ? CallKind::Bind : CallKind::Connect,
                        *a[0]),
            none);
    }
    if (method == QLatin1String("connect_ex")) {
        const auto a = args.bind({QStringLiteral("address")}, 1);
        return onSocket(callee, addressCall(CallKind::ConnectEx, *a[0]),
                        [](const Event& e) { return Value::fromInt(e.result.count); });
    }
    if (method == QLatin1String("listen")) {
        const auto a = args.bind({QStringLiteral("backlog")}, 0);
        return onSocket(callee,
                        calls::listen(a[0]
                                          ? std::optional<int>(static_cast<int>(toInt(*a[0], args)))
                                          : std::nullopt),
                        none);
    }
    if (method == QLatin1String("accept")) {
        args.bind({}, 0);
        return onSocket(callee, calls::accept(), [ref, family](const Event& e) {
            SocketRef accepted;
            accepted.id = e.result.newSocket;
            accepted.family = ref->family;
            accepted.type = ref->type;
            accepted.proto = ref->proto;
            accepted.fd = e.result.count;
            return Value::tuple(
                {Value::fromSocket(accepted), addressValue(e.result.address, family)});
        });
    }
    if (method == QLatin1String("send") || method == QLatin1String("sendall")) {
        const auto a = args.bind({QStringLiteral("data"), QStringLiteral("flags")}, 1);
        const Value& data = *a[0];
        Call call = method == QLatin1String("send") ? calls::send({}) : calls::sendAll({});
        if (data.kind == Value::Kind::Bytes) {
            call.args.payload = data.bytes;
            call.args.repeat = data.repeat; // b'x' * n stays unbuilt all the way to the kernel
        } else {
            call.args.payload = toBytesLike(data, args);
        }
        if (a[1])
            call.args.flags = static_cast<int>(toInt(*a[1], args));
        if (method == QLatin1String("send"))
            return onSocket(callee, call,
                            [](const Event& e) { return Value::fromInt(e.result.count); });
        return onSocket(callee, call, none);
    }
    if (method == QLatin1String("sendto")) {
        // sendto(data, address) or sendto(data, flags, address)
        if (args.positional.size() < 2 || args.positional.size() > 3 || !args.keywords.isEmpty())
            throw typeError(QStringLiteral("sendto() takes 2 or 3 arguments (%1 given)")
                                .arg(args.positional.size() + args.keywords.size()),
                            args.pos);
        Call call = addressCall(CallKind::SendTo, args.positional.last());
        call.args.payload = toBytesLike(args.positional[0], args);
        if (args.positional.size() == 3)
            call.args.flags = static_cast<int>(toInt(args.positional[1], args));
        return onSocket(callee, call,
                        [](const Event& e) { return Value::fromInt(e.result.count); });
    }
    if (method == QLatin1String("recv") || method == QLatin1String("recvfrom")) {
        const auto a = args.bind({QStringLiteral("bufsize"), QStringLiteral("flags")}, 1);
        const bool from = method == QLatin1String("recvfrom");
        Call call = from ? calls::recvFrom(toInt(*a[0], args)) : calls::recv(toInt(*a[0], args));
        if (a[1])
            call.args.flags = static_cast<int>(toInt(*a[1], args));
        if (!from)
            return onSocket(callee, call,
                            [](const Event& e) { return Value::fromBytes(e.result.data); });
        return onSocket(callee, call, [address](const Event& e) {
            return Value::tuple({Value::fromBytes(e.result.data), address(e)});
        });
    }
    if (method == QLatin1String("recv_into") || method == QLatin1String("recvfrom_into")) {
        const auto a = args.bind(
            {QStringLiteral("buffer"), QStringLiteral("nbytes"), QStringLiteral("flags")}, 1);
        const Value buffer = *a[0];
        if (buffer.kind != Value::Kind::ByteArray)
            throw typeError(
                QStringLiteral("%1() argument 1 must be read-write bytes-like object, not %2")
                    .arg(method, buffer.typeName()),
                args.pos);
        const bool from = method == QLatin1String("recvfrom_into");
        const qint64 nbytes = a[1] ? toInt(*a[1], args) : 0;
        // Python refuses these before the kernel sees them.
        if (nbytes < 0)
            throw valueError(QStringLiteral("negative buffersize in %1").arg(method), args.pos);
        if (nbytes > buffer.array->size())
            throw valueError(QStringLiteral("buffer too small for requested bytes"), args.pos);
        Call call = from ? calls::recvFromInto(buffer.array->size(), nbytes)
                         : calls::recvInto(buffer.array->size(), nbytes);
        if (a[2])
            call.args.flags = static_cast<int>(toInt(*a[2], args));
        const auto target = buffer.array;
        return onSocket(callee, call, [target, from, address](const Event& e) {
            // The bytes land in the very bytearray the program passed.
            std::memcpy(target->data(), e.result.data.constData(),
                        static_cast<size_t>(std::min(e.result.data.size(), target->size())));
            const Value count = Value::fromInt(e.result.count);
            return from ? Value::tuple({count, address(e)}) : count;
        });
    }
    if (method == QLatin1String("shutdown")) {
        const auto a = args.bind({QStringLiteral("how")}, 1);
        return onSocket(callee, calls::shutdown(static_cast<int>(toInt(*a[0], args))), none);
    }
    if (method == QLatin1String("close")) {
        args.bind({}, 0);
        return onSocket(callee, calls::close(), [ref](const Event&) {
            ref->fd = -1;
            return Value::none();
        });
    }
    if (method == QLatin1String("getsockname") || method == QLatin1String("getpeername")) {
        args.bind({}, 0);
        return onSocket(callee,
                        method == QLatin1String("getsockname") ? calls::getsockname()
                                                               : calls::getpeername(),
                        address);
    }
    if (method == QLatin1String("setsockopt") || method == QLatin1String("getsockopt")) {
        const bool set = method == QLatin1String("setsockopt");
        const auto a = args.bind({QStringLiteral("level"), QStringLiteral("optname"),
                                  set ? QStringLiteral("value") : QStringLiteral("buflen")},
                                 set ? 3 : 2);
        const qint64 level = toInt(*a[0], args);
        const qint64 optname = toInt(*a[1], args);
        const auto option = optionOf(level, optname);
        if (!option)
            throw PyError{
                QStringLiteral("OSError"),
                QStringLiteral("option (%1, %2) is not one the workbench knows: use SO_REUSEADDR, "
                               "SO_REUSEPORT, SO_LINGER, SO_RCVBUF, SO_SNDBUF, SO_BROADCAST, "
                               "SO_KEEPALIVE or TCP_NODELAY")
                    .arg(level)
                    .arg(optname),
                args.pos, std::nullopt};
        if (set) {
            const Value& v = *a[2];
            if (v.isBytesLike()) {
                // struct.pack('ii', onoff, seconds) for SO_LINGER
                const QByteArray raw = v.toBytes();
                if (raw.size() != 8)
                    throw PyError{QStringLiteral("OSError"),
                                  QStringLiteral("[Errno 22] Invalid argument"), args.pos,
                                  std::nullopt};
                qint32 parts[2] = {};
                std::memcpy(parts, raw.constData(), 8);
                return onSocket(callee, calls::setsockopt(*option, parts[0], parts[1]), none);
            }
            return onSocket(callee, calls::setsockopt(*option, toInt(v, args)), none);
        }
        // buflen 0 (or none) asks for an int; 1..1024 for the raw bytes the kernel gives
        // back, at most buflen of them: struct linger for SO_LINGER, an int otherwise.
        const qint64 buflen = a[2] ? toInt(*a[2], args) : 0;
        if (buflen < 0 || buflen > 1024)
            throw PyError{QStringLiteral("OSError"),
                          QStringLiteral("getsockopt buflen out of range"), args.pos, std::nullopt};
        const bool linger = *option == SocketOption::Linger;
        return onSocket(callee, calls::getsockopt(*option), [buflen, linger](const Event& e) {
            if (buflen == 0)
                return Value::fromInt(e.result.count);
            qint32 parts[2] = {static_cast<qint32>(e.result.count),
                               static_cast<qint32>(e.result.lingerSeconds)};
            return Value::fromBytes(QByteArray(reinterpret_cast<const char*>(parts),
                                               std::min<qint64>(buflen, linger ? 8 : 4)));
        });
    }
    if (method == QLatin1String("setblocking")) {
        const auto a = args.bind({QStringLiteral("flag")}, 1);
        const bool blocking = a[0]->truthy();
        return onSocket(callee, calls::setblocking(blocking), [ref, blocking](const Event& e) {
            if (e.result.ok())
                ref->timeout = blocking ? std::nullopt : std::optional<double>(0.0);
            return Value::none();
        });
    }
    if (method == QLatin1String("settimeout")) {
        const auto a = args.bind({QStringLiteral("value")}, 1);
        std::optional<double> timeout;
        if (!a[0]->isNone()) {
            if (a[0]->kind == Value::Kind::Float)
                timeout = a[0]->real;
            else
                timeout = double(toInt(*a[0], args));
            if (std::isnan(*timeout))
                throw valueError(QStringLiteral("Invalid value NaN (not a number)"), args.pos);
            if (*timeout < 0)
                throw valueError(QStringLiteral("Timeout value out of range"), args.pos);
        }
        return onSocket(callee, calls::settimeout(timeout), [ref, timeout](const Event& e) {
            if (e.result.ok())
                ref->timeout = timeout;
            return Value::none();
        });
    }
    throw PyError{QStringLiteral("AttributeError"),
                  QStringLiteral("'socket' object has no attribute '%1'").arg(method), args.pos,
                  std::nullopt};
}

QString serviceText(const Value& port, const PyArgs& args)
{
    if (port.isNone())
        return {};
    if (port.kind == Value::Kind::Int)
        return QString::number(port.integer);
    if (port.kind == Value::Kind::Str)
        return port.text;
    if (port.isBytesLike())
        return QString::fromUtf8(port.toBytes());
    throw PyError{QStringLiteral("OSError"), QStringLiteral("Int or String expected"), args.pos,
                  std::nullopt};
}

Value enumFor(const char* enumClass, qint64 value)
{
    for (const auto& c : kConstants)
        if (c.enumClass && std::strcmp(c.enumClass, enumClass) == 0 && c.value == value)
            return Value::fromEnum(value, QString::fromLatin1(c.enumClass),
                                   QString::fromLatin1(c.name));
    return Value::fromInt(value);
}

PreparedCall prepareModuleFunction(const QString& function, const PyArgs& args)
{
    if (function == QLatin1String("socket")) {
        const auto a = args.bind({QStringLiteral("family"), QStringLiteral("type"),
                                  QStringLiteral("proto"), QStringLiteral("fileno")},
                                 0);
        if (a[3] && !a[3]->isNone())
            throw PyError{QStringLiteral("OSError"),
                          QStringLiteral("socket(fileno=...) is not part of the workbench"),
                          args.pos, std::nullopt};
        const AddressFamily family = familyOf(a[0] ? toInt(*a[0], args) : AF_INET, args);
        const qint64 type = a[1] ? toInt(*a[1], args) : qint64(SOCK_STREAM);
        if (type != SOCK_STREAM && type != SOCK_DGRAM)
            throw PyError{QStringLiteral("OSError"),
                          QStringLiteral(
                              "the workbench makes SOCK_STREAM and SOCK_DGRAM sockets, not type %1")
                              .arg(type),
                          args.pos, std::nullopt};
        const int proto = a[2] ? static_cast<int>(toInt(*a[2], args)) : 0;
        const SocketType socketType =
            type == SOCK_STREAM ? SocketType::Stream : SocketType::Datagram;
        return PreparedCall{{},
                            calls::socket(family, socketType, proto),
                            [family, socketType, proto](const Event& e) {
                                SocketRef ref;
                                ref.id = e.result.newSocket;
                                ref.family = family;
                                ref.type = socketType;
                                ref.proto = proto;
                                ref.fd = e.result.count;
                                return Value::fromSocket(ref);
                            }};
    }
    if (function == QLatin1String("getaddrinfo")) {
        const auto a =
            args.bind({QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("family"),
                       QStringLiteral("type"), QStringLiteral("proto"), QStringLiteral("flags")},
                      2);
        QString host;
        if (!a[0]->isNone()) {
            if (a[0]->kind == Value::Kind::Str)
                host = a[0]->text;
            else if (a[0]->isBytesLike())
                host = QString::fromUtf8(a[0]->toBytes());
            else
                throw typeError(QStringLiteral("getaddrinfo() argument 1 must be string or None"),
                                args.pos);
            if (host.isNull())
                host = QLatin1String("");
        }
        const qint64 family = a[2] ? toInt(*a[2], args) : 0;
        Call call =
            calls::getaddrinfo(host, serviceText(*a[1], args),
                               family == 0 ? AddressFamily::Unspecified : familyOf(family, args),
                               a[3] ? static_cast<int>(toInt(*a[3], args)) : 0,
                               a[4] ? static_cast<int>(toInt(*a[4], args)) : 0,
                               a[5] ? static_cast<int>(toInt(*a[5], args)) : 0);
        return PreparedCall{
            {}, call, [](const Event& e) {
                ValueList entries;
                for (const AddrInfoEntry& entry : e.result.addrInfo) {
                    const auto entryFamily =
                        fromNativeFamily(entry.family).value_or(AddressFamily::Inet4);
                    entries << Value::tuple({enumFor("AddressFamily", entry.family),
                                             enumFor("SocketKind", entry.socketType),
                                             Value::fromInt(entry.protocol),
                                             Value::fromStr(entry.canonicalName),
                                             addressValue(entry.address, entryFamily)});
                }
                return Value::list(entries);
            }};
    }
    if (function == QLatin1String("gethostbyname") || function == QLatin1String("gethostbyaddr")) {
        const bool byName = function == QLatin1String("gethostbyname");
        const auto a =
            args.bind({byName ? QStringLiteral("hostname") : QStringLiteral("ip_address")}, 1);
        if (a[0]->kind != Value::Kind::Str)
            throw typeError(QStringLiteral("%1() argument 1 must be str, not %2")
                                .arg(function, a[0]->typeName()),
                            args.pos);
        if (byName)
            return PreparedCall{{}, calls::gethostbyname(a[0]->text), [](const Event& e) {
                                    return Value::fromStr(e.result.text);
                                }};
        return PreparedCall{{}, calls::gethostbyaddr(a[0]->text), [](const Event& e) {
                                ValueList aliases, addresses;
                                for (const QString& alias : e.result.hostEntry.aliases)
                                    aliases << Value::fromStr(alias);
                                for (const QString& address : e.result.hostEntry.addresses)
                                    addresses << Value::fromStr(address);
                                return Value::tuple({Value::fromStr(e.result.hostEntry.name),
                                                     Value::list(aliases), Value::list(addresses)});
                            }};
    }
    if (function == QLatin1String("gethostname")) {
        args.bind({}, 0);
        return PreparedCall{
            {}, calls::gethostname(), [](const Event& e) { return Value::fromStr(e.result.text); }};
    }
    throw PyError{QStringLiteral("AttributeError"),
                  QStringLiteral("module 'socket' has no attribute '%1'").arg(function), args.pos,
                  std::nullopt};
}

Value localFunction(const QString& function, const PyArgs& args)
{
    auto oserror = [&args](const QString& message) {
        return PyError{QStringLiteral("OSError"), message, args.pos, std::nullopt};
    };
    if (function == QLatin1String("inet_aton")) {
        const auto a = args.bind({QStringLiteral("ip_string")}, 1);
        if (a[0]->kind != Value::Kind::Str)
            throw typeError(
                QStringLiteral("inet_aton() argument 1 must be str, not %1").arg(a[0]->typeName()),
                args.pos);
        in_addr address{};
        if (::inet_aton(a[0]->text.toLatin1().constData(), &address) == 0)
            throw oserror(QStringLiteral("illegal IP address string passed to inet_aton"));
        return Value::fromBytes(QByteArray(reinterpret_cast<const char*>(&address), 4));
    }
    if (function == QLatin1String("inet_ntoa")) {
        const auto a = args.bind({QStringLiteral("packed_ip")}, 1);
        const QByteArray raw = toBytesLike(*a[0], args);
        if (raw.size() != 4)
            throw oserror(QStringLiteral("packed IP wrong length for inet_ntoa"));
        in_addr address{};
        std::memcpy(&address, raw.constData(), 4);
        return Value::fromStr(QString::fromLatin1(::inet_ntoa(address)));
    }
    if (function == QLatin1String("inet_pton") || function == QLatin1String("inet_ntop")) {
        const auto a =
            args.bind({QStringLiteral("address_family"), QStringLiteral("ip_string")}, 2);
        const int family = static_cast<int>(toInt(*a[0], args));
        if (family != AF_INET && family != AF_INET6)
            throw oserror(QStringLiteral("[Errno 97] Address family not supported by protocol"));
        const int size = family == AF_INET ? 4 : 16;
        if (function == QLatin1String("inet_pton")) {
            if (a[1]->kind != Value::Kind::Str)
                throw typeError(QStringLiteral("inet_pton() argument 2 must be str, not %1")
                                    .arg(a[1]->typeName()),
                                args.pos);
            std::array<char, 16> out{};
            if (::inet_pton(family, a[1]->text.toLatin1().constData(), out.data()) != 1)
                throw oserror(QStringLiteral("illegal IP address string passed to inet_pton"));
            return Value::fromBytes(QByteArray(out.data(), size));
        }
        const QByteArray raw = toBytesLike(*a[1], args);
        if (raw.size() != size)
            throw valueError(QStringLiteral("invalid length of packed IP address string"),
                             args.pos);
        char text[INET6_ADDRSTRLEN] = {};
        ::inet_ntop(family, raw.constData(), text, sizeof text);
        return Value::fromStr(QString::fromLatin1(text));
    }
    if (function == QLatin1String("htons") || function == QLatin1String("ntohs") ||
        function == QLatin1String("htonl") || function == QLatin1String("ntohl")) {
        const auto a = args.bind({QStringLiteral("x")}, 1);
        const qint64 x = toInt(*a[0], args);
        const bool shortForm = function.endsWith(QLatin1Char('s'));
        // CPython words the two sizes differently.
        const auto overflow = [&](const QString& message) {
            return PyError{QStringLiteral("OverflowError"), message, args.pos, std::nullopt};
        };
        if (shortForm && x < 0)
            throw overflow(QStringLiteral("%1: can't convert negative Python int to C 16-bit "
                                          "unsigned integer")
                               .arg(function));
        if (shortForm && x > 0xffff)
            throw overflow(
                QStringLiteral("%1: Python int too large to convert to C 16-bit unsigned integer")
                    .arg(function));
        if (!shortForm && x < 0)
            throw overflow(QStringLiteral("can't convert negative value to unsigned int"));
        if (!shortForm && x > 0xffffffffLL)
            throw overflow(QStringLiteral("int larger than 32 bits"));
        return Value::fromInt(shortForm ? qint64(htons(static_cast<uint16_t>(x)))
                                        : qint64(htonl(static_cast<uint32_t>(x))));
    }
    if (function == QLatin1String("getdefaulttimeout")) {
        args.bind({}, 0);
        return Value::none();
    }
    throw PyError{QStringLiteral("AttributeError"),
                  QStringLiteral("module 'socket' has no attribute '%1'").arg(function), args.pos,
                  std::nullopt};
}

bool isRemoteFunction(const QString& function)
{
    return function == QLatin1String("socket") || function == QLatin1String("getaddrinfo") ||
           function == QLatin1String("gethostbyname") ||
           function == QLatin1String("gethostbyaddr") || function == QLatin1String("gethostname");
}

} // namespace

std::optional<Value> moduleAttribute(const QString& attribute)
{
    for (const auto& c : kConstants)
        if (attribute == QLatin1String(c.name))
            return c.enumClass
                       ? Value::fromEnum(c.value, QString::fromLatin1(c.enumClass), attribute)
                       : Value::fromInt(c.value);
    for (const char* function : kFunctions)
        if (attribute == QLatin1String(function))
            return Value::builtin(QStringLiteral("socket.") + attribute);
    if (attribute == QLatin1String("has_ipv6"))
        return Value::fromBool(true);
    for (const char* missing : kNotInWorkbench)
        if (attribute == QLatin1String(missing))
            throw PyError{QStringLiteral("NotImplementedError"),
                          QStringLiteral("socket.%1() is not part of the workbench: build it from "
                                         "socket(), bind(), connect() and friends")
                              .arg(attribute),
                          {},
                          std::nullopt};
    return std::nullopt;
}

QStringList exportedNames()
{
    QStringList names;
    for (const auto& c : kConstants)
        names << QString::fromLatin1(c.name);
    for (const char* function : kFunctions)
        names << QString::fromLatin1(function);
    names << QStringLiteral("has_ipv6");
    return names;
}

bool hasSocketMethod(const QString& method)
{
    for (const char* m : kSocketMethods)
        if (method == QLatin1String(m))
            return true;
    return false;
}

std::optional<PreparedCall> prepare(const Value& callee, const PyArgs& args)
{
    if (callee.kind == Value::Kind::Method && callee.self &&
        callee.self->kind == Value::Kind::Socket) {
        const QString method = callee.text;
        signatures::checkMethod(method, args);
        if (method == QLatin1String("gettimeout") || method == QLatin1String("fileno") ||
            method == QLatin1String("getblocking"))
            return std::nullopt;
        return prepareSocketMethod(callee, args);
    }
    if (callee.kind == Value::Kind::Builtin && callee.text.startsWith(QLatin1String("socket."))) {
        const QString function = name(callee);
        signatures::checkFunction(function, args);
        if (isRemoteFunction(function))
            return prepareModuleFunction(function, args);
    }
    return std::nullopt;
}

std::optional<Value> callLocal(const Value& callee, const PyArgs& args)
{
    if (callee.kind == Value::Kind::Method && callee.self &&
        callee.self->kind == Value::Kind::Socket) {
        const SocketRef& ref = self(callee);
        args.bind({}, 0);
        if (callee.text == QLatin1String("gettimeout"))
            return ref.timeout ? Value::fromFloat(*ref.timeout) : Value::none();
        if (callee.text == QLatin1String("getblocking"))
            return Value::fromBool(!ref.timeout || *ref.timeout > 0);
        if (callee.text == QLatin1String("fileno"))
            return Value::fromInt(ref.fd);
        return std::nullopt;
    }
    if (callee.kind == Value::Kind::Builtin && callee.text.startsWith(QLatin1String("socket.")) &&
        !isRemoteFunction(name(callee)))
        return localFunction(name(callee), args);
    return std::nullopt;
}

} // namespace pysocket
} // namespace sockbench::lesson
