#include "pyrepr.h"

#include <QList>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sockbench::codegen {

namespace {

// Python picks single quotes unless the text has one and no double quote.
QChar pickQuote(bool hasSingle, bool hasDouble)
{
    return hasSingle && !hasDouble ? QLatin1Char('"') : QLatin1Char('\'');
}

// Python's str.isprintable() for one code point: what repr() shows as it is.
bool isPrintable(char32_t point)
{
    if (point == ' ')
        return true;
    switch (QChar::category(point)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

QString escapedCodePoint(char32_t point)
{
    if (point <= 0xff)
        return QStringLiteral("\\x%1").arg(uint(point), 2, 16, QLatin1Char('0'));
    if (point <= 0xffff)
        return QStringLiteral("\\u%1").arg(uint(point), 4, 16, QLatin1Char('0'));
    return QStringLiteral("\\U%1").arg(uint(point), 8, 16, QLatin1Char('0'));
}

// UTF-16 to code points; a lone surrogate stays what it is, as in Python.
QList<char32_t> codePointsOf(const QString& text)
{
    QList<char32_t> points;
    points.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            points << QChar::surrogateToUcs4(c, text[i + 1]);
            ++i;
        } else {
            points << c.unicode();
        }
    }
    return points;
}

} // namespace

QString bytesRepr(const QByteArray& bytes, const QString& prefix)
{
    const QChar quote = pickQuote(bytes.contains('\''), bytes.contains('"'));
    QString out = prefix + quote;
    for (const char raw : bytes) {
        const auto c = static_cast<unsigned char>(raw);
        if (c == '\\')
            out += QStringLiteral("\\\\");
        else if (c == quote.unicode())
            out += QLatin1Char('\\') + quote;
        else if (c == '\t')
            out += QStringLiteral("\\t");
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c < 0x20 || c >= 0x7f)
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        else
            out += QLatin1Char(static_cast<char>(c));
    }
    return out + quote;
}

QString strRepr(const QString& text)
{
    const QChar quote =
        pickQuote(text.contains(QLatin1Char('\'')), text.contains(QLatin1Char('"')));
    QString out = quote;
    for (const char32_t u : codePointsOf(text)) {
        if (u == '\\')
            out += QStringLiteral("\\\\");
        else if (u == quote.unicode())
            out += QLatin1Char('\\') + quote;
        else if (u == '\t')
            out += QStringLiteral("\\t");
        else if (u == '\n')
            out += QStringLiteral("\\n");
        else if (u == '\r')
            out += QStringLiteral("\\r");
        else if (u < 0x20 || u == 0x7f)
            out += escapedCodePoint(u);
        else if (u < 0x7f)
            out += QChar(static_cast<char16_t>(u));
        else if (isPrintable(u))
            out += QString::fromUcs4(&u, 1);
        else
            out += escapedCodePoint(u);
    }
    return out + quote;
}

QString floatRepr(double d)
{
    if (std::isnan(d))
        return QStringLiteral("nan");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    // Shortest round-trip digits, then Python's layout: positional for exponents
    // -4..15, scientific with a signed two-digit exponent otherwise.
    char buffer[64] = {};
    const auto [end, ec] =
        std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific);
    if (ec != std::errc())
        return QString::number(d);
    const QString sci = QString::fromLatin1(buffer, static_cast<int>(end - buffer));
    const auto e = sci.indexOf(QLatin1Char('e'));
    QString mantissa = sci.left(e);
    const int exponent = sci.mid(e + 1).toInt();
    const bool negative = mantissa.startsWith(QLatin1Char('-'));
    if (negative)
        mantissa.remove(0, 1);
    QString digits = mantissa;
    digits.remove(QLatin1Char('.'));
    QString out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = QStringLiteral("0.") + QString(-exponent - 1, QLatin1Char('0')) + digits;
        } else if (digits.size() <= exponent + 1) {
            out = digits + QString(exponent + 1 - digits.size(), QLatin1Char('0')) +
                  QStringLiteral(".0");
        } else {
            out = digits.left(exponent + 1) + QLatin1Char('.') + digits.mid(exponent + 1);
        }
    } else {
        out = digits.left(1);
        if (digits.size() > 1)
            out += QLatin1Char('.') + digits.mid(1);
        out += QStringLiteral("e%1%2")
                   .arg(exponent < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                   .arg(std::abs(exponent), 2, 10, QLatin1Char('0'));
    }
    return negative ? QLatin1Char('-') + out : out;
}

} // namespace sockbench::codegen
