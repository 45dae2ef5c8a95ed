#include "lesson/ast.h"

namespace sockbench::lesson {

QString ParseError::format(const QString& fileName) const
{
    const QString where = QStringLiteral("%1:%2").arg(pos.line).arg(pos.column);
    // Without a file name (a lesson typed into the workbench) the position alone still
    // reads well: "3:5: message".
    if (fileName.isEmpty())
        return QStringLiteral("%1: %2").arg(where, message);
    return QStringLiteral("%1:%2: %3").arg(fileName, where, message);
}

} // namespace sockbench::lesson
