#include "lesson/refusals.h"

namespace sockbench::lesson {

namespace {

const QString kStraightDown =
    QStringLiteral("a lesson runs straight down, one statement at a time");

QString keywordStatement(const QString& word)
{
    if (word == u"if")
        return QStringLiteral("`if` statements are not part of a lesson: ") + kStraightDown;
    if (word == u"elif" || word == u"else")
        return QStringLiteral("`%1` belongs to an if statement, and if statements are not part "
                              "of a lesson: ")
                   .arg(word) +
               kStraightDown;
    if (word == u"while" || word == u"for")
        return QStringLiteral("`%1` loops are not part of a lesson: ").arg(word) + kStraightDown;
    if (word == u"def")
        return QStringLiteral("defining functions (`def`) is not part of a lesson: write the "
                              "statements out, one per line");
    if (word == u"class")
        return QStringLiteral("defining classes (`class`) is not part of a lesson");
    if (word == u"try" || word == u"except" || word == u"finally")
        return QStringLiteral("`%1` (a try statement) is not part of a lesson: to show a call "
                              "that fails, put `# expect: ERRNO` above it")
            .arg(word);
    if (word == u"raise")
        return QStringLiteral("`raise` is not part of a lesson: to show a call that fails, put "
                              "`# expect: ERRNO` above it");
    if (word == u"return")
        return QStringLiteral("`return` is not part of a lesson: it only means something inside "
                              "a function");
    if (word == u"break" || word == u"continue")
        return QStringLiteral("`%1` is not part of a lesson: it only means something inside a "
                              "loop")
            .arg(word);
    if (word == u"global" || word == u"nonlocal")
        return QStringLiteral("`%1` is not part of a lesson: a lesson has no functions, so every "
                              "name is already global")
            .arg(word);
    if (word == u"del")
        return QStringLiteral("`del` is not part of a lesson: to let go of a socket, call its "
                              "close()");
    if (word == u"async" || word == u"await")
        return QStringLiteral("`%1` is not part of a lesson: its calls block, each on its "
                              "actor's own thread")
            .arg(word);
    if (word == u"yield")
        return QStringLiteral("`yield` is not part of a lesson: it only means something inside a "
                              "generator function");
    if (word == u"lambda")
        return QStringLiteral("`lambda` is not part of a lesson: write the expression out where "
                              "it is used");
    return {};
}

QString bitwise(const QString& op)
{
    return QStringLiteral("bitwise operators (`%1`) are not part of a lesson").arg(op);
}

} // namespace

void refuse(SourcePos pos, const QString& message)
{
    throw Refusal{ParseError{pos, message}};
}

QString refusedStatement(const Token& token)
{
    if (token.kind == TokenKind::Keyword)
        return keywordStatement(token.text);
    if (token.isOp(u"@"))
        return QStringLiteral("decorators (`@`) are not part of a lesson");
    return {};
}

QString refusedExpressionStart(const Token& token)
{
    if (token.kind == TokenKind::Keyword) {
        if (token.text == u"not")
            return QStringLiteral("`not` is not part of a lesson: compare instead, as in "
                                  "`assert data == b''`");
        if (token.text == u"lambda" || token.text == u"yield" || token.text == u"await")
            return keywordStatement(token.text);
        return {};
    }
    if (token.kind != TokenKind::Op)
        return {};
    if (token.text == u"{")
        return QStringLiteral("dict and set literals (`{...}`) are not part of a lesson");
    if (token.text == u"*")
        return QStringLiteral("unpacking with `*` is not part of a lesson: write each value out");
    if (token.text == u"**")
        return QStringLiteral("unpacking with `**` is not part of a lesson: write each keyword "
                              "argument out");
    if (token.text == u"...")
        return QStringLiteral("the ellipsis (`...`) is not part of a lesson");
    if (token.text == u"~")
        return bitwise(token.text);
    return {};
}

QString refusedAfterExpression(const Token& token)
{
    if (token.kind == TokenKind::Keyword) {
        const QString& word = token.text;
        if (word == u"if" || word == u"else")
            return QStringLiteral("conditional expressions (`a if b else c`) are not part of a "
                                  "lesson: ") +
                   kStraightDown;
        if (word == u"for" || word == u"async")
            return QStringLiteral("comprehensions (`... for ... in ...`) are not part of a "
                                  "lesson: write the values out");
        if (word == u"and" || word == u"or")
            return QStringLiteral("`%1` is not part of a lesson: make one comparison per "
                                  "assert")
                .arg(word);
        if (word == u"not")
            return refusedExpressionStart(token);
        if (word == u"lambda")
            return keywordStatement(word);
        return {};
    }
    if (token.kind != TokenKind::Op)
        return {};
    const QString& op = token.text;
    if (op == u";")
        return QStringLiteral("put one statement per line: a lesson steps line by line, and "
                              "`;` would hide a step");
    if (op == u"**")
        return QStringLiteral("the power operator (`**`) is not part of a lesson");
    if (op == u"/")
        return QStringLiteral("division (`/`) is not part of a lesson");
    if (op == u"//")
        return QStringLiteral("floor division (`//`) is not part of a lesson");
    if (op == u"%")
        return QStringLiteral("the `%` operator (remainder, or old-style formatting) is not part "
                              "of a lesson: build text with + and str()");
    if (op == u"@")
        return QStringLiteral("the `@` operator is not part of a lesson");
    if (op == u"|" || op == u"&" || op == u"^" || op == u"<<" || op == u">>" || op == u"~")
        return bitwise(op);
    if (op == u":=")
        return QStringLiteral("the walrus operator (`:=`) is not part of a lesson: assign on a "
                              "line of its own");
    if (op.size() >= 2 && op.endsWith(u'=') && op != u"==" && op != u"!=" && op != u"<=" &&
        op != u">=")
        return QStringLiteral("`%1` is not part of a lesson: of the augmented assignments only "
                              "+= and -= are")
            .arg(op);
    if (op == u"->")
        return QStringLiteral("annotations (`->`) are not part of a lesson");
    return refusedExpressionStart(token);
}

QString describeToken(const Token& token)
{
    switch (token.kind) {
    case TokenKind::Newline:
        return QStringLiteral("the end of the line");
    case TokenKind::End:
        return QStringLiteral("the end of the file");
    case TokenKind::Indent:
        return QStringLiteral("an indented line");
    case TokenKind::Dedent:
        return QStringLiteral("the end of the block");
    case TokenKind::Str:
        return QStringLiteral("a string");
    case TokenKind::Bytes:
        return QStringLiteral("a bytes literal");
    case TokenKind::Int:
    case TokenKind::Float:
        return QStringLiteral("a number");
    case TokenKind::Comment:
    case TokenKind::Blank:
        return QStringLiteral("a comment");
    case TokenKind::Name:
    case TokenKind::Keyword:
    case TokenKind::Op:
    case TokenKind::Error:
        break;
    }
    return QStringLiteral("`%1`").arg(token.text);
}

void refuseUnexpected(const Token& token, const QString& expected)
{
    const QString refused = refusedAfterExpression(token);
    if (!refused.isEmpty())
        refuse(token.pos, refused);
    refuse(token.pos,
           QStringLiteral("expected %1 here, but found %2").arg(expected, describeToken(token)));
}

} // namespace sockbench::lesson
