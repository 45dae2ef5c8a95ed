#include "lesson/tokenizer.h"

#include "lesson/comments.h"
#include "lesson/literals.h"
#include "lesson/refusals.h"
#include "lesson/scanner.h"

#include <array>

namespace sockbench::lesson {

namespace {

// Longest first, so "**=" wins over "**" and "*".
constexpr std::array kOperators{
    u"**=", u"//=", u">>=", u"<<=", u"...", u"**", u"//", u">>", u"<<", u"<=", u">=", u"==",
    u"!=",  u"->",  u"+=",  u"-=",  u"*=",  u"/=", u"%=", u"&=", u"|=", u"^=", u"@=", u":=",
    u"+",   u"-",   u"*",   u"/",   u"%",   u"@",  u"&",  u"|",  u"^",  u"~",  u"<",  u">",
    u"(",   u")",   u"[",   u"]",   u"{",   u"}",  u",",  u":",  u".",  u";",  u"=",
};

constexpr std::array kKeywords{
    u"False",  u"None",   u"True",    u"and",      u"as",       u"assert", u"async",
    u"await",  u"break",  u"class",   u"continue", u"def",      u"del",    u"elif",
    u"else",   u"except", u"finally", u"for",      u"from",     u"global", u"if",
    u"import", u"in",     u"is",      u"lambda",   u"nonlocal", u"not",    u"or",
    u"pass",   u"raise",  u"return",  u"try",      u"while",    u"with",   u"yield",
};

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isNameCharacter(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c.isMark();
}

QChar closerOf(QChar opener)
{
    return opener == u'(' ? u')' : opener == u'[' ? u']' : u'}';
}

class Tokenizer {
public:
    explicit Tokenizer(const QString& text)
        : m_text(text)
        , m_scan(text)
    {
    }

    TokenizedText run()
    {
        try {
            while (!m_scan.atEnd()) {
                if (m_atLineStart)
                    lineStart();
                else
                    nextToken();
            }
            finish();
        } catch (const Refusal& refusal) {
            // The comments held back so far come before the refusal in the file.
            flushHeld();
            Token error = tokenAt(TokenKind::Error, refusal.error.pos, m_scan.offset());
            error.text = refusal.error.message;
            m_out.tokens.push_back(error);
        }
        return std::move(m_out);
    }

private:
    Token tokenAt(TokenKind kind, SourcePos pos, qsizetype offset) const
    {
        Token token;
        token.kind = kind;
        token.pos = pos;
        token.offset = offset;
        token.endOffset = offset;
        token.endLine = pos.line;
        return token;
    }

    void push(Token token)
    {
        m_lineHasTokens = true;
        m_out.tokens.push_back(std::move(token));
    }

    // At the start of a physical line that begins a logical line (outside brackets, not
    // after a backslash): blank lines and lone comments are held back until the next code
    // line, whose indentation decides first whether a `with` body has ended. That way a
    // comment below a body belongs with the statement that follows it.
    void lineStart()
    {
        const SourcePos lineStart = m_scan.pos();
        const qsizetype lineOffset = m_scan.offset();
        QString indentation;
        std::vector<SourcePos> indentationPos;
        while (m_scan.peek() == u' ' || m_scan.peek() == u'\t' || m_scan.peek() == u'\f') {
            indentationPos.push_back(m_scan.pos());
            indentation += m_scan.take();
        }
        if (m_scan.atEnd() || m_scan.peek() == u'\n') {
            m_held.push_back(tokenAt(TokenKind::Blank, lineStart, lineOffset));
            if (!m_scan.atEnd())
                m_scan.take();
            return;
        }
        if (m_scan.peek() == u'#') {
            m_held.push_back(readComment());
            if (!m_scan.atEnd())
                m_scan.take();
            return;
        }

        int width = 0;
        for (qsizetype i = 0; i < indentation.size(); ++i) {
            const QChar c = indentation.at(i);
            if (c == u'\f')
                continue; // Python resets the count at a form feed; it adds no width
            if (m_indentChar.isNull())
                m_indentChar = c;
            if (c != m_indentChar)
                refuse(indentationPos[std::size_t(i)],
                       QStringLiteral("tabs mixed with spaces in indentation: indent with "
                                      "spaces only"));
            ++width;
        }
        indentTo(width);
        flushHeld();
        m_atLineStart = false;
    }

    void indentTo(int width)
    {
        const SourcePos pos = m_scan.pos();
        if (width > m_indents.back()) {
            m_indents.push_back(width);
            m_out.tokens.push_back(tokenAt(TokenKind::Indent, pos, m_scan.offset()));
            return;
        }
        while (width < m_indents.back()) {
            m_indents.pop_back();
            m_out.tokens.push_back(tokenAt(TokenKind::Dedent, pos, m_scan.offset()));
        }
        if (width != m_indents.back())
            refuse(pos, QStringLiteral("this line's indentation matches no block above it: "
                                       "line it up with the statements around it"));
    }

    void flushHeld()
    {
        for (Token& held : m_held)
            m_out.tokens.push_back(std::move(held));
        m_held.clear();
    }

    Token readComment()
    {
        Token token = tokenAt(TokenKind::Comment, m_scan.pos(), m_scan.offset());
        while (!m_scan.atEnd() && m_scan.peek() != u'\n')
            token.text += m_scan.take();
        token.endOffset = m_scan.offset();
        m_out.comments.emplace_back(token.offset, token.endOffset);
        return token;
    }

    void nextToken()
    {
        const QChar c = m_scan.peek();
        if (c == u' ' || c == u'\t' || c == u'\f') {
            m_scan.take();
            return;
        }
        if (c == u'\n') {
            if (m_brackets.empty())
                endLogicalLine();
            else
                m_scan.take(); // implicit line joining
            return;
        }
        if (c == u'#') {
            // After code, or inside brackets: an ordinary Python comment, not narration.
            // A directive or marker here would be lost, so it is refused instead.
            const Token comment = readComment();
            const CommentLine line = classifyComment(comment.text, comment.pos);
            if (line.kind != CommentLine::Kind::Text)
                refuse(comment.pos, line.kind == CommentLine::Kind::Section
                                        ? QStringLiteral("a section marker needs a line of its "
                                                         "own, outside brackets")
                                        : QStringLiteral("a directive goes on a line of its own "
                                                         "directly above its statement, not after "
                                                         "code or inside brackets"));
            return;
        }
        if (c == u'\\') {
            const SourcePos pos = m_scan.pos();
            m_scan.take();
            if (m_scan.peek() != u'\n')
                refuse(pos, QStringLiteral("a backslash outside a string must end its line: "
                                           "it joins the line to the next one"));
            m_scan.take();
            if (m_scan.atEnd())
                refuse(pos, QStringLiteral("this backslash joins the last line to nothing"));
            return;
        }
        if (isNameStart(c)) {
            readName();
            return;
        }
        if (c.isDigit() || (c == u'.' && m_scan.peek(1).isDigit())) {
            push(readNumber(m_scan));
            return;
        }
        if (c == u'\'' || c == u'"') {
            push(readString(m_scan, {}, m_scan.pos(), m_scan.offset()));
            return;
        }
        readOperator();
    }

    void endLogicalLine()
    {
        if (m_lineHasTokens) {
            Token newline = tokenAt(TokenKind::Newline, m_scan.pos(), m_scan.offset());
            m_out.tokens.push_back(newline);
        }
        m_scan.take();
        m_atLineStart = true;
        m_lineHasTokens = false;
    }

    void readName()
    {
        const SourcePos pos = m_scan.pos();
        const qsizetype offset = m_scan.offset();
        QString name;
        while (!m_scan.atEnd() && isNameCharacter(m_scan.peek()))
            name += m_scan.take();
        if ((m_scan.peek() == u'\'' || m_scan.peek() == u'"') && isStringPrefix(name)) {
            push(readString(m_scan, name, pos, offset));
            return;
        }
        Token token =
            tokenAt(isPythonKeyword(name) ? TokenKind::Keyword : TokenKind::Name, pos, offset);
        token.text = name;
        token.endOffset = m_scan.offset();
        push(token);
    }

    void readOperator()
    {
        const SourcePos pos = m_scan.pos();
        const qsizetype offset = m_scan.offset();
        for (const auto* candidate : kOperators) {
            const QStringView op(candidate);
            if (QStringView(m_text).mid(offset, op.size()) != op)
                continue;
            for (qsizetype i = 0; i < op.size(); ++i)
                m_scan.take();
            Token token = tokenAt(TokenKind::Op, pos, offset);
            token.text = op.toString();
            token.endOffset = m_scan.offset();
            trackBracket(token);
            push(token);
            return;
        }
        const QChar c = m_scan.peek();
        if (c == u'$' || c == u'?' || c == u'!' || c == u'`')
            refuse(pos, QStringLiteral("`%1` is not part of Python").arg(c));
        refuse(pos, QStringLiteral("the character U+%1 can not appear here: only inside a string "
                                   "or a comment")
                        .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0')));
    }

    void trackBracket(const Token& token)
    {
        const QChar c = token.text.front();
        if (token.text.size() != 1)
            return;
        if (c == u'(' || c == u'[' || c == u'{') {
            m_brackets.push_back({c, token.pos});
            return;
        }
        if (c != u')' && c != u']' && c != u'}')
            return;
        if (m_brackets.empty())
            refuse(token.pos,
                   QStringLiteral("this `%1` closes nothing: no bracket is open").arg(c));
        const OpenBracket open = m_brackets.back();
        if (closerOf(open.bracket) != c)
            refuse(token.pos, QStringLiteral("this `%1` does not match the `%2` opened at line %3, "
                                             "column %4")
                                  .arg(c)
                                  .arg(open.bracket)
                                  .arg(open.pos.line)
                                  .arg(open.pos.column));
        m_brackets.pop_back();
    }

    void finish()
    {
        if (!m_brackets.empty()) {
            const OpenBracket open = m_brackets.back();
            const ParseError error{open.pos, QStringLiteral("this `%1` is never closed: close it "
                                                            "with `%2`")
                                                 .arg(open.bracket)
                                                 .arg(closerOf(open.bracket))};
            m_out.unclosedBracket = error;
            refuse(error.pos, error.message);
        }
        const SourcePos end = m_scan.pos();
        if (m_lineHasTokens)
            m_out.tokens.push_back(tokenAt(TokenKind::Newline, end, m_scan.offset()));
        while (m_indents.size() > 1) {
            m_indents.pop_back();
            m_out.tokens.push_back(tokenAt(TokenKind::Dedent, end, m_scan.offset()));
        }
        flushHeld();
        m_out.tokens.push_back(tokenAt(TokenKind::End, end, m_scan.offset()));
    }

    struct OpenBracket {
        QChar bracket;
        SourcePos pos;
    };

    const QString& m_text;
    Scanner m_scan;
    TokenizedText m_out;
    std::vector<Token> m_held;
    std::vector<int> m_indents{0};
    QChar m_indentChar; // the file's first indentation character; the other one is refused
    std::vector<OpenBracket> m_brackets;
    bool m_atLineStart = true;
    bool m_lineHasTokens = false;
};

} // namespace

QString normalizeLineEnds(const QString& source)
{
    QString text = source;
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\r', u'\n');
    return text;
}

TokenizedText tokenize(const QString& normalizedText)
{
    return Tokenizer(normalizedText).run();
}

bool isPythonKeyword(QStringView word)
{
    for (const auto* keyword : kKeywords) {
        if (word == QStringView(keyword))
            return true;
    }
    return false;
}

TokenStream::TokenStream(const std::vector<Token>& tokens)
    : m_tokens(tokens)
{
}

const Token& TokenStream::peek() const
{
    const Token& token = m_tokens[m_index];
    if (token.kind == TokenKind::Error)
        refuse(token.pos, token.text);
    return token;
}

const Token& TokenStream::peekAhead(int ahead) const
{
    return m_tokens[std::min(m_index + std::size_t(ahead), m_tokens.size() - 1)];
}

const Token& TokenStream::next()
{
    const Token& token = peek();
    if (m_index + 1 < m_tokens.size())
        ++m_index;
    return token;
}

const Token& TokenStream::previous() const
{
    return m_tokens[m_index == 0 ? 0 : m_index - 1];
}

} // namespace sockbench::lesson
