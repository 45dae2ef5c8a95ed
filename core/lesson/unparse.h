#pragma once

#include "ast.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace sockbench::lesson {

// Python text for a parsed expression, target or statement (a with statement gives its
// header's assignment: `NAME = EXPR`). Sub-expressions whose text is a key of replace are
// written as its value instead.
QString unparse(const ExprPtr& expr, const QHash<QString, QString>& replace = {});
QString unparse(const Target& target);
QString unparse(const Stmt& stmt, const QHash<QString, QString>& replace = {});

// The names a statement binds (assignment targets, imports) and the names it reads.
QSet<QString> namesBound(const Stmt& stmt);
QSet<QString> namesRead(const Stmt& stmt);

// The largest sub-expressions of stmt that only look at names of `foreign` without
// changing anything: a name, its socket's getsockname()/getpeername()/fileno(), its
// family/type/proto, indexed or sliced. Any other use of a foreign name (calling
// accept() on another actor's socket, say) sets *why.
QStringList foreignRoots(const StmtPtr& stmt, const QSet<QString>& foreign, QString* why);

} // namespace sockbench::lesson
