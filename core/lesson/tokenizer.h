#pragma once

// The lesson tokenizer: Python 3's lexical rules (implicit line joining inside brackets,
// backslash continuation, INDENT/DEDENT, string and number literals) over a lesson file,
// plus the two things a lesson needs that Python throws away: comments on lines of their
// own (narration, directives, section markers) and blank lines (they end a narration block).

#include "lesson/ast.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>
#include <utility>
#include <vector>

namespace sockbench::lesson {

enum class TokenKind {
    Name,
    Keyword, // a Python keyword: never usable as a name
    Int,
    Float,
    Str,
    Bytes,
    Op,
    Newline, // the end of a logical line
    Indent,
    Dedent,
    Comment, // a comment alone on its line, outside brackets
    Blank,   // an empty line outside brackets
    End,
    Error, // the tokenizer's refusal, placed where the text stopped making sense
};

struct Token {
    TokenKind kind = TokenKind::End;
    // Name, Keyword, Op: as written; Str: decoded; Comment: from '#' on; Error: the message.
    QString text;
    QByteArray bytes; // Bytes: decoded
    qint64 intValue = 0;
    double floatValue = 0;
    SourcePos pos;           // the first character
    qsizetype offset = 0;    // into the normalised text: the first character...
    qsizetype endOffset = 0; // ...and one past the last
    int endLine = 0;         // the line of the last character (a string may span lines)

    bool isOp(QStringView op) const { return kind == TokenKind::Op && text == op; }
    bool isKeyword(QStringView word) const { return kind == TokenKind::Keyword && text == word; }
};

struct TokenizedText {
    std::vector<Token> tokens; // ends with End, or with Error at the first refusal
    // Every comment's [offset, end): Stmt::source leaves them out, even inside brackets.
    std::vector<std::pair<qsizetype, qsizetype>> comments;
    // Set when the text ends inside brackets. Everything after the opening bracket was
    // swallowed by it, so any later complaint of the parser is a consequence of this one.
    std::optional<ParseError> unclosedBracket;
};

// '\n' for every line end ("\r\n", '\r'), and no byte-order mark: positions and
// Stmt::source are taken from this text.
QString normalizeLineEnds(const QString& source);

// Never throws: a refusal becomes the last token (Error).
TokenizedText tokenize(const QString& normalizedText);

bool isPythonKeyword(QStringView word);

// Reading position over the tokens. Reaching the Error token (as the current token) raises
// its refusal, so tokenizer and parser complaints come out in file order.
class TokenStream {
public:
    explicit TokenStream(const std::vector<Token>& tokens);

    const Token& peek() const;
    // Lookahead never raises: an Error token there just matches nothing.
    const Token& peekAhead(int ahead) const;
    const Token& next();
    const Token& previous() const; // the last token taken

    bool atOp(QStringView op) const { return peek().isOp(op); }
    bool atKeyword(QStringView word) const { return peek().isKeyword(word); }
    bool at(TokenKind kind) const { return peek().kind == kind; }

private:
    const std::vector<Token>& m_tokens;
    std::size_t m_index = 0;
};

} // namespace sockbench::lesson
