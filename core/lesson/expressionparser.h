#pragma once

// The expression subset, by recursive descent with Python's precedence: comparison (one
// per expression), then + and -, then *, then unary - and +, then attributes, calls and
// subscripts, then atoms. Anything else met where an expression goes or goes on is refused
// by name through refusals.h.

#include "lesson/ast.h"
#include "lesson/tokenizer.h"

namespace sockbench::lesson {

class ExpressionParser {
public:
    explicit ExpressionParser(TokenStream& tokens)
        : m_tokens(tokens)
    {
    }

    // One value: `a == b` at most, never a bare tuple.
    ExprPtr expression();
    // Values separated by commas: a tuple without parentheses when there is a comma.
    ExprPtr expressionList();

    // Whether the token can begin an expression, or begins a refused one that deserves its
    // own sentence (`lambda`, `{`, `*`...).
    static bool startsExpression(const Token& token);

private:
    ExprPtr comparison();
    ExprPtr sum();
    ExprPtr product();
    ExprPtr unary();
    ExprPtr postfix();
    ExprPtr atom();
    ExprPtr literals();
    ExprPtr parenthesised();
    ExprPtr list();
    ExprPtr call(ExprPtr callee);
    ExprPtr subscript(ExprPtr object);
    // The comparison operator at the current token ("not in" and "is not" are two tokens);
    // empty when there is none.
    QString comparisonOperator(int* tokenCount) const;

    TokenStream& m_tokens;
    int m_depth = 0;     // nesting guard: a pathological file must not overflow the stack
    int m_treeDepth = 0; // nesting plus chained links (a + b + c, a.b.c, f()()): the tree's depth
};

} // namespace sockbench::lesson
