#pragma once

#include <QByteArray>
#include <QString>

// Python's repr() of a str and of a bytes value, exactly as CPython writes them: what the
// generated Python, the inspector and the transcript show for text and payloads.
namespace sockbench::codegen {

// b'...' (or prefix'...'): printable ASCII as it is, \t \n \r \\ escaped, the rest as \xNN.
QString bytesRepr(const QByteArray& bytes, const QString& prefix = QStringLiteral("b"));
// '...': Python's quote choice, control and unprintable code points escaped.
QString strRepr(const QString& text);
// repr() of a float: shortest round-trip digits in Python's layout (1e+16, 0.0001, inf, nan).
QString floatRepr(double d);

} // namespace sockbench::codegen
