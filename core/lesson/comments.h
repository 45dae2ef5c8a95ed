#pragma once

// What the comments of a lesson mean: the header at the top, the narration and directives
// above each statement, and the section markers that switch actors.
//
// The rules, in the order a reader meets them:
// - The header is the first comment block of the file, if it comes before any statement
//   or section marker (a `#!` line and a coding line are skipped). "# key: value" lines set
//   title, level, topics or extra; the other lines up to the first lone `#` form the
//   summary. A plain line after that lone `#` starts the first statement's narration, and
//   so does a directive.
// - Narration is the block of comment lines directly above a statement: no blank line in
//   between (a lone `#` keeps a block together, and shows as an empty paragraph break).
//   A blank line or a section marker ends a block; a block ended that way is an ordinary
//   Python comment, shown in the code but not narrated.
// - A directive (`# expect: ...`, `# pause`) must sit in the block directly above its
//   statement; one that a blank line, a section marker or the end of the file separates
//   from any statement is refused, and so is one inside a `with` body, which has no step
//   of its own.

#include "lesson/ast.h"
#include "lesson/tokenizer.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace sockbench::lesson {

struct CommentLine {
    enum class Kind { Text, Expect, Pause, Background, Section };
    Kind kind = Kind::Text;
    SourcePos pos;
    QString text;             // Text: '#' and one space stripped; Section: the actor's name
    QStringList alternatives; // Expect
};

// Refuses a malformed directive or section marker.
CommentLine classifyComment(const QString& comment, SourcePos pos);

// Fed the top-level comments, blank lines and statements in file order, it fills the
// script's header and builds each statement's step.
class CommentTracker {
public:
    explicit CommentTracker(Script& script)
        : m_script(script)
    {
    }

    void comment(const Token& token);
    void blankLine();
    void statement(StmtPtr stmt);
    // A comment inside a `with` body: an ordinary Python comment, unless it is a directive.
    void bodyComment(const Token& token);
    void finish();

private:
    enum class Phase { BeforeHeader, Header, Body };

    void headerLine(const CommentLine& line);
    void section(const CommentLine& line);
    // A block that will not reach a statement: refused if it carries a directive.
    void dropBlock(const QString& why);

    Script& m_script;
    Phase m_phase = Phase::BeforeHeader;
    bool m_summaryEnded = false;
    QStringList m_summary;
    QStringList m_headerKeys; // title, level and topics may be given once
    std::vector<CommentLine> m_block;
    QString m_actor = QStringLiteral("main");
};

} // namespace sockbench::lesson
