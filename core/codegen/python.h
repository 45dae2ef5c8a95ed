#pragma once

#include "net/call.h"

#include <QSet>
#include <QString>

namespace sockbench::codegen {

// Python text for the statements a panel click stands for, in the course's own idiom:
// `s1.bind(('127.0.0.1', 4000))`. The text is what gets run (through the lesson parser
// and evaluator) and what is saved, so it must be exactly what a student would type.
namespace python {

// A fresh variable name with this stem ("s" -> "s1", "s2", ...) not in taken.
QString freshName(const QString& stem, const QSet<QString>& taken);

// `NAME = socket.socket(socket.AF_INET, socket.SOCK_STREAM)`
QString createSocket(const QString& name, AddressFamily family, SocketType type);

// A call on the socket in variable `socket`. Values the call returns are bound to the
// names given (accept: {conn, addr}; recv: {data}; recvfrom: {data, addr}; send/connect_ex:
// {result}); an empty list drops them. Returns "" for calls that are not socket methods.
// portExpression, when given, is written in place of the port number
// (`server.getsockname()[1]`), so a script does not depend on a port the kernel chose once.
QString socketCall(const QString& socket, const Call& call, AddressFamily family,
                   const QStringList& results = {}, const QString& portExpression = {});

// The Python literal for an address of this family: ('127.0.0.1', 4000), ('::1', 80),
// '/tmp/sock' or b'\x00name' for an abstract AF_UNIX name.
QString addressLiteral(const QString& host, qint64 port, AddressFamily family,
                       const QString& portExpression = {});

} // namespace python
} // namespace sockbench::codegen
