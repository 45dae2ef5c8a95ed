#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace sockbench::lesson {

// Where something is in the lesson file: 1-based line and column (columns count
// characters, not bytes; a tab counts as one).
struct SourcePos {
    int line = 0;
    int column = 0;
};

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// The expression subset: what a lesson statement may compute.
struct Expr {
    enum class Kind {
        Name,      // text: "sock", "socket", "len"
        Attribute, // object.text: socket.AF_INET, sock.bind
        Call,      // callee(args..., keyword=...)
        Int,       // intValue
        Float,     // floatValue
        Str,       // text: the decoded str
        Bytes,     // bytes: the decoded bytes
        None,
        Bool,      // boolValue
        Tuple,     // items
        List,      // items
        BinOp,     // left op right, op: "+", "-", "*"
        UnaryOp,   // op operand: "-", "+"
        Subscript, // object[index]
        Slice,     // object[lower:upper] (either may be null)
        Compare,   // left op right, op: "==", "!=", "<", "<=", ">", ">=", "in", "not in",
                   // "is", "is not"
    };
    Kind kind = Kind::None;
    SourcePos pos;

    QString text;          // Name, Attribute (the attribute name), Str
    QByteArray bytes;      // Bytes
    qint64 intValue = 0;   // Int
    double floatValue = 0; // Float
    bool boolValue = false;
    QString op; // BinOp, UnaryOp, Compare

    ExprPtr object;             // Attribute, Subscript, Slice: the thing on the left
    ExprPtr callee;             // Call
    ExprPtr left, right;        // BinOp, Compare
    ExprPtr operand;            // UnaryOp
    ExprPtr index;              // Subscript
    ExprPtr lower, upper;       // Slice (null when omitted)
    std::vector<ExprPtr> items; // Tuple, List, Call positional arguments
    struct Keyword {
        QString name;
        ExprPtr value;
        SourcePos pos;
    };
    std::vector<Keyword> keywords; // Call
};

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;

// An assignment target: a name, or a (possibly parenthesised) tuple of targets.
struct Target {
    enum class Kind { Name, Tuple };
    Kind kind = Kind::Name;
    SourcePos pos;
    QString name;
    std::vector<Target> items;
};

struct Stmt {
    enum class Kind {
        Import,     // import socket            (names: {"socket"})
        FromImport, // from socket import a, b  (names: {"a","b"}; {"*"} for import *)
        Assign,     // target = value  (chained a = b = 1 is refused)
        AugAssign,  // name op= value, op: "+" or "-"
        Expr,       // a call on its own line: sock.bind(...), print(...)
        Assert,     // assert test[, message]
        Pass,
        With, // with value as target: body   (runs body, then target.close())
    };
    Kind kind = Kind::Pass;
    SourcePos pos;   // the statement's first character
    int endLine = 0; // the last physical line it spans (continuation lines, brackets)
    QString source;  // the statement's own text as written (for With: just the header
                     // line), without the trailing comment

    QStringList names;         // Import, FromImport
    Target target;             // Assign, AugAssign (a Name), With
    QString op;                // AugAssign
    ExprPtr value;             // Assign, AugAssign, Expr, With: the expression
    ExprPtr test;              // Assert
    ExprPtr message;           // Assert (may be null)
    std::vector<StmtPtr> body; // With
};

// What the comments directly above a statement say about it.
struct Directives {
    QStringList narration; // the plain comment lines, '#' and one space stripped, in order
    // "# expect: EADDRINUSE", "# expect: timeout", "# expect: EACCES or ok": each
    // alternative, trimmed, as written (upper-case errno names, or "timeout", "ok",
    // "interrupted").
    QStringList expect;
    bool pause = false; // "# pause"
    // "# background": the statement runs on a thread of its own, so its actor's next
    // statements do not wait for it (a blocked accept() while the same actor connects).
    // A statement that reads a name it assigns still waits for it.
    bool background = false;
};

// One statement of the lesson, with the actor whose section it sits in.
struct Step {
    QString actor; // from the nearest "# --- name ---" above; "main" before any
    Directives directives;
    StmtPtr stmt;
};

struct Script {
    QString fileName; // for messages: FILE:LINE:COL
    // Header: the comment block at the top of the file, before the first statement or
    // section marker. "# title: ..." -> title; "# level: ..." -> level; "# topics: a, b"
    // -> topics; any other "# key: value" line -> extra[key]; the remaining plain lines
    // form the summary paragraph (joined with spaces; blank comment lines end it).
    QString title;
    QString summary;
    QString level;
    QStringList topics;
    QList<std::pair<QString, QString>> extra; // e.g. {"peer", "web = course-web"}
    std::vector<Step> steps;
    QStringList actors; // in order of first appearance
    QString source;     // the whole file text
};

// A refusal: where, and a plain sentence saying what is wrong and, where it helps, what
// to write instead.
struct ParseError {
    SourcePos pos;
    QString message;
    QString format(const QString& fileName) const; // "FILE:LINE:COL: message"
};

} // namespace sockbench::lesson
