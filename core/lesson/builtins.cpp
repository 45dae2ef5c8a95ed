#include "builtins.h"

#include "conversions.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace sockbench::lesson::builtins {

using namespace conversions;

namespace {

constexpr const char* kBuiltins[] = {"print",     "len", "str",  "int",  "bytes",
                                     "bytearray", "hex", "repr", "bool", "float"};
constexpr const char* kStrMethods[] = {"encode",   "upper", "lower", "strip",  "startswith",
                                       "endswith", "split", "find",  "replace"};
constexpr const char* kBytesMethods[] = {"decode",     "hex",      "upper", "lower", "strip",
                                         "startswith", "endswith", "split", "find",  "replace"};

PyError pyError(const char* type, const QString& message, const PyArgs& args)
{
    return PyError{QString::fromLatin1(type), message, args.pos, std::nullopt};
}

// CPython's METH_O functions (len, repr): exactly one positional argument.
const Value& onlyArgument(const QString& function, const PyArgs& args)
{
    if (!args.keywords.isEmpty())
        throw typeError(QStringLiteral("%1() takes no keyword arguments").arg(function), args.pos);
    if (args.positional.size() != 1)
        throw typeError(QStringLiteral("%1() takes exactly one argument (%2 given)")
                            .arg(function)
                            .arg(args.positional.size()),
                        args.pos);
    return args.positional.first();
}

QString keywordText(const PyArgs& args, const char* keyword, const QString& fallback)
{
    for (const auto& [key, value] : args.keywords) {
        if (key != QLatin1String(keyword))
            continue;
        if (value.isNone())
            return fallback;
        if (value.kind != Value::Kind::Str)
            throw typeError(QStringLiteral("%1 must be None or a string, not %2")
                                .arg(QLatin1String(keyword), value.typeName()),
                            args.pos);
        return value.text;
    }
    return fallback;
}

Value bytesLike(const QByteArray& bytes, bool array)
{
    if (!array)
        return Value::fromBytes(bytes);
    Value v = Value::fromByteArray(0);
    *v.array = bytes;
    return v;
}

Value callFunction(const QString& name, const PyArgs& args,
                   const std::function<void(const QString&)>& print)
{
    if (name == QLatin1String("print")) {
        for (const auto& [key, value] : args.keywords)
            if (key != QLatin1String("sep") && key != QLatin1String("end") &&
                key != QLatin1String("flush") && !(key == QLatin1String("file") && value.isNone()))
                throw typeError(
                    QStringLiteral("'%1' is an invalid keyword argument for print()").arg(key),
                    args.pos);
        const QString sep = keywordText(args, "sep", QStringLiteral(" "));
        const QString end = keywordText(args, "end", QStringLiteral("\n"));
        QStringList parts;
        for (const Value& v : args.positional)
            parts << str(v);
        QString line = parts.join(sep) + end;
        if (line.endsWith(QLatin1Char('\n')))
            line.chop(1);
        print(line);
        return Value::none();
    }
    PyArgs plain = args;
    plain.function = name;
    if (name == QLatin1String("len")) {
        const Value& v = onlyArgument(name, args);
        switch (v.kind) {
        case Value::Kind::Str:
            return Value::fromInt(codePointCount(v.text));
        case Value::Kind::Bytes:
        case Value::Kind::ByteArray:
            return Value::fromInt(v.byteLength());
        case Value::Kind::Tuple:
        case Value::Kind::List:
            return Value::fromInt(v.elements().size());
        default:
            throw typeError(QStringLiteral("object of type '%1' has no len()").arg(v.typeName()),
                            args.pos);
        }
    }
    if (name == QLatin1String("repr"))
        return Value::fromStr(repr(onlyArgument(name, args)));
    if (name == QLatin1String("str")) {
        if (args.positional.isEmpty() && args.keywords.isEmpty())
            return Value::fromStr(QString());
        const auto a = plain.bind(
            {QStringLiteral("object"), QStringLiteral("encoding"), QStringLiteral("errors")}, 0);
        if (a[1] || a[2]) {
            const Value source = a[0].value_or(Value::fromBytes({}));
            if (!source.isBytesLike())
                throw typeError(
                    QStringLiteral("decoding to str: need a bytes-like object, %1 found")
                        .arg(source.typeName()),
                    args.pos);
            return Value::fromStr(
                decode(source.toBytes(), codecOf(a[1], plain), handlerOf(a[2], plain), plain));
        }
        return Value::fromStr(a[0] ? str(*a[0]) : QString());
    }
    if (name == QLatin1String("bool")) {
        if (!args.keywords.isEmpty())
            throw typeError(QStringLiteral("bool() takes no keyword arguments"), args.pos);
        if (args.positional.size() > 1)
            throw typeError(QStringLiteral("bool expected at most 1 argument, got %1")
                                .arg(args.positional.size()),
                            args.pos);
        return Value::fromBool(!args.positional.isEmpty() && args.positional.first().truthy());
    }
    if (name == QLatin1String("int")) {
        for (const auto& [key, value] : args.keywords)
            if (key != QLatin1String("base"))
                throw typeError(
                    QStringLiteral("'%1' is an invalid keyword argument for int()").arg(key),
                    args.pos);
        if (args.positional.isEmpty() && args.keywords.isEmpty())
            return Value::fromInt(0);
        const auto a = plain.bind({QStringLiteral("x"), QStringLiteral("base")}, 0);
        if (!a[0])
            throw typeError(QStringLiteral("int() missing string argument"), args.pos);
        const Value& v = *a[0];
        if (a[1]) {
            if (a[1]->kind != Value::Kind::Int && a[1]->kind != Value::Kind::Bool)
                throw typeError(QStringLiteral("'%1' object cannot be interpreted as an integer")
                                    .arg(a[1]->typeName()),
                                args.pos);
            if (v.kind != Value::Kind::Str && !v.isBytesLike())
                throw typeError(QStringLiteral("int() can't convert non-string with explicit base"),
                                args.pos);
        }
        const qint64 base =
            a[1] ? (a[1]->kind == Value::Kind::Bool ? a[1]->boolean : a[1]->integer) : 10;
        if (base != 0 && (base < 2 || base > 36))
            throw valueError(QStringLiteral("int() base must be >= 2 and <= 36, or 0"), args.pos);
        switch (v.kind) {
        case Value::Kind::Int:
            return Value::fromInt(v.integer);
        case Value::Kind::Bool:
            return Value::fromInt(v.boolean);
        case Value::Kind::Float:
            if (std::isnan(v.real))
                throw valueError(QStringLiteral("cannot convert float NaN to integer"), args.pos);
            if (std::isinf(v.real))
                throw pyError("OverflowError",
                              QStringLiteral("cannot convert float infinity to integer"), args);
            if (std::abs(v.real) >= 9223372036854775808.0)
                throw pyError("OverflowError",
                              QStringLiteral("the workbench's integers stop at 64 bits"), args);
            return Value::fromInt(static_cast<qint64>(std::trunc(v.real)));
        case Value::Kind::Str:
            return Value::fromInt(parseInt(v.text, int(base), strRepr(v.text), args));
        default:
            if (v.isBytesLike())
                return Value::fromInt(parseInt(
                    QString::fromLatin1(v.toBytes()), int(base),
                    v.kind == Value::Kind::Bytes ? bytesRepr(v.toBytes()) : repr(v), args));
            throw typeError(QStringLiteral("int() argument must be a string, a bytes-like object "
                                           "or a real number, not '%1'")
                                .arg(v.typeName()),
                            args.pos);
        }
    }
    if (name == QLatin1String("float")) {
        if (!args.keywords.isEmpty())
            throw typeError(QStringLiteral("float() takes no keyword arguments"), args.pos);
        if (args.positional.size() > 1)
            throw typeError(QStringLiteral("float expected at most 1 argument, got %1")
                                .arg(args.positional.size()),
                            args.pos);
        if (args.positional.isEmpty())
            return Value::fromFloat(0);
        const Value& v = args.positional.first();
        if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool)
            return Value::fromFloat(double(v.kind == Value::Kind::Bool ? v.boolean : v.integer));
        if (v.kind == Value::Kind::Float)
            return v;
        if (v.kind != Value::Kind::Str && !v.isBytesLike())
            throw typeError(
                QStringLiteral("float() argument must be a string or a real number, not '%1'")
                    .arg(v.typeName()),
                args.pos);
        double d = 0;
        if (!parseFloat(v.kind == Value::Kind::Str ? v.text : QString::fromLatin1(v.toBytes()), &d))
            throw valueError(QStringLiteral("could not convert string to float: %1").arg(repr(v)),
                             args.pos);
        return Value::fromFloat(d);
    }
    if (name == QLatin1String("hex")) {
        const Value& v = onlyArgument(name, args);
        if (v.kind != Value::Kind::Int && v.kind != Value::Kind::Bool)
            throw typeError(
                QStringLiteral("'%1' object cannot be interpreted as an integer").arg(v.typeName()),
                args.pos);
        const qint64 n = v.kind == Value::Kind::Bool ? v.boolean : v.integer;
        const quint64 magnitude = n < 0 ? 0 - quint64(n) : quint64(n);
        return Value::fromStr((n < 0 ? QStringLiteral("-0x") : QStringLiteral("0x")) +
                              QString::number(magnitude, 16));
    }
    if (name == QLatin1String("bytes") || name == QLatin1String("bytearray")) {
        const bool mutableArray = name == QLatin1String("bytearray");
        const auto a = plain.bind(
            {QStringLiteral("source"), QStringLiteral("encoding"), QStringLiteral("errors")}, 0);
        QByteArray content;
        if (a[0]) {
            const Value& v = *a[0];
            if (v.kind != Value::Kind::Str && (a[1] || a[2]))
                throw typeError(a[1] ? QStringLiteral("encoding without a string argument")
                                     : QStringLiteral("errors without a string argument"),
                                args.pos);
            if (v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool) {
                const qint64 count = v.kind == Value::Kind::Bool ? v.boolean : v.integer;
                if (count < 0)
                    throw valueError(QStringLiteral("negative count"), args.pos);
                if (count > Value::kMaxBuilt)
                    throw pyError("MemoryError", QString(), args);
                content = QByteArray(static_cast<qsizetype>(count), '\0');
            } else if (v.kind == Value::Kind::Str) {
                if (!a[1])
                    throw typeError(QStringLiteral("string argument without an encoding"),
                                    args.pos);
                content = encode(v.text, codecOf(a[1], plain), handlerOf(a[2], plain), plain);
            } else if (v.isBytesLike()) {
                content = v.toBytes();
            } else if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) {
                for (const Value& item : v.elements()) {
                    if (item.kind != Value::Kind::Int && item.kind != Value::Kind::Bool)
                        throw typeError(QStringLiteral("'%1' object cannot be interpreted as an "
                                                       "integer")
                                            .arg(item.typeName()),
                                        args.pos);
                    if (item.kind == Value::Kind::Int && (item.integer < 0 || item.integer > 255))
                        throw valueError(QStringLiteral("bytes must be in range(0, 256)"),
                                         args.pos);
                    content.append(static_cast<char>(
                        item.kind == Value::Kind::Bool ? item.boolean : item.integer));
                }
            } else {
                throw typeError(
                    QStringLiteral("cannot convert '%1' object to %2").arg(v.typeName(), name),
                    args.pos);
            }
        } else if (a[1] || a[2]) {
            throw typeError(a[1] ? QStringLiteral("encoding without a string argument")
                                 : QStringLiteral("errors without a string argument"),
                            args.pos);
        }
        return bytesLike(content, mutableArray);
    }
    throw pyError("NameError", QStringLiteral("name '%1' is not defined").arg(name), args);
}

// str.find/startswith/... take their (start, end) as a slice of the code points.
std::pair<qsizetype, qsizetype> span(const std::optional<Value>& start,
                                     const std::optional<Value>& end, qsizetype size,
                                     const PyArgs& args)
{
    const auto bound = [&](const std::optional<Value>& v, qsizetype fallback) -> qsizetype {
        if (!v || v->isNone())
            return fallback;
        if (v->kind != Value::Kind::Int && v->kind != Value::Kind::Bool)
            throw typeError(QStringLiteral("slice indices must be integers or None or have an "
                                           "__index__ method"),
                            args.pos);
        const qint64 i = v->kind == Value::Kind::Bool ? v->boolean : v->integer;
        return static_cast<qsizetype>(std::clamp<qint64>(i < 0 ? i + size : i, 0, size));
    };
    return {bound(start, 0), bound(end, size)};
}

Value callMethod(const Value& self, const QString& name, const PyArgs& args)
{
    PyArgs plain = args;
    plain.function = name;
    const bool isStr = self.kind == Value::Kind::Str;
    const bool isArray = self.kind == Value::Kind::ByteArray;
    const auto count = [&](const char* style, int least, int most) {
        // Argument Clinic's "replace expected at least 2 arguments, got 1".
        const auto given = args.positional.size() + args.keywords.size();
        if (!args.keywords.isEmpty())
            throw typeError(
                QStringLiteral("%1.%2() takes no keyword arguments").arg(self.typeName(), name),
                args.pos);
        if (given < least || given > most)
            throw typeError(
                QString::fromLatin1(style)
                    .arg(name, given < least ? QStringLiteral("least") : QStringLiteral("most"))
                    .arg(given < least ? least : most)
                    .arg((given < least ? least : most) == 1 ? "" : "s")
                    .arg(given),
                args.pos);
    };
    const auto expected = [&](int least, int most) {
        count("%1 expected at %2 %3 argument%4, got %5", least, most);
    };
    const auto takes = [&](int least, int most) {
        count("%1() takes at %2 %3 argument%4 (%5 given)", least, most);
    };
    if (name == QLatin1String("encode") || name == QLatin1String("decode")) {
        const auto a = plain.bind({QStringLiteral("encoding"), QStringLiteral("errors")}, 0);
        const QString codec = codecOf(a[0], plain);
        const QString handler = handlerOf(a[1], plain);
        if (isStr)
            return Value::fromBytes(encode(self.text, codec, handler, plain));
        return Value::fromStr(decode(self.toBytes(), codec, handler, plain));
    }
    const auto noArguments = [&] {
        if (!args.positional.isEmpty() || !args.keywords.isEmpty())
            throw typeError(QStringLiteral("%1.%2() takes no arguments (%3 given)")
                                .arg(self.typeName(), name)
                                .arg(args.positional.size() + args.keywords.size()),
                            args.pos);
    };
    if (name == QLatin1String("hex")) {
        noArguments();
        return Value::fromStr(QString::fromLatin1(self.toBytes().toHex()));
    }
    const auto sameKind = [&](const QString& s, const QByteArray& b) {
        return isStr ? Value::fromStr(s) : bytesLike(b, isArray);
    };
    const auto mustBeBytes = [&](const Value& v) {
        return typeError(
            QStringLiteral("a bytes-like object is required, not '%1'").arg(v.typeName()),
            args.pos);
    };
    const QByteArray bytes = isStr ? QByteArray() : self.toBytes();
    if (name == QLatin1String("upper") || name == QLatin1String("lower")) {
        noArguments();
        const bool up = name == QLatin1String("upper");
        return sameKind(up ? self.text.toUpper() : self.text.toLower(),
                        up ? bytes.toUpper() : bytes.toLower());
    }
    if (name == QLatin1String("strip")) {
        expected(0, 1);
        const Value chars = args.positional.value(0);
        if (chars.isNone())
            return sameKind(self.text.trimmed(), bytes.trimmed());
        if (isStr && chars.kind != Value::Kind::Str)
            throw typeError(QStringLiteral("strip arg must be None or str"), args.pos);
        if (!isStr && !chars.isBytesLike())
            throw mustBeBytes(chars);
        QList<char32_t> points = isStr ? codePoints(self.text) : QList<char32_t>();
        const QList<char32_t> strip = isStr ? codePoints(chars.text) : QList<char32_t>();
        QByteArray b = bytes;
        const QByteArray stripBytes = isStr ? QByteArray() : chars.toBytes();
        while (!points.isEmpty() && strip.contains(points.first()))
            points.removeFirst();
        while (!points.isEmpty() && strip.contains(points.last()))
            points.removeLast();
        while (!b.isEmpty() && stripBytes.contains(b.front()))
            b.remove(0, 1);
        while (!b.isEmpty() && stripBytes.contains(b.back()))
            b.chop(1);
        return sameKind(fromCodePoints(points), b);
    }
    if (name == QLatin1String("startswith") || name == QLatin1String("endswith") ||
        name == QLatin1String("find")) {
        takes(1, 3);
        const Value& what = args.positional[0];
        const QList<char32_t> points = isStr ? codePoints(self.text) : QList<char32_t>();
        const auto [from, to] =
            span(args.positional.size() > 1 ? args.positional.value(1) : std::optional<Value>(),
                 args.positional.size() > 2 ? args.positional.value(2) : std::optional<Value>(),
                 isStr ? points.size() : bytes.size(), args);
        const QString within =
            isStr ? fromCodePoints(points.mid(from, std::max(to - from, qsizetype(0)))) : QString();
        const QByteArray withinBytes = bytes.mid(from, std::max(to - from, qsizetype(0)));
        if (name == QLatin1String("find")) {
            if (isStr && what.kind != Value::Kind::Str)
                throw typeError(QStringLiteral("must be str, not %1").arg(what.typeName()),
                                args.pos);
            if (!isStr && (what.kind == Value::Kind::Int || what.kind == Value::Kind::Bool)) {
                const qint64 byte = what.kind == Value::Kind::Bool ? what.boolean : what.integer;
                if (byte < 0 || byte > 255)
                    throw valueError(QStringLiteral("byte must be in range(0, 256)"), args.pos);
                const auto at = withinBytes.indexOf(char(byte));
                return Value::fromInt(at < 0 || to < from ? -1 : from + at);
            }
            if (!isStr && !what.isBytesLike())
                throw typeError(
                    QStringLiteral("argument should be integer or bytes-like object, not '%1'")
                        .arg(what.typeName()),
                    args.pos);
            if (to < from)
                return Value::fromInt(-1);
            if (!isStr) {
                const auto at = withinBytes.indexOf(what.toBytes());
                return Value::fromInt(at < 0 ? -1 : from + at);
            }
            const auto at = within.indexOf(what.text); // in UTF-16 units: count code points
            return Value::fromInt(at < 0 ? -1 : from + codePointCount(within.left(at)));
        }
        const bool start = name == QLatin1String("startswith");
        const QString kind = isStr ? QStringLiteral("str") : QStringLiteral("bytes");
        const bool tuple = what.kind == Value::Kind::Tuple;
        const ValueList options = tuple ? what.elements() : ValueList{what};
        bool found = false;
        for (const Value& option : options) {
            if (isStr ? option.kind != Value::Kind::Str : !option.isBytesLike())
                throw typeError(
                    tuple ? QStringLiteral("tuple for %1 must only contain %2, not %3")
                                .arg(name, kind, option.typeName())
                          : QStringLiteral("%1 first arg must be %2 or a tuple of %2, not %3")
                                .arg(name, kind, option.typeName()),
                    args.pos);
            if (to < from)
                continue;
            found = found ||
                    (isStr ? (start ? within.startsWith(option.text) : within.endsWith(option.text))
                           : (start ? withinBytes.startsWith(option.toBytes())
                                    : withinBytes.endsWith(option.toBytes())));
        }
        return Value::fromBool(found);
    }
    if (name == QLatin1String("replace")) {
        expected(2, 3);
        for (int i = 0; i < 2; ++i) {
            const Value& v = args.positional[i];
            if (isStr && v.kind != Value::Kind::Str)
                throw typeError(QStringLiteral("replace() argument %1 must be str, not %2")
                                    .arg(i + 1)
                                    .arg(v.typeName()),
                                args.pos);
            if (!isStr && !v.isBytesLike())
                throw mustBeBytes(v);
        }
        if (args.positional.size() == 3 && args.positional[2].kind != Value::Kind::Int)
            throw typeError(QStringLiteral("'%1' object cannot be interpreted as an integer")
                                .arg(args.positional[2].typeName()),
                            args.pos);
        qint64 limit = args.positional.size() == 3 ? args.positional[2].integer : -1;
        if (isStr) {
            const QString old = args.positional[0].text;
            const QString with = args.positional[1].text;
            if (limit < 0)
                return Value::fromStr(QString(self.text).replace(old, with));
            QString out = self.text;
            for (qsizetype from = 0; limit-- > 0;) {
                const auto at = out.indexOf(old, from);
                if (at < 0)
                    break;
                out.replace(at, old.size(), with);
                from = at + with.size() + (old.isEmpty() ? 1 : 0);
            }
            return Value::fromStr(out);
        }
        const QByteArray old = args.positional[0].toBytes();
        const QByteArray with = args.positional[1].toBytes();
        if (limit < 0)
            return bytesLike(QByteArray(bytes).replace(old, with), isArray);
        QByteArray out = bytes;
        for (qsizetype from = 0; limit-- > 0;) {
            const auto at = out.indexOf(old, from);
            if (at < 0)
                break;
            out.replace(at, old.size(), with);
            from = at + with.size() + (old.isEmpty() ? 1 : 0);
        }
        return bytesLike(out, isArray);
    }
    if (name == QLatin1String("split")) {
        const auto a = plain.bind({QStringLiteral("sep"), QStringLiteral("maxsplit")}, 0);
        qint64 maxsplit = -1;
        if (a[1]) {
            if (a[1]->kind != Value::Kind::Int && a[1]->kind != Value::Kind::Bool)
                throw typeError(QStringLiteral("'%1' object cannot be interpreted as an integer")
                                    .arg(a[1]->typeName()),
                                args.pos);
            maxsplit = a[1]->kind == Value::Kind::Bool ? a[1]->boolean : a[1]->integer;
        }
        const bool whitespace = !a[0] || a[0]->isNone();
        if (!whitespace && isStr && a[0]->kind != Value::Kind::Str)
            throw typeError(QStringLiteral("must be str or None, not %1").arg(a[0]->typeName()),
                            args.pos);
        if (!whitespace && !isStr && !a[0]->isBytesLike())
            throw mustBeBytes(*a[0]);
        // Both kinds split as UTF-16 text here: bytes go through Latin-1, one char a byte.
        const QString text = isStr ? self.text : QString::fromLatin1(bytes);
        const QString sep = whitespace ? QString()
                            : isStr    ? a[0]->text
                                       : QString::fromLatin1(a[0]->toBytes());
        if (!whitespace && sep.isEmpty())
            throw valueError(QStringLiteral("empty separator"), args.pos);
        const auto isSpace = [isStr](QChar c) {
            return isStr ? c.isSpace()
                         : QByteArrayView(" \t\n\r\x0b\x0c").contains(char(c.unicode()));
        };
        QStringList parts;
        qsizetype from = 0;
        if (whitespace) {
            while (true) {
                while (from < text.size() && isSpace(text[from]))
                    ++from;
                if (from >= text.size())
                    break;
                if (maxsplit >= 0 && parts.size() >= maxsplit) {
                    qsizetype last = text.size();
                    while (last > from && isSpace(text[last - 1]))
                        --last;
                    parts << text.mid(from, last - from);
                    break;
                }
                qsizetype to = from;
                while (to < text.size() && !isSpace(text[to]))
                    ++to;
                parts << text.mid(from, to - from);
                from = to;
            }
        } else {
            while (true) {
                const auto at =
                    maxsplit >= 0 && parts.size() >= maxsplit ? -1 : text.indexOf(sep, from);
                if (at < 0) {
                    parts << text.mid(from);
                    break;
                }
                parts << text.mid(from, at - from);
                from = at + sep.size();
            }
        }
        ValueList values;
        for (const QString& part : parts)
            values << (isStr ? Value::fromStr(part) : bytesLike(part.toLatin1(), isArray));
        return Value::list(values);
    }
    throw pyError("AttributeError",
                  QStringLiteral("'%1' object has no attribute '%2'").arg(self.typeName(), name),
                  args);
}

} // namespace

std::optional<Value> lookup(const QString& name)
{
    for (const char* b : kBuiltins)
        if (name == QLatin1String(b))
            return Value::builtin(name);
    return std::nullopt;
}

std::optional<Value> method(const Value& object, const QString& name)
{
    if (object.kind == Value::Kind::Str) {
        for (const char* m : kStrMethods)
            if (name == QLatin1String(m))
                return Value::method(object, name);
    } else if (object.isBytesLike()) {
        for (const char* m : kBytesMethods)
            if (name == QLatin1String(m))
                return Value::method(object, name);
    }
    return std::nullopt;
}

Value call(const Value& callee, const PyArgs& args,
           const std::function<void(const QString&)>& print)
{
    if (callee.kind == Value::Kind::Method)
        return callMethod(*callee.self, callee.text, args);
    return callFunction(callee.text, args, print);
}

} // namespace sockbench::lesson::builtins
