#pragma once

// Python's number and string literals, read and decoded the way CPython does, except that
// what CPython only warns about (an unknown escape like '\d', octal escapes past \377) is
// refused here: a lesson is read by beginners, and a warning they never see is a trap.

#include "lesson/scanner.h"
#include "lesson/tokenizer.h"

#include <QStringView>

namespace sockbench::lesson {

// The scanner is at a digit, or at a '.' followed by a digit.
Token readNumber(Scanner& scan);

// Whether these letters, right before a quote, make a string prefix (r, u, b, f and their
// legal mixes, in any case). f-strings count: readString refuses them by name.
bool isStringPrefix(QStringView letters);

// The scanner is at the opening quote; prefix holds the letters already read before it,
// which started at start / startOffset (the quote's own position when there is no prefix).
Token readString(Scanner& scan, QStringView prefix, SourcePos start, qsizetype startOffset);

} // namespace sockbench::lesson
