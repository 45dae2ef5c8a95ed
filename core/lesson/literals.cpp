#include "lesson/literals.h"

#include "lesson/refusals.h"

#include <cmath>
#include <limits>

namespace sockbench::lesson {

namespace {

int digitValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

bool isDigitOf(QChar c, int base)
{
    const int value = digitValue(c);
    return value >= 0 && value < base;
}

QString baseName(int base)
{
    switch (base) {
    case 2:
        return QStringLiteral("binary");
    case 8:
        return QStringLiteral("octal");
    case 16:
        return QStringLiteral("hex");
    default:
        return QStringLiteral("decimal");
    }
}

// Python puts single underscores between digits (and, after a base prefix, right after the
// prefix: 0x_ff). Returns whether any digit was read.
bool readDigits(Scanner& scan, int base, QString& digits, bool underscoreFirst)
{
    bool any = false;
    for (;;) {
        if (scan.peek() == u'_') {
            if (!(any || underscoreFirst) || !isDigitOf(scan.peek(1), base))
                refuse(scan.pos(), QStringLiteral("an underscore in a number goes between two "
                                                  "digits, as in 1_000_000"));
            scan.take();
        }
        if (!isDigitOf(scan.peek(), base))
            return any;
        digits += scan.take();
        any = true;
    }
}

bool isNameCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c.isMark();
}

// What may follow a number: not a letter or digit glued to it ("1abc", "0x1g", "1if").
void refuseGluedSuffix(const Scanner& scan, SourcePos start)
{
    const QChar c = scan.peek();
    if (c == u'j' || c == u'J')
        refuse(start, QStringLiteral("complex numbers (with `j`) are not part of a lesson"));
    if (isNameCharacter(c))
        refuse(start, QStringLiteral("this number runs straight into `%1`: put a space "
                                     "between a number and a word")
                          .arg(c));
}

qint64 integerValue(const QString& digits, int base, SourcePos start)
{
    quint64 value = 0;
    constexpr auto kMax = quint64(std::numeric_limits<qint64>::max());
    for (const QChar c : digits) {
        const auto digit = quint64(digitValue(c));
        if (value > (kMax - digit) / quint64(base))
            refuse(start, QStringLiteral("this number does not fit in 64 bits, the largest "
                                         "integer a lesson handles"));
        value = value * quint64(base) + digit;
    }
    return qint64(value);
}

} // namespace

Token readNumber(Scanner& scan)
{
    Token token;
    token.pos = scan.pos();
    token.offset = scan.offset();
    const SourcePos start = token.pos;

    const QChar second = scan.peek(1).toLower();
    if (scan.peek() == u'0' && (second == u'x' || second == u'o' || second == u'b')) {
        const int base = second == u'x' ? 16 : second == u'o' ? 8 : 2;
        scan.take();
        scan.take();
        QString digits;
        if (!readDigits(scan, base, digits, true))
            refuse(start,
                   QStringLiteral("`0%1` needs %2 digits after it").arg(second, baseName(base)));
        refuseGluedSuffix(scan, start);
        token.kind = TokenKind::Int;
        token.intValue = integerValue(digits, base, start);
    } else {
        QString whole, fraction, exponent;
        readDigits(scan, 10, whole, false);
        bool isFloat = false;
        if (scan.peek() == u'.') {
            scan.take();
            isFloat = true;
            readDigits(scan, 10, fraction, false);
        }
        if (scan.peek() == u'e' || scan.peek() == u'E') {
            scan.take();
            isFloat = true;
            if (scan.peek() == u'+' || scan.peek() == u'-')
                exponent += scan.take();
            if (!readDigits(scan, 10, exponent, false))
                refuse(start, QStringLiteral("this number's exponent has no digits: write "
                                             "it like 1e-3"));
        }
        refuseGluedSuffix(scan, start);
        if (isFloat) {
            const QString text = (whole.isEmpty() ? QStringLiteral("0") : whole) +
                                 QStringLiteral(".") + fraction +
                                 (exponent.isEmpty() ? QString() : QStringLiteral("e") + exponent);
            bool ok = false;
            // QString::toDouble reads the C locale whatever the user's locale is.
            const double value = text.toDouble(&ok);
            if (!ok || !std::isfinite(value))
                refuse(start, QStringLiteral("this number is too large for a float"));
            token.kind = TokenKind::Float;
            token.floatValue = value;
        } else {
            bool allZero = true;
            for (const QChar c : whole)
                allZero = allZero && c == u'0';
            if (whole.size() > 1 && whole.front() == u'0' && !allZero)
                refuse(start, QStringLiteral("a decimal number can not start with 0: for an "
                                             "octal number write 0o17"));
            token.kind = TokenKind::Int;
            token.intValue = integerValue(whole, 10, start);
        }
    }
    token.endOffset = scan.offset();
    token.endLine = scan.pos().line;
    return token;
}

bool isStringPrefix(QStringView letters)
{
    const QString lower = letters.toString().toLower();
    for (const auto prefix : {u"r", u"u", u"b", u"f", u"br", u"rb", u"fr", u"rf"}) {
        if (lower == QStringView(prefix))
            return true;
    }
    return false;
}

namespace {

// Decodes one literal's body, from after the opening quote to the closing one.
class StringReader {
public:
    StringReader(Scanner& scan, bool raw, bool bytes, SourcePos start)
        : m_scan(scan)
        , m_raw(raw)
        , m_bytes(bytes)
        , m_start(start)
    {
    }

    void read(QChar quote, bool triple)
    {
        for (;;) {
            if (m_scan.atEnd())
                refuse(m_start, triple ? QStringLiteral("this triple-quoted string is never closed")
                                       : QStringLiteral("this string is never closed"));
            const QChar c = m_scan.peek();
            if (c == quote) {
                if (!triple) {
                    m_scan.take();
                    return;
                }
                if (m_scan.peek(1) == quote && m_scan.peek(2) == quote) {
                    m_scan.take();
                    m_scan.take();
                    m_scan.take();
                    return;
                }
            }
            if (c == u'\n' && !triple)
                refuse(m_start, QStringLiteral("this string is not closed on its line: close "
                                               "it, or use triple quotes for several lines"));
            if (c == u'\\')
                escape();
            else
                literal();
        }
    }

    QString str() const { return m_str; }
    QByteArray bytes() const { return m_bytesValue; }

private:
    void literal()
    {
        const SourcePos pos = m_scan.pos();
        const QChar c = m_scan.take();
        if (m_bytes) {
            if (c.unicode() > 0x7f)
                refuse(pos, QStringLiteral("bytes can only contain ASCII literal characters: "
                                           "write any other byte as a \\x escape"));
            m_bytesValue.append(char(c.unicode()));
        } else {
            m_str.append(c);
        }
    }

    void put(char32_t value)
    {
        if (m_bytes)
            m_bytesValue.append(char(value));
        else if (value > 0xffff)
            m_str.append(QChar(QChar::highSurrogate(value)))
                .append(QChar(QChar::lowSurrogate(value)));
        else
            m_str.append(QChar(char16_t(value)));
    }

    char32_t hexDigits(int count, SourcePos escapePos, QChar letter)
    {
        char32_t value = 0;
        for (int i = 0; i < count; ++i) {
            if (!isDigitOf(m_scan.peek(), 16))
                refuse(escapePos, QStringLiteral("`\\%1` takes exactly %2 hex digits, as in %3")
                                      .arg(letter)
                                      .arg(count)
                                      .arg(letter == u'x'   ? QStringLiteral("\\x0a")
                                           : letter == u'u' ? QStringLiteral("\\u00e9")
                                                            : QStringLiteral("\\U0001f600")));
            value = value * 16 + char32_t(digitValue(m_scan.take()));
        }
        return value;
    }

    void escape()
    {
        const SourcePos escapePos = m_scan.pos();
        m_scan.take(); // the backslash
        if (m_scan.atEnd())
            return; // read() reports the unclosed string
        if (m_raw) {
            // A raw literal keeps the backslash and the character after it, even a quote or
            // a line end: the backslash only stops that quote from closing the literal.
            put(u'\\');
            literal();
            return;
        }
        const QChar letter = m_scan.take();
        switch (letter.unicode()) {
        case u'\n': // the backslash joins the literal's lines
            return;
        case u'\\':
        case u'\'':
        case u'"':
            put(letter.unicode());
            return;
        case u'a':
            put(0x07);
            return;
        case u'b':
            put(0x08);
            return;
        case u'f':
            put(0x0c);
            return;
        case u'n':
            put(0x0a);
            return;
        case u'r':
            put(0x0d);
            return;
        case u't':
            put(0x09);
            return;
        case u'v':
            put(0x0b);
            return;
        case u'x':
            put(hexDigits(2, escapePos, letter));
            return;
        default:
            break;
        }
        if (isDigitOf(letter, 8)) {
            char32_t value = char32_t(digitValue(letter));
            for (int i = 0; i < 2 && isDigitOf(m_scan.peek(), 8); ++i)
                value = value * 8 + char32_t(digitValue(m_scan.take()));
            if (value > 0377)
                refuse(escapePos, QStringLiteral("an octal escape goes up to \\377 (255)"));
            put(value);
            return;
        }
        if (m_bytes && (letter == u'u' || letter == u'U' || letter == u'N'))
            refuse(escapePos, QStringLiteral("`\\%1` escapes are for str, not bytes: write each "
                                             "byte as a \\x escape, or encode a str")
                                  .arg(letter));
        if (letter == u'u') {
            put(hexDigits(4, escapePos, letter));
            return;
        }
        if (letter == u'U') {
            const char32_t value = hexDigits(8, escapePos, letter);
            if (value > 0x10ffff)
                refuse(escapePos, QStringLiteral("`\\U` escape beyond U+10FFFF, the last "
                                                 "Unicode character"));
            put(value);
            return;
        }
        if (letter == u'N')
            refuse(escapePos, QStringLiteral("named escapes (`\\N{...}`) are not part of a "
                                             "lesson: write the character itself, or its \\u "
                                             "escape"));
        refuse(escapePos, QStringLiteral("`\\%1` is not an escape: write \\\\ for a backslash, "
                                         "or use a raw string r'...'")
                              .arg(letter));
    }

    Scanner& m_scan;
    bool m_raw;
    bool m_bytes;
    SourcePos m_start;
    QString m_str;
    QByteArray m_bytesValue;
};

} // namespace

Token readString(Scanner& scan, QStringView prefix, SourcePos start, qsizetype startOffset)
{
    const QString lower = prefix.toString().toLower();
    if (lower.contains(u'f'))
        refuse(start, QStringLiteral("f-strings are not part of a lesson: build the text with + "
                                     "and str()"));
    const bool bytes = lower.contains(u'b');

    const QChar quote = scan.take();
    const bool triple = scan.peek() == quote && scan.peek(1) == quote;
    if (triple) {
        scan.take();
        scan.take();
    }
    StringReader reader(scan, lower.contains(u'r'), bytes, start);
    reader.read(quote, triple);

    Token token;
    token.kind = bytes ? TokenKind::Bytes : TokenKind::Str;
    token.text = reader.str();
    token.bytes = reader.bytes();
    token.pos = start;
    token.offset = startOffset;
    token.endOffset = scan.offset();
    token.endLine = scan.pos().line;
    return token;
}

} // namespace sockbench::lesson
