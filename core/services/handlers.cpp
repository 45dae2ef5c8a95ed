// What each TCP peer does with one accepted connection: a chain of calls, each submitted
// from the completion of the one before, all on the connection's own worker lanes.

#include "net/calls.h"
#include "peerstate.h"
#include "webpage.h"

#include <QDateTime>
#include <QLocale>

namespace sockbench::services {

namespace {

using Clock = std::chrono::steady_clock;
constexpr qint64 kChunk = 65536;

QString failure(const QString& call, const Event& e)
{
    return QStringLiteral("%1 failed: %2 (%3)").arg(call, e.result.errorName(), e.result.message);
}

QString seconds(std::chrono::milliseconds ms)
{
    return QString::number(double(ms.count()) / 1000.0);
}

// The time left before link->deadline, as settimeout() takes it; nullopt once it passed.
std::optional<double> timeLeft(const Link& link)
{
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(link.deadline - Clock::now());
    if (left.count() < 1)
        return std::nullopt;
    return double(left.count()) / 1000.0;
}

// --- echo -------------------------------------------------------------------------------

void echoNext(const std::shared_ptr<Link>& link)
{
    link->call(calls::recv(kChunk), [link](const Event& e) {
        if (!e.result.ok())
            return link->finish(QStringLiteral("echoed %1 bytes; ").arg(link->count) +
                                failure(QStringLiteral("recv()"), e));
        if (e.result.data.isEmpty())
            return link->finish(
                QStringLiteral("echoed %1 bytes; the client closed").arg(link->count));
        const qint64 size = e.result.data.size();
        link->call(calls::sendAll(e.result.data), [link, size](const Event& sent) {
            if (!sent.result.ok())
                return link->finish(QStringLiteral("echoed %1 bytes; ").arg(link->count) +
                                    failure(QStringLiteral("sendall()"), sent));
            link->count += size;
            echoNext(link);
        });
    });
}

// --- patient receiver -------------------------------------------------------------------

void receivePatiently(const std::shared_ptr<Link>& link)
{
    link->call(calls::recv(kChunk), [link](const Event& e) {
        if (!e.result.ok())
            return link->finish(QStringLiteral("received %1 bytes; ").arg(link->count) +
                                failure(QStringLiteral("recv()"), e));
        if (!e.result.data.isEmpty()) {
            link->count += e.result.data.size();
            return receivePatiently(link);
        }
        // recv() returned b'': the sender shut down its writing side. Answer with the count.
        const QByteArray answer = QByteArray::number(link->count);
        link->call(calls::sendAll(answer), [link, answer](const Event& sent) {
            link->finish(sent.result.ok() ? QStringLiteral("received %1 bytes, answered \"%2\"")
                                                .arg(link->count)
                                                .arg(QString::fromLatin1(answer))
                                          : QStringLiteral("received %1 bytes; ").arg(link->count) +
                                                failure(QStringLiteral("sendall()"), sent));
        });
    });
}

// --- course web page --------------------------------------------------------------------

void readRequest(const std::shared_ptr<Link>& link);

// After the answer: no more to send (shutdown(SHUT_WR) is the end of the page for an
// HTTP/0.9 client), then read what the client may still send until it closes, so that
// our close() never meets unread bytes - which would make the kernel send a reset and
// could destroy the page before the client read it. Bounded like the request.
void drain(const std::shared_ptr<Link>& link, const QString& summary)
{
    const auto left = timeLeft(*link);
    if (!left)
        return link->finish(summary + QStringLiteral("; closed (the client kept the "
                                                     "connection open)"));
    link->call(calls::settimeout(left));
    link->call(calls::recv(kChunk), [link, summary](const Event& e) {
        if (e.result.ok() && !e.result.data.isEmpty())
            return drain(link, summary);
        link->finish(summary);
    });
}

void answer(const std::shared_ptr<Link>& link, const web::Response& response)
{
    link->call(calls::sendAll(response.bytes), [link, summary = response.summary](const Event& e) {
        if (!e.result.ok())
            return link->finish(summary + QStringLiteral("; ") +
                                failure(QStringLiteral("sendall()"), e));
        link->call(calls::shutdown(SHUT_WR));
        link->deadline = Clock::now() + link->options().requestTimeout;
        drain(link, summary);
    });
}

void readRequest(const std::shared_ptr<Link>& link)
{
    const auto left = timeLeft(*link);
    const QString wait = seconds(link->options().requestTimeout);
    if (!left)
        return link->finish(
            QStringLiteral("sent no complete request within %1 s; closed without an answer")
                .arg(wait));
    // One deadline for the whole request: a client dripping a byte at a time cannot keep
    // the connection open longer than one that sends nothing.
    link->call(calls::settimeout(left));
    link->call(calls::recv(4096), [link, wait](const Event& e) {
        if (e.result.outcome == Outcome::Timeout)
            return link->finish(
                QStringLiteral("sent no complete request within %1 s; closed without an answer")
                    .arg(wait));
        if (!e.result.ok())
            return link->finish(failure(QStringLiteral("recv()"), e));
        if (e.result.data.isEmpty())
            return link->finish(link->buffer.isEmpty()
                                    ? QStringLiteral("closed without sending a request")
                                    : QStringLiteral("closed before the request was complete"));
        link->buffer += e.result.data;
        const web::Parsed parsed = web::parse(link->buffer);
        if (parsed.status == web::Parsed::Status::Incomplete)
            return readRequest(link);
        answer(link, web::respond(parsed));
    });
}

} // namespace

void serveEcho(const std::shared_ptr<Link>& link)
{
    echoNext(link);
}

void servePatientReceiver(const std::shared_ptr<Link>& link)
{
    receivePatiently(link);
}

void serveDaytime(const std::shared_ptr<Link>& link)
{
    // RFC 867 leaves the format open; this is ctime()'s, as inetd's daytime wrote it:
    // "Mon Jan  8 09:03:27 2024" (the day padded to two places with a space).
    const QDateTime time = QDateTime::currentDateTime();
    const QLocale c = QLocale::c();
    const QString now = c.toString(time, QStringLiteral("ddd MMM ")) +
                        QStringLiteral("%1").arg(time.date().day(), 2) +
                        c.toString(time, QStringLiteral(" HH:mm:ss yyyy"));
    const QByteArray line = now.toLatin1() + QByteArrayLiteral("\r\n");
    link->call(calls::sendAll(line), [link, now](const Event& e) {
        link->finish(e.result.ok() ? QStringLiteral("sent \"%1\"").arg(now)
                                   : failure(QStringLiteral("sendall()"), e));
    });
}

void serveCourseWeb(const std::shared_ptr<Link>& link)
{
    link->deadline = Clock::now() + link->options().requestTimeout;
    readRequest(link);
}

} // namespace sockbench::services
