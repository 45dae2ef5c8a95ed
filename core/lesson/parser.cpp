#include "lesson/parser.h"

#include "lesson/comments.h"
#include "lesson/expressionparser.h"
#include "lesson/refusals.h"
#include "lesson/tokenizer.h"

#include <algorithm>

namespace sockbench::lesson {

namespace {

bool isAfter(SourcePos a, SourcePos b)
{
    return a.line > b.line || (a.line == b.line && a.column > b.column);
}

std::shared_ptr<Stmt> makeStmt(Stmt::Kind kind, SourcePos pos)
{
    auto stmt = std::make_shared<Stmt>();
    stmt->kind = kind;
    stmt->pos = pos;
    return stmt;
}

Target toTarget(const Expr& expr)
{
    Target target;
    target.pos = expr.pos;
    switch (expr.kind) {
    case Expr::Kind::Name:
        target.name = expr.text;
        return target;
    case Expr::Kind::Tuple:
        if (expr.items.empty())
            refuse(expr.pos, QStringLiteral("there is nothing to assign to in `()`"));
        target.kind = Target::Kind::Tuple;
        for (const ExprPtr& item : expr.items)
            target.items.push_back(toTarget(*item));
        return target;
    case Expr::Kind::List:
        refuse(expr.pos, QStringLiteral("unpack into a tuple: write `a, b = ...` rather than "
                                        "`[a, b] = ...`"));
    case Expr::Kind::Attribute:
        refuse(expr.pos, QStringLiteral("assigning to an attribute (`sock.x = ...`) is not part "
                                        "of a lesson: call a method instead, like "
                                        "sock.settimeout(5)"));
    case Expr::Kind::Subscript:
    case Expr::Kind::Slice:
        refuse(expr.pos, QStringLiteral("assigning to an item or a slice (`x[0] = ...`) is not "
                                        "part of a lesson"));
    case Expr::Kind::Call:
        refuse(expr.pos, QStringLiteral("a call can not be assigned to: put a name on the left "
                                        "of `=`"));
    case Expr::Kind::Int:
    case Expr::Kind::Float:
    case Expr::Kind::Str:
    case Expr::Kind::Bytes:
    case Expr::Kind::None:
    case Expr::Kind::Bool:
        refuse(expr.pos, QStringLiteral("a literal can not be assigned to: put a name on the left "
                                        "of `=`"));
    case Expr::Kind::BinOp:
    case Expr::Kind::UnaryOp:
    case Expr::Kind::Compare:
        break;
    }
    refuse(expr.pos, QStringLiteral("an expression can not be assigned to: put a name on the "
                                    "left of `=`"));
}

class StatementParser {
public:
    StatementParser(const TokenizedText& tokenized, const QString& text, Script& script)
        : m_tokens(tokenized.tokens)
        , m_expressions(m_tokens)
        , m_comments(tokenized.comments)
        , m_text(text)
        , m_tracker(script)
    {
    }

    void run()
    {
        for (;;) {
            const Token& token = m_tokens.peek();
            switch (token.kind) {
            case TokenKind::End:
                m_tracker.finish();
                return;
            case TokenKind::Comment:
                m_tracker.comment(token);
                m_tokens.next();
                break;
            case TokenKind::Blank:
                m_tracker.blankLine();
                m_tokens.next();
                break;
            case TokenKind::Indent:
                refuse(token.pos, QStringLiteral("this line is indented, but in a lesson only the "
                                                 "body of a `with` is indented"));
            default:
                m_tracker.statement(statement());
                break;
            }
        }
    }

private:
    StmtPtr statement()
    {
        if (m_tokens.atKeyword(u"with"))
            return withStatement();
        return simpleStatementLine();
    }

    // One simple statement and the end of its line.
    StmtPtr simpleStatementLine()
    {
        const Token& first = m_tokens.peek();
        refuseLookalikes(first);
        std::shared_ptr<Stmt> stmt = simpleStatement();
        if (!m_tokens.at(TokenKind::Newline))
            refuseStatementEnd(*stmt);
        const Token& last = m_tokens.previous();
        stmt->endLine = last.endLine;
        stmt->source = sourceText(first.offset, last.endOffset);
        m_tokens.next();
        return stmt;
    }

    // Constructs that start like an expression but are something else: a `match` statement
    // (its keyword is a name elsewhere) and Python 2's print statement, which course notes
    // written for Python 2 still show.
    void refuseLookalikes(const Token& first)
    {
        if (first.kind != TokenKind::Name)
            return;
        if (first.text == u"match" || first.text == u"case") {
            int ahead = 1;
            while (m_tokens.peekAhead(ahead).kind != TokenKind::Newline &&
                   m_tokens.peekAhead(ahead).kind != TokenKind::End &&
                   m_tokens.peekAhead(ahead).kind != TokenKind::Error)
                ++ahead;
            if (m_tokens.peekAhead(ahead - 1).isOp(u":") &&
                ExpressionParser::startsExpression(m_tokens.peekAhead(1)))
                refuse(first.pos, QStringLiteral("`match` statements are not part of a lesson: "
                                                 "a lesson runs straight down, one statement at "
                                                 "a time"));
        }
        const TokenKind second = m_tokens.peekAhead(1).kind;
        if (first.text == u"print" &&
            (second == TokenKind::Str || second == TokenKind::Bytes || second == TokenKind::Name ||
             second == TokenKind::Int || second == TokenKind::Float))
            refuse(first.pos, QStringLiteral("`print` is a function in Python 3: write "
                                             "print(...) with parentheses"));
    }

    [[noreturn]] void refuseStatementEnd(const Stmt& stmt)
    {
        const Token& token = m_tokens.peek();
        if (token.isOp(u":")) {
            if (stmt.kind == Stmt::Kind::Expr && stmt.value->kind == Expr::Kind::Name)
                refuse(token.pos, QStringLiteral("type annotations (`name: type`) are not part "
                                                 "of a lesson"));
            refuse(token.pos, QStringLiteral("a line ending in `:` opens a block, and the only "
                                             "block in a lesson is `with ... as name:`"));
        }
        if (token.isOp(u"=") && stmt.kind == Stmt::Kind::Assign)
            refuse(token.pos, QStringLiteral("chained assignment (`a = b = 1`) is not part of a "
                                             "lesson: assign one name per line"));
        refuseUnexpected(token, QStringLiteral("the end of the statement"));
    }

    std::shared_ptr<Stmt> simpleStatement()
    {
        const Token& first = m_tokens.peek();
        if (first.kind == TokenKind::Keyword) {
            if (first.text == u"import")
                return importStatement();
            if (first.text == u"from")
                return fromImportStatement();
            if (first.text == u"assert")
                return assertStatement();
            if (first.text == u"pass") {
                m_tokens.next();
                return makeStmt(Stmt::Kind::Pass, first.pos);
            }
            if (first.text == u"with")
                refuse(first.pos, QStringLiteral("a `with` after a `:` on the same line is not "
                                                 "part of Python: put it on a line of its own, "
                                                 "indented"));
            const QString refused = refusedStatement(first);
            if (!refused.isEmpty())
                refuse(first.pos, refused);
            if (!ExpressionParser::startsExpression(first))
                refuse(first.pos, QStringLiteral("`%1` can not start a statement").arg(first.text));
        }
        const QString decorator = refusedStatement(first);
        if (!decorator.isEmpty())
            refuse(first.pos, decorator);
        if (!ExpressionParser::startsExpression(first))
            refuseUnexpected(first, QStringLiteral("a statement"));
        return assignmentOrExpression();
    }

    std::shared_ptr<Stmt> assignmentOrExpression()
    {
        const ExprPtr left = m_expressions.expressionList();
        if (m_tokens.atOp(u"=")) {
            auto stmt = makeStmt(Stmt::Kind::Assign, left->pos);
            stmt->target = toTarget(*left);
            m_tokens.next();
            stmt->value = m_expressions.expressionList();
            return stmt;
        }
        if (m_tokens.atOp(u"+=") || m_tokens.atOp(u"-=")) {
            if (left->kind != Expr::Kind::Name)
                refuse(left->pos, QStringLiteral("`%1` works on a plain name in a lesson, as in "
                                                 "`total += 1`")
                                      .arg(m_tokens.peek().text));
            auto stmt = makeStmt(Stmt::Kind::AugAssign, left->pos);
            stmt->target.pos = left->pos;
            stmt->target.name = left->text;
            stmt->op = m_tokens.next().text.left(1);
            stmt->value = m_expressions.expressionList();
            return stmt;
        }
        auto stmt = makeStmt(Stmt::Kind::Expr, left->pos);
        stmt->value = left;
        return stmt;
    }

    // A module name after `import` or `from`, dotted parts included, so that `import
    // os.path` is refused by its whole name.
    QString moduleName()
    {
        const Token& first = m_tokens.peek();
        if (first.kind != TokenKind::Name)
            refuseUnexpected(first, QStringLiteral("a module name"));
        const SourcePos pos = first.pos;
        QString module = m_tokens.next().text;
        while (m_tokens.atOp(u".")) {
            m_tokens.next();
            if (!m_tokens.at(TokenKind::Name))
                refuseUnexpected(m_tokens.peek(), QStringLiteral("a module name"));
            module += u'.' + m_tokens.next().text;
        }
        if (module != u"socket")
            refuse(pos, QStringLiteral("only the socket module can be imported in a lesson, not "
                                       "`%1`")
                            .arg(module));
        return module;
    }

    void refuseRenaming()
    {
        if (m_tokens.atKeyword(u"as"))
            refuse(m_tokens.peek().pos, QStringLiteral("renaming an import (`as`) is not part of "
                                                       "a lesson: use the names as the socket "
                                                       "module spells them"));
    }

    std::shared_ptr<Stmt> importStatement()
    {
        auto stmt = makeStmt(Stmt::Kind::Import, m_tokens.next().pos);
        for (;;) {
            stmt->names << moduleName();
            refuseRenaming();
            if (!m_tokens.atOp(u","))
                return stmt;
            m_tokens.next();
        }
    }

    std::shared_ptr<Stmt> fromImportStatement()
    {
        auto stmt = makeStmt(Stmt::Kind::FromImport, m_tokens.next().pos);
        if (m_tokens.atOp(u".") || m_tokens.atOp(u"..."))
            refuse(m_tokens.peek().pos, QStringLiteral("relative imports are not part of a "
                                                       "lesson: import from the socket module "
                                                       "by name"));
        moduleName();
        if (!m_tokens.atKeyword(u"import"))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("`import`"));
        m_tokens.next();
        if (m_tokens.atOp(u"*")) {
            m_tokens.next();
            stmt->names << QStringLiteral("*");
            return stmt;
        }
        const bool parenthesised = m_tokens.atOp(u"(");
        if (parenthesised)
            m_tokens.next();
        for (;;) {
            if (!m_tokens.at(TokenKind::Name))
                refuseUnexpected(m_tokens.peek(), QStringLiteral("a name to import"));
            stmt->names << m_tokens.next().text;
            refuseRenaming();
            if (!m_tokens.atOp(u","))
                break;
            const Token& comma = m_tokens.next();
            if (parenthesised && m_tokens.atOp(u")"))
                break;
            if (!parenthesised && !m_tokens.at(TokenKind::Name))
                refuse(comma.pos, QStringLiteral("a trailing comma needs the names in "
                                                 "parentheses: from socket import (a, b,)"));
        }
        if (parenthesised) {
            if (!m_tokens.atOp(u")"))
                refuseUnexpected(m_tokens.peek(), QStringLiteral("`,` or `)`"));
            m_tokens.next();
        }
        return stmt;
    }

    std::shared_ptr<Stmt> assertStatement()
    {
        auto stmt = makeStmt(Stmt::Kind::Assert, m_tokens.next().pos);
        if (!ExpressionParser::startsExpression(m_tokens.peek()))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("a condition to test"));
        stmt->test = m_expressions.expression();
        if (stmt->test->kind == Expr::Kind::Tuple && !stmt->test->items.empty())
            refuse(stmt->test->pos, QStringLiteral("this assert tests a tuple, which is always "
                                                   "true: write `assert test, message` without "
                                                   "the parentheses"));
        if (m_tokens.atOp(u",")) {
            m_tokens.next();
            stmt->message = m_expressions.expression();
        }
        return stmt;
    }

    StmtPtr withStatement()
    {
        const Token& keyword = m_tokens.next();
        auto stmt = makeStmt(Stmt::Kind::With, keyword.pos);
        if (!ExpressionParser::startsExpression(m_tokens.peek()))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("a value after `with`"));
        stmt->value = m_expressions.expression();
        refuseSecondWithItem();
        if (!m_tokens.atKeyword(u"as"))
            refuse(keyword.pos, QStringLiteral("a lesson's `with` names its value: write `with "
                                               "EXPR as NAME:`"));
        m_tokens.next();
        const Token& name = m_tokens.peek();
        if (name.kind != TokenKind::Name)
            refuse(name.pos, QStringLiteral("`with ... as` takes one plain name in a lesson, as "
                                            "in `as conn`"));
        stmt->target.pos = name.pos;
        stmt->target.name = m_tokens.next().text;
        refuseSecondWithItem();
        if (!m_tokens.atOp(u":"))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("`:`"));
        const Token& colon = m_tokens.next();
        stmt->source = sourceText(keyword.offset, colon.endOffset);

        if (!m_tokens.at(TokenKind::Newline)) {
            stmt->body.push_back(simpleStatementLine()); // with x as y: stmt
        } else {
            m_tokens.next();
            withBody(*stmt, keyword);
        }
        stmt->endLine = stmt->body.back()->endLine;
        return stmt;
    }

    void refuseSecondWithItem()
    {
        if (m_tokens.atOp(u","))
            refuse(m_tokens.peek().pos, QStringLiteral("a lesson's `with` takes one item: nest a "
                                                       "second `with` inside the first"));
    }

    void withBody(Stmt& stmt, const Token& keyword)
    {
        if (!m_tokens.at(TokenKind::Indent)) {
            // Point at the line that should have been indented, past any comments.
            int ahead = 0;
            while (m_tokens.peekAhead(ahead).kind == TokenKind::Comment ||
                   m_tokens.peekAhead(ahead).kind == TokenKind::Blank)
                ++ahead;
            const Token& line = m_tokens.peekAhead(ahead);
            refuse(line.kind == TokenKind::End ? keyword.pos : line.pos,
                   QStringLiteral("the body of a `with` must be indented below it"));
        }
        m_tokens.next();
        for (;;) {
            const Token& token = m_tokens.peek();
            switch (token.kind) {
            case TokenKind::Dedent:
                m_tokens.next();
                return;
            case TokenKind::End:
                return;
            case TokenKind::Comment:
                m_tracker.bodyComment(token);
                m_tokens.next();
                break;
            case TokenKind::Blank:
                m_tokens.next();
                break;
            case TokenKind::Indent:
                refuse(token.pos, QStringLiteral("this line is indented deeper than the `with` "
                                                 "body it is in"));
            default:
                stmt.body.push_back(statement());
                break;
            }
        }
    }

    // The text from start to end as written, minus comments (and lines that held only a
    // comment), so Stmt::source shows the code and nothing else.
    QString sourceText(qsizetype start, qsizetype end) const
    {
        QStringList lines;
        qsizetype lineStart = start;
        while (lineStart <= end) {
            qsizetype lineEnd = m_text.indexOf(u'\n', lineStart);
            if (lineEnd < 0 || lineEnd > end)
                lineEnd = end;
            QString line = m_text.mid(lineStart, lineEnd - lineStart);
            const auto comment =
                std::find_if(m_comments.begin(), m_comments.end(),
                             [&](const std::pair<qsizetype, qsizetype>& span) {
                                 return span.first >= lineStart && span.first < lineEnd;
                             });
            if (comment != m_comments.end()) {
                line.truncate(comment->first - lineStart);
                while (!line.isEmpty() && (line.back() == u' ' || line.back() == u'\t'))
                    line.chop(1);
            }
            if (comment == m_comments.end() || !line.trimmed().isEmpty())
                lines << line;
            lineStart = lineEnd + 1;
        }
        return lines.join(u'\n');
    }

    TokenStream m_tokens;
    ExpressionParser m_expressions;
    const std::vector<std::pair<qsizetype, qsizetype>>& m_comments;
    const QString& m_text;
    CommentTracker m_tracker;
};

} // namespace

std::variant<Script, ParseError> parse(const QString& source, const QString& fileName)
{
    Script script;
    script.fileName = fileName;
    script.source = source;
    const QString text = normalizeLineEnds(source);
    const TokenizedText tokenized = tokenize(text);
    try {
        StatementParser(tokenized, text, script).run();
    } catch (const Refusal& refusal) {
        // Past an unclosed bracket every token was swallowed by it: that bracket is the
        // real mistake, whatever the parser tripped on later.
        const std::optional<ParseError>& unclosed = tokenized.unclosedBracket;
        if (unclosed && isAfter(refusal.error.pos, unclosed->pos))
            return *unclosed;
        return refusal.error;
    }
    return script;
}

} // namespace sockbench::lesson
