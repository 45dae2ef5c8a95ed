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

QList<Row> rows(const QByteArray& bytes)
{
    QList<Row> result;
    const int digits = offsetDigits(bytes.size());
    for (qsizetype from = 0; from < bytes.size(); from += kBytesPerRow) {
        const qsizetype count = std::min<qsizetype>(kBytesPerRow, bytes.size() - from);
        Row row;
        row.offset = QStringLiteral("%1").arg(from, digits, 16, QLatin1Char('0'));
        row.hex = hexOf(bytes, from, count);
        for (qsizetype i = 0; i < count; ++i)
            row.text += textOf(bytes[from + i]);
        result.append(row);
    }
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

QString toHtml(const QByteArray& bytes)
{
    // Stand-ins get a colour of their own: a student must not read "\r" as two bytes.
    const QString escaped = QStringLiteral("<span style=\"color:#b45309;\">%1</span>");
    const QString dot = QStringLiteral("<span style=\"color:#94a3b8;\">·</span>");
    QString html = QStringLiteral(
        "<table cellspacing=\"0\" cellpadding=\"2\" style=\"font-family:'DejaVu Sans Mono',"
        "monospace; white-space:pre;\">"
        "<tr><th align=\"left\" style=\"color:#64748b;\">offset</th>"
        "<th align=\"left\" style=\"color:#64748b; padding-left:10px;\">hex</th>"
        "<th align=\"left\" style=\"color:#64748b; padding-left:10px;\">text</th></tr>");
    const int digits = offsetDigits(bytes.size());
    for (qsizetype from = 0; from < bytes.size(); from += kBytesPerRow) {
        const qsizetype count = std::min<qsizetype>(kBytesPerRow, bytes.size() - from);
        QString text;
        for (qsizetype i = 0; i < count; ++i) {
            const char byte = bytes[from + i];
            if (byte == '\r' || byte == '\n')
                text += escaped.arg(textOf(byte));
            else if (isPrintable(byte))
                text += QString(QLatin1Char(byte)).toHtmlEscaped();
            else
                text += dot;
        }
        html += QStringLiteral("<tr><td style=\"color:#64748b;\">%1</td>"
                               "<td style=\"padding-left:10px;\">%2</td>"
                               "<td style=\"padding-left:10px;\">%3</td></tr>")
                    .arg(QStringLiteral("%1").arg(from, digits, 16, QLatin1Char('0')),
                         hexOf(bytes, from, count).leftJustified(hexWidth()), text);
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace sockbench::hexdump
