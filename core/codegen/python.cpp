#include "python.h"

#include "codegen/pyrepr.h"

namespace sockbench::codegen::python {

using codegen::bytesRepr;
using codegen::floatRepr;
using codegen::strRepr;

namespace {

QString familyConstant(AddressFamily family)
{
    return QStringLiteral("socket.") + familyName(family);
}

QString assigned(const QStringList& results, const QString& expression)
{
    if (results.isEmpty())
        return expression;
    return results.join(QStringLiteral(", ")) + QStringLiteral(" = ") + expression;
}

QString payloadLiteral(const CallArgs& a)
{
    if (a.repeat > 1)
        return bytesRepr(a.payload) + QStringLiteral(" * %1").arg(a.repeat);
    return bytesRepr(a.payload);
}

QString optionConstant(const CallArgs& a)
{
    // An integer option without a well-known name is written as its numbers.
    auto constant = [](const QString& name) {
        bool number = false;
        name.toInt(&number);
        return number ? name : QStringLiteral("socket.") + name;
    };
    return constant(optionLevelName(a)) + QStringLiteral(", ") + constant(optionName(a));
}

QString timeoutLiteral(const std::optional<double>& timeout)
{
    if (!timeout)
        return QStringLiteral("None");
    return floatRepr(*timeout);
}

} // namespace

QString freshName(const QString& stem, const QSet<QString>& taken)
{
    for (int i = 1;; ++i) {
        const QString candidate = stem + QString::number(i);
        if (!taken.contains(candidate))
            return candidate;
    }
}

QString createSocket(const QString& name, AddressFamily family, SocketType type)
{
    return QStringLiteral("%1 = socket.socket(%2, socket.%3)")
        .arg(name, familyConstant(family), socketTypeName(type));
}

QString addressLiteral(const QString& host, qint64 port, AddressFamily family,
                       const QString& portExpression)
{
    if (family == AddressFamily::Unix) {
        if (host.startsWith(QLatin1Char('\0')))
            return bytesRepr(host.toUtf8());
        return strRepr(host);
    }
    return QStringLiteral("(%1, %2)")
        .arg(strRepr(host), portExpression.isEmpty() ? QString::number(port) : portExpression);
}

QString socketCall(const QString& socket, const Call& call, AddressFamily family,
                   const QStringList& results, const QString& portExpression)
{
    const CallArgs& a = call.args;
    const QString name = callName(call.kind);
    auto method = [&](const QString& args) {
        return assigned(results, QStringLiteral("%1.%2(%3)").arg(socket, name, args));
    };
    switch (call.kind) {
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        return method(addressLiteral(a.host, a.port, family,
                                     call.kind == CallKind::Bind ? QString() : portExpression));
    case CallKind::Listen:
        return method(a.backlog ? QString::number(*a.backlog) : QString());
    case CallKind::Send:
    case CallKind::SendAll:
        return method(payloadLiteral(a));
    case CallKind::SendTo:
        return method(payloadLiteral(a) + QStringLiteral(", ") +
                      addressLiteral(a.host, a.port, family, portExpression));
    case CallKind::Recv:
    case CallKind::RecvFrom:
        return method(QString::number(a.size));
    case CallKind::RecvInto:
    case CallKind::RecvFromInto: {
        // The buffer is made on the spot: bytearray(n) is what recv_into fills.
        const QString buffer = QStringLiteral("bytearray(%1)").arg(a.bufferSize);
        return method(a.size ? buffer + QStringLiteral(", %1").arg(a.size) : buffer);
    }
    case CallKind::Shutdown: {
        static const char* const how[] = {"socket.SHUT_RD", "socket.SHUT_WR", "socket.SHUT_RDWR"};
        return method(a.how >= 0 && a.how <= 2 ? QString::fromLatin1(how[a.how])
                                               : QString::number(a.how));
    }
    case CallKind::SetSockOpt:
        if (a.option == SocketOption::Linger) {
            // struct linger { int l_onoff; int l_linger; } as the bytes Python passes.
            const qint32 parts[2] = {static_cast<qint32>(a.value),
                                     static_cast<qint32>(a.lingerSeconds)};
            return method(optionConstant(a) + QStringLiteral(", ") +
                          bytesRepr(QByteArray(reinterpret_cast<const char*>(parts), 8)));
        }
        return method(optionConstant(a) + QStringLiteral(", ") + optionValueText(a));
    case CallKind::GetSockOpt:
        return method(optionConstant(a));
    case CallKind::SetBlocking:
        return method(a.blocking ? QStringLiteral("True") : QStringLiteral("False"));
    case CallKind::SetTimeout:
        return method(timeoutLiteral(a.timeout));
    case CallKind::Accept:
    case CallKind::Close:
    case CallKind::GetSockName:
    case CallKind::GetPeerName:
        return method(QString());
    case CallKind::Socket:
    case CallKind::SocketPair:
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
    case CallKind::GetHostName:
        break;
    }
    return {};
}

} // namespace sockbench::codegen::python
