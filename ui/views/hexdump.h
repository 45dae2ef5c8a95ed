#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace sockbench::hexdump {

// Bytes as a classic hex dump: pure text, no widgets, so it is tested as a table.
//
//   0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 30 0d 0a  GET / HTTP/1.0\r\n
//
// The text column shows printable ASCII as itself, a carriage return and a line feed as
// the two characters \r and \n, and every other byte (tab, other control bytes, bytes of
// 0x7f and above) as "·". Why \r and \n rather than the Control Pictures ␍ ␊: they are what
// the student types in a Python bytes literal (b'GET / HTTP/1.0\r\n\r\n'), and they render
// in any font, while ␍ ␊ are missing from DejaVu Sans Mono (the usual monospace on a
// classroom Linux machine) and would show as boxes. They take two cells, so the text column
// is the last one: offsets and hex stay aligned on every row whatever the text holds.
constexpr int kBytesPerRow = 16;

struct Row {
    QString offset; // hex, at least 4 digits, as many as the largest offset needs: "0010"
    QString hex;    // "47 45 54 20 2f 20 48 54  54 50 ..." (8 + 8, two spaces between)
    QString text;   // "GET / HTTP/1.0\r\n"
    friend bool operator==(const Row&, const Row&) = default;
};

// The text column's spelling of one byte.
QString textOf(char byte);
QList<Row> rows(const QByteArray& bytes);
// One row of them (the index-th 16 bytes), as rows() gives it: a view lays out only the
// rows it shows.
Row rowAt(const QByteArray& bytes, qsizetype index);
qsizetype rowCount(const QByteArray& bytes);
// The width of a full row's hex column (16 bytes): shorter rows are padded to it.
int hexWidth();
// One line per row: offset, hex padded to hexWidth(), text; two spaces between columns.
QString toPlainText(const QByteArray& bytes);

} // namespace sockbench::hexdump
