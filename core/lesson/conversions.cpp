#include "conversions.h"

#include <QRegularExpression>

#include <limits>

namespace sockbench::lesson::conversions {

namespace {

PyError pyError(const char* type, const QString& message, const PyArgs& args)
{
    return PyError{QString::fromLatin1(type), message, args.pos, std::nullopt};
}

// Called where a codec meets something it cannot handle: whether to replace it (else
// skip it); raises for "strict" and for a handler Python does not know.
bool replaceOrSkip(const QString& handler, const PyError& error, const PyArgs& args)
{
    if (handler == QLatin1String("replace"))
        return true;
    if (handler == QLatin1String("ignore"))
        return false;
    if (handler == QLatin1String("strict"))
        throw error;
    throw pyError("LookupError", QStringLiteral("unknown error handler name '%1'").arg(handler),
                  args);
}

// Python's UTF-8 decoder: the first problem at from, as [from, end) and the reason, or
// an empty reason when the sequence at from is valid (end is then where it stops).
struct Utf8Step {
    qsizetype end = 0;
    const char* problem = nullptr;
};

Utf8Step utf8Step(const QByteArray& bytes, qsizetype from)
{
    const auto at = [&](qsizetype i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = at(from);
    if (lead < 0x80)
        return {from + 1, nullptr};
    if (lead < 0xc2 || lead > 0xf4)
        return {from + 1, "invalid start byte"};
    const int need = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : 3;
    for (int k = 1; k <= need; ++k) {
        if (from + k >= bytes.size())
            return {from + k, "unexpected end of data"};
        unsigned char low = 0x80, high = 0xbf; // the second byte's range depends on the lead
        if (k == 1 && lead == 0xe0)
            low = 0xa0;
        else if (k == 1 && lead == 0xed)
            high = 0x9f;
        else if (k == 1 && lead == 0xf0)
            low = 0x90;
        else if (k == 1 && lead == 0xf4)
            high = 0x8f;
        if (at(from + k) < low || at(from + k) > high)
            return {from + k, "invalid continuation byte"};
    }
    return {from + need + 1, nullptr};
}

} // namespace

// The codec an encoding argument names ("utf-8", "ascii" or "latin-1").
QString codecOf(const std::optional<Value>& v, const PyArgs& args)
{
    if (!v)
        return QStringLiteral("utf-8");
    if (v->kind != Value::Kind::Str)
        throw typeError(QStringLiteral("%1() argument 'encoding' must be str, not %2")
                            .arg(args.function, v->typeName()),
                        args.pos);
    const QString name = v->text.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
    if (name == QLatin1String("utf8"))
        return QStringLiteral("utf-8");
    if (name == QLatin1String("ascii") || name == QLatin1String("usascii"))
        return QStringLiteral("ascii");
    if (name == QLatin1String("latin1") || name == QLatin1String("iso88591"))
        return QStringLiteral("latin-1");
    throw pyError("LookupError", QStringLiteral("unknown encoding: %1").arg(v->text), args);
}

// The errors argument of encode()/decode(): "strict", "replace" or "ignore".
QString handlerOf(const std::optional<Value>& v, const PyArgs& args)
{
    if (!v)
        return QStringLiteral("strict");
    if (v->kind != Value::Kind::Str)
        throw typeError(QStringLiteral("%1() argument 'errors' must be str, not %2")
                            .arg(args.function, v->typeName()),
                        args.pos);
    return v->text;
}

QByteArray encode(const QString& text, const QString& codec, const QString& handler,
                  const PyArgs& args)
{
    const QList<char32_t> points = codePoints(text);
    const bool utf8 = codec == QLatin1String("utf-8");
    const char32_t limit = codec == QLatin1String("ascii") ? 128 : 256;
    QByteArray out;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const char32_t point = points[i];
        const bool surrogate = point >= 0xd800 && point <= 0xdfff;
        if (utf8 ? !surrogate : point < limit) {
            out += utf8 ? fromCodePoints({point}).toUtf8() : QByteArray(1, char(point));
            continue;
        }
        const PyError error =
            pyError("UnicodeEncodeError",
                    QStringLiteral("'%1' codec can't encode character '%2' in position %3: %4")
                        .arg(codec, escapedCodePoint(point))
                        .arg(i)
                        .arg(utf8 ? QStringLiteral("surrogates not allowed")
                                  : QStringLiteral("ordinal not in range(%1)").arg(uint(limit))),
                    args);
        if (replaceOrSkip(handler, error, args))
            out += '?';
    }
    return out;
}

QString decode(const QByteArray& bytes, const QString& codec, const QString& handler,
               const PyArgs& args)
{
    if (codec == QLatin1String("latin-1"))
        return QString::fromLatin1(bytes);
    const bool ascii = codec == QLatin1String("ascii");
    QString out;
    for (qsizetype i = 0; i < bytes.size();) {
        Utf8Step step = utf8Step(bytes, i);
        if (ascii && static_cast<unsigned char>(bytes[i]) >= 0x80)
            step = {i + 1, "ordinal not in range(128)"};
        if (!step.problem) {
            out += QString::fromUtf8(bytes.mid(i, step.end - i));
            i = step.end;
            continue;
        }
        const QString where =
            step.end - i == 1
                ? QStringLiteral("byte 0x%1 in position %2")
                      .arg(static_cast<unsigned char>(bytes[i]), 2, 16, QLatin1Char('0'))
                      .arg(i)
                : QStringLiteral("bytes in position %1-%2").arg(i).arg(step.end - 1);
        const PyError error = pyError("UnicodeDecodeError",
                                      QStringLiteral("'%1' codec can't decode %2: %3")
                                          .arg(codec, where, QLatin1String(step.problem)),
                                      args);
        if (replaceOrSkip(handler, error, args))
            out += QChar(0xfffd);
        i = step.end;
    }
    return out;
}

// int(text, base) as Python reads it: surrounding whitespace, a sign, the base's prefix
// (0x, 0o, 0b; required to pick the base when base is 0), single underscores between
// digits. shown is what the error message quotes (the str or bytes as given).
qint64 parseInt(const QString& text, int base, const QString& shown, const PyArgs& args)
{
    const PyError invalid = valueError(
        QStringLiteral("invalid literal for int() with base %1: %2").arg(base).arg(shown),
        args.pos);
    QString t = text.trimmed();
    bool negative = false;
    if (t.startsWith(QLatin1Char('+')) || t.startsWith(QLatin1Char('-'))) {
        negative = t.startsWith(QLatin1Char('-'));
        t.remove(0, 1);
    }
    const QString prefix = t.left(2).toLower();
    const int prefixBase = prefix == QLatin1String("0x")   ? 16
                           : prefix == QLatin1String("0o") ? 8
                           : prefix == QLatin1String("0b") ? 2
                                                           : 0;
    int actual = base;
    if (prefixBase && (base == 0 || base == prefixBase)) {
        actual = prefixBase;
        t.remove(0, 2);
        if (t.startsWith(QLatin1Char('_')))
            t.remove(0, 1); // 0x_ff is allowed
    } else if (base == 0) {
        actual = 10;
        // Base 0 reads the literal as Python source does: no leading zeros.
        static const QRegularExpression zeros(QStringLiteral("^0+(_?0)*$"));
        if (t.startsWith(QLatin1Char('0')) && !zeros.match(t).hasMatch())
            throw invalid;
    }
    if (t.isEmpty() || t.startsWith(QLatin1Char('_')) || t.endsWith(QLatin1Char('_')) ||
        t.contains(QLatin1String("__")))
        throw invalid;
    t.remove(QLatin1Char('_'));
    quint64 magnitude = 0;
    for (const QChar c : t) {
        const char16_t u = c.toLower().unicode();
        const int digit = u >= '0' && u <= '9' ? u - '0' : u >= 'a' && u <= 'z' ? u - 'a' + 10 : 99;
        if (digit >= actual)
            throw invalid;
        if (__builtin_mul_overflow(magnitude, quint64(actual), &magnitude) ||
            __builtin_add_overflow(magnitude, quint64(digit), &magnitude))
            magnitude = std::numeric_limits<quint64>::max();
    }
    if (magnitude > quint64(std::numeric_limits<qint64>::max()) + (negative ? 1 : 0))
        throw pyError("OverflowError", QStringLiteral("the workbench's integers stop at 64 bits"),
                      args);
    return negative ? qint64(0 - magnitude) : qint64(magnitude);
}

bool parseFloat(const QString& text, double* value)
{
    // Decimal or inf/infinity/nan, single underscores between digits.
    static const QRegularExpression number(QStringLiteral(
        R"(^[+-]?(((\d(_?\d)*)?\.?\d(_?\d)*|\d(_?\d)*\.)(e[+-]?\d(_?\d)*)?|inf|infinity|nan)$)"));
    QString t = text.trimmed().toLower();
    if (!number.match(t).hasMatch())
        return false;
    const bool negative = t.startsWith(QLatin1Char('-'));
    if (t.endsWith(QLatin1String("inf")) || t.endsWith(QLatin1String("infinity"))) {
        *value = negative ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
        return true;
    }
    if (t.endsWith(QLatin1String("nan"))) {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    bool ok = false;
    *value = t.remove(QLatin1Char('_')).toDouble(&ok);
    return ok;
}

} // namespace sockbench::lesson::conversions
