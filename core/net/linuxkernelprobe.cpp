#include "kernelprobe.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

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
        } else if (type == SocketType::Stream) {
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
            if (::ioctl(fd, SIOCOUTQ, &value) == 0)
                s.sendQueue = value;
        }
        return s;
    }

    std::optional<TcpState> lookupClosed(const Endpoint& local,
                                         const Endpoint& remote) const override
    {
        if (local.family() == AddressFamily::Inet4 && remote.family() == AddressFamily::Inet4)
            return lookupIn(QStringLiteral("/proc/net/tcp"), local, remote);
        return lookupIn(QStringLiteral("/proc/net/tcp6"), local.toV4Mapped(), remote.toV4Mapped());
    }

private:
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
