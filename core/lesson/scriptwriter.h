#pragma once

#include "runner.h"

#include <QString>

#include <vector>

namespace sockbench::lesson {

// A lesson written out again from its steps: the header, an actor section wherever the
// actor changes, each statement with its narration and directives, with blocks indented.
// Statements added by panel clicks are in it, in the order they ran, so free play saves
// as a lesson that runs again with `sockbench run` and exports like any other.
struct WrittenScript {
    QString text;
    std::vector<int> stepLine; // for each step: the 1-based line it starts on (0: none)
};

WrittenScript writeScript(const Script& header, const std::vector<RunStep>& steps);

} // namespace sockbench::lesson
