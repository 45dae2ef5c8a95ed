#include "errnocatalog.h"

#include <QStringList>

#include <cerrno>
#include <cstring>
#include <netdb.h>

namespace sockbench::errnocatalog {

namespace {

struct Named {
    int number;
    const char* name;
};

// getaddrinfo()'s codes keep glibc's values, which are negative; Python reports them as is.
// clang-format off
constexpr Named kAddrInfo[] = {
    {EAI_AGAIN, "EAI_AGAIN"},
    {EAI_BADFLAGS, "EAI_BADFLAGS"},
    {EAI_FAIL, "EAI_FAIL"},
    {EAI_FAMILY, "EAI_FAMILY"},
    {EAI_MEMORY, "EAI_MEMORY"},
    {EAI_NONAME, "EAI_NONAME"},
    {EAI_SERVICE, "EAI_SERVICE"},
    {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
    {EAI_SYSTEM, "EAI_SYSTEM"},
    {EAI_OVERFLOW, "EAI_OVERFLOW"},
#ifdef EAI_NODATA
    {EAI_NODATA, "EAI_NODATA"},
#endif
#ifdef EAI_ADDRFAMILY
    {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
#endif
};
// clang-format on

// h_errno values from gethostbyaddr().
constexpr Named kHost[] = {
    {HOST_NOT_FOUND, "HOST_NOT_FOUND"},
    {TRY_AGAIN, "TRY_AGAIN"},
    {NO_RECOVERY, "NO_RECOVERY"},
    {NO_DATA, "NO_DATA"},
};

// errno names that are a second name for a number: strerrorname_np() gives only the first
// (EAGAIN, EDEADLK, EOPNOTSUPP), but Python's errno module and C code use these too.
constexpr Named kErrnoAliases[] = {
    {EWOULDBLOCK, "EWOULDBLOCK"},
    {EDEADLOCK, "EDEADLOCK"},
    {ENOTSUP, "ENOTSUP"},
};

template <size_t N> const Named* find(const Named (&table)[N], int number)
{
    for (const auto& entry : table)
        if (entry.number == number)
            return &entry;
    return nullptr;
}

constexpr int kMaxErrno = 200;

} // namespace

QString name(ErrorDomain domain, int number)
{
    switch (domain) {
    case ErrorDomain::Errno:
        if (const char* n = ::strerrorname_np(number))
            return QString::fromLatin1(n);
        return QStringLiteral("E%1").arg(number);
    case ErrorDomain::AddrInfo:
        if (const auto* entry = find(kAddrInfo, number))
            return QString::fromLatin1(entry->name);
        return QStringLiteral("EAI_%1").arg(number);
    case ErrorDomain::HostLookup:
        if (const auto* entry = find(kHost, number))
            return QString::fromLatin1(entry->name);
        return QStringLiteral("HOST_%1").arg(number);
    }
    return {};
}

QString description(ErrorDomain domain, int number)
{
    switch (domain) {
    case ErrorDomain::Errno: {
        char buffer[256] = {};
        // GNU strerror_r returns the text, which may or may not live in buffer.
        return QString::fromLocal8Bit(::strerror_r(number, buffer, sizeof buffer));
    }
    case ErrorDomain::AddrInfo:
        return QString::fromLocal8Bit(::gai_strerror(number));
    case ErrorDomain::HostLookup:
        // What Python puts in socket.herror, for every value (NETDB_INTERNAL included).
        return QString::fromLocal8Bit(::hstrerror(number));
    }
    return {};
}

QString pythonException(ErrorDomain domain, int number)
{
    if (domain == ErrorDomain::AddrInfo)
        return QStringLiteral("socket.gaierror");
    if (domain == ErrorDomain::HostLookup)
        return QStringLiteral("socket.herror");
    // The OSError subclasses of PEP 3151, as Python 3 maps them.
    switch (number) {
    case EAGAIN:
    case EALREADY:
    case EINPROGRESS:
        return QStringLiteral("BlockingIOError");
    case EPIPE:
    case ESHUTDOWN:
        return QStringLiteral("BrokenPipeError");
    case ECONNABORTED:
        return QStringLiteral("ConnectionAbortedError");
    case ECONNREFUSED:
        return QStringLiteral("ConnectionRefusedError");
    case ECONNRESET:
        return QStringLiteral("ConnectionResetError");
    case EEXIST:
        return QStringLiteral("FileExistsError");
    case ENOENT:
        return QStringLiteral("FileNotFoundError");
    case EISDIR:
        return QStringLiteral("IsADirectoryError");
    case ENOTDIR:
        return QStringLiteral("NotADirectoryError");
    case EINTR:
        return QStringLiteral("InterruptedError");
    case EACCES:
    case EPERM:
        return QStringLiteral("PermissionError");
    case ECHILD:
        return QStringLiteral("ChildProcessError");
    case ESRCH:
        return QStringLiteral("ProcessLookupError");
    case ETIMEDOUT:
        return QStringLiteral("TimeoutError");
    default:
        return QStringLiteral("OSError");
    }
}

std::optional<Lookup> lookup(const QString& wanted)
{
    const QByteArray key = wanted.trimmed().toUpper().toLatin1();
    for (const auto& entry : kAddrInfo)
        if (key == entry.name)
            return Lookup{ErrorDomain::AddrInfo, entry.number};
    for (const auto& entry : kHost)
        if (key == entry.name)
            return Lookup{ErrorDomain::HostLookup, entry.number};
    for (const auto& entry : kErrnoAliases)
        if (key == entry.name)
            return Lookup{ErrorDomain::Errno, entry.number};
    for (int number = 1; number < kMaxErrno; ++number)
        if (const char* n = ::strerrorname_np(number); n && key == n)
            return Lookup{ErrorDomain::Errno, number};
    return std::nullopt;
}

QStringList allErrnoNames()
{
    QStringList names;
    for (int number = 1; number < kMaxErrno; ++number)
        if (const char* n = ::strerrorname_np(number))
            names << QString::fromLatin1(n);
    return names;
}

} // namespace sockbench::errnocatalog
