#include "webpage.h"

#include <QLocale>
#include <QRegularExpression>

namespace sockbench::services::web {

namespace {

const QByteArray kHead = QByteArrayLiteral(
    "<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n");
const QByteArray kTail = QByteArrayLiteral("</body>\n");

QByteArray htmlEscaped(const QString& text)
{
    return text.toHtmlEscaped().toUtf8();
}

QByteArray errorPage(int status, const QByteArray& reason, const QByteArray& sentence)
{
    return QByteArrayLiteral("<html>\n<head>\n\t<title>") + QByteArray::number(status) + ' ' +
           reason + QByteArrayLiteral("</title>\n</head>\n<body>\n") + sentence + kTail;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 505:
        return QByteArrayLiteral("HTTP Version Not Supported");
    }
    return QByteArrayLiteral("Error");
}

// RFC 9110's token characters (method and header names).
bool isToken(const QByteArray& text)
{
    if (text.isEmpty())
        return false;
    static const QByteArray extra = QByteArrayLiteral("!#$%&'*+-.^_`|~");
    for (const char c : text) {
        const bool alnum =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && !extra.contains(c))
            return false;
    }
    return true;
}

// Control characters other than the tab, and anything outside ASCII.
bool hasForbiddenByte(const QByteArray& line)
{
    for (const char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u >= 0x7f)
            return true;
    }
    return false;
}

Parsed malformed(const QString& problem, int status = 400)
{
    Parsed parsed;
    parsed.status = Parsed::Status::Malformed;
    parsed.errorStatus = status;
    parsed.problem = problem;
    return parsed;
}

// One line from `from`: its text without CR/LF, and where the next line starts (-1 when
// the line is not finished yet).
QByteArray lineAt(const QByteArray& text, qsizetype from, qsizetype* next)
{
    const qsizetype newline = text.indexOf('\n', from);
    if (newline < 0) {
        *next = -1;
        return {};
    }
    *next = newline + 1;
    QByteArray line = text.mid(from, newline - from);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

QString printable(const QByteArray& text)
{
    QString out = QString::fromLatin1(text.left(80));
    for (QChar& c : out)
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f)
            c = QLatin1Char('?');
    return text.size() > 80 ? out + QStringLiteral("…") : out;
}

QByteArray httpDate(const QDateTime& now)
{
    return QLocale::c()
               .toString(now.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"))
               .toLatin1() +
           QByteArrayLiteral(" GMT");
}

struct Answer {
    int status = 200;
    QByteArray body;
    bool allowHeader = false; // 405
};

Answer answer(const Request& request)
{
    QByteArray target = request.target;
    // absolute-form (a proxy's request): only the path matters here.
    for (const char* scheme : {"http://", "https://"}) {
        if (target.startsWith(scheme)) {
            const qsizetype slash = target.indexOf('/', qsizetype(qstrlen(scheme)));
            target = slash < 0 ? QByteArrayLiteral("/") : target.mid(slash);
        }
    }
    if (!target.startsWith('/'))
        return {400, errorPage(400, reasonPhrase(400),
                               QByteArrayLiteral("The path in a request starts with /."))};
    const qsizetype hash = target.indexOf('#');
    if (hash >= 0)
        target.truncate(hash);
    const qsizetype question = target.indexOf('?');
    const QByteArray rawPath = question < 0 ? target : target.left(question);
    const QByteArray query = question < 0 ? QByteArray() : target.mid(question + 1);
    QByteArray path;
    if (!percentDecode(rawPath, &path))
        return {400, errorPage(400, reasonPhrase(400),
                               QByteArrayLiteral("A % in the path must be followed by two hex "
                                                 "digits, as in %20 for a space."))};
    if (path != kPagePath)
        return {404,
                errorPage(404, reasonPhrase(404),
                          QByteArrayLiteral("There is no page at ") +
                              htmlEscaped(QString::fromUtf8(path)) +
                              QByteArrayLiteral(". The course's page is <a href=\"/5062CEM.php\">"
                                                "/5062CEM.php</a>."))};
    if (request.method != "GET" && request.method != "HEAD")
        return {405,
                errorPage(405, reasonPhrase(405),
                          QByteArrayLiteral("This page answers GET (and HEAD) only.")),
                true};
    QString lecturer;
    if (!query.isEmpty()) {
        for (const QByteArray& pair : query.split('&')) {
            const qsizetype equals = pair.indexOf('=');
            QByteArray name;
            QByteArray value;
            if (!percentDecode(equals < 0 ? pair : pair.left(equals), &name, true) ||
                !percentDecode(equals < 0 ? QByteArray() : pair.mid(equals + 1), &value, true))
                return {400, errorPage(400, reasonPhrase(400),
                                       QByteArrayLiteral("A % in the query must be followed by "
                                                         "two hex digits, as in %20 for a "
                                                         "space."))};
            if (name == "lecturer" && lecturer.isEmpty())
                lecturer = QString::fromUtf8(value);
        }
    }
    return {200, coursePage(lecturer)};
}

} // namespace

QByteArray coursePage(const QString& lecturer)
{
    if (lecturer.isEmpty())
        return kHead + QByteArrayLiteral("Hello, welcome to 5062CEM!") + kTail;
    return kHead + QByteArrayLiteral("Hello ") + htmlEscaped(lecturer) +
           QByteArrayLiteral(", and welcome to 5062CEM!") + kTail;
}

bool percentDecode(const QByteArray& text, QByteArray* out, bool formSpaces)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    QByteArray decoded;
    decoded.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return false;
            const int high = hex(text[i + 1]);
            const int low = hex(text[i + 2]);
            if (high < 0 || low < 0)
                return false;
            decoded.append(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && formSpaces) {
            decoded.append(' ');
        } else {
            decoded.append(c);
        }
    }
    *out = decoded;
    return true;
}

Parsed parse(const QByteArray& received)
{
    qsizetype start = 0;
    // RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request.
    while (start < received.size() && (received[start] == '\r' || received[start] == '\n'))
        ++start;
    qsizetype next = 0;
    const QByteArray line = lineAt(received, start, &next);
    if (next < 0) {
        if (received.size() - start > kMaxHead)
            return malformed(
                QStringLiteral("the request line is longer than %1 bytes").arg(kMaxHead));
        return {};
    }
    if (hasForbiddenByte(line))
        return malformed(QStringLiteral("the request line holds a control character or a "
                                        "byte outside ASCII"));
    const QList<QByteArray> words = line.split(' ');
    QList<QByteArray> tokens;
    for (const QByteArray& word : words)
        if (!word.isEmpty())
            tokens << word;
    Parsed parsed;
    parsed.status = Parsed::Status::Complete;
    Request& request = parsed.request;
    if (tokens.size() == 2) {
        // The course's form: "GET /5062CEM.php\r\n", even with a space before the CRLF.
        request.form = Request::Form::Simple;
        request.method = tokens[0];
        request.target = tokens[1];
        if (request.method != "GET")
            return malformed(QStringLiteral("a request without a version (HTTP/0.9) can only "
                                            "be GET, not %1")
                                 .arg(printable(request.method)));
        return parsed;
    }
    if (tokens.size() != 3)
        return malformed(QStringLiteral("\"%1\" is not a request line (METHOD PATH [HTTP/1.1])")
                             .arg(printable(line)));
    request.form = Request::Form::Full;
    request.method = tokens[0];
    request.target = tokens[1];
    request.version = tokens[2];
    if (!isToken(request.method))
        return malformed(QStringLiteral("%1 is not a method").arg(printable(request.method)));
    static const QRegularExpression version(QStringLiteral("^HTTP/([0-9])\\.([0-9])$"));
    const auto match = version.match(QString::fromLatin1(request.version));
    if (!match.hasMatch())
        return malformed(
            QStringLiteral("%1 is not an HTTP version").arg(printable(request.version)));
    if (match.captured(1) != QLatin1String("1"))
        return malformed(QStringLiteral("%1 is not spoken here (HTTP/1.0 and HTTP/1.1 are)")
                             .arg(printable(request.version)),
                         505);
    // The headers, up to the empty line that ends them.
    qsizetype at = next;
    for (;;) {
        const QByteArray header = lineAt(received, at, &next);
        if (next < 0) {
            if (received.size() - start > kMaxHead)
                return malformed(
                    QStringLiteral("the request's headers are longer than %1 bytes").arg(kMaxHead));
            parsed.status = Parsed::Status::Incomplete;
            return parsed;
        }
        at = next;
        if (header.isEmpty())
            break;
        if (header.startsWith(' ') || header.startsWith('\t'))
            return malformed(QStringLiteral("a header continued on a second line (obsolete "
                                            "line folding) is refused"));
        const qsizetype colon = header.indexOf(':');
        if (colon <= 0 || !isToken(header.left(colon)))
            return malformed(
                QStringLiteral("\"%1\" is not a header (NAME: value)").arg(printable(header)));
        if (hasForbiddenByte(header.mid(colon + 1)))
            return malformed(QStringLiteral("the header %1 holds a control character")
                                 .arg(printable(header.left(colon))));
        request.headers.append({header.left(colon), header.mid(colon + 1).trimmed()});
    }
    if (at - start > kMaxHead)
        return malformed(
            QStringLiteral("the request's headers are longer than %1 bytes").arg(kMaxHead));
    int hosts = 0;
    for (const auto& [name, value] : request.headers)
        if (name.compare("host", Qt::CaseInsensitive) == 0)
            ++hosts;
    if (request.version == "HTTP/1.1" && hosts != 1)
        return malformed(hosts == 0
                             ? QStringLiteral("an HTTP/1.1 request needs a Host header")
                             : QStringLiteral("a request has one Host header, not %1").arg(hosts));
    return parsed;
}

Response respond(const Parsed& parsed, const QDateTime& now)
{
    Response response;
    const Request& request = parsed.request;
    Answer a;
    if (parsed.status == Parsed::Status::Malformed) {
        a.status = parsed.errorStatus;
        a.body = errorPage(
            a.status, reasonPhrase(a.status),
            htmlEscaped(QStringLiteral("The request could not be read: %1.").arg(parsed.problem)));
    } else {
        a = answer(request);
    }
    response.status = a.status;
    const bool simple =
        parsed.status == Parsed::Status::Complete && request.form == Request::Form::Simple;
    if (simple) {
        // HTTP/0.9: the body and nothing else; closing the connection ends it.
        response.bytes = a.body;
    } else {
        QByteArray head = QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(a.status) + ' ' +
                          reasonPhrase(a.status) + QByteArrayLiteral("\r\n");
        head += QByteArrayLiteral("Date: ") + httpDate(now) + QByteArrayLiteral("\r\n");
        head += QByteArrayLiteral("Server: sockbench course-web\r\n");
        head += QByteArrayLiteral("Content-Type: text/html; charset=utf-8\r\n");
        head += QByteArrayLiteral("Content-Length: ") + QByteArray::number(a.body.size()) +
                QByteArrayLiteral("\r\n");
        if (a.allowHeader)
            head += QByteArrayLiteral("Allow: GET, HEAD\r\n");
        head += QByteArrayLiteral("Connection: close\r\n\r\n");
        const bool headOnly = parsed.status == Parsed::Status::Complete && request.method == "HEAD";
        response.bytes = headOnly ? head : head + a.body;
    }
    if (parsed.status == Parsed::Status::Malformed)
        response.summary =
            QStringLiteral("malformed request (%1) -> %2").arg(parsed.problem).arg(a.status);
    else
        response.summary = QStringLiteral("%1 %2 (%3) -> %4")
                               .arg(printable(request.method), printable(request.target),
                                    simple ? QStringLiteral("simple request, HTTP/0.9")
                                           : printable(request.version))
                               .arg(a.status);
    response.summary += QStringLiteral(", %1 bytes").arg(response.bytes.size());
    return response;
}

} // namespace sockbench::services::web
