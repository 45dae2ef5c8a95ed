#pragma once

// Python's conversions between text and bytes and numbers, with its exact errors: the
// codecs behind str.encode()/bytes.decode()/str()/bytes(), and the text int() and float()
// read.

#include "pysocket.h"
#include "value.h"

#include <optional>

namespace sockbench::lesson::conversions {

// The codec an encoding argument names: "utf-8", "ascii" or "latin-1" (LookupError for
// anything else; TypeError naming args.function when it is not a str).
QString codecOf(const std::optional<Value>& encoding, const PyArgs& args);
// The errors argument: "strict" (the default), "replace", "ignore"; another name raises
// LookupError only when an error occurs, as in Python.
QString handlerOf(const std::optional<Value>& errors, const PyArgs& args);

// UnicodeEncodeError / UnicodeDecodeError with Python's positions and reasons ("invalid
// start byte", "unexpected end of data", "ordinal not in range(128)", ...).
QByteArray encode(const QString& text, const QString& codec, const QString& handler,
                  const PyArgs& args);
QString decode(const QByteArray& bytes, const QString& codec, const QString& handler,
               const PyArgs& args);

// int(text, base): whitespace, sign, 0x/0o/0b prefixes, single underscores between digits;
// base 0 reads the literal as Python source does. shown is what the ValueError quotes
// ('12' or b'12'). Beyond 64 bits: OverflowError.
qint64 parseInt(const QString& text, int base, const QString& shown, const PyArgs& args);
// float(text): false when Python would raise ValueError.
bool parseFloat(const QString& text, double* value);

} // namespace sockbench::lesson::conversions
