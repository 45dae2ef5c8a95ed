#include "evaluator.h"

#include "builtins.h"

#include <cmath>
#include <limits>

namespace sockbench::lesson {

namespace {

PyError nameError(const QString& name, SourcePos pos)
{
    return PyError{QStringLiteral("NameError"),
                   QStringLiteral("name '%1' is not defined").arg(name), pos, std::nullopt};
}

PyError unsupported(const QString& op, const Value& a, const Value& b, SourcePos pos)
{
    return typeError(QStringLiteral("unsupported operand type(s) for %1: '%2' and '%3'")
                         .arg(op, a.typeName(), b.typeName()),
                     pos);
}

bool isNumber(const Value& v)
{
    return v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool ||
           v.kind == Value::Kind::Float;
}

double asDouble(const Value& v)
{
    if (v.kind == Value::Kind::Float)
        return v.real;
    return double(v.kind == Value::Kind::Bool ? qint64(v.boolean) : v.integer);
}

qint64 asInt(const Value& v)
{
    return v.kind == Value::Kind::Bool ? qint64(v.boolean) : v.integer;
}

// Python's index normalisation: negative counts from the end. What the IndexError says
// depends on the type, as in CPython: "tuple index out of range", but bytes say just
// "index out of range".
qsizetype normaliseIndex(qint64 index, qsizetype size, const Value& object, SourcePos pos)
{
    const qint64 i = index < 0 ? index + size : index;
    if (i < 0 || i >= size) {
        QString what;
        switch (object.kind) {
        case Value::Kind::Str:
            what = QStringLiteral("string ");
            break;
        case Value::Kind::Bytes:
            break;
        default:
            what = object.typeName() + QLatin1Char(' ');
            break;
        }
        throw PyError{QStringLiteral("IndexError"),
                      QStringLiteral("%1index out of range").arg(what), pos, std::nullopt};
    }
    return static_cast<qsizetype>(i);
}

bool isSequence(const Value& v)
{
    switch (v.kind) {
    case Value::Kind::Str:
    case Value::Kind::Bytes:
    case Value::Kind::ByteArray:
    case Value::Kind::Tuple:
    case Value::Kind::List:
        return true;
    default:
        return false;
    }
}

template <typename T> int threeWay(const T& x, const T& y)
{
    return x < y ? -1 : y < x ? 1 : 0;
}

} // namespace

StatementRun::StatementRun(StmtPtr stmt, Namespace& names, Submit submit, Print print)
    : m_stmt(std::move(stmt))
    , m_names(names)
    , m_submit(std::move(submit))
    , m_print(std::move(print))
{
}

StatementRun::Status StatementRun::pass()
{
    m_nextMemo = 0;
    try {
        m_value = execute();
        m_status = Status::Done;
    } catch (const Suspend&) {
        m_status = Status::Waiting;
    } catch (const PyError& error) {
        m_error = error;
        if (m_error.pos.line == 0)
            m_error.pos = m_stmt->pos;
        m_status = Status::Raised;
    }
    return m_status;
}

bool StatementRun::deliver(const Event& event)
{
    for (Memo& memo : m_memo) {
        if (memo.state != Memo::State::Pending || memo.call != event.call)
            continue;
        if (event.result.ok()) {
            memo.value = memo.toValue(event);
            memo.state = Memo::State::Done;
        } else {
            memo.error = errorFromResult(event.result, memo.pos);
            memo.state = Memo::State::Raised;
        }
        return true;
    }
    return false;
}

Value StatementRun::execute()
{
    const Stmt& s = *m_stmt;
    switch (s.kind) {
    case Stmt::Kind::Import:
        for (const QString& module : s.names)
            m_names.insert(module, Value::module(module));
        return Value::none();
    case Stmt::Kind::FromImport: {
        const QStringList names =
            s.names == QStringList{QStringLiteral("*")} ? pysocket::exportedNames() : s.names;
        for (const QString& name : names) {
            auto value = pysocket::moduleAttribute(name);
            if (!value)
                throw PyError{QStringLiteral("ImportError"),
                              QStringLiteral("cannot import name '%1' from 'socket'").arg(name),
                              s.pos, std::nullopt};
            m_names.insert(name, *value);
        }
        return Value::none();
    }
    case Stmt::Kind::Assign: {
        const Value value = evaluate(s.value);
        assign(s.target, value);
        return value;
    }
    case Stmt::Kind::With: {
        const Value value = evaluate(s.value);
        if (value.kind != Value::Kind::Socket)
            throw typeError(
                QStringLiteral("'%1' object does not support the context manager protocol")
                    .arg(value.typeName()),
                s.pos);
        assign(s.target, value);
        return value;
    }
    case Stmt::Kind::AugAssign: {
        const auto current = m_names.constFind(s.target.name);
        if (current == m_names.cend())
            throw nameError(s.target.name, s.target.pos);
        const Value value = binary(s.op, *current, evaluate(s.value), s.pos);
        m_names.insert(s.target.name, value);
        return value;
    }
    case Stmt::Kind::Expr:
        return evaluate(s.value);
    case Stmt::Kind::Assert: {
        const Expr& test = *s.test;
        bool holds = false;
        QString detail;
        if (test.kind == Expr::Kind::Compare) {
            const Value left = evaluate(test.left);
            const Value right = evaluate(test.right);
            holds = compare(test.op, left, right, test.pos);
            detail = QStringLiteral("%1 %2 %3 is false").arg(repr(left), test.op, repr(right));
        } else {
            const Value value = evaluate(s.test);
            holds = value.truthy();
            detail = QStringLiteral("%1 is false").arg(repr(value));
        }
        if (!holds) {
            const QString message = s.message ? str(evaluate(s.message)) : detail;
            throw PyError{QStringLiteral("AssertionError"), message, s.pos, std::nullopt};
        }
        return Value::none();
    }
    case Stmt::Kind::Pass:
        return Value::none();
    }
    return Value::none();
}

void StatementRun::assign(const Target& target, const Value& value)
{
    if (target.kind == Target::Kind::Name) {
        m_names.insert(target.name, value);
        return;
    }
    if (value.kind != Value::Kind::Tuple && value.kind != Value::Kind::List)
        throw typeError(
            QStringLiteral("cannot unpack non-iterable %1 object").arg(value.typeName()),
            target.pos);
    const auto& items = value.elements();
    const auto wanted = static_cast<qsizetype>(target.items.size());
    if (items.size() < wanted)
        throw valueError(QStringLiteral("not enough values to unpack (expected %1, got %2)")
                             .arg(wanted)
                             .arg(items.size()),
                         target.pos);
    if (items.size() > wanted)
        throw valueError(QStringLiteral("too many values to unpack (expected %1)").arg(wanted),
                         target.pos);
    for (qsizetype i = 0; i < wanted; ++i)
        assign(target.items[static_cast<size_t>(i)], items[i]);
}

Value StatementRun::evaluate(const ExprPtr& expr)
{
    const Expr& e = *expr;
    switch (e.kind) {
    case Expr::Kind::Name: {
        const auto it = m_names.constFind(e.text);
        if (it != m_names.cend())
            return *it;
        if (auto builtin = builtins::lookup(e.text))
            return *builtin;
        if (e.text == QLatin1String("socket"))
            throw PyError{
                QStringLiteral("NameError"),
                QStringLiteral(
                    "name 'socket' is not defined: start the lesson with `import socket`"),
                e.pos, std::nullopt};
        throw nameError(e.text, e.pos);
    }
    case Expr::Kind::Attribute:
        return attribute(evaluate(e.object), e.text, e.pos);
    case Expr::Kind::Call:
        return evaluateCall(e);
    case Expr::Kind::Int:
        return Value::fromInt(e.intValue);
    case Expr::Kind::Float:
        return Value::fromFloat(e.floatValue);
    case Expr::Kind::Str:
        return Value::fromStr(e.text);
    case Expr::Kind::Bytes:
        return Value::fromBytes(e.bytes);
    case Expr::Kind::None:
        return Value::none();
    case Expr::Kind::Bool:
        return Value::fromBool(e.boolValue);
    case Expr::Kind::Tuple:
    case Expr::Kind::List: {
        ValueList items;
        for (const ExprPtr& item : e.items)
            items << evaluate(item);
        return e.kind == Expr::Kind::Tuple ? Value::tuple(items) : Value::list(items);
    }
    case Expr::Kind::BinOp: {
        const Value left = evaluate(e.left);
        return binary(e.op, left, evaluate(e.right), e.pos);
    }
    case Expr::Kind::UnaryOp: {
        const Value operand = evaluate(e.operand);
        if (operand.kind == Value::Kind::Float)
            return Value::fromFloat(e.op == QLatin1String("-") ? -operand.real : operand.real);
        if (operand.kind == Value::Kind::Int || operand.kind == Value::Kind::Bool)
            return Value::fromInt(e.op == QLatin1String("-") ? -asInt(operand) : asInt(operand));
        throw typeError(
            QStringLiteral("bad operand type for unary %1: '%2'").arg(e.op, operand.typeName()),
            e.pos);
    }
    case Expr::Kind::Subscript: {
        const Value object = evaluate(e.object);
        return subscript(object, evaluate(e.index), e.pos);
    }
    case Expr::Kind::Slice:
        return slice(evaluate(e.object), e);
    case Expr::Kind::Compare: {
        const Value left = evaluate(e.left);
        return Value::fromBool(compare(e.op, left, evaluate(e.right), e.pos));
    }
    }
    return Value::none();
}

Value StatementRun::evaluateCall(const Expr& e)
{
    const Value callee = evaluate(e.callee);
    PyArgs args;
    args.pos = e.pos;
    args.function = callee.kind == Value::Kind::Method || callee.kind == Value::Kind::Builtin
                        ? callee.text
                        : QString();
    for (const ExprPtr& arg : e.items)
        args.positional << evaluate(arg);
    for (const Expr::Keyword& keyword : e.keywords)
        args.keywords.append({keyword.name, evaluate(keyword.value)});

    // Every call is memoised in evaluation order, so a pass that comes back after a
    // socket call finished replays what came before instead of doing it again.
    const size_t index = m_nextMemo++;
    if (index < m_memo.size()) {
        const Memo& memo = m_memo[index];
        switch (memo.state) {
        case Memo::State::Done:
            return memo.value;
        case Memo::State::Raised:
            throw memo.error;
        case Memo::State::Pending:
            throw Suspend{};
        }
    }
    Memo memo;
    memo.pos = e.pos;
    try {
        if (auto prepared = pysocket::prepare(callee, args)) {
            memo.toValue = prepared->toValue;
            memo.call = m_submit(*prepared);
            m_calls << memo.call;
            m_waitingOn = memo.call;
            m_memo.push_back(std::move(memo));
            throw Suspend{};
        }
        memo.value = callValue(callee, args);
        memo.state = Memo::State::Done;
    } catch (const PyError& error) {
        memo.error = error;
        if (memo.error.pos.line == 0)
            memo.error.pos = e.pos;
        memo.state = Memo::State::Raised;
        m_memo.push_back(memo);
        throw memo.error;
    }
    m_memo.push_back(memo);
    return m_memo.back().value;
}

Value StatementRun::callValue(const Value& callee, const PyArgs& args)
{
    if (auto local = pysocket::callLocal(callee, args))
        return *local;
    if (callee.kind == Value::Kind::Builtin || callee.kind == Value::Kind::Method)
        return builtins::call(callee, args, m_print);
    throw typeError(QStringLiteral("'%1' object is not callable").arg(callee.typeName()), args.pos);
}

Value StatementRun::attribute(const Value& object, const QString& name, SourcePos pos)
{
    auto missing = [&] {
        return PyError{
            QStringLiteral("AttributeError"),
            object.kind == Value::Kind::Module
                ? QStringLiteral("module '%1' has no attribute '%2'").arg(object.text, name)
                : QStringLiteral("'%1' object has no attribute '%2'").arg(object.typeName(), name),
            pos, std::nullopt};
    };
    switch (object.kind) {
    case Value::Kind::Module:
        if (object.text == QLatin1String("socket")) {
            try {
                if (auto value = pysocket::moduleAttribute(name))
                    return *value;
            } catch (PyError& error) {
                error.pos = pos;
                throw;
            }
        }
        throw missing();
    case Value::Kind::Socket: {
        const SocketRef& s = *object.socket;
        if (name == QLatin1String("family"))
            return *pysocket::moduleAttribute(familyName(s.family));
        if (name == QLatin1String("type"))
            return *pysocket::moduleAttribute(socketTypeName(s.type));
        if (name == QLatin1String("proto"))
            return Value::fromInt(s.proto);
        if (pysocket::hasSocketMethod(name))
            return Value::method(object, name);
        throw missing();
    }
    default:
        if (auto method = builtins::method(object, name))
            return *method;
        throw missing();
    }
}

Value StatementRun::binary(const QString& op, const Value& a, const Value& b, SourcePos pos)
{
    using K = Value::Kind;
    if (isNumber(a) && isNumber(b)) {
        if (a.kind == K::Float || b.kind == K::Float) {
            const double x = asDouble(a), y = asDouble(b);
            return Value::fromFloat(op == QLatin1String("+")   ? x + y
                                    : op == QLatin1String("-") ? x - y
                                                               : x * y);
        }
        qint64 result = 0;
        const bool overflow =
            op == QLatin1String("+")   ? __builtin_add_overflow(asInt(a), asInt(b), &result)
            : op == QLatin1String("-") ? __builtin_sub_overflow(asInt(a), asInt(b), &result)
                                       : __builtin_mul_overflow(asInt(a), asInt(b), &result);
        if (overflow)
            throw PyError{QStringLiteral("OverflowError"),
                          QStringLiteral("the workbench's integers stop at 64 bits"), pos,
                          std::nullopt};
        return Value::fromInt(result);
    }
    if (op == QLatin1String("+")) {
        if (a.kind == K::Str && b.kind == K::Str)
            return Value::fromStr(a.text + b.text);
        if (a.isBytesLike() && b.isBytesLike()) {
            const QByteArray joined = a.toBytes() + b.toBytes();
            if (a.kind == K::ByteArray) {
                Value result = Value::fromByteArray(0);
                *result.array = joined;
                return result;
            }
            return Value::fromBytes(joined);
        }
        if ((a.kind == K::Tuple && b.kind == K::Tuple) ||
            (a.kind == K::List && b.kind == K::List)) {
            const ValueList joined = a.elements() + b.elements();
            return a.kind == K::Tuple ? Value::tuple(joined) : Value::list(joined);
        }
        if (a.kind == K::Str || a.kind == K::Tuple || a.kind == K::List)
            throw typeError(QStringLiteral("can only concatenate %1 (not \"%2\") to %1")
                                .arg(a.typeName(), b.typeName()),
                            pos);
        if (a.isBytesLike())
            throw typeError(QStringLiteral("can't concat %1 to %2").arg(b.typeName(), a.typeName()),
                            pos);
        throw unsupported(op, a, b, pos);
    }
    if (op == QLatin1String("*")) {
        if (!isSequence(a) && !isSequence(b))
            throw unsupported(op, a, b, pos);
        const bool leftCount = !isSequence(a);
        const Value& sequence = leftCount ? b : a;
        const Value& count = leftCount ? a : b;
        if (count.kind != K::Int && count.kind != K::Bool)
            throw typeError(QStringLiteral("can't multiply sequence by non-int of type '%1'")
                                .arg(count.typeName()),
                            pos);
        const qint64 n = std::max<qint64>(asInt(count), 0);
        if (sequence.kind == K::Bytes) {
            // b'x' * n stays a pattern and a count; it is built only if something needs it.
            Value repeated = sequence;
            if (__builtin_mul_overflow(sequence.repeat, n, &repeated.repeat))
                throw PyError{QStringLiteral("OverflowError"),
                              QStringLiteral("repeated bytes too long"), pos, std::nullopt};
            if (repeated.byteLength() <= 1024 * 1024) {
                repeated.bytes = sequence.toBytes().repeated(static_cast<qsizetype>(n));
                repeated.repeat = 1;
            }
            if (repeated.bytes.isEmpty())
                repeated.repeat = 1;
            return repeated;
        }
        if (sequence.kind == K::Str) {
            if (sequence.text.size() * n > Value::kMaxBuilt)
                throw PyError{QStringLiteral("MemoryError"), QString(), pos, std::nullopt};
            return Value::fromStr(sequence.text.repeated(static_cast<qsizetype>(n)));
        }
        if (sequence.kind == K::ByteArray) {
            Value result = Value::fromByteArray(0);
            *result.array = sequence.toBytes().repeated(static_cast<qsizetype>(n));
            return result;
        }
        if (sequence.kind == K::Tuple || sequence.kind == K::List) {
            ValueList items;
            for (qint64 i = 0; i < n; ++i)
                items += sequence.elements();
            return sequence.kind == K::Tuple ? Value::tuple(items) : Value::list(items);
        }
    }
    throw unsupported(op, a, b, pos);
}

Value StatementRun::subscript(const Value& object, const Value& index, SourcePos pos)
{
    if (index.kind != Value::Kind::Int && index.kind != Value::Kind::Bool) {
        // CPython's wording differs from type to type.
        switch (object.kind) {
        case Value::Kind::Str:
            throw typeError(
                QStringLiteral("string indices must be integers, not '%1'").arg(index.typeName()),
                pos);
        case Value::Kind::Bytes:
        case Value::Kind::ByteArray:
        case Value::Kind::Tuple:
        case Value::Kind::List:
            throw typeError(QStringLiteral("%1 indices must be integers or slices, not %2")
                                .arg(object.kind == Value::Kind::Bytes ? QStringLiteral("byte")
                                                                       : object.typeName(),
                                     index.typeName()),
                            pos);
        default:
            break;
        }
    }
    const qint64 i = asInt(index);
    switch (object.kind) {
    case Value::Kind::Tuple:
    case Value::Kind::List:
        return object.elements()[normaliseIndex(i, object.elements().size(), object, pos)];
    case Value::Kind::Str: {
        // Python indexes code points; a QString holds UTF-16.
        const QList<char32_t> points = codePoints(object.text);
        return Value::fromStr(
            fromCodePoints({points[normaliseIndex(i, points.size(), object, pos)]}));
    }
    case Value::Kind::Bytes:
    case Value::Kind::ByteArray: {
        const qsizetype at =
            normaliseIndex(i, static_cast<qsizetype>(object.byteLength()), object, pos);
        const char byte = object.kind == Value::Kind::Bytes
                              ? object.bytes.at(at % object.bytes.size())
                              : object.array->at(at);
        return Value::fromInt(static_cast<unsigned char>(byte));
    }
    default:
        throw typeError(QStringLiteral("'%1' object is not subscriptable").arg(object.typeName()),
                        pos);
    }
}

Value StatementRun::slice(const Value& object, const Expr& e)
{
    auto bound = [&](const ExprPtr& expr, qint64 fallback) -> qint64 {
        if (!expr)
            return fallback;
        const Value v = evaluate(expr);
        if (v.isNone())
            return fallback;
        if (v.kind != Value::Kind::Int && v.kind != Value::Kind::Bool)
            throw typeError(QStringLiteral("slice indices must be integers or None or have an "
                                           "__index__ method"),
                            e.pos);
        return asInt(v);
    };
    qint64 size = 0;
    switch (object.kind) {
    case Value::Kind::Str:
        size = codePointCount(object.text);
        break;
    case Value::Kind::Bytes:
    case Value::Kind::ByteArray:
        size = object.byteLength();
        break;
    case Value::Kind::Tuple:
    case Value::Kind::List:
        size = object.elements().size();
        break;
    default:
        throw typeError(QStringLiteral("'%1' object is not subscriptable").arg(object.typeName()),
                        e.pos);
    }
    auto clamp = [size](qint64 v) { return std::clamp<qint64>(v < 0 ? v + size : v, 0, size); };
    const qint64 from = clamp(bound(e.lower, 0));
    const qint64 to = std::max(from, clamp(bound(e.upper, size)));
    const auto start = static_cast<qsizetype>(from);
    const auto length = static_cast<qsizetype>(to - from);
    switch (object.kind) {
    case Value::Kind::Str:
        return Value::fromStr(fromCodePoints(codePoints(object.text).mid(start, length)));
    case Value::Kind::Bytes:
        if (object.repeat > 1) {
            // A slice of a repeated pattern: build just the slice.
            QByteArray out;
            if (length > Value::kMaxBuilt)
                throw PyError{QStringLiteral("MemoryError"), QString(), e.pos, std::nullopt};
            out.reserve(length);
            for (qsizetype i = 0; i < length; ++i)
                out.append(object.bytes.at((start + i) % object.bytes.size()));
            return Value::fromBytes(out);
        }
        return Value::fromBytes(object.bytes.mid(start, length));
    case Value::Kind::ByteArray: {
        Value result = Value::fromByteArray(0);
        *result.array = object.array->mid(start, length);
        return result;
    }
    default: {
        const ValueList items = object.elements().mid(start, length);
        return object.kind == Value::Kind::Tuple ? Value::tuple(items) : Value::list(items);
    }
    }
}

bool StatementRun::compare(const QString& op, const Value& a, const Value& b, SourcePos pos)
{
    if (op == QLatin1String("=="))
        return equals(a, b);
    if (op == QLatin1String("!="))
        return !equals(a, b);
    if (op == QLatin1String("is") || op == QLatin1String("is not")) {
        const bool same =
            (a.isNone() && b.isNone()) ||
            (a.kind == b.kind && a.kind == Value::Kind::Bool && a.boolean == b.boolean) ||
            (a.kind == Value::Kind::Socket && a.socket == b.socket);
        return op == QLatin1String("is") ? same : !same;
    }
    if (op == QLatin1String("in") || op == QLatin1String("not in")) {
        bool found = false;
        if (b.kind == Value::Kind::Str && a.kind == Value::Kind::Str)
            found = b.text.contains(a.text);
        else if (b.kind == Value::Kind::Str)
            throw typeError(QStringLiteral("'in <string>' requires string as left operand, not %1")
                                .arg(a.typeName()),
                            pos);
        else if (b.isBytesLike() && a.isBytesLike())
            found = b.toBytes().contains(a.toBytes());
        else if (b.isBytesLike() && (a.kind == Value::Kind::Int || a.kind == Value::Kind::Bool)) {
            if (asInt(a) < 0 || asInt(a) > 255)
                throw valueError(QStringLiteral("byte must be in range(0, 256)"), pos);
            found = b.toBytes().contains(static_cast<char>(asInt(a)));
        } else if (b.isBytesLike())
            throw typeError(
                QStringLiteral("a bytes-like object is required, not '%1'").arg(a.typeName()), pos);
        else if (b.kind == Value::Kind::Tuple || b.kind == Value::Kind::List)
            found = std::any_of(b.elements().begin(), b.elements().end(),
                                [&a](const Value& item) { return equals(a, item); });
        else
            throw typeError(
                QStringLiteral("argument of type '%1' is not iterable").arg(b.typeName()), pos);
        return op == QLatin1String("in") ? found : !found;
    }
    int order = 0;
    if (isNumber(a) && isNumber(b)) {
        if (std::isnan(asDouble(a)) || std::isnan(asDouble(b)))
            return false; // nan is neither smaller, nor larger, nor equal
        order = a.kind != Value::Kind::Float && b.kind != Value::Kind::Float
                    ? threeWay(asInt(a), asInt(b)) // exact beyond 2**53
                    : threeWay(asDouble(a), asDouble(b));
    } else if (a.kind == Value::Kind::Str && b.kind == Value::Kind::Str) {
        order = threeWay(codePoints(a.text), codePoints(b.text)); // code points, not UTF-16
    } else if (a.isBytesLike() && b.isBytesLike()) {
        order = a.toBytes().compare(b.toBytes());
    } else if (a.kind == b.kind && (a.kind == Value::Kind::Tuple || a.kind == Value::Kind::List)) {
        // Lexicographic, as Python: the first items that differ decide.
        const ValueList& x = a.elements();
        const ValueList& y = b.elements();
        for (qsizetype i = 0; i < std::min(x.size(), y.size()); ++i)
            if (!equals(x[i], y[i]))
                return compare(op, x[i], y[i], pos);
        order = threeWay(x.size(), y.size());
    } else {
        throw typeError(QStringLiteral("'%1' not supported between instances of '%2' and '%3'")
                            .arg(op, a.typeName(), b.typeName()),
                        pos);
    }
    if (op == QLatin1String("<"))
        return order < 0;
    if (op == QLatin1String("<="))
        return order <= 0;
    if (op == QLatin1String(">"))
        return order > 0;
    return order >= 0;
}

} // namespace sockbench::lesson
