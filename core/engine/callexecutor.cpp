#include "callexecutor.h"

#include "net/resolver.h"

#include <cerrno>
#include <cmath>
#include <variant>

namespace sockbench::callexecutor {

namespace {

std::optional<CallResult> checkSize(const QString& name, qint64 size)
{
    if (size < 0)
        return CallResult::invalid(QStringLiteral("negative buffersize in %1").arg(name));
    if (size > PosixSocket::kMaxReceiveSize)
        return CallResult::invalid(
            QStringLiteral("%1(%2): the workbench reads at most %3 bytes in one call")
                .arg(name)
                .arg(size)
                .arg(PosixSocket::kMaxReceiveSize));
    return std::nullopt;
}

qint64 intoSize(const CallArgs& args)
{
    return args.size == 0 ? args.bufferSize : args.size;
}

} // namespace

std::optional<CallResult> validate(const Call& call, AddressFamily family, SocketType)
{
    const CallArgs& a = call.args;
    const QString name = callName(call.kind);
    switch (call.kind) {
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
    case CallKind::SendTo:
        return resolver::checkAddressArgs(a, family, name);
    case CallKind::Recv:
    case CallKind::RecvFrom:
        return checkSize(name, a.size);
    case CallKind::RecvInto:
        // Python's own checks and words (sock_recv_into): nbytes 0 means the whole buffer.
        if (a.size < 0)
            return CallResult::invalid(QStringLiteral("negative buffersize in recv_into"));
        if (a.size > a.bufferSize)
            return CallResult::invalid(QStringLiteral("buffer too small for requested bytes"));
        return checkSize(name, intoSize(a));
    case CallKind::RecvFromInto:
        if (a.size < 0)
            return CallResult::invalid(QStringLiteral("negative buffersize in recvfrom_into"));
        if (a.size > a.bufferSize)
            return CallResult::invalid(
                QStringLiteral("nbytes is greater than the length of the buffer"));
        return checkSize(name, intoSize(a));
    case CallKind::Send:
    case CallKind::SendAll:
        if (a.repeat < 0)
            return CallResult::invalid(QStringLiteral("%1(): a negative repeat count").arg(name));
        return std::nullopt;
    case CallKind::SetTimeout:
        if (a.timeout && (*a.timeout < 0 || !std::isfinite(*a.timeout)))
            return CallResult::invalid(QStringLiteral("Timeout value out of range"));
        return std::nullopt;
    case CallKind::SetSockOpt:
        if (a.option == SocketOption::Error || a.option == SocketOption::Type ||
            a.option == SocketOption::AcceptConn)
            return std::nullopt; // read-only options: the kernel answers ENOPROTOOPT
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<CallResult> answerWithoutKernel(const Call& call, AddressFamily family,
                                              SocketType type)
{
    if (auto invalid = validate(call, family, type))
        return invalid;
    // recv(0) and recv_into() of nothing: Python answers b'' / 0 without a system call,
    // whatever the socket's state (closed, or with nothing to read in blocking mode).
    // recvfrom(0) does make the call.
    if ((call.kind == CallKind::Recv && call.args.size == 0) ||
        (call.kind == CallKind::RecvInto && intoSize(call.args) == 0))
        return CallResult{};
    return std::nullopt;
}

CallResult onClosedSocket(const Call& call, AddressFamily family, SocketType type)
{
    if (auto answer = answerWithoutKernel(call, family, type))
        return *answer;
    if (call.kind == CallKind::Close)
        return CallResult{}; // close() twice is fine in Python
    if (call.kind == CallKind::ConnectEx) {
        // Python's connect_ex() on a closed socket returns the errno, as for any other.
        CallResult result;
        result.count = EBADF;
        return result;
    }
    return CallResult::fromErrno(EBADF);
}

Execution run(PosixSocket& socket, const Call& call, BlockingWait& wait)
{
    const CallArgs& a = call.args;
    Execution out;
    auto resolved = [&]() -> std::variant<Endpoint, CallResult> {
        return resolver::resolveAddress(a, socket.family());
    };
    switch (call.kind) {
    case CallKind::SetSockOpt:
        out.result = socket.setOption(a.option, a.value, a.lingerSeconds, a.optionLevel,
                                      a.optionNumber, a.payload);
        break;
    case CallKind::GetSockOpt:
        out.result = socket.getOption(a.option, a.optionLevel, a.optionNumber);
        break;
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
    case CallKind::SendTo: {
        auto address = resolved();
        if (auto* error = std::get_if<CallResult>(&address)) {
            out.result = *error;
            break;
        }
        const Endpoint& to = std::get<Endpoint>(address);
        if (call.kind == CallKind::Bind)
            out.result = socket.bind(to);
        else if (call.kind == CallKind::SendTo)
            out.result = socket.sendTo(
                a.payload.repeated(static_cast<qsizetype>(std::max<qint64>(a.repeat, 0))), to,
                a.flags, wait);
        else
            out.result = socket.connect(to, wait, call.kind == CallKind::ConnectEx);
        break;
    }
    case CallKind::Listen:
        out.result = socket.listen(a.backlog);
        break;
    case CallKind::Accept:
        out.result = socket.accept(wait, &out.acceptedFd);
        break;
    case CallKind::Send:
        out.result = socket.send(a.payload, a.repeat, a.flags, wait);
        break;
    case CallKind::SendAll:
        out.result = socket.sendAll(a.payload, a.repeat, a.flags, wait);
        break;
    case CallKind::Recv:
        out.result = socket.receive(a.size, a.flags, false, wait);
        break;
    case CallKind::RecvFrom:
        out.result = socket.receive(a.size, a.flags, true, wait);
        break;
    case CallKind::RecvInto:
        out.result = socket.receive(intoSize(a), a.flags, false, wait);
        break;
    case CallKind::RecvFromInto:
        out.result = socket.receive(intoSize(a), a.flags, true, wait);
        break;
    case CallKind::Shutdown:
        out.result = socket.shutdown(a.how);
        break;
    case CallKind::GetSockName:
        out.result = socket.localAddress();
        break;
    case CallKind::GetPeerName:
        out.result = socket.peerAddress();
        break;
    case CallKind::SetBlocking:
        socket.setTimeoutMode(a.blocking ? TimeoutMode{}
                                         : TimeoutMode{std::chrono::nanoseconds(0)});
        break;
    case CallKind::SetTimeout:
        if (a.timeout)
            socket.setTimeoutMode(TimeoutMode{
                std::chrono::nanoseconds(static_cast<qint64>(std::llround(*a.timeout * 1e9)))});
        else
            socket.setTimeoutMode(TimeoutMode{});
        break;
    case CallKind::Socket:
    case CallKind::SocketPair:
    case CallKind::Close:
    case CallKind::GetAddrInfo:
    case CallKind::GetHostByName:
    case CallKind::GetHostByAddr:
    case CallKind::GetHostName:
        out.result = CallResult::invalid(
            QStringLiteral("%1() is not a call on a socket").arg(callName(call.kind)));
        break;
    }
    return out;
}

CallResult runModuleCall(const Call& call)
{
    switch (call.kind) {
    case CallKind::GetAddrInfo:
        return resolver::getAddrInfo(call.args);
    case CallKind::GetHostByName:
        return resolver::getHostByName(call.args);
    case CallKind::GetHostByAddr:
        return resolver::getHostByAddr(call.args);
    case CallKind::GetHostName:
        return resolver::getHostName();
    default:
        return CallResult::invalid(QStringLiteral("%1() needs a socket").arg(callName(call.kind)));
    }
}

} // namespace sockbench::callexecutor
