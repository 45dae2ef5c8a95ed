#include "channel.h"

#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace sockbench::program {

namespace {

void putU32(char* at, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        at[i] = char((value >> (8 * i)) & 0xff);
}

quint32 getU32(const char* at)
{
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value |= quint32(quint8(at[i])) << (8 * i);
    return value;
}

bool writeAll(int fd, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= size_t(n);
    }
    return true;
}

} // namespace

Channel::Channel(int fd)
    : m_fd(fd)
{
}

Channel::~Channel()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void Channel::shutdown()
{
    ::shutdown(m_fd, SHUT_RDWR);
}

bool Channel::send(const QJsonObject& message, const QByteArray& blob, const QList<int>& fds)
{
    const QByteArray json = QJsonDocument(message).toJson(QJsonDocument::Compact);
    char header[8];
    putU32(header, quint32(json.size()));
    putU32(header + 4, quint32(blob.size()));

    std::lock_guard lock(m_writeMutex);
    if (!fds.isEmpty()) {
        // The descriptors ride on the header alone, so that the reader's first recvmsg()
        // of exactly eight bytes takes them.
        Q_ASSERT(fds.size() <= 2);
        iovec iov{header, sizeof header};
        alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(size_t(fds.size()) * sizeof(int));
        cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(size_t(fds.size()) * sizeof(int));
        std::memcpy(CMSG_DATA(cmsg), fds.constData(), size_t(fds.size()) * sizeof(int));
        ssize_t n;
        do
            n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return false;
        if (size_t(n) < sizeof header && !writeAll(m_fd, header + n, sizeof header - size_t(n)))
            return false;
    } else if (!writeAll(m_fd, header, sizeof header)) {
        return false;
    }
    return writeAll(m_fd, json.constData(), size_t(json.size())) &&
           writeAll(m_fd, blob.constData(), size_t(blob.size()));
}

bool Channel::readExact(char* into, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::recv(m_fd, into, size, 0);
        if (n == 0)
            return false;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        into += n;
        size -= size_t(n);
    }
    return true;
}

std::optional<Channel::Frame>
Channel::receive(const std::function<void(const QJsonObject&)>& arriving)
{
    char header[8];
    if (!readExact(header, sizeof header))
        return std::nullopt;
    const quint32 jsonSize = getU32(header);
    const quint32 blobSize = getU32(header + 4);
    if (jsonSize > kMaxJson || blobSize > kMaxBlob)
        return std::nullopt;
    QByteArray json(qsizetype(jsonSize), Qt::Uninitialized);
    if (!readExact(json.data(), jsonSize))
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    Frame frame;
    frame.message = doc.object();
    if (blobSize > kLongBlob && arriving)
        arriving(frame.message);
    frame.blob = QByteArray(qsizetype(blobSize), Qt::Uninitialized);
    if (!readExact(frame.blob.data(), blobSize))
        return std::nullopt;
    return frame;
}

} // namespace sockbench::program
