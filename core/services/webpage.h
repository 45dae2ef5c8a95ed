#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

// What the course-web peer says, apart from the sockets: the course's page, the request
// forms it understands and the responses it gives. Pure functions, so that every byte can
// be tested without a socket.
namespace sockbench::services::web {

// The page's one path, as the course's examples ask for it.
inline constexpr char kPagePath[] = "/5062CEM.php";
// A request head (request line and headers) longer than this is refused with 400.
inline constexpr qsizetype kMaxHead = 8192;

// The course's page, byte for byte: "Hello, welcome to 5062CEM!" with no lecturer, and
// "Hello NAME, and welcome to 5062CEM!" with one (NAME is HTML-escaped; the course's
// names come out unchanged).
QByteArray coursePage(const QString& lecturer = {});

struct Request {
    // Simple: the course's one-line request, "GET /5062CEM.php\r\n", no version and no
    // headers (HTTP/0.9): the answer is the body alone. Full: an HTTP/1.x request with
    // headers: the answer has a status line and headers.
    enum class Form { Simple, Full };
    Form form = Form::Simple;
    QByteArray method;
    QByteArray target;
    QByteArray version; // "HTTP/1.1"; empty for the simple form
    QList<std::pair<QByteArray, QByteArray>> headers;
};

struct Parsed {
    enum class Status {
        Incomplete, // more bytes needed (the request line or the headers are not done)
        Complete,
        Malformed, // answered with 400 Bad Request (or 505 for an HTTP version we lack)
    };
    Status status = Status::Incomplete;
    Request request;
    int errorStatus = 400;
    QString problem; // Malformed: what was wrong, for the log
};

// Parses what arrived so far. Leading empty lines are skipped, as RFC 9112 asks; a line
// may end in CRLF or a bare LF.
Parsed parse(const QByteArray& received);

struct Response {
    QByteArray bytes;
    int status = 200;
    QString summary; // "GET /5062CEM.php (simple) -> 200, 105 bytes"
};

// The answer to a parsed request (Complete or Malformed). now is for the Date header.
Response respond(const Parsed& parsed, const QDateTime& now = QDateTime::currentDateTimeUtc());

// Strict percent-decoding; false when a "%" is not followed by two hex digits. In a
// query string "+" is a space as well (formSpaces).
bool percentDecode(const QByteArray& text, QByteArray* out, bool formSpaces = false);

} // namespace sockbench::services::web
