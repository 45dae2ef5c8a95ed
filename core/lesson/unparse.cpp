#include "unparse.h"

#include "value.h"

#include <cmath>

namespace sockbench::lesson {

namespace {

QString wrapped(const ExprPtr& e, const QHash<QString, QString>& replace)
{
    const QString text = unparse(e, replace);
    if (e->kind == Expr::Kind::BinOp || e->kind == Expr::Kind::Compare ||
        e->kind == Expr::Kind::UnaryOp)
        return QLatin1Char('(') + text + QLatin1Char(')');
    return text;
}

QString floatText(double d)
{
    QString text = repr(Value::fromFloat(d));
    return text;
}

bool isForeignChain(const ExprPtr& e, const QSet<QString>& foreign)
{
    static const QSet<QString> lookMethods{QStringLiteral("getsockname"),
                                           QStringLiteral("getpeername"), QStringLiteral("fileno"),
                                           QStringLiteral("gettimeout")};
    static const QSet<QString> lookAttributes{QStringLiteral("family"), QStringLiteral("type"),
                                              QStringLiteral("proto")};
    if (!e)
        return false;
    switch (e->kind) {
    case Expr::Kind::Name:
        return foreign.contains(e->text);
    case Expr::Kind::Attribute:
        return lookAttributes.contains(e->text) && isForeignChain(e->object, foreign);
    case Expr::Kind::Call:
        return e->items.empty() && e->keywords.empty() && e->callee &&
               e->callee->kind == Expr::Kind::Attribute && lookMethods.contains(e->callee->text) &&
               isForeignChain(e->callee->object, foreign);
    case Expr::Kind::Subscript:
    case Expr::Kind::Slice:
        return isForeignChain(e->object, foreign);
    default:
        return false;
    }
}

void collectRoots(const ExprPtr& e, const QSet<QString>& foreign, QStringList& roots, QString* why)
{
    if (!e)
        return;
    if (isForeignChain(e, foreign)) {
        const QString text = unparse(e);
        if (!roots.contains(text))
            roots << text;
        return;
    }
    if (e->kind == Expr::Kind::Name && foreign.contains(e->text))
        return; // reached only through a chain that is not a pure look: reported below
    if (e->kind == Expr::Kind::Call && e->callee && e->callee->kind == Expr::Kind::Attribute &&
        e->callee->object && e->callee->object->kind == Expr::Kind::Name &&
        foreign.contains(e->callee->object->text) && why && why->isEmpty()) {
        *why = QStringLiteral("%1 uses a socket of another actor; export with --threads to run "
                              "all actors in one program")
                   .arg(unparse(e));
        return;
    }
    for (const ExprPtr& child :
         {e->object, e->callee, e->left, e->right, e->operand, e->index, e->lower, e->upper})
        collectRoots(child, foreign, roots, why);
    for (const ExprPtr& item : e->items)
        collectRoots(item, foreign, roots, why);
    for (const Expr::Keyword& keyword : e->keywords)
        collectRoots(keyword.value, foreign, roots, why);
}

void boundNames(const Target& target, QSet<QString>& out)
{
    if (target.kind == Target::Kind::Name)
        out.insert(target.name);
    for (const Target& item : target.items)
        boundNames(item, out);
}

QSet<QString> boundBy(const Stmt& s)
{
    QSet<QString> out;
    if (s.kind == Stmt::Kind::Assign || s.kind == Stmt::Kind::AugAssign ||
        s.kind == Stmt::Kind::With)
        boundNames(s.target, out);
    if (s.kind == Stmt::Kind::Import)
        for (const QString& name : s.names)
            out.insert(name);
    return out;
}

void readNames(const ExprPtr& e, QSet<QString>& out)
{
    if (!e)
        return;
    if (e->kind == Expr::Kind::Name)
        out.insert(e->text);
    for (const ExprPtr& child :
         {e->object, e->callee, e->left, e->right, e->operand, e->index, e->lower, e->upper})
        readNames(child, out);
    for (const ExprPtr& item : e->items)
        readNames(item, out);
    for (const Expr::Keyword& keyword : e->keywords)
        readNames(keyword.value, out);
}

QSet<QString> readBy(const Stmt& s)
{
    QSet<QString> out;
    readNames(s.value, out);
    readNames(s.test, out);
    readNames(s.message, out);
    if (s.kind == Stmt::Kind::AugAssign)
        out.insert(s.target.name);
    return out;
}

} // namespace

QSet<QString> namesBound(const Stmt& stmt)
{
    return boundBy(stmt);
}

QSet<QString> namesRead(const Stmt& stmt)
{
    return readBy(stmt);
}

QString unparse(const ExprPtr& e, const QHash<QString, QString>& replace)
{
    if (!e)
        return {};
    if (!replace.isEmpty()) {
        const QString plain = unparse(e);
        const auto it = replace.constFind(plain);
        if (it != replace.cend())
            return *it;
    }
    auto list = [&replace](const std::vector<ExprPtr>& items) {
        QStringList parts;
        for (const ExprPtr& item : items)
            parts << unparse(item, replace);
        return parts;
    };
    switch (e->kind) {
    case Expr::Kind::Name:
        return e->text;
    case Expr::Kind::Attribute:
        return wrapped(e->object, replace) + QLatin1Char('.') + e->text;
    case Expr::Kind::Call: {
        QStringList args = list(e->items);
        for (const Expr::Keyword& keyword : e->keywords)
            args << keyword.name + QLatin1Char('=') + unparse(keyword.value, replace);
        return wrapped(e->callee, replace) + QLatin1Char('(') + args.join(QStringLiteral(", ")) +
               QLatin1Char(')');
    }
    case Expr::Kind::Int:
        return QString::number(e->intValue);
    case Expr::Kind::Float:
        return floatText(e->floatValue);
    case Expr::Kind::Str:
        return strRepr(e->text);
    case Expr::Kind::Bytes:
        return bytesRepr(e->bytes);
    case Expr::Kind::None:
        return QStringLiteral("None");
    case Expr::Kind::Bool:
        return e->boolValue ? QStringLiteral("True") : QStringLiteral("False");
    case Expr::Kind::Tuple: {
        const QStringList parts = list(e->items);
        if (parts.size() == 1)
            return QLatin1Char('(') + parts.first() + QStringLiteral(",)");
        return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    case Expr::Kind::List:
        return QLatin1Char('[') + list(e->items).join(QStringLiteral(", ")) + QLatin1Char(']');
    case Expr::Kind::BinOp:
    case Expr::Kind::Compare:
        return wrapped(e->left, replace) + QLatin1Char(' ') + e->op + QLatin1Char(' ') +
               wrapped(e->right, replace);
    case Expr::Kind::UnaryOp:
        return e->op + wrapped(e->operand, replace);
    case Expr::Kind::Subscript:
        return wrapped(e->object, replace) + QLatin1Char('[') + unparse(e->index, replace) +
               QLatin1Char(']');
    case Expr::Kind::Slice:
        return wrapped(e->object, replace) + QLatin1Char('[') + unparse(e->lower, replace) +
               QLatin1Char(':') + unparse(e->upper, replace) + QLatin1Char(']');
    }
    return {};
}

QString unparse(const Target& target)
{
    if (target.kind == Target::Kind::Name)
        return target.name;
    QStringList parts;
    for (const Target& item : target.items)
        parts << unparse(item);
    if (parts.size() == 1)
        return QLatin1Char('(') + parts.first() + QStringLiteral(",)");
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString unparse(const Stmt& s, const QHash<QString, QString>& replace)
{
    switch (s.kind) {
    case Stmt::Kind::Import:
        return QStringLiteral("import ") + s.names.join(QStringLiteral(", "));
    case Stmt::Kind::FromImport:
        return QStringLiteral("from socket import ") + s.names.join(QStringLiteral(", "));
    case Stmt::Kind::Assign:
    case Stmt::Kind::With:
        return unparse(s.target) + QStringLiteral(" = ") + unparse(s.value, replace);
    case Stmt::Kind::AugAssign:
        return s.target.name + QLatin1Char(' ') + s.op + QStringLiteral("= ") +
               unparse(s.value, replace);
    case Stmt::Kind::Expr:
        return unparse(s.value, replace);
    case Stmt::Kind::Assert:
        return QStringLiteral("assert ") + unparse(s.test, replace) +
               (s.message ? QStringLiteral(", ") + unparse(s.message, replace) : QString());
    case Stmt::Kind::Pass:
        return QStringLiteral("pass");
    }
    return {};
}

QStringList foreignRoots(const StmtPtr& stmt, const QSet<QString>& foreign, QString* why)
{
    QStringList roots;
    collectRoots(stmt->value, foreign, roots, why);
    collectRoots(stmt->test, foreign, roots, why);
    collectRoots(stmt->message, foreign, roots, why);
    if (stmt->kind == Stmt::Kind::AugAssign && foreign.contains(stmt->target.name) && why &&
        why->isEmpty())
        *why = QStringLiteral("%1 changes a name another actor owns; export with --threads")
                   .arg(stmt->target.name);
    return roots;
}

} // namespace sockbench::lesson
