#pragma once

// Shared by the lesson parser tests. A compact, exact text form of the lesson AST for the parser
// tests: one line says a whole statement's shape, so a table row can compare it in full.
//   names as written; (attr OBJ NAME); (call CALLEE ARGS... kw=VALUE); 42; f0.5;
//   'text' and b'bytes' (control characters, quotes and backslashes as \xNN, the rest of
//   non-ASCII as \uNNNN); (tuple ...); (list ...); (+ L R); (u- X); (== L R);
//   (index OBJ I); (slice OBJ LOWER UPPER) with _ for an omitted bound.
//   Statements: (import ...), (from socket ...), (= TARGET VALUE), (+= NAME VALUE),
//   (assert TEST MESSAGE), pass, (with VALUE NAME: BODY; BODY), an expression alone.

#include "lesson/ast.h"
#include "lesson/parser.h"

#include <QtTest>

#include <QStringList>

namespace sockbench::lesson::test {

inline QString quoted(const QString& text)
{
    QString out;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || c == u'\\' || c == u'\'')
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        else if (u > 0x7e)
            out += QStringLiteral("\\u%1").arg(u, 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

inline QString dump(const ExprPtr& e)
{
    if (!e)
        return QStringLiteral("_");
    const auto list = [](const QString& head, const std::vector<ExprPtr>& items) {
        QStringList parts{head};
        for (const ExprPtr& item : items)
            parts << dump(item);
        return u'(' + parts.join(u' ') + u')';
    };
    switch (e->kind) {
    case Expr::Kind::Name:
        return e->text;
    case Expr::Kind::Attribute:
        return QStringLiteral("(attr %1 %2)").arg(dump(e->object), e->text);
    case Expr::Kind::Call: {
        QStringList parts{QStringLiteral("call"), dump(e->callee)};
        for (const ExprPtr& item : e->items)
            parts << dump(item);
        for (const Expr::Keyword& keyword : e->keywords)
            parts << keyword.name + u'=' + dump(keyword.value);
        return u'(' + parts.join(u' ') + u')';
    }
    case Expr::Kind::Int:
        return QString::number(e->intValue);
    case Expr::Kind::Float:
        return u'f' + QString::number(e->floatValue, 'g', 17);
    case Expr::Kind::Str:
        return u'\'' + quoted(e->text) + u'\'';
    case Expr::Kind::Bytes:
        return QStringLiteral("b'") + quoted(QString::fromLatin1(e->bytes)) + u'\'';
    case Expr::Kind::None:
        return QStringLiteral("None");
    case Expr::Kind::Bool:
        return e->boolValue ? QStringLiteral("True") : QStringLiteral("False");
    case Expr::Kind::Tuple:
        return list(QStringLiteral("tuple"), e->items);
    case Expr::Kind::List:
        return list(QStringLiteral("list"), e->items);
    case Expr::Kind::BinOp:
    case Expr::Kind::Compare:
        return QStringLiteral("(%1 %2 %3)").arg(e->op, dump(e->left), dump(e->right));
    case Expr::Kind::UnaryOp:
        return QStringLiteral("(u%1 %2)").arg(e->op, dump(e->operand));
    case Expr::Kind::Subscript:
        return QStringLiteral("(index %1 %2)").arg(dump(e->object), dump(e->index));
    case Expr::Kind::Slice:
        return QStringLiteral("(slice %1 %2 %3)")
            .arg(dump(e->object), dump(e->lower), dump(e->upper));
    }
    return QStringLiteral("?");
}

inline QString dump(const Target& target)
{
    if (target.kind == Target::Kind::Name)
        return target.name;
    QStringList parts;
    for (const Target& item : target.items)
        parts << dump(item);
    return u'(' + parts.join(u' ') + u')';
}

inline QString dump(const StmtPtr& s)
{
    switch (s->kind) {
    case Stmt::Kind::Import:
        return QStringLiteral("(import %1)").arg(s->names.join(u' '));
    case Stmt::Kind::FromImport:
        return QStringLiteral("(from socket %1)").arg(s->names.join(u' '));
    case Stmt::Kind::Assign:
        return QStringLiteral("(= %1 %2)").arg(dump(s->target), dump(s->value));
    case Stmt::Kind::AugAssign:
        return QStringLiteral("(%1= %2 %3)").arg(s->op, dump(s->target), dump(s->value));
    case Stmt::Kind::Expr:
        return dump(s->value);
    case Stmt::Kind::Assert:
        return QStringLiteral("(assert %1 %2)").arg(dump(s->test), dump(s->message));
    case Stmt::Kind::Pass:
        return QStringLiteral("pass");
    case Stmt::Kind::With: {
        QStringList body;
        for (const StmtPtr& inner : s->body)
            body << dump(inner);
        return QStringLiteral("(with %1 %2: %3)")
            .arg(dump(s->value), dump(s->target), body.join(QStringLiteral("; ")));
    }
    }
    return QStringLiteral("?");
}

} // namespace sockbench::lesson::test

// Declares `var` as the Script parsed from source, or fails the test with the refusal.
#define PARSED(var, source)                                                                        \
    const auto var##Result = parse((source), QStringLiteral("lesson.py"));                         \
    if (const auto* var##Error = std::get_if<ParseError>(&var##Result))                            \
        QFAIL(qPrintable(var##Error->format(QStringLiteral("lesson.py"))));                        \
    const Script& var = std::get<Script>(var##Result)

// Declares `var` as the ParseError for source, or fails the test if it was accepted.
#define REFUSED(var, source)                                                                       \
    const auto var##Result = parse((source), QStringLiteral("lesson.py"));                         \
    QVERIFY2(std::holds_alternative<ParseError>(var##Result), "the lesson was accepted");          \
    const ParseError& var = std::get<ParseError>(var##Result)
