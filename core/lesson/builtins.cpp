#include "builtins.h"

#include <QRegularExpression>
#include <QStringDecoder>

#include <cmath>

namespace sockbench::lesson::builtins {

namespace {

constexpr const char* kBuiltins[] = {"print",     "len", "str",  "int",  "bytes",
                                     "bytearray", "hex", "repr", "bool", "float"};
constexpr const char* kStrMethods[] = {"encode",   "upper", "lower", "strip",  "startswith",
                                       "endswith", "split", "find",  "replace"};
constexpr const char* kBytesMethods[] = {"decode",     "hex",      "upper", "lower", "strip",
                                         "startswith", "endswith", "split", "find",  "replace"};

QString codecOf(const std::optional<Value>& v, const PyArgs& args)
{
    if (!v)
        return QStringLiteral("utf-8");
    if (v->kind != Value::Kind::Str)
        throw typeError(QStringLiteral("encoding must be str, not %1").arg(v->typeName()),
                        args.pos);
    const QString name = v->text.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
    if (name == QLatin1String("utf8"))
        return QStringLiteral("utf-8");
    if (name == QLatin1String("ascii") || name == QLatin1String("latin1") ||
        name == QLatin1String("iso88591"))
        return name == QLatin1String("ascii") ? QStringLiteral("ascii") : QStringLiteral("latin-1");
    throw PyError{QStringLiteral("LookupError"),
                  QStringLiteral("unknown encoding: %1").arg(v->text), args.pos, std::nullopt};
}

QByteArray encode(const QString& text, const QString& codec, const PyArgs& args)
{
    if (codec == QLatin1String("utf-8"))
        return text.toUtf8();
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto limit = codec == QLatin1String("ascii") ? 128 : 256;
        if (text[i].unicode() >= limit)
            throw PyError{QStringLiteral("UnicodeEncodeError"),
                          QStringLiteral("'%1' codec can't encode character %2 in position %3")
                              .arg(codec, strRepr(QString(text[i])))
                              .arg(i),
                          args.pos, std::nullopt};
    }
    return text.toLatin1();
}

QString decode(const QByteArray& bytes, const QString& codec, const PyArgs& args)
{
    if (codec == QLatin1String("latin-1"))
        return QString::fromLatin1(bytes);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (codec == QLatin1String("ascii") && c >= 128)
            throw PyError{QStringLiteral("UnicodeDecodeError"),
                          QStringLiteral("'ascii' codec can't decode byte 0x%1 in position %2")
                              .arg(c, 2, 16, QLatin1Char('0'))
                              .arg(i),
                          args.pos, std::nullopt};
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        throw PyError{
            QStringLiteral("UnicodeDecodeError"),
            QStringLiteral("'utf-8' codec can't decode the bytes: they are not valid UTF-8"),
            args.pos, std::nullopt};
    return text;
}

qint64 parseInt(const QString& text, int base, const PyArgs& args)
{
    QString t = text.trimmed();
    t.remove(QLatin1Char('_'));
    bool ok = false;
    qint64 value = 0;
    if (base == 0) {
        if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            value = t.mid(2).toLongLong(&ok, 16);
        else if (t.startsWith(QLatin1String("0o"), Qt::CaseInsensitive))
            value = t.mid(2).toLongLong(&ok, 8);
        else if (t.startsWith(QLatin1String("0b"), Qt::CaseInsensitive))
            value = t.mid(2).toLongLong(&ok, 2);
        else
            value = t.toLongLong(&ok, 10);
    } else {
        value = t.toLongLong(&ok, base);
    }
    if (!ok)
        throw valueError(QStringLiteral("invalid literal for int() with base %1: %2")
                             .arg(base == 0 ? 10 : base)
                             .arg(strRepr(text)),
                         args.pos);
    return value;
}

Value callFunction(const QString& name, const PyArgs& args,
                   const std::function<void(const QString&)>& print)
{
    if (name == QLatin1String("print")) {
        QString sep = QStringLiteral(" ");
        QString end = QStringLiteral("\n");
        for (const auto& [key, value] : args.keywords) {
            if (key == QLatin1String("sep") && value.kind == Value::Kind::Str)
                sep = value.text;
            else if (key == QLatin1String("end") && value.kind == Value::Kind::Str)
                end = value.text;
            else
                throw typeError(
                    QStringLiteral("print() got an unexpected keyword argument '%1'").arg(key),
                    args.pos);
        }
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
        const auto a = plain.bind({QStringLiteral("obj")}, 1);
        const Value& v = *a[0];
        switch (v.kind) {
        case Value::Kind::Str:
            return Value::fromInt(v.text.size());
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
    if (name == QLatin1String("str")) {
        if (args.positional.isEmpty())
            return Value::fromStr(QString());
        const auto a = plain.bind({QStringLiteral("object"), QStringLiteral("encoding")}, 1);
        if (a[1]) {
            if (!a[0]->isBytesLike())
                throw typeError(
                    QStringLiteral("decoding to str: need a bytes-like object, %1 found")
                        .arg(a[0]->typeName()),
                    args.pos);
            return Value::fromStr(decode(a[0]->toBytes(), codecOf(a[1], args), args));
        }
        return Value::fromStr(str(*a[0]));
    }
    if (name == QLatin1String("repr"))
        return Value::fromStr(repr(*plain.bind({QStringLiteral("obj")}, 1)[0]));
    if (name == QLatin1String("bool"))
        return Value::fromBool(!args.positional.isEmpty() &&
                               plain.bind({QStringLiteral("x")}, 1)[0]->truthy());
    if (name == QLatin1String("int")) {
        if (args.positional.isEmpty())
            return Value::fromInt(0);
        const auto a = plain.bind({QStringLiteral("x"), QStringLiteral("base")}, 1);
        const Value& v = *a[0];
        const int base = a[1] ? static_cast<int>(a[1]->integer) : 10;
        if (v.kind == Value::Kind::Int && !a[1])
            return Value::fromInt(v.integer);
        if (v.kind == Value::Kind::Bool && !a[1])
            return Value::fromInt(v.boolean);
        if (v.kind == Value::Kind::Float && !a[1])
            return Value::fromInt(static_cast<qint64>(std::trunc(v.real)));
        if (v.kind == Value::Kind::Str)
            return Value::fromInt(parseInt(v.text, base, args));
        if (v.isBytesLike())
            return Value::fromInt(parseInt(QString::fromLatin1(v.toBytes()), base, args));
        throw typeError(
            QStringLiteral(
                "int() argument must be a string, a bytes-like object or a real number, not '%1'")
                .arg(v.typeName()),
            args.pos);
    }
    if (name == QLatin1String("float")) {
        const auto a = plain.bind({QStringLiteral("x")}, 1);
        if (a[0]->kind == Value::Kind::Int)
            return Value::fromFloat(double(a[0]->integer));
        if (a[0]->kind == Value::Kind::Float)
            return *a[0];
        bool ok = false;
        const double d =
            (a[0]->kind == Value::Kind::Str ? a[0]->text : QString()).trimmed().toDouble(&ok);
        if (!ok)
            throw valueError(
                QStringLiteral("could not convert string to float: %1").arg(repr(*a[0])), args.pos);
        return Value::fromFloat(d);
    }
    if (name == QLatin1String("hex")) {
        const auto a = plain.bind({QStringLiteral("number")}, 1);
        if (a[0]->kind != Value::Kind::Int)
            throw typeError(QStringLiteral("'%1' object cannot be interpreted as an integer")
                                .arg(a[0]->typeName()),
                            args.pos);
        const qint64 n = a[0]->integer;
        return Value::fromStr((n < 0 ? QStringLiteral("-0x") : QStringLiteral("0x")) +
                              QString::number(n < 0 ? -n : n, 16));
    }
    if (name == QLatin1String("bytes") || name == QLatin1String("bytearray")) {
        const bool mutableArray = name == QLatin1String("bytearray");
        const auto a = plain.bind({QStringLiteral("source"), QStringLiteral("encoding")}, 0);
        QByteArray content;
        if (a[0]) {
            const Value& v = *a[0];
            if (v.kind == Value::Kind::Int) {
                if (v.integer < 0)
                    throw valueError(QStringLiteral("negative count"), args.pos);
                if (v.integer > Value::kMaxBuilt)
                    throw PyError{QStringLiteral("MemoryError"), QString(), args.pos, std::nullopt};
                content = QByteArray(static_cast<qsizetype>(v.integer), '\0');
            } else if (v.kind == Value::Kind::Str) {
                if (!a[1])
                    throw typeError(QStringLiteral("string argument without an encoding"),
                                    args.pos);
                content = encode(v.text, codecOf(a[1], args), args);
            } else if (v.isBytesLike()) {
                content = v.toBytes();
            } else if (v.kind == Value::Kind::List || v.kind == Value::Kind::Tuple) {
                for (const Value& item : v.elements()) {
                    if (item.kind != Value::Kind::Int || item.integer < 0 || item.integer > 255)
                        throw valueError(QStringLiteral("bytes must be in range(0, 256)"),
                                         args.pos);
                    content.append(static_cast<char>(item.integer));
                }
            } else {
                throw typeError(
                    QStringLiteral("cannot convert '%1' object to %2").arg(v.typeName(), name),
                    args.pos);
            }
        }
        if (!mutableArray)
            return Value::fromBytes(content);
        Value array = Value::fromByteArray(0);
        *array.array = content;
        return array;
    }
    throw PyError{QStringLiteral("NameError"), QStringLiteral("name '%1' is not defined").arg(name),
                  args.pos, std::nullopt};
}

Value callMethod(const Value& self, const QString& name, const PyArgs& args)
{
    PyArgs plain = args;
    plain.function = name;
    const bool isStr = self.kind == Value::Kind::Str;
    if (name == QLatin1String("encode")) {
        const auto a = plain.bind({QStringLiteral("encoding"), QStringLiteral("errors")}, 0);
        return Value::fromBytes(encode(self.text, codecOf(a[0], args), args));
    }
    if (name == QLatin1String("decode")) {
        const auto a = plain.bind({QStringLiteral("encoding"), QStringLiteral("errors")}, 0);
        return Value::fromStr(decode(self.toBytes(), codecOf(a[0], args), args));
    }
    if (name == QLatin1String("hex")) {
        plain.bind({}, 0);
        return Value::fromStr(QString::fromLatin1(self.toBytes().toHex()));
    }
    auto sameKind = [&](const QString& s, const QByteArray& b) {
        return isStr ? Value::fromStr(s) : Value::fromBytes(b);
    };
    auto argText = [&](const Value& v) -> std::pair<QString, QByteArray> {
        if (isStr && v.kind == Value::Kind::Str)
            return {v.text, {}};
        if (!isStr && v.isBytesLike())
            return {{}, v.toBytes()};
        throw typeError(
            isStr ? QStringLiteral("must be str, not %1").arg(v.typeName())
                  : QStringLiteral("a bytes-like object is required, not '%1'").arg(v.typeName()),
            args.pos);
    };
    const QByteArray bytes = isStr ? QByteArray() : self.toBytes();
    if (name == QLatin1String("upper") || name == QLatin1String("lower")) {
        plain.bind({}, 0);
        const bool up = name == QLatin1String("upper");
        return sameKind(up ? self.text.toUpper() : self.text.toLower(),
                        up ? bytes.toUpper() : bytes.toLower());
    }
    if (name == QLatin1String("strip")) {
        plain.bind({}, 0);
        return sameKind(self.text.trimmed(), bytes.trimmed());
    }
    if (name == QLatin1String("startswith") || name == QLatin1String("endswith") ||
        name == QLatin1String("find")) {
        const auto a = plain.bind({QStringLiteral("prefix")}, 1);
        const auto [s, b] = argText(*a[0]);
        if (name == QLatin1String("find"))
            return Value::fromInt(isStr ? self.text.indexOf(s) : bytes.indexOf(b));
        const bool start = name == QLatin1String("startswith");
        return Value::fromBool(isStr ? (start ? self.text.startsWith(s) : self.text.endsWith(s))
                                     : (start ? bytes.startsWith(b) : bytes.endsWith(b)));
    }
    if (name == QLatin1String("replace")) {
        const auto a = plain.bind({QStringLiteral("old"), QStringLiteral("new")}, 2);
        const auto [s1, b1] = argText(*a[0]);
        const auto [s2, b2] = argText(*a[1]);
        return sameKind(QString(self.text).replace(s1, s2), QByteArray(bytes).replace(b1, b2));
    }
    if (name == QLatin1String("split")) {
        const auto a = plain.bind({QStringLiteral("sep")}, 0);
        ValueList parts;
        if (!a[0] || a[0]->isNone()) {
            if (isStr)
                for (const QString& part : self.text.split(
                         QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
                    parts << Value::fromStr(part);
            else
                for (const QByteArray& part : bytes.simplified().split(' '))
                    if (!part.isEmpty())
                        parts << Value::fromBytes(part);
        } else {
            const auto [s, b] = argText(*a[0]);
            if (isStr)
                for (const QString& part : self.text.split(s))
                    parts << Value::fromStr(part);
            else
                for (qsizetype from = 0;;) {
                    const auto at = bytes.indexOf(b, from);
                    parts << Value::fromBytes(bytes.mid(from, at < 0 ? -1 : at - from));
                    if (at < 0)
                        break;
                    from = at + b.size();
                }
        }
        return Value::list(parts);
    }
    throw PyError{QStringLiteral("AttributeError"),
                  QStringLiteral("'%1' object has no attribute '%2'").arg(self.typeName(), name),
                  args.pos, std::nullopt};
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
