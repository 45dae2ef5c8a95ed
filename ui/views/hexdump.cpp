#include "hexdump.h"

#include <algorithm>

namespace sockbench::hexdump {

namespace {

bool isPrintable(char byte)
{
    return byte >= 0x20 && byte < 0x7f;
}

int offsetDigits(qsizetype size)
{
    int digits = 4;
    const qsizetype lastOffset = size > 0 ? (size - 1) / kBytesPerRow * kBytesPerRow : 0;
    while (digits < 16 && (lastOffset >> (4 * digits)) != 0)
        ++digits;
    return digits;
}

QString hexOf(const QByteArray& bytes, qsizetype from, qsizetype count)
{
    QString hex;
    hex.reserve(hexWidth());
    for (qsizetype i = 0; i < count; ++i) {
        if (i > 0)
            hex += i == kBytesPerRow / 2 ? QStringLiteral("  ") : QStringLiteral(" ");
        hex += QStringLiteral("%1").arg(quint8(bytes[from + i]), 2, 16, QLatin1Char('0'));
    }
    return hex;
}

} // namespace

QString textOf(char byte)
{
    if (byte == '\r')
        return QStringLiteral("\\r");
    if (byte == '\n')
        return QStringLiteral("\\n");
    if (isPrintable(byte))
        return QString(QLatin1Char(byte));
    return QStringLiteral("·");
}

int hexWidth()
{
    return kBytesPerRow * 3; // "xx " per byte, less the last space, plus the group gap
}

qsizetype rowCount(const QByteArray& bytes)
{
    return (bytes.size() + kBytesPerRow - 1) / kBytesPerRow;
}

Row rowAt(const QByteArray& bytes, qsizetype index)
{
    Row row;
    const qsizetype from = index * kBytesPerRow;
    if (index < 0 || from >= bytes.size())
        return row;
    const qsizetype count = std::min<qsizetype>(kBytesPerRow, bytes.size() - from);
    row.offset = QStringLiteral("%1").arg(from, offsetDigits(bytes.size()), 16, QLatin1Char('0'));
    row.hex = hexOf(bytes, from, count);
    for (qsizetype i = 0; i < count; ++i)
        row.text += textOf(bytes[from + i]);
    return row;
}

QList<Row> rows(const QByteArray& bytes)
{
    QList<Row> result;
    const qsizetype count = rowCount(bytes);
    result.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        result.append(rowAt(bytes, i));
    return result;
}

QString toPlainText(const QByteArray& bytes)
{
    QStringList lines;
    for (const Row& row : rows(bytes))
        lines << row.offset + QStringLiteral("  ") + row.hex.leftJustified(hexWidth()) +
                     QStringLiteral("  ") + row.text;
    return lines.join(QLatin1Char('\n'));
}

} // namespace sockbench::hexdump
