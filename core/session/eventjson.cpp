#include "eventjson.h"

#include "engine/trace.h"

#include <QJsonArray>

#include <cmath>
#include <sys/un.h>

namespace sockbench::eventjson {

namespace {

// Reads by name what toJson wrote by name: the printed names are the file's vocabulary.
template <typename Enum, typename NameOf>
std::optional<Enum> enumFromName(const QString& name, int count, NameOf nameOf)
{
    for (int i = 0; i < count; ++i)
        if (nameOf(static_cast<Enum>(i)) == name)
            return static_cast<Enum>(i);
    return std::nullopt;
}

QString errorDomainName(ErrorDomain domain)
{
    switch (domain) {
    case ErrorDomain::Errno:
        return QStringLiteral("errno");
    case ErrorDomain::AddrInfo:
        return QStringLiteral("addrinfo");
    case ErrorDomain::HostLookup:
        return QStringLiteral("hostlookup");
    }
    return {};
}

QString bytes(const QByteArray& data)
{
    return QString::fromLatin1(data.toBase64());
}

// A small reader that remembers the first thing wrong, so each field reads in one line.
class Reader {
public:
    Reader(const QJsonObject& object, QString* why, QString where)
        : m_object(object)
        , m_why(why)
        , m_where(std::move(where))
    {
    }
    bool ok() const { return m_ok; }
    void fail(const QString& sentence)
    {
        if (m_ok && m_why)
            *m_why = m_where.isEmpty() ? sentence : m_where + QStringLiteral(": ") + sentence;
        m_ok = false;
    }
    QJsonValue value(const char* key) const { return m_object.value(QLatin1String(key)); }
    bool has(const char* key) const { return m_object.contains(QLatin1String(key)); }

    qint64 integer(const char* key, qint64 fallback = 0)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        // JSON numbers are doubles: whole numbers are exact up to 2^53, far beyond any
        // count, time or id here; past it (or not whole) the file is refused, never cast.
        constexpr double kExact = 9007199254740992.0; // 2^53
        const double d = v.toDouble(0.5);
        if (!v.isDouble() || !(d >= -kExact && d <= kExact) || d != std::trunc(d)) {
            fail(QStringLiteral("\"%1\" must be a whole number").arg(QLatin1String(key)));
            return fallback;
        }
        return static_cast<qint64>(d);
    }
    QString text(const char* key, qsizetype maxCharacters = limits::kMaxText)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return {};
        if (!v.isString()) {
            fail(QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
            return {};
        }
        QString t = v.toString();
        if (t.size() > maxCharacters) {
            fail(QStringLiteral("\"%1\" is %2 characters long; the format allows at most %3")
                     .arg(QLatin1String(key))
                     .arg(t.size())
                     .arg(maxCharacters));
            return {};
        }
        return t;
    }
    bool flag(const char* key, bool fallback = false)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool())
            fail(QStringLiteral("\"%1\" must be true or false").arg(QLatin1String(key)));
        return v.toBool();
    }
    // Bytes, at most maxBytes of them: a longer text is refused before it is decoded.
    QByteArray base64(const char* key, qsizetype maxBytes)
    {
        const QString t = text(key, (maxBytes + 2) / 3 * 4);
        if (!ok())
            return {};
        const auto decoded =
            QByteArray::fromBase64Encoding(t.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            fail(QStringLiteral("\"%1\" is not base64").arg(QLatin1String(key)));
            return {};
        }
        if (decoded.decoded.size() > maxBytes) {
            fail(QStringLiteral("\"%1\" holds %2 bytes; the format allows at most %3")
                     .arg(QLatin1String(key))
                     .arg(decoded.decoded.size())
                     .arg(maxBytes));
            return {};
        }
        return *decoded;
    }
    template <typename Enum, typename NameOf>
    Enum named(const char* key, int count, NameOf nameOf, Enum fallback)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        if (auto e = enumFromName<Enum>(v.toString(), count, nameOf))
            return *e;
        QStringList names;
        for (int i = 0; i < count; ++i)
            names << nameOf(static_cast<Enum>(i));
        fail(QStringLiteral("\"%1\" must be one of %2, not %3")
                 .arg(QLatin1String(key), names.join(QStringLiteral(", ")),
                      v.isString() ? QLatin1Char('"') + v.toString() + QLatin1Char('"')
                                   : QStringLiteral("that")));
        return fallback;
    }
    Endpoint endpoint(const char* key)
    {
        QString why;
        auto e = endpointFromJson(value(key), &why);
        if (!e) {
            fail(QStringLiteral("\"%1\": %2").arg(QLatin1String(key), why));
            return {};
        }
        return *e;
    }
    QJsonObject object(const char* key)
    {
        const QJsonValue v = value(key);
        if (!v.isUndefined() && !v.isObject())
            fail(QStringLiteral("\"%1\" must be an object").arg(QLatin1String(key)));
        return v.toObject();
    }

private:
    const QJsonObject& m_object;
    QString* m_why;
    QString m_where;
    bool m_ok = true;
};

QJsonObject argsToJson(const CallArgs& a)
{
    // Only what differs from a fresh CallArgs: the file stays readable.
    const CallArgs d;
    QJsonObject o;
    if (a.family != d.family)
        o.insert(QStringLiteral("family"), familyName(a.family));
    if (a.type != d.type)
        o.insert(QStringLiteral("type"), socketTypeName(a.type));
    if (a.proto != d.proto)
        o.insert(QStringLiteral("proto"), a.proto);
    if (a.host != d.host)
        o.insert(QStringLiteral("host"), a.host);
    if (a.hostIsNone)
        o.insert(QStringLiteral("host_is_none"), true);
    if (a.port != d.port)
        o.insert(QStringLiteral("port"), double(a.port));
    if (a.flowInfo)
        o.insert(QStringLiteral("flowinfo"), double(a.flowInfo));
    if (a.scopeId)
        o.insert(QStringLiteral("scope_id"), double(a.scopeId));
    if (!a.service.isEmpty())
        o.insert(QStringLiteral("service"), a.service);
    if (a.flags)
        o.insert(QStringLiteral("flags"), a.flags);
    if (a.typeFilter)
        o.insert(QStringLiteral("type_filter"), a.typeFilter);
    if (a.backlog)
        o.insert(QStringLiteral("backlog"), *a.backlog);
    if (a.option == SocketOption::Integer) {
        o.insert(QStringLiteral("option_level"), a.optionLevel);
        o.insert(QStringLiteral("option_number"), a.optionNumber);
    } else if (a.option != d.option) {
        o.insert(QStringLiteral("option"), optionName(a.option));
    }
    if (a.value)
        o.insert(QStringLiteral("value"), double(a.value));
    if (a.lingerSeconds)
        o.insert(QStringLiteral("linger_seconds"), double(a.lingerSeconds));
    if (!a.payload.isEmpty())
        o.insert(QStringLiteral("payload"), bytes(a.payload));
    if (a.repeat != d.repeat)
        o.insert(QStringLiteral("repeat"), double(a.repeat));
    if (a.size)
        o.insert(QStringLiteral("size"), double(a.size));
    if (a.bufferSize)
        o.insert(QStringLiteral("buffer_size"), double(a.bufferSize));
    if (a.how)
        o.insert(QStringLiteral("how"), a.how);
    if (a.timeout)
        o.insert(QStringLiteral("timeout"), *a.timeout);
    if (!a.blocking)
        o.insert(QStringLiteral("blocking"), false);
    return o;
}

CallArgs argsFromJson(Reader& r)
{
    CallArgs a;
    a.family = r.named("family", 4, familyName, a.family);
    a.type = r.named("type", 3, socketTypeName, a.type);
    a.proto = int(r.integer("proto"));
    a.host = r.text("host");
    a.hostIsNone = r.flag("host_is_none");
    a.port = r.integer("port");
    a.flowInfo = quint32(r.integer("flowinfo"));
    a.scopeId = quint32(r.integer("scope_id"));
    a.service = r.text("service");
    a.flags = int(r.integer("flags"));
    a.typeFilter = int(r.integer("type_filter"));
    if (r.has("backlog"))
        a.backlog = int(r.integer("backlog"));
    if (r.has("option_number")) {
        a.option = SocketOption::Integer;
        a.optionLevel = int(r.integer("option_level"));
        a.optionNumber = int(r.integer("option_number"));
    } else if (r.has("option")) {
        if (auto option = optionFromName(r.text("option")))
            a.option = *option;
        else
            r.fail(QStringLiteral("\"option\" names no option the workbench knows"));
    }
    a.value = r.integer("value");
    a.lingerSeconds = r.integer("linger_seconds");
    a.payload = r.base64("payload", Trace::kPayloadSample);
    a.repeat = r.integer("repeat", 1);
    a.size = r.integer("size");
    a.bufferSize = r.integer("buffer_size");
    a.how = int(r.integer("how"));
    if (r.has("timeout")) {
        if (!r.value("timeout").isDouble())
            r.fail(QStringLiteral("\"timeout\" must be a number of seconds"));
        a.timeout = r.value("timeout").toDouble();
    }
    a.blocking = r.flag("blocking", true);
    return a;
}

QJsonObject resultToJson(const CallResult& c)
{
    QJsonObject o;
    o.insert(QStringLiteral("outcome"), outcomeName(c.outcome));
    if (c.outcome == Outcome::Error) {
        o.insert(QStringLiteral("error_domain"), errorDomainName(c.errorDomain));
        o.insert(QStringLiteral("error_number"), c.errorNumber);
        o.insert(QStringLiteral("error_name"), c.errorName()); // for the reader; not read back
    }
    if (!c.message.isEmpty())
        o.insert(QStringLiteral("message"), c.message);
    if (c.count)
        o.insert(QStringLiteral("count"), double(c.count));
    if (c.lingerSeconds)
        o.insert(QStringLiteral("linger_seconds"), double(c.lingerSeconds));
    if (!c.data.isEmpty())
        o.insert(QStringLiteral("data"), bytes(c.data));
    if (c.address.isValid())
        o.insert(QStringLiteral("address"), endpointToJson(c.address));
    if (c.newSocket.isValid())
        o.insert(QStringLiteral("new_socket"), double(c.newSocket.value));
    if (c.pairedSocket.isValid())
        o.insert(QStringLiteral("paired_socket"), double(c.pairedSocket.value));
    if (c.pairedFd >= 0)
        o.insert(QStringLiteral("paired_fd"), double(c.pairedFd));
    if (c.acceptedLocal.isValid())
        o.insert(QStringLiteral("accepted_local"), endpointToJson(c.acceptedLocal));
    if (!c.addrInfo.isEmpty()) {
        QJsonArray entries;
        for (const AddrInfoEntry& e : c.addrInfo)
            entries.append(QJsonObject{{QStringLiteral("family"), e.family},
                                       {QStringLiteral("type"), e.socketType},
                                       {QStringLiteral("proto"), e.protocol},
                                       {QStringLiteral("canonname"), e.canonicalName},
                                       {QStringLiteral("address"), endpointToJson(e.address)}});
        o.insert(QStringLiteral("addrinfo"), entries);
    }
    if (!c.hostEntry.name.isEmpty() || !c.hostEntry.addresses.isEmpty())
        o.insert(
            QStringLiteral("host_entry"),
            QJsonObject{
                {QStringLiteral("name"), c.hostEntry.name},
                {QStringLiteral("aliases"), QJsonArray::fromStringList(c.hostEntry.aliases)},
                {QStringLiteral("addresses"), QJsonArray::fromStringList(c.hostEntry.addresses)}});
    if (!c.text.isEmpty())
        o.insert(QStringLiteral("text"), c.text);
    if (c.partial)
        o.insert(QStringLiteral("partial"), true);
    return o;
}

QStringList stringList(Reader& r, const QJsonValue& v, const char* what)
{
    QStringList out;
    if (v.isUndefined())
        return out;
    if (!v.isArray()) {
        r.fail(QStringLiteral("\"%1\" must be a list of strings").arg(QLatin1String(what)));
        return out;
    }
    const QJsonArray items = v.toArray();
    if (items.size() > limits::kMaxListItems) {
        r.fail(QStringLiteral("\"%1\" has %2 entries; the format allows at most %3")
                   .arg(QLatin1String(what))
                   .arg(items.size())
                   .arg(limits::kMaxListItems));
        return out;
    }
    for (const QJsonValue& item : items) {
        if (!item.isString() || item.toString().size() > limits::kMaxText) {
            r.fail(QStringLiteral("\"%1\" must be a list of strings of at most %2 characters")
                       .arg(QLatin1String(what))
                       .arg(limits::kMaxText));
            return {};
        }
        out << item.toString();
    }
    return out;
}

CallResult resultFromJson(Reader& r)
{
    CallResult c;
    c.outcome = r.named("outcome", 5, outcomeName, Outcome::Ok);
    c.errorDomain = r.named("error_domain", 3, errorDomainName, ErrorDomain::Errno);
    c.errorNumber = int(r.integer("error_number"));
    c.message = r.text("message");
    c.count = r.integer("count");
    c.lingerSeconds = r.integer("linger_seconds");
    c.data = r.base64("data", Trace::kPayloadPerEvent);
    c.address = r.endpoint("address");
    const qint64 newSocket = r.integer("new_socket");
    if (r.ok() && (newSocket < 0 || newSocket > qint64(UINT32_MAX)))
        r.fail(QStringLiteral("\"new_socket\" is an id from 1"));
    c.newSocket = SocketId{quint32(newSocket)};
    const qint64 pairedSocket = r.integer("paired_socket");
    if (r.ok() && (pairedSocket < 0 || pairedSocket > qint64(UINT32_MAX)))
        r.fail(QStringLiteral("\"paired_socket\" is an id from 1"));
    c.pairedSocket = SocketId{quint32(pairedSocket)};
    c.pairedFd = r.integer("paired_fd", -1);
    c.acceptedLocal = r.endpoint("accepted_local");
    const QJsonValue entries = r.value("addrinfo");
    if (!entries.isUndefined() && !entries.isArray())
        r.fail(QStringLiteral("\"addrinfo\" must be a list"));
    else if (entries.toArray().size() > limits::kMaxListItems)
        r.fail(QStringLiteral("\"addrinfo\" has %1 entries; the format allows at most %2")
                   .arg(entries.toArray().size())
                   .arg(limits::kMaxListItems));
    for (const QJsonValue& v : r.ok() ? entries.toArray() : QJsonArray()) {
        const QJsonObject e = v.toObject();
        Reader entry(e, nullptr, {});
        AddrInfoEntry a;
        a.family = int(entry.integer("family"));
        a.socketType = int(entry.integer("type"));
        a.protocol = int(entry.integer("proto"));
        a.canonicalName = entry.text("canonname");
        a.address = entry.endpoint("address");
        if (!entry.ok() || !v.isObject()) {
            r.fail(QStringLiteral("an \"addrinfo\" entry is not {family, type, proto, "
                                  "canonname, address}"));
            break;
        }
        c.addrInfo << a;
    }
    const QJsonObject host = r.object("host_entry");
    c.hostEntry.name = host.value(QStringLiteral("name")).toString();
    if (c.hostEntry.name.size() > limits::kMaxText)
        r.fail(QStringLiteral("the \"host_entry\" name is longer than %1 characters")
                   .arg(limits::kMaxText));
    c.hostEntry.aliases = stringList(r, host.value(QStringLiteral("aliases")), "aliases");
    c.hostEntry.addresses = stringList(r, host.value(QStringLiteral("addresses")), "addresses");
    c.text = r.text("text");
    c.partial = r.flag("partial");
    return c;
}

} // namespace

QJsonValue endpointToJson(const Endpoint& e)
{
    switch (e.family()) {
    case AddressFamily::Unspecified:
        return QJsonValue::Null;
    case AddressFamily::Unix:
        return QJsonObject{{QStringLiteral("family"), familyName(e.family())},
                           {QStringLiteral("path"), bytes(e.path())}};
    case AddressFamily::Inet4:
        return QJsonObject{{QStringLiteral("family"), familyName(e.family())},
                           {QStringLiteral("address"), e.dotted()},
                           {QStringLiteral("port"), e.port()}};
    case AddressFamily::Inet6:
        return QJsonObject{{QStringLiteral("family"), familyName(e.family())},
                           {QStringLiteral("address"), e.ipv6Compressed()},
                           {QStringLiteral("port"), e.port()},
                           {QStringLiteral("flowinfo"), double(e.flowInfo())},
                           {QStringLiteral("scope_id"), double(e.scopeId())}};
    }
    return QJsonValue::Null;
}

std::optional<Endpoint> endpointFromJson(const QJsonValue& value, QString* why)
{
    if (value.isUndefined() || value.isNull())
        return Endpoint();
    if (!value.isObject()) {
        *why = QStringLiteral("an address must be an object or null");
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    Reader r(o, why, {});
    const auto family = r.named("family", 4, familyName, AddressFamily::Unspecified);
    if (!r.ok())
        return std::nullopt;
    if (family == AddressFamily::Unix) {
        const QByteArray path = r.base64("path", sizeof(sockaddr_un::sun_path));
        return r.ok() ? std::optional(Endpoint::unixPath(path)) : std::nullopt;
    }
    if (family == AddressFamily::Unspecified)
        return Endpoint();
    const qint64 port = r.integer("port");
    if (r.ok() && (port < 0 || port > 65535))
        r.fail(QStringLiteral("\"port\" must be 0 to 65535"));
    const QString text = r.text("address");
    if (!r.ok())
        return std::nullopt;
    const auto parsed = Endpoint::parseLiteral(text, quint16(port), family);
    if (!parsed || parsed->family() != family) {
        *why = QStringLiteral("\"%1\" is not an %2 address").arg(text, familyName(family));
        return std::nullopt;
    }
    if (family == AddressFamily::Inet4)
        return parsed;
    const qint64 flow = r.integer("flowinfo");
    const qint64 scope = r.integer("scope_id");
    if (!r.ok())
        return std::nullopt;
    return Endpoint::inet6(parsed->ipv6(), quint16(port), quint32(flow), quint32(scope));
}

QJsonObject toJson(const Event& e)
{
    QJsonObject o;
    o.insert(QStringLiteral("seq"), double(e.seq));
    o.insert(QStringLiteral("time_ns"), double(e.timeNs));
    o.insert(QStringLiteral("start_ns"), double(e.startNs));
    o.insert(QStringLiteral("kind"), eventKindName(e.kind));
    if (e.socket.isValid())
        o.insert(QStringLiteral("socket"), double(e.socket.value));
    if (e.call.isValid())
        o.insert(QStringLiteral("call"), double(e.call.value));
    o.insert(QStringLiteral("actor"), e.actor);
    o.insert(QStringLiteral("lane"), laneName(e.lane));
    if (e.kind != EventKind::Observation)
        o.insert(QStringLiteral("request"),
                 QJsonObject{{QStringLiteral("call"), callName(e.request.kind)},
                             {QStringLiteral("args"), argsToJson(e.request.args)}});
    if (e.kind == EventKind::CallFinished)
        o.insert(QStringLiteral("result"), resultToJson(e.result));
    if (e.requestedBytes)
        o.insert(QStringLiteral("requested_bytes"), double(e.requestedBytes));
    if (e.payloadSize) {
        o.insert(QStringLiteral("payload_size"), double(e.payloadSize));
        o.insert(QStringLiteral("payload"), bytes(e.payload));
    }
    if (e.kernel.valid)
        o.insert(QStringLiteral("kernel"),
                 QJsonObject{{QStringLiteral("tcp_state"), tcpStateName(e.kernel.tcpState)},
                             {QStringLiteral("recv_q"), e.kernel.recvQueue},
                             {QStringLiteral("send_q"), e.kernel.sendQueue},
                             {QStringLiteral("accept_q"), e.kernel.acceptQueue},
                             {QStringLiteral("backlog"), e.kernel.backlog}});
    if (e.localAddress.isValid())
        o.insert(QStringLiteral("local"), endpointToJson(e.localAddress));
    if (e.peerAddress.isValid())
        o.insert(QStringLiteral("peer"), endpointToJson(e.peerAddress));
    return o;
}

std::optional<Event> fromJson(const QJsonObject& o, QString* why)
{
    Reader r(o, why, {});
    Event e;
    if (!r.has("seq") || !r.has("kind")) {
        r.fail(QStringLiteral("an event needs at least \"seq\" and \"kind\""));
        return std::nullopt;
    }
    const qint64 seq = r.integer("seq");
    if (r.ok() && seq < 1)
        r.fail(QStringLiteral("\"seq\" must be 1 or more"));
    e.seq = quint64(seq);
    e.timeNs = r.integer("time_ns");
    e.startNs = r.integer("start_ns");
    e.kind = r.named("kind", 3, eventKindName, EventKind::CallFinished);
    const qint64 socket = r.integer("socket");
    const qint64 call = r.integer("call");
    if (r.ok() && (socket < 0 || socket > qint64(UINT32_MAX) || call < 0))
        r.fail(QStringLiteral("\"socket\" and \"call\" are ids from 1"));
    e.socket = SocketId{quint32(socket)};
    e.call = CallId{quint64(call)};
    e.actor = r.text("actor", limits::kMaxName);
    e.lane = r.named("lane", 4, laneName, LaneKind::Control);
    if (e.kind != EventKind::Observation) {
        const QJsonObject request = r.object("request");
        Reader rr(request, why, QStringLiteral("\"request\""));
        if (!r.ok())
            return std::nullopt;
        if (auto kind = callKindFromName(rr.text("call")))
            e.request.kind = *kind;
        else
            rr.fail(QStringLiteral("\"call\" names no call the workbench knows"));
        const QJsonObject args = rr.object("args");
        Reader ra(args, why, QStringLiteral("\"request\" \"args\""));
        if (rr.ok())
            e.request.args = argsFromJson(ra);
        if (!rr.ok() || !ra.ok())
            return std::nullopt;
    }
    if (e.kind == EventKind::CallFinished) {
        const QJsonObject result = r.object("result");
        Reader rr(result, why, QStringLiteral("\"result\""));
        if (r.ok())
            e.result = resultFromJson(rr);
        if (!rr.ok())
            return std::nullopt;
    }
    e.requestedBytes = r.integer("requested_bytes");
    e.payloadSize = r.integer("payload_size");
    e.payload = r.base64("payload", Trace::kPayloadPerEvent);
    if (r.ok() && (e.payloadSize < 0 || e.requestedBytes < 0))
        r.fail(QStringLiteral("byte counts are never negative"));
    if (r.ok() && e.payload.size() > e.payloadSize)
        r.fail(QStringLiteral("\"payload\" holds more bytes than \"payload_size\" says"));
    if (r.has("kernel")) {
        const QJsonObject kernel = r.object("kernel");
        Reader rk(kernel, why, QStringLiteral("\"kernel\""));
        e.kernel.valid = true;
        e.kernel.tcpState = rk.named("tcp_state", 12, tcpStateName, TcpState::None);
        e.kernel.recvQueue = qint32(rk.integer("recv_q", -1));
        e.kernel.sendQueue = qint32(rk.integer("send_q", -1));
        e.kernel.acceptQueue = qint32(rk.integer("accept_q", -1));
        e.kernel.backlog = qint32(rk.integer("backlog", -1));
        if (!rk.ok())
            return std::nullopt;
    }
    e.localAddress = r.endpoint("local");
    e.peerAddress = r.endpoint("peer");
    if (!r.ok())
        return std::nullopt;
    return e;
}

} // namespace sockbench::eventjson
