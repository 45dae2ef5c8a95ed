#include "kernelprobe.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace sockbench {

QString tcpStateName(TcpState state)
{
    switch (state) {
    case TcpState::None:
        return QStringLiteral("—");
    case TcpState::Established:
        return QStringLiteral("ESTABLISHED");
    case TcpState::SynSent:
        return QStringLiteral("SYN_SENT");
    case TcpState::SynRecv:
        return QStringLiteral("SYN_RECV");
    case TcpState::FinWait1:
        return QStringLiteral("FIN_WAIT1");
    case TcpState::FinWait2:
        return QStringLiteral("FIN_WAIT2");
    case TcpState::TimeWait:
        return QStringLiteral("TIME_WAIT");
    case TcpState::Close:
        return QStringLiteral("CLOSE");
    case TcpState::CloseWait:
        return QStringLiteral("CLOSE_WAIT");
    case TcpState::LastAck:
        return QStringLiteral("LAST_ACK");
    case TcpState::Listen:
        return QStringLiteral("LISTEN");
    case TcpState::Closing:
        return QStringLiteral("CLOSING");
    }
    return {};
}

bool isTransitional(TcpState state)
{
    switch (state) {
    case TcpState::SynSent:
    case TcpState::SynRecv:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::TimeWait:
    case TcpState::LastAck:
    case TcpState::Closing:
        return true;
    default:
        return false;
    }
}

namespace {

// The kernel numbers its states 1..11 in exactly the order of TcpState after None.
TcpState fromKernelState(unsigned state)
{
    if (state >= 1 && state <= 11)
        return static_cast<TcpState>(state);
    return TcpState::None;
}

class LinuxKernelProbe final : public KernelProbe {
public:
    QString name() const override { return QStringLiteral("Linux TCP_INFO + SIOCINQ/SIOCOUTQ"); }

    // SIOCOUTQ (write_seq - snd_una) as bytes of data: less the SYN or FIN it still
    // counts; unknown (-1) where there is no connection to send on.
    static qint32 sendQueueBytes(TcpState state, int sequence)
    {
        switch (state) {
        case TcpState::SynSent:
        case TcpState::SynRecv:
        case TcpState::FinWait1:
        case TcpState::Closing:
        case TcpState::LastAck:
            return std::max(sequence - 1, 0);
        case TcpState::Close:
        case TcpState::None:
            return -1;
        default:
            return sequence;
        }
    }

    KernelSnapshot probe(int fd, AddressFamily family, SocketType type, ProbeScope scope,
                         const KernelSnapshot& last) const override
    {
        // One queue alone only where it means bytes and the rest is known: an established
        // TCP connection last seen whole.
        const bool tcp = type == SocketType::Stream && family != AddressFamily::Unix;
        if (scope == ProbeScope::Everything || fd < 0 || !tcp || !last.valid ||
            last.tcpState != TcpState::Established)
            return probe(fd, family, type);
        KernelSnapshot s = last;
        int value = 0;
        if (::ioctl(fd, scope == ProbeScope::ReceiveQueue ? SIOCINQ : SIOCOUTQ, &value) != 0)
            return probe(fd, family, type);
        if (scope == ProbeScope::ReceiveQueue)
            s.recvQueue = value;
        else
            s.sendQueue = sendQueueBytes(s.tcpState, value);
        return s;
    }

    KernelSnapshot probe(int fd, AddressFamily family, SocketType type) const override
    {
        KernelSnapshot s;
        if (fd < 0)
            return s;
        s.valid = true;
        const bool tcp = type == SocketType::Stream && family != AddressFamily::Unix;
        bool listening = false;
        if (tcp) {
            tcp_info info{};
            socklen_t length = sizeof info;
            if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
                s.tcpState = fromKernelState(info.tcpi_state);
                listening = s.tcpState == TcpState::Listen;
                if (listening) {
                    // For a listener the kernel reuses these two fields: the current
                    // accept-queue length and its limit (tcp_get_info()).
                    s.acceptQueue = static_cast<qint32>(info.tcpi_unacked);
                    s.backlog = static_cast<qint32>(info.tcpi_sacked);
                }
            }
        } else if (isConnectionOriented(type)) {
            int accepting = 0;
            socklen_t length = sizeof accepting;
            if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0)
                listening = accepting != 0;
        }
        if (!listening) {
            // SIOCINQ/SIOCOUTQ on a listener answer EINVAL; they mean nothing there.
            int value = 0;
            if (::ioctl(fd, SIOCINQ, &value) == 0)
                s.recvQueue = value;
            // SIOCOUTQ counts bytes only on TCP, and there it counts sequence numbers: an
            // unacknowledged SYN or FIN is one of them, and on a socket with no connection
            // (CLOSE, after a refusal) the number is left over. On AF_UNIX it is memory
            // (768 for a 19-byte send). Neither is shown as bytes waiting.
            if (tcp && ::ioctl(fd, SIOCOUTQ, &value) == 0)
                s.sendQueue = sendQueueBytes(s.tcpState, value);
            if (family == AddressFamily::Unix && isConnectionOriented(type)) {
                pollfd p{fd, POLLRDHUP, 0};
                s.peerDone = ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP)) != 0;
            }
        }
        return s;
    }

    std::optional<TcpState> lookupClosed(const Endpoint& local,
                                         const Endpoint& remote) const override
    {
        const bool v4 =
            local.family() == AddressFamily::Inet4 && remote.family() == AddressFamily::Inet4;
        const Endpoint from = v4 ? local : local.toV4Mapped();
        const Endpoint to = v4 ? remote : remote.toV4Mapped();
        if (const DiagAnswer answer = askSockDiag(v4 ? AF_INET : AF_INET6, from, to);
            answer.answered)
            return answer.state;
        // No sock_diag here (a kernel without tcp_diag, or netlink refused): read the table.
        return lookupIn(v4 ? QStringLiteral("/proc/net/tcp") : QStringLiteral("/proc/net/tcp6"),
                        from, to);
    }

private:
    // One NETLINK_SOCK_DIAG socket with a bounded wait for the kernel's answer.
    class DiagSocket {
    public:
        DiagSocket()
            : m_fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG))
        {
            if (m_fd < 0)
                return;
            const timeval oneSecond{1, 0}; // the kernel answers at once; never hang on it
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &oneSecond, sizeof oneSecond);
        }
        ~DiagSocket()
        {
            if (m_fd >= 0)
                ::close(m_fd);
        }
        DiagSocket(const DiagSocket&) = delete;
        DiagSocket& operator=(const DiagSocket&) = delete;
        bool isOpen() const { return m_fd >= 0; }

        bool send(const inet_diag_req_v2& request, quint16 flags)
        {
            struct {
                nlmsghdr header;
                inet_diag_req_v2 request;
            } message{};
            message.header.nlmsg_len = sizeof message;
            message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
            message.header.nlmsg_flags = static_cast<quint16>(NLM_F_REQUEST | flags);
            message.request = request;
            sockaddr_nl kernel{};
            kernel.nl_family = AF_NETLINK;
            for (;;) {
                const auto sent =
                    ::sendto(m_fd, &message, sizeof message, 0,
                             reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
                if (sent == static_cast<ssize_t>(sizeof message))
                    return true;
                if (sent < 0 && errno == EINTR)
                    continue;
                return false;
            }
        }

        // The next datagram of the answer; empty on a timeout or an error.
        QByteArray receive()
        {
            QByteArray buffer(8192, Qt::Uninitialized);
            for (;;) {
                const auto got = ::recv(m_fd, buffer.data(), static_cast<size_t>(buffer.size()), 0);
                if (got < 0 && errno == EINTR)
                    continue;
                if (got <= 0)
                    return {};
                buffer.truncate(got);
                return buffer;
            }
        }

    private:
        int m_fd = -1;
    };

    // Whether the kernel answers sock_diag for TCP: a dump of no states at all comes back
    // empty (NLMSG_DONE) where tcp_diag is there, and as an error where it is not - which is
    // also what a single lookup says of a connection it does not know (ENOENT), so only
    // this tells the two apart. Asked once per process.
    static bool sockDiagWorks()
    {
        static const bool works = [] {
            DiagSocket diag;
            if (!diag.isOpen())
                return false;
            inet_diag_req_v2 request{};
            request.sdiag_family = AF_INET;
            request.sdiag_protocol = IPPROTO_TCP;
            request.idiag_states = 0;
            if (!diag.send(request, NLM_F_DUMP))
                return false;
            const QByteArray answer = diag.receive();
            if (answer.size() < static_cast<qsizetype>(sizeof(nlmsghdr)))
                return false;
            nlmsghdr header{};
            std::memcpy(&header, answer.constData(), sizeof header);
            return header.nlmsg_type == NLMSG_DONE;
        }();
        return works;
    }

    static void fillSockId(inet_diag_sockid& id, int family, const Endpoint& local,
                           const Endpoint& remote)
    {
        id.idiag_sport = htons(local.port());
        id.idiag_dport = htons(remote.port());
        if (family == AF_INET) { // ipv4() is also the address inside a mapped one
            const quint32 source = htonl(local.ipv4());
            const quint32 destination = htonl(remote.ipv4());
            std::memcpy(id.idiag_src, &source, 4);
            std::memcpy(id.idiag_dst, &destination, 4);
        } else {
            std::memcpy(id.idiag_src, local.ipv6().data(), 16);
            std::memcpy(id.idiag_dst, remote.ipv6().data(), 16);
        }
        id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
        id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    }

    // The state of exactly this connection, asked of the kernel by its four addresses
    // (sock_diag's single-socket lookup): one small message, however many connections the
    // machine has, where /proc/net/tcp lists them all. Not answered: sock_diag could not
    // say; a state of nullopt: the kernel does not know the connection (any more).
    struct DiagAnswer {
        bool answered = false;
        std::optional<TcpState> state;
    };
    static DiagAnswer askSockDiag(int family, const Endpoint& local, const Endpoint& remote)
    {
        if (!sockDiagWorks())
            return {};
        DiagSocket diag;
        if (!diag.isOpen())
            return {};
        inet_diag_req_v2 request{};
        request.sdiag_family = static_cast<quint8>(family);
        request.sdiag_protocol = IPPROTO_TCP;
        request.idiag_states = ~0U;
        fillSockId(request.id, family, local, remote);
        if (!diag.send(request, 0))
            return {};
        const QByteArray answer = diag.receive();
        if (answer.size() < static_cast<qsizetype>(sizeof(nlmsghdr)))
            return {};
        nlmsghdr header{};
        std::memcpy(&header, answer.constData(), sizeof header);
        if (header.nlmsg_type == NLMSG_ERROR) {
            nlmsgerr error{};
            if (answer.size() >= static_cast<qsizetype>(NLMSG_LENGTH(sizeof error)))
                std::memcpy(&error, answer.constData() + NLMSG_HDRLEN, sizeof error);
            if (error.error == -ENOENT)
                return {true, std::nullopt}; // no such connection
            return {};
        }
        if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
            answer.size() < static_cast<qsizetype>(NLMSG_LENGTH(sizeof(inet_diag_msg))))
            return {};
        inet_diag_msg found{};
        std::memcpy(&found, answer.constData() + NLMSG_HDRLEN, sizeof found);
        // Where no connection matches, the kernel's lookup falls back to a listener on the
        // local port: that is not the connection asked about, which is gone. (An IPv4
        // socket found for a mapped address is described with its IPv4 addresses.)
        inet_diag_sockid asked{};
        fillSockId(asked, found.idiag_family == AF_INET ? AF_INET : family, local, remote);
        if (found.id.idiag_sport != asked.idiag_sport ||
            found.id.idiag_dport != asked.idiag_dport ||
            std::memcmp(found.id.idiag_src, asked.idiag_src, sizeof asked.idiag_src) != 0 ||
            std::memcmp(found.id.idiag_dst, asked.idiag_dst, sizeof asked.idiag_dst) != 0)
            return {true, std::nullopt};
        return {true, fromKernelState(found.idiag_state)};
    }

    // /proc/net/tcp writes addresses as the raw in-memory words in hex, so on a
    // little-endian machine 127.0.0.1 appears as 0100007F.
    static QByteArray procAddress(const Endpoint& e)
    {
        QByteArray text;
        if (e.family() == AddressFamily::Inet4) {
            const quint32 net = htonl(e.ipv4());
            quint32 word = 0;
            std::memcpy(&word, &net, 4);
            text = QByteArray::number(word, 16).rightJustified(8, '0');
        } else {
            const auto& bytes = e.ipv6();
            for (size_t i = 0; i < 16; i += 4) {
                quint32 word = 0;
                std::memcpy(&word, bytes.data() + i, 4);
                text += QByteArray::number(word, 16).rightJustified(8, '0');
            }
        }
        return text.toUpper() + ':' +
               QByteArray::number(e.port(), 16).rightJustified(4, '0').toUpper();
    }

    static std::optional<TcpState> lookupIn(const QString& path, const Endpoint& local,
                                            const Endpoint& remote)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        const QByteArray wantLocal = procAddress(local);
        const QByteArray wantRemote = procAddress(remote);
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> fields = lines[i].simplified().split(' ');
            if (fields.size() < 4)
                continue;
            if (fields[1] == wantLocal && fields[2] == wantRemote) {
                bool ok = false;
                const unsigned state = fields[3].toUInt(&ok, 16);
                if (ok)
                    return fromKernelState(state);
            }
        }
        return std::nullopt;
    }
};

} // namespace

std::unique_ptr<KernelProbe> makeKernelProbe()
{
    return std::make_unique<LinuxKernelProbe>();
}

} // namespace sockbench
