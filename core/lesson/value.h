#pragma once

#include "ast.h"
#include "codegen/pyrepr.h"
#include "net/call.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace sockbench::lesson {

// A socket object as the lesson sees it: the workbench socket behind it and what
// Python's socket object knows about itself.
struct SocketRef {
    SocketId id;
    AddressFamily family = AddressFamily::Inet4;
    SocketType type = SocketType::Stream;
    int proto = 0;
    qint64 fd = -1;
    std::optional<double> timeout; // gettimeout(): None = blocking
};

struct Value;
using ValueList = QList<Value>;

// The values a lesson computes with: Python's, as far as the subset needs them.
struct Value {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        Str,
        Bytes,
        ByteArray, // mutable and shared: recv_into() fills the very object passed in
        Tuple,
        List,
        Socket,
        Module,  // the socket module; text is its name
        Builtin, // a function: text is its name ("len", "socket.socket")
        Method,  // a bound method: self is the receiver, text the method name
    };
    Kind kind = Kind::None;
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    QString text;
    QByteArray bytes;
    qint64 repeat = 1; // Bytes: the value is `bytes` repeated this often (b'x' * 10**9 is
                       // kept as one byte and a count until something needs the bytes)
    std::shared_ptr<QByteArray> array;
    std::shared_ptr<ValueList> items;
    std::shared_ptr<SocketRef> socket; // shared: settimeout() updates what every name sees
    std::shared_ptr<Value> self;
    // An int that Python shows by name: AddressFamily.AF_INET, SocketKind.SOCK_STREAM.
    QString enumClass;
    QString enumName;

    static Value none() { return {}; }
    static Value fromBool(bool b);
    static Value fromInt(qint64 i);
    static Value fromEnum(qint64 i, const QString& enumClass, const QString& name);
    static Value fromFloat(double d);
    static Value fromStr(const QString& s);
    static Value fromBytes(const QByteArray& b);
    static Value fromByteArray(qint64 size);
    static Value tuple(ValueList items);
    static Value list(ValueList items);
    static Value fromSocket(const SocketRef& socket);
    static Value module(const QString& name);
    static Value builtin(const QString& name);
    static Value method(const Value& self, const QString& name);

    bool isNone() const { return kind == Kind::None; }
    bool isBytesLike() const { return kind == Kind::Bytes || kind == Kind::ByteArray; }
    // Bytes or bytearray contents. A repeated value is built here; one larger than
    // kMaxBuilt raises MemoryError instead.
    QByteArray toBytes() const;
    qint64 byteLength() const; // without building anything
    static constexpr qint64 kMaxBuilt = 64 * 1024 * 1024;
    const ValueList& elements() const; // tuple or list items (empty otherwise)
    QString typeName() const;          // Python's type name: "int", "bytes", "socket", ...
    bool truthy() const;
};

// Python's repr() and str() of a value, exactly as Python 3 prints them.
QString repr(const Value& value);
QString str(const Value& value);
using codegen::bytesRepr; // core/codegen/pyrepr.h
using codegen::floatRepr;
using codegen::strRepr;
// A str is a sequence of code points to Python and of UTF-16 units to QString: len(),
// indexing and slicing go through these.
QList<char32_t> codePoints(const QString& text);
QString fromCodePoints(const QList<char32_t>& points);
qsizetype codePointCount(const QString& text);
// How repr() writes a code point it does not show as it is: \xhh, \uhhhh or \Uhhhhhhhh.
QString escapedCodePoint(char32_t point);
bool equals(const Value& a, const Value& b);
// The address tuple Python returns for an endpoint of this family.
Value addressValue(const Endpoint& endpoint, AddressFamily family);

// A Python exception raised by a statement.
struct PyError {
    QString type;    // "ConnectionRefusedError", "TypeError", "AssertionError", ...
    QString message; // "[Errno 111] Connection refused"
    SourcePos pos;
    std::optional<CallResult> call; // set when a socket call raised it

    // The name a "# expect:" line uses for it: the errno name ("ECONNREFUSED"),
    // "timeout", "interrupted", or the exception type for anything else.
    QString expectName() const;
    QString format() const; // "ConnectionRefusedError: [Errno 111] Connection refused"
};

PyError typeError(const QString& message, SourcePos pos = {});
PyError valueError(const QString& message, SourcePos pos = {});
// The exception Python raises for a failed call's result.
PyError errorFromResult(const CallResult& result, SourcePos pos);

} // namespace sockbench::lesson
