#include "lesson/expressionparser.h"

#include "lesson/refusals.h"

namespace sockbench::lesson {

namespace {

// Deep enough for any honest lesson, shallow enough to stay far from the stack's end.
constexpr int kMaxDepth = 100;
// The tree's depth: a chain such as 1 + 1 + ... + 1 builds a left-deep tree that is
// evaluated and freed recursively. CPython compiles a 1,000-term sum and refuses a
// 10,000-term one (RecursionError); a lesson stops at the same order.
constexpr int kMaxTreeDepth = 1000;

void refuseTooDeep(SourcePos pos)
{
    refuse(pos, QStringLiteral("this expression is too long or nests too deeply for a lesson; "
                               "split it into several statements"));
}

class DepthGuard {
public:
    DepthGuard(int& depth, int& treeDepth, SourcePos pos)
        : m_depth(depth)
        , m_treeDepth(treeDepth)
    {
        if (m_depth >= kMaxDepth)
            refuse(pos, QStringLiteral("this expression nests too deeply for a lesson"));
        if (m_treeDepth >= kMaxTreeDepth)
            refuseTooDeep(pos);
        ++m_depth;
        ++m_treeDepth;
    }
    ~DepthGuard()
    {
        --m_depth;
        --m_treeDepth;
    }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

private:
    int& m_depth;
    int& m_treeDepth;
};

// Each link of a left-deep chain deepens the tree by one; the depth is given back when the
// chain ends.
class ChainGuard {
public:
    explicit ChainGuard(int& treeDepth)
        : m_treeDepth(treeDepth)
        , m_start(treeDepth)
    {
    }
    ~ChainGuard() { m_treeDepth = m_start; }
    void link(SourcePos pos)
    {
        if (++m_treeDepth > kMaxTreeDepth)
            refuseTooDeep(pos);
    }
    ChainGuard(const ChainGuard&) = delete;
    ChainGuard& operator=(const ChainGuard&) = delete;

private:
    int& m_treeDepth;
    const int m_start;
};

std::shared_ptr<Expr> make(Expr::Kind kind, SourcePos pos)
{
    auto expr = std::make_shared<Expr>();
    expr->kind = kind;
    expr->pos = pos;
    return expr;
}

void expectOp(TokenStream& tokens, QStringView op, const QString& expected)
{
    if (!tokens.atOp(op))
        refuseUnexpected(tokens.peek(), expected);
    tokens.next();
}

} // namespace

bool ExpressionParser::startsExpression(const Token& token)
{
    switch (token.kind) {
    case TokenKind::Name:
    case TokenKind::Int:
    case TokenKind::Float:
    case TokenKind::Str:
    case TokenKind::Bytes:
        return true;
    case TokenKind::Keyword:
        for (const auto* word :
             {u"None", u"True", u"False", u"not", u"lambda", u"yield", u"await"}) {
            if (token.text == QStringView(word))
                return true;
        }
        return false;
    case TokenKind::Op:
        for (const auto* op : {u"(", u"[", u"-", u"+", u"{", u"*", u"**", u"...", u"~"}) {
            if (token.text == QStringView(op))
                return true;
        }
        return false;
    default:
        return false;
    }
}

ExprPtr ExpressionParser::expression()
{
    const DepthGuard guard(m_depth, m_treeDepth, m_tokens.peek().pos);
    return comparison();
}

ExprPtr ExpressionParser::expressionList()
{
    ExprPtr first = expression();
    if (!m_tokens.atOp(u","))
        return first;
    auto tuple = make(Expr::Kind::Tuple, first->pos);
    tuple->items.push_back(first);
    while (m_tokens.atOp(u",")) {
        m_tokens.next();
        if (!startsExpression(m_tokens.peek()))
            break; // a trailing comma: `a, b,`
        tuple->items.push_back(expression());
    }
    return tuple;
}

QString ExpressionParser::comparisonOperator(int* tokenCount) const
{
    const Token& token = m_tokens.peek();
    *tokenCount = 1;
    if (token.kind == TokenKind::Op) {
        for (const auto* op : {u"==", u"!=", u"<", u"<=", u">", u">="}) {
            if (token.text == QStringView(op))
                return token.text;
        }
        return {};
    }
    if (token.isKeyword(u"in"))
        return token.text;
    if (token.isKeyword(u"is")) {
        if (m_tokens.peekAhead(1).isKeyword(u"not")) {
            *tokenCount = 2;
            return QStringLiteral("is not");
        }
        return token.text;
    }
    if (token.isKeyword(u"not") && m_tokens.peekAhead(1).isKeyword(u"in")) {
        *tokenCount = 2;
        return QStringLiteral("not in");
    }
    return {};
}

ExprPtr ExpressionParser::comparison()
{
    ExprPtr left = sum();
    int tokenCount = 0;
    const QString op = comparisonOperator(&tokenCount);
    if (op.isEmpty())
        return left;
    for (int i = 0; i < tokenCount; ++i)
        m_tokens.next();
    ExprPtr right = sum();
    if (!comparisonOperator(&tokenCount).isEmpty())
        refuse(m_tokens.peek().pos, QStringLiteral("chained comparisons (`a < b < c`) are not "
                                                   "part of a lesson: compare two values at a "
                                                   "time"));
    auto compare = make(Expr::Kind::Compare, left->pos);
    compare->op = op;
    compare->left = left;
    compare->right = right;
    return compare;
}

ExprPtr ExpressionParser::sum()
{
    ExprPtr left = product();
    ChainGuard chain(m_treeDepth);
    while (m_tokens.atOp(u"+") || m_tokens.atOp(u"-")) {
        chain.link(m_tokens.peek().pos);
        const QString op = m_tokens.next().text;
        ExprPtr right = product();
        auto binary = make(Expr::Kind::BinOp, left->pos);
        binary->op = op;
        binary->left = left;
        binary->right = right;
        left = binary;
    }
    return left;
}

ExprPtr ExpressionParser::product()
{
    ExprPtr left = unary();
    ChainGuard chain(m_treeDepth);
    while (m_tokens.atOp(u"*")) {
        chain.link(m_tokens.peek().pos);
        const QString op = m_tokens.next().text;
        ExprPtr right = unary();
        auto binary = make(Expr::Kind::BinOp, left->pos);
        binary->op = op;
        binary->left = left;
        binary->right = right;
        left = binary;
    }
    return left;
}

ExprPtr ExpressionParser::unary()
{
    if (!m_tokens.atOp(u"-") && !m_tokens.atOp(u"+"))
        return postfix();
    const Token& sign = m_tokens.next();
    const DepthGuard guard(m_depth, m_treeDepth, sign.pos);
    auto expr = make(Expr::Kind::UnaryOp, sign.pos);
    expr->op = sign.text;
    expr->operand = unary();
    return expr;
}

ExprPtr ExpressionParser::postfix()
{
    ExprPtr expr = atom();
    ChainGuard chain(m_treeDepth);
    for (;;) {
        if (m_tokens.atOp(u".") || m_tokens.atOp(u"(") || m_tokens.atOp(u"["))
            chain.link(m_tokens.peek().pos);
        if (m_tokens.atOp(u".")) {
            m_tokens.next();
            const Token& name = m_tokens.peek();
            if (name.kind != TokenKind::Name)
                refuse(name.pos, QStringLiteral("expected an attribute name after `.`, but found "
                                                "%1")
                                     .arg(describeToken(name)));
            m_tokens.next();
            auto attribute = make(Expr::Kind::Attribute, expr->pos);
            attribute->object = expr;
            attribute->text = name.text;
            expr = attribute;
        } else if (m_tokens.atOp(u"(")) {
            expr = call(expr);
        } else if (m_tokens.atOp(u"[")) {
            expr = subscript(expr);
        } else {
            return expr;
        }
    }
}

ExprPtr ExpressionParser::atom()
{
    const Token& token = m_tokens.peek();
    switch (token.kind) {
    case TokenKind::Name: {
        auto name = make(Expr::Kind::Name, token.pos);
        name->text = m_tokens.next().text;
        return name;
    }
    case TokenKind::Int: {
        auto number = make(Expr::Kind::Int, token.pos);
        number->intValue = m_tokens.next().intValue;
        return number;
    }
    case TokenKind::Float: {
        auto number = make(Expr::Kind::Float, token.pos);
        number->floatValue = m_tokens.next().floatValue;
        return number;
    }
    case TokenKind::Str:
    case TokenKind::Bytes:
        return literals();
    case TokenKind::Keyword:
        if (token.text == u"None") {
            m_tokens.next();
            return make(Expr::Kind::None, token.pos);
        }
        if (token.text == u"True" || token.text == u"False") {
            auto boolean = make(Expr::Kind::Bool, token.pos);
            boolean->boolValue = m_tokens.next().text == u"True";
            return boolean;
        }
        break;
    case TokenKind::Op:
        if (token.text == u"(")
            return parenthesised();
        if (token.text == u"[")
            return list();
        break;
    default:
        break;
    }
    const QString refused = refusedExpressionStart(token);
    if (!refused.isEmpty())
        refuse(token.pos, refused);
    refuse(token.pos,
           QStringLiteral("expected a value here, but found %1").arg(describeToken(token)));
}

// Adjacent literals join into one, as in Python: 'a' 'b' is 'ab'.
ExprPtr ExpressionParser::literals()
{
    const Token& first = m_tokens.peek();
    auto literal =
        make(first.kind == TokenKind::Str ? Expr::Kind::Str : Expr::Kind::Bytes, first.pos);
    while (m_tokens.at(TokenKind::Str) || m_tokens.at(TokenKind::Bytes)) {
        const Token& part = m_tokens.peek();
        if (part.kind != first.kind)
            refuse(part.pos, QStringLiteral("a str and a bytes literal can not be joined: make "
                                            "both str, or both bytes"));
        literal->text += part.text;
        literal->bytes += part.bytes;
        m_tokens.next();
    }
    return literal;
}

ExprPtr ExpressionParser::parenthesised()
{
    const Token& open = m_tokens.next();
    const SourcePos openPos = open.pos;
    if (m_tokens.atOp(u")")) {
        m_tokens.next();
        return make(Expr::Kind::Tuple, openPos);
    }
    ExprPtr first = expression();
    if (m_tokens.atOp(u")")) {
        // Grouping leaves no trace: the value keeps its own position, as in Python's ast.
        m_tokens.next();
        return first;
    }
    if (!m_tokens.atOp(u","))
        refuseUnexpected(m_tokens.peek(), QStringLiteral("`,` or `)`"));
    auto tuple = make(Expr::Kind::Tuple, openPos);
    tuple->items.push_back(first);
    while (m_tokens.atOp(u",")) {
        m_tokens.next();
        if (m_tokens.atOp(u")"))
            break;
        if (!startsExpression(m_tokens.peek()))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("a value or `)`"));
        tuple->items.push_back(expression());
    }
    expectOp(m_tokens, u")", QStringLiteral("`,` or `)`"));
    return tuple;
}

ExprPtr ExpressionParser::list()
{
    auto result = make(Expr::Kind::List, m_tokens.next().pos);
    while (!m_tokens.atOp(u"]")) {
        if (!startsExpression(m_tokens.peek()))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("a value or `]`"));
        result->items.push_back(expression());
        if (!m_tokens.atOp(u","))
            break;
        m_tokens.next();
    }
    expectOp(m_tokens, u"]", QStringLiteral("`,` or `]`"));
    return result;
}

ExprPtr ExpressionParser::call(ExprPtr callee)
{
    m_tokens.next(); // (
    auto result = make(Expr::Kind::Call, callee->pos);
    result->callee = callee;
    while (!m_tokens.atOp(u")")) {
        const Token& argument = m_tokens.peek();
        if (argument.kind == TokenKind::Name && m_tokens.peekAhead(1).isOp(u"=")) {
            Expr::Keyword keyword;
            keyword.name = argument.text;
            keyword.pos = argument.pos;
            for (const Expr::Keyword& given : result->keywords) {
                if (given.name == keyword.name)
                    refuse(argument.pos, QStringLiteral("the keyword argument `%1` is given twice")
                                             .arg(keyword.name));
            }
            m_tokens.next();
            m_tokens.next();
            keyword.value = expression();
            result->keywords.push_back(keyword);
        } else {
            if (!startsExpression(argument))
                refuseUnexpected(argument, QStringLiteral("an argument or `)`"));
            if (!result->keywords.empty()) {
                const QString refused = refusedExpressionStart(argument);
                refuse(argument.pos, !refused.isEmpty()
                                         ? refused
                                         : QStringLiteral("a positional argument can not follow "
                                                          "a keyword argument"));
            }
            result->items.push_back(expression());
        }
        if (!m_tokens.atOp(u","))
            break;
        m_tokens.next();
    }
    expectOp(m_tokens, u")", QStringLiteral("`,` or `)`"));
    return result;
}

ExprPtr ExpressionParser::subscript(ExprPtr object)
{
    m_tokens.next(); // [
    ExprPtr lower;
    if (!m_tokens.atOp(u":")) {
        if (!startsExpression(m_tokens.peek()))
            refuseUnexpected(m_tokens.peek(), QStringLiteral("an index"));
        lower = expression();
    }
    if (m_tokens.atOp(u":")) {
        m_tokens.next();
        ExprPtr upper;
        if (!m_tokens.atOp(u"]") && !m_tokens.atOp(u":"))
            upper = expression();
        if (m_tokens.atOp(u":"))
            refuse(m_tokens.peek().pos, QStringLiteral("slices with a step (`x[a:b:step]`) are "
                                                       "not part of a lesson"));
        expectOp(m_tokens, u"]", QStringLiteral("`]`"));
        auto slice = make(Expr::Kind::Slice, object->pos);
        slice->object = object;
        slice->lower = lower;
        slice->upper = upper;
        return slice;
    }
    if (m_tokens.atOp(u","))
        refuse(m_tokens.peek().pos, QStringLiteral("indexing with several values (`x[a, b]`) is "
                                                   "not part of a lesson"));
    expectOp(m_tokens, u"]", QStringLiteral("`]`"));
    auto result = make(Expr::Kind::Subscript, object->pos);
    result->object = object;
    result->index = lower;
    return result;
}

} // namespace sockbench::lesson
