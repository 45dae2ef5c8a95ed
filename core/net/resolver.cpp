#include "resolver.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

namespace sockbench::resolver {

namespace {

struct AddrInfoDeleter {
    void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};
using AddrInfoList = std::unique_ptr<addrinfo, AddrInfoDeleter>;

// Text that can only be a numeric address (digits, dots, hex, colons). Such text goes to
// getaddrinfo() with AI_NUMERICHOST: the answer is the same as Python's, and a malformed
// address never turns into a DNS query leaving the machine.
bool looksNumeric(const QString& host)
{
    if (host.isEmpty())
        return false;
    bool digit = false;
    for (const QChar c : host) {
        const char16_t u = c.unicode();
        if (u >= '0' && u <= '9')
            digit = true;
        else if (!(u == '.' || u == ':' || u == 'x' || u == 'X' || (u >= 'a' && u <= 'f') ||
                   (u >= 'A' && u <= 'F') || u == '[' || u == ']' || u == '%'))
            return false;
    }
    return digit || host.contains(QLatin1Char(':'));
}

CallResult gaiError(int code)
{
    if (code == EAI_SYSTEM)
        return CallResult::fromErrno(errno);
    return CallResult::fromError(ErrorDomain::AddrInfo, code);
}

} // namespace

std::optional<CallResult> checkAddressArgs(const CallArgs& args, AddressFamily family,
                                           const QString& callName)
{
    if (family == AddressFamily::Unix) {
        // A pathname keeps a terminating NUL in sun_path's 108 bytes; an abstract name
        // (leading NUL) uses all 108.
        const QByteArray path = args.host.toUtf8();
        if (path.size() > (path.startsWith('\0') ? 108 : 107))
            return CallResult::invalid(
                QStringLiteral("%1(): an AF_UNIX path can be at most 107 bytes long")
                    .arg(callName));
        return std::nullopt;
    }
    if (args.port < 0 || args.port > 65535)
        return CallResult::invalid(
            QStringLiteral("%1(): port must be 0-65535.").arg(callName)); // Python's words
    return std::nullopt;
}

std::variant<Endpoint, CallResult> resolveAddress(const CallArgs& args, AddressFamily family)
{
    if (family == AddressFamily::Unix)
        return Endpoint::unixPath(args.host.toUtf8());
    const auto port = static_cast<quint16>(args.port);
    const QString host = args.host;
    if (host.isEmpty())
        return Endpoint::anyAddress(family, port);
    if (host == QLatin1String("<broadcast>")) {
        if (family != AddressFamily::Inet4)
            return CallResult::fromError(ErrorDomain::AddrInfo, EAI_FAMILY);
        return Endpoint::inet4(INADDR_BROADCAST, port);
    }
    if (auto literal = Endpoint::parseLiteral(host, port, AddressFamily::Unspecified)) {
        // Python hands a literal of the other family to getaddrinfo(), which refuses it.
        if (literal->family() != family)
            return CallResult::fromError(ErrorDomain::AddrInfo, EAI_ADDRFAMILY);
        if (family == AddressFamily::Inet6) {
            return Endpoint::inet6(literal->ipv6(), port, args.flowInfo,
                                   literal->scopeId() ? literal->scopeId() : args.scopeId);
        }
        return *literal;
    }
    // Forms the strict parser refuses ("127.1", "010.0.0.1") still go to getaddrinfo(), as
    // in Python: glibc reads them the inet_aton() way, so the answer is the kernel-side truth.

    addrinfo hints{};
    hints.ai_family = toNativeFamily(family);
    if (looksNumeric(host))
        hints.ai_flags |= AI_NUMERICHOST;
    addrinfo* raw = nullptr;
    const QByteArray name = host.toUtf8();
    const int rc = ::getaddrinfo(name.constData(), nullptr, &hints, &raw);
    AddrInfoList list(raw);
    if (rc != 0)
        return gaiError(rc);
    for (const addrinfo* ai = raw; ai; ai = ai->ai_next) {
        if (auto endpoint = Endpoint::fromSockaddr(ai->ai_addr, ai->ai_addrlen)) {
            endpoint->setPort(port);
            if (family == AddressFamily::Inet6)
                return Endpoint::inet6(endpoint->ipv6(), port, args.flowInfo,
                                       endpoint->scopeId() ? endpoint->scopeId() : args.scopeId);
            return *endpoint;
        }
    }
    return CallResult::fromError(ErrorDomain::AddrInfo, EAI_NONAME);
}

CallResult getAddrInfo(const CallArgs& args)
{
    addrinfo hints{};
    hints.ai_family =
        args.family == AddressFamily::Unspecified ? AF_UNSPEC : toNativeFamily(args.family);
    hints.ai_socktype = args.typeFilter;
    hints.ai_protocol = args.proto > 0 ? args.proto : 0;
    hints.ai_flags = args.flags;
    if (!args.hostIsNone && looksNumeric(args.host))
        hints.ai_flags |= AI_NUMERICHOST;
    const QByteArray host = args.host.toUtf8();
    const QByteArray service = args.service.toUtf8();
    if (args.hostIsNone && args.service.isEmpty())
        return CallResult::fromError(ErrorDomain::AddrInfo, EAI_NONAME);
    addrinfo* raw = nullptr;
    const int rc =
        ::getaddrinfo(args.hostIsNone ? nullptr : host.constData(),
                      args.service.isEmpty() ? nullptr : service.constData(), &hints, &raw);
    AddrInfoList list(raw);
    if (rc != 0)
        return gaiError(rc);
    CallResult result;
    for (const addrinfo* ai = raw; ai; ai = ai->ai_next) {
        AddrInfoEntry entry;
        entry.family = ai->ai_family;
        entry.socketType = ai->ai_socktype;
        entry.protocol = ai->ai_protocol;
        if (ai->ai_canonname)
            entry.canonicalName = QString::fromUtf8(ai->ai_canonname);
        if (auto endpoint = Endpoint::fromSockaddr(ai->ai_addr, ai->ai_addrlen))
            entry.address = *endpoint;
        result.addrInfo.append(entry);
    }
    result.count = result.addrInfo.size();
    return result;
}

CallResult getHostByName(const CallArgs& args)
{
    CallArgs v4 = args;
    v4.port = 0;
    auto resolved = resolveAddress(v4, AddressFamily::Inet4);
    if (auto* error = std::get_if<CallResult>(&resolved))
        return *error;
    CallResult result;
    result.address = std::get<Endpoint>(resolved);
    result.text = result.address.dotted();
    return result;
}

CallResult getHostByAddr(const CallArgs& args)
{
    // Python resolves the argument first (a name is allowed), then asks for the entry.
    CallArgs any = args;
    any.port = 0;
    Endpoint address;
    if (auto literal = Endpoint::parseLiteral(args.host, 0, AddressFamily::Unspecified)) {
        address = *literal;
    } else {
        auto resolved = resolveAddress(any, AddressFamily::Inet4);
        if (auto* error = std::get_if<CallResult>(&resolved)) {
            resolved = resolveAddress(any, AddressFamily::Inet6);
            if (std::holds_alternative<CallResult>(resolved))
                return *error;
        }
        address = std::get<Endpoint>(resolved);
    }
    const bool v6 = address.family() == AddressFamily::Inet6;
    in6_addr raw6{};
    in_addr raw4{};
    const void* key = nullptr;
    socklen_t keyLength = 0;
    if (v6) {
        std::memcpy(&raw6, address.ipv6().data(), 16);
        key = &raw6;
        keyLength = sizeof raw6;
    } else {
        raw4.s_addr = htonl(address.ipv4());
        key = &raw4;
        keyLength = sizeof raw4;
    }
    hostent entry{};
    hostent* found = nullptr;
    int herr = 0;
    std::vector<char> buffer(16384);
    int rc = 0;
    while ((rc = ::gethostbyaddr_r(key, keyLength, v6 ? AF_INET6 : AF_INET, &entry, buffer.data(),
                                   buffer.size(), &found, &herr)) == ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    if (!found)
        return CallResult::fromError(ErrorDomain::HostLookup, herr ? herr : HOST_NOT_FOUND);
    CallResult result;
    result.hostEntry.name = QString::fromUtf8(found->h_name);
    for (char** alias = found->h_aliases; alias && *alias; ++alias)
        result.hostEntry.aliases << QString::fromUtf8(*alias);
    for (char** item = found->h_addr_list; item && *item; ++item) {
        char text[INET6_ADDRSTRLEN] = {};
        ::inet_ntop(found->h_addrtype, *item, text, sizeof text);
        result.hostEntry.addresses << QString::fromLatin1(text);
    }
    result.address = address;
    return result;
}

CallResult getHostName()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return CallResult::fromErrno(errno);
    CallResult result;
    result.text = QString::fromUtf8(name);
    return result;
}

} // namespace sockbench::resolver
