// The baseline for bench/serve_bench.py: what `sockbench serve course-web` does, written the
// plain way - blocking POSIX calls, one thread per connection ("the new socket is passed to
// a thread", as the course puts it) - with no workbench, no trace and no kernel probing.
// It speaks the course's one-line request only: it reads until the first newline (or the
// timeout, or 8 KiB), answers the page, shuts down its sending side, reads until the client
// closes (the timeout again at most) and closes.
//
//   sockbench-serve-baseline [--timeout SECONDS]
//       prints "listening on 127.0.0.1:PORT" and serves until killed; 10 s by default, as
//       `sockbench serve course-web`

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>

namespace {

constexpr char kPage[] = "<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n"
                         "<body>\nHello, welcome to 5062CEM!</body>\n";

bool sendAll(int fd, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data += sent;
        size -= static_cast<size_t>(sent);
    }
    return true;
}

void serve(int fd, long seconds)
{
    const timeval wait{seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char buffer[8192];
    size_t have = 0;
    bool complete = false;
    while (!complete && have < sizeof buffer) {
        const ssize_t got = ::recv(fd, buffer + have, sizeof buffer - have, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        complete = std::memchr(buffer + have, '\n', static_cast<size_t>(got)) != nullptr;
        have += static_cast<size_t>(got);
    }
    if (complete && sendAll(fd, kPage, sizeof kPage - 1)) {
        ::shutdown(fd, SHUT_WR);
        for (;;) { // until the client closes, so that our close() meets no unread bytes
            const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0)
                break;
        }
    }
    ::close(fd);
}

} // namespace

int main(int argc, char** argv)
{
    long seconds = 10;
    if (argc == 3 && std::strcmp(argv[1], "--timeout") == 0)
        seconds = std::strtol(argv[2], nullptr, 10);
    if ((argc != 1 && argc != 3) || seconds <= 0) {
        std::fprintf(stderr, "usage: sockbench-serve-baseline [--timeout SECONDS]\n");
        return 2;
    }
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener, 128) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::perror("sockbench-serve-baseline");
        return 1;
    }
    std::printf("listening on 127.0.0.1:%u\n", unsigned(ntohs(address.sin_port)));
    std::fflush(stdout);
    for (;;) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            std::perror("accept");
            return 1;
        }
        // Detached: the thread ends with its connection; the process ends by a signal.
        std::thread(serve, fd, seconds).detach();
    }
}
