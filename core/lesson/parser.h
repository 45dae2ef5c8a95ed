#pragma once

// The lesson parser: a lesson is a Python 3 file, and the parser accepts the subset a
// lesson may use (see ast.h and DESIGN.md, "Lessons and experiments are Python"). Anything
// outside the subset is refused with its position and a sentence naming the construct;
// nothing is ever skipped. The comment rules (header, narration, directives, sections) are
// described in comments.h.

#include "lesson/ast.h"

#include <QString>

#include <variant>

namespace sockbench::lesson {

// Parses a lesson. On success the Script; otherwise the first error, with its position.
std::variant<Script, ParseError> parse(const QString& source, const QString& fileName);

} // namespace sockbench::lesson
