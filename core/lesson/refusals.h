#pragma once

// How the parser says no. A refusal unwinds the recursive descent in one step; parse()
// catches it and hands back the ParseError, so it never escapes the parser. The sentences
// for refused Python constructs live here together, so they read alike.

#include "lesson/ast.h"
#include "lesson/tokenizer.h"

#include <QString>

namespace sockbench::lesson {

struct Refusal {
    ParseError error;
};

[[noreturn]] void refuse(SourcePos pos, const QString& message);

// The sentence for a token that starts a statement the subset leaves out (`while`, `def`,
// a decorator...); empty when the token is not one of those.
QString refusedStatement(const Token& token);

// The sentence for a token where an expression should start (`lambda`, `not`, `{`...);
// empty when the token is not a refused construct.
QString refusedExpressionStart(const Token& token);

// The sentence for a token met after a complete expression (`**`, `/`, `if`, `for`, `and`,
// `;`...); empty when the token is not a refused construct.
QString refusedAfterExpression(const Token& token);

// "`)`", "the end of the line", "a string": the token as a reader would name it.
QString describeToken(const Token& token);

// Refuses a token the grammar did not expect there: with the sentence of the construct it
// starts when it is a refused one, otherwise "expected EXPECTED here, but found ...".
[[noreturn]] void refuseUnexpected(const Token& token, const QString& expected);

} // namespace sockbench::lesson
