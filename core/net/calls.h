#pragma once

#include "call.h"

// Short ways to spell a call, in Python's terms: calls::bind("localhost", 0),
// calls::recv(1024). Used by the lesson runner, the panels and the tests alike.
namespace sockbench::calls {

Call socket(AddressFamily family = AddressFamily::Inet4, SocketType type = SocketType::Stream,
            int proto = 0);
// socket.socketpair(family, type, proto): Python's default family is AF_UNIX.
Call socketpair(AddressFamily family = AddressFamily::Unix, SocketType type = SocketType::Stream,
                int proto = 0);
Call setsockopt(SocketOption option, qint64 value, qint64 lingerSeconds = 0);
Call getsockopt(SocketOption option);
Call bind(const QString& host, qint64 port);
Call listen(std::optional<int> backlog = std::nullopt);
Call accept();
Call connect(const QString& host, qint64 port);
Call connectEx(const QString& host, qint64 port);
Call send(const QByteArray& data, qint64 repeat = 1);
Call sendAll(const QByteArray& data, qint64 repeat = 1);
Call sendTo(const QByteArray& data, const QString& host, qint64 port);
Call recv(qint64 size);
Call recvFrom(qint64 size);
Call recvInto(qint64 bufferSize, qint64 size = 0);
Call recvFromInto(qint64 bufferSize, qint64 size = 0);
Call shutdown(int how);
Call close();
Call getsockname();
Call getpeername();
Call setblocking(bool blocking);
Call settimeout(std::optional<double> seconds);
// getaddrinfo(host, port, family=0, type=0, proto=0, flags=0); an empty service is None.
Call getaddrinfo(const QString& host, const QString& service,
                 AddressFamily family = AddressFamily::Unspecified, int socketType = 0,
                 int proto = 0, int flags = 0);
Call gethostbyname(const QString& name);
Call gethostbyaddr(const QString& address);
Call gethostname();

} // namespace sockbench::calls
