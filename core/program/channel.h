#pragma once

#include <QByteArray>
#include <QJsonObject>

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace sockbench::program {

// The workbench's end of the channel to a backend process: framed messages over a Unix
// stream socket (docs/backend-protocol.md). A frame is two little-endian u32 (the JSON
// length, the blob length), the JSON object, then the blob. Descriptors travel as
// SCM_RIGHTS on a frame's header.
//
// send() is safe from any thread; receive() belongs to one reader thread.
class Channel {
public:
    struct Frame {
        QJsonObject message;
        QByteArray blob;
        std::vector<int> fds; // owned by whoever takes the frame
    };

    explicit Channel(int fd); // takes the descriptor
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    // false once the backend is gone. fd (if >= 0) is passed along, not taken.
    // Descriptors ride along (SCM_RIGHTS): a new socket's, or socketpair()'s two.
    bool send(const QJsonObject& message, const QByteArray& blob = {}, const QList<int>& fds = {});
    // The next frame, waiting for it; nullopt when the backend closed its end (or died).
    // A frame whose blob is long (a send() of megabytes) takes a while to cross: its
    // message is handed to arriving first, as soon as it is read, before the blob.
    std::optional<Frame> receive(const std::function<void(const QJsonObject&)>& arriving = {});
    // Makes receive() return nullopt and every later send() fail.
    void shutdown();

    // The most a frame may carry; a bigger one is a broken backend.
    static constexpr quint32 kMaxJson = 16u << 20;
    static constexpr quint32 kMaxBlob = 2u << 30; // BackendProcess::kMemoryLimit
    static constexpr quint32 kLongBlob = 64u << 10;

private:
    bool readExact(char* into, size_t size);

    int m_fd;
    std::mutex m_writeMutex;
};

} // namespace sockbench::program
