#pragma once

// A program outside the workbench, for the peers' tests: plain blocking POSIX sockets, as
// any other client on this machine would use them. Every wait is bounded (SO_RCVTIMEO and
// SO_SNDTIMEO), so a peer that never answers fails the test instead of hanging it.

#include "net/endpoint.h"

#include <QByteArray>

#include <cerrno>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace sockbench::test {

class OutsideClient {
public:
    static constexpr int kWaitSeconds = 10;

    explicit OutsideClient(AddressFamily family = AddressFamily::Inet4, int type = SOCK_STREAM)
        : m_fd(::socket(toNativeFamily(family), type | SOCK_CLOEXEC, 0))
    {
        const timeval wait{kWaitSeconds, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
    }
    ~OutsideClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    OutsideClient(const OutsideClient&) = delete;
    OutsideClient& operator=(const OutsideClient&) = delete;

    int fd() const { return m_fd; }

    bool connectTo(const Endpoint& to)
    {
        sockaddr_storage address{};
        const socklen_t length = to.toSockaddr(address);
        return ::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), length) == 0;
    }

    bool sendAll(const QByteArray& data)
    {
        qsizetype sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(m_fd, data.constData() + sent,
                                     static_cast<size_t>(data.size() - sent), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            sent += n;
        }
        return true;
    }

    bool sendTo(const QByteArray& data, const Endpoint& to)
    {
        sockaddr_storage address{};
        const socklen_t length = to.toSockaddr(address);
        return ::sendto(m_fd, data.constData(), static_cast<size_t>(data.size()), 0,
                        reinterpret_cast<const sockaddr*>(&address),
                        length) == ssize_t(data.size());
    }

    // One recv(): the bytes, empty at the end of the stream; *failed on an error or when
    // nothing came within the wait.
    QByteArray receive(qsizetype size = 65536, bool* failed = nullptr)
    {
        QByteArray buffer(size, Qt::Uninitialized);
        ssize_t n = 0;
        do {
            n = ::recv(m_fd, buffer.data(), static_cast<size_t>(size), 0);
        } while (n < 0 && errno == EINTR);
        if (failed)
            *failed = n < 0;
        buffer.resize(n < 0 ? 0 : n);
        return buffer;
    }

    // Reads until the peer closes; *closed says whether it did (rather than time out).
    QByteArray readToEnd(bool* closed = nullptr)
    {
        QByteArray all;
        for (;;) {
            bool failed = false;
            const QByteArray chunk = receive(65536, &failed);
            if (failed || chunk.isEmpty()) {
                if (closed)
                    *closed = !failed;
                return all;
            }
            all += chunk;
        }
    }

    bool shutdownWrite() { return ::shutdown(m_fd, SHUT_WR) == 0; }

private:
    int m_fd = -1;
};

} // namespace sockbench::test
