#include "value.h"

#include "net/errnocatalog.h"

#include <charconv>
#include <cmath>

namespace sockbench::lesson {

Value Value::fromBool(bool b)
{
    Value v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
}

Value Value::fromInt(qint64 i)
{
    Value v;
    v.kind = Kind::Int;
    v.integer = i;
    return v;
}

Value Value::fromEnum(qint64 i, const QString& enumClass, const QString& name)
{
    Value v = fromInt(i);
    v.enumClass = enumClass;
    v.enumName = name;
    return v;
}

Value Value::fromFloat(double d)
{
    Value v;
    v.kind = Kind::Float;
    v.real = d;
    return v;
}

Value Value::fromStr(const QString& s)
{
    Value v;
    v.kind = Kind::Str;
    v.text = s;
    return v;
}

Value Value::fromBytes(const QByteArray& b)
{
    Value v;
    v.kind = Kind::Bytes;
    v.bytes = b;
    return v;
}

Value Value::fromByteArray(qint64 size)
{
    Value v;
    v.kind = Kind::ByteArray;
    v.array = std::make_shared<QByteArray>(static_cast<qsizetype>(size), '\0');
    return v;
}

Value Value::tuple(ValueList items)
{
    Value v;
    v.kind = Kind::Tuple;
    v.items = std::make_shared<ValueList>(std::move(items));
    return v;
}

Value Value::list(ValueList items)
{
    Value v = tuple(std::move(items));
    v.kind = Kind::List;
    return v;
}

Value Value::fromSocket(const SocketRef& socket)
{
    Value v;
    v.kind = Kind::Socket;
    v.socket = std::make_shared<SocketRef>(socket);
    return v;
}

Value Value::module(const QString& name)
{
    Value v;
    v.kind = Kind::Module;
    v.text = name;
    return v;
}

Value Value::builtin(const QString& name)
{
    Value v;
    v.kind = Kind::Builtin;
    v.text = name;
    return v;
}

Value Value::method(const Value& self, const QString& name)
{
    Value v;
    v.kind = Kind::Method;
    v.self = std::make_shared<Value>(self);
    v.text = name;
    return v;
}

QByteArray Value::toBytes() const
{
    if (kind == Kind::Bytes) {
        if (repeat == 1)
            return bytes;
        if (byteLength() > kMaxBuilt)
            throw PyError{QStringLiteral("MemoryError"),
                          QStringLiteral("%1 bytes is more than the workbench builds in memory; "
                                         "send it with send()/sendall() as it is")
                              .arg(byteLength()),
                          {},
                          std::nullopt};
        return bytes.repeated(static_cast<qsizetype>(repeat));
    }
    if (kind == Kind::ByteArray && array)
        return *array;
    return {};
}

qint64 Value::byteLength() const
{
    if (kind == Kind::Bytes)
        return bytes.size() * repeat;
    if (kind == Kind::ByteArray && array)
        return array->size();
    return 0;
}

const ValueList& Value::elements() const
{
    static const ValueList empty;
    return items ? *items : empty;
}

QString Value::typeName() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("NoneType");
    case Kind::Bool:
        return QStringLiteral("bool");
    case Kind::Int:
        return QStringLiteral("int");
    case Kind::Float:
        return QStringLiteral("float");
    case Kind::Str:
        return QStringLiteral("str");
    case Kind::Bytes:
        return QStringLiteral("bytes");
    case Kind::ByteArray:
        return QStringLiteral("bytearray");
    case Kind::Tuple:
        return QStringLiteral("tuple");
    case Kind::List:
        return QStringLiteral("list");
    case Kind::Socket:
        return QStringLiteral("socket");
    case Kind::Module:
        return QStringLiteral("module");
    case Kind::Builtin:
        return QStringLiteral("builtin_function_or_method");
    case Kind::Method:
        return QStringLiteral("method");
    }
    return {};
}

bool Value::truthy() const
{
    switch (kind) {
    case Kind::None:
        return false;
    case Kind::Bool:
        return boolean;
    case Kind::Int:
        return integer != 0;
    case Kind::Float:
        return real != 0;
    case Kind::Str:
        return !text.isEmpty();
    case Kind::Bytes:
    case Kind::ByteArray:
        return !toBytes().isEmpty();
    case Kind::Tuple:
    case Kind::List:
        return !elements().isEmpty();
    default:
        return true;
    }
}

namespace {

QString socketRepr(const SocketRef& s, bool closed)
{
    return QStringLiteral("<socket.socket %1fd=%2, family=%3, type=%4, proto=%5>")
        .arg(closed ? QStringLiteral("[closed] ") : QString())
        .arg(closed ? -1 : s.fd)
        .arg(toNativeFamily(s.family))
        .arg(s.type == SocketType::Stream ? 1 : 2)
        .arg(s.proto);
}

} // namespace

QList<char32_t> codePoints(const QString& text)
{
    QList<char32_t> points;
    points.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            points << QChar::surrogateToUcs4(c, text[i + 1]);
            ++i;
        } else {
            points << c.unicode(); // a lone surrogate stays what it is, as in Python
        }
    }
    return points;
}

QString fromCodePoints(const QList<char32_t>& points)
{
    QString text;
    text.reserve(points.size());
    for (const char32_t point : points) {
        if (QChar::requiresSurrogates(point)) {
            text += QChar(QChar::highSurrogate(point));
            text += QChar(QChar::lowSurrogate(point));
        } else {
            text += QChar(static_cast<char16_t>(point));
        }
    }
    return text;
}

qsizetype codePointCount(const QString& text)
{
    qsizetype count = text.size();
    for (qsizetype i = 0; i + 1 < text.size(); ++i)
        if (text[i].isHighSurrogate() && text[i + 1].isLowSurrogate()) {
            --count;
            ++i;
        }
    return count;
}

QString escapedCodePoint(char32_t point)
{
    if (point <= 0xff)
        return QStringLiteral("\\x%1").arg(uint(point), 2, 16, QLatin1Char('0'));
    if (point <= 0xffff)
        return QStringLiteral("\\u%1").arg(uint(point), 4, 16, QLatin1Char('0'));
    return QStringLiteral("\\U%1").arg(uint(point), 8, 16, QLatin1Char('0'));
}

QString repr(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::None:
        return QStringLiteral("None");
    case Value::Kind::Bool:
        return v.boolean ? QStringLiteral("True") : QStringLiteral("False");
    case Value::Kind::Int:
        if (!v.enumName.isEmpty())
            return QStringLiteral("<%1.%2: %3>").arg(v.enumClass, v.enumName).arg(v.integer);
        return QString::number(v.integer);
    case Value::Kind::Float:
        return floatRepr(v.real);
    case Value::Kind::Str:
        return strRepr(v.text);
    case Value::Kind::Bytes:
        if (v.repeat != 1)
            return bytesRepr(v.bytes) + QStringLiteral(" * %1").arg(v.repeat);
        return bytesRepr(v.bytes);
    case Value::Kind::ByteArray:
        return QStringLiteral("bytearray(%1)").arg(bytesRepr(v.toBytes()));
    case Value::Kind::Tuple: {
        QStringList parts;
        for (const Value& item : v.elements())
            parts << repr(item);
        if (parts.size() == 1)
            return QLatin1Char('(') + parts.first() + QStringLiteral(",)");
        return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    case Value::Kind::List: {
        QStringList parts;
        for (const Value& item : v.elements())
            parts << repr(item);
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case Value::Kind::Socket:
        return socketRepr(*v.socket, v.socket->fd < 0);
    case Value::Kind::Module:
        return QStringLiteral("<module '%1'>").arg(v.text);
    case Value::Kind::Builtin:
        return QStringLiteral("<built-in function %1>").arg(v.text);
    case Value::Kind::Method:
        return QStringLiteral("<bound method %1 of %2>").arg(v.text, repr(*v.self));
    }
    return {};
}

QString str(const Value& v)
{
    // Since Python 3.11 an IntEnum prints as its number.
    if (v.kind == Value::Kind::Str)
        return v.text;
    if (v.kind == Value::Kind::Int)
        return QString::number(v.integer);
    return repr(v);
}

bool equals(const Value& a, const Value& b)
{
    using K = Value::Kind;
    const auto numeric = [](const Value& v) {
        return v.kind == K::Int || v.kind == K::Bool || v.kind == K::Float;
    };
    if (numeric(a) && numeric(b)) {
        const auto asDouble = [](const Value& v) {
            return v.kind == K::Float ? v.real
                                      : double(v.kind == K::Bool ? qint64(v.boolean) : v.integer);
        };
        if (a.kind != K::Float && b.kind != K::Float)
            return (a.kind == K::Bool ? qint64(a.boolean) : a.integer) ==
                   (b.kind == K::Bool ? qint64(b.boolean) : b.integer);
        return asDouble(a) == asDouble(b);
    }
    if (a.isBytesLike() && b.isBytesLike())
        return a.toBytes() == b.toBytes();
    if ((a.kind == K::Tuple && b.kind == K::Tuple) || (a.kind == K::List && b.kind == K::List)) {
        const auto& x = a.elements();
        const auto& y = b.elements();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!equals(x[i], y[i]))
                return false;
        return true;
    }
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case K::None:
        return true;
    case K::Str:
    case K::Module:
    case K::Builtin:
        return a.text == b.text;
    case K::Socket:
        return a.socket == b.socket;
    default:
        return false;
    }
}

Value addressValue(const Endpoint& e, AddressFamily family)
{
    if (!e.isValid())
        return Value::none();
    switch (family) {
    case AddressFamily::Inet6:
        if (e.family() == AddressFamily::Inet6)
            return Value::tuple({Value::fromStr(e.host()), Value::fromInt(e.port()),
                                 Value::fromInt(e.flowInfo()), Value::fromInt(e.scopeId())});
        break;
    case AddressFamily::Unix:
        // Python gives a str for a pathname and bytes for an abstract name.
        if (e.isAbstract())
            return Value::fromBytes(e.path());
        return Value::fromStr(QString::fromUtf8(e.path()));
    default:
        break;
    }
    if (e.family() == AddressFamily::Inet6)
        return Value::tuple({Value::fromStr(e.host()), Value::fromInt(e.port()),
                             Value::fromInt(e.flowInfo()), Value::fromInt(e.scopeId())});
    return Value::tuple({Value::fromStr(e.host()), Value::fromInt(e.port())});
}

QString PyError::expectName() const
{
    if (call) {
        switch (call->outcome) {
        case Outcome::Error:
            return errnocatalog::name(call->errorDomain, call->errorNumber);
        case Outcome::Timeout:
            return QStringLiteral("timeout");
        case Outcome::Interrupted:
            return QStringLiteral("interrupted");
        default:
            break;
        }
    }
    return type;
}

QString PyError::format() const
{
    return message.isEmpty() ? type : type + QStringLiteral(": ") + message;
}

PyError typeError(const QString& message, SourcePos pos)
{
    return PyError{QStringLiteral("TypeError"), message, pos, std::nullopt};
}

PyError valueError(const QString& message, SourcePos pos)
{
    return PyError{QStringLiteral("ValueError"), message, pos, std::nullopt};
}

PyError errorFromResult(const CallResult& result, SourcePos pos)
{
    PyError error;
    error.pos = pos;
    error.call = result;
    switch (result.outcome) {
    case Outcome::Error:
        error.type = errnocatalog::pythonException(result.errorDomain, result.errorNumber);
        error.message = QStringLiteral("[Errno %1] %2").arg(result.errorNumber).arg(result.message);
        break;
    case Outcome::Timeout:
        error.type = QStringLiteral("TimeoutError");
        error.message = QStringLiteral("timed out");
        break;
    case Outcome::Interrupted:
        error.type = QStringLiteral("Interrupted");
        error.message = result.message;
        break;
    case Outcome::Invalid:
        // Python refuses these before the kernel sees them.
        error.type = result.message.contains(QLatin1String("port must be"))
                         ? QStringLiteral("OverflowError")
                         : QStringLiteral("ValueError");
        error.message = result.message;
        break;
    case Outcome::Ok:
        break;
    }
    return error;
}

} // namespace sockbench::lesson
