// The hex and text dump the inspector shows: exact rows for the payloads a student meets,
// the columns staying aligned however the text column is spelled, and a view that lays
// out only the rows in view.

#include "views/hexdump.h"
#include "views/hexview.h"

#include <QApplication>
#include <QClipboard>
#include <QScrollBar>
#include <QtTest>

using namespace sockbench;
using hexdump::Row;

Q_DECLARE_METATYPE(QList<sockbench::hexdump::Row>)

namespace QTest {
template <> char* toString(const Row& row)
{
    return qstrdup(qPrintable(QStringLiteral("{%1 | %2 | %3}").arg(row.offset, row.hex, row.text)));
}
} // namespace QTest

class TestHexdump : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rows_data();
    void rows();
    void plainTextKeepsColumnsAligned();
    void offsetsGrowPastFourDigits();
    void theViewFormatsOnlyTheRowsInView();
    void theViewCopiesTheWholeDump();
};

void TestHexdump::rows_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QList<Row>>("expected");

    QTest::newRow("hello") << QByteArray("hello")
                           << QList<Row>{{QStringLiteral("0000"), QStringLiteral("68 65 6c 6c 6f"),
                                          QStringLiteral("hello")}};
    // The HTTP request line: \r and \n shown as a student types them in a bytes literal.
    QTest::newRow("http request")
        << QByteArray("GET / HTTP/1.0\r\n\r\n")
        << QList<Row>{
               {QStringLiteral("0000"),
                QStringLiteral("47 45 54 20 2f 20 48 54  54 50 2f 31 2e 30 0d 0a"),
                QStringLiteral("GET / HTTP/1.0\\r\\n")},
               {QStringLiteral("0010"), QStringLiteral("0d 0a"), QStringLiteral("\\r\\n")},
           };
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    // Tab and every other control byte, DEL and all bytes from 0x80 are "·".
    QTest::newRow("all 256 byte values")
        << all
        << QList<Row>{
               {QStringLiteral("0000"),
                QStringLiteral("00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f"),
                QStringLiteral("··········\\n··\\r··")},
               {QStringLiteral("0010"),
                QStringLiteral("10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f"),
                QStringLiteral("················")},
               {QStringLiteral("0020"),
                QStringLiteral("20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f"),
                QStringLiteral(" !\"#$%&'()*+,-./")},
               {QStringLiteral("0030"),
                QStringLiteral("30 31 32 33 34 35 36 37  38 39 3a 3b 3c 3d 3e 3f"),
                QStringLiteral("0123456789:;<=>?")},
               {QStringLiteral("0040"),
                QStringLiteral("40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f"),
                QStringLiteral("@ABCDEFGHIJKLMNO")},
               {QStringLiteral("0050"),
                QStringLiteral("50 51 52 53 54 55 56 57  58 59 5a 5b 5c 5d 5e 5f"),
                QStringLiteral("PQRSTUVWXYZ[\\]^_")},
               {QStringLiteral("0060"),
                QStringLiteral("60 61 62 63 64 65 66 67  68 69 6a 6b 6c 6d 6e 6f"),
                QStringLiteral("`abcdefghijklmno")},
               {QStringLiteral("0070"),
                QStringLiteral("70 71 72 73 74 75 76 77  78 79 7a 7b 7c 7d 7e 7f"),
                QStringLiteral("pqrstuvwxyz{|}~·")},
               {QStringLiteral("0080"),
                QStringLiteral("80 81 82 83 84 85 86 87  88 89 8a 8b 8c 8d 8e 8f"),
                QStringLiteral("················")},
               {QStringLiteral("0090"),
                QStringLiteral("90 91 92 93 94 95 96 97  98 99 9a 9b 9c 9d 9e 9f"),
                QStringLiteral("················")},
               {QStringLiteral("00a0"),
                QStringLiteral("a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af"),
                QStringLiteral("················")},
               {QStringLiteral("00b0"),
                QStringLiteral("b0 b1 b2 b3 b4 b5 b6 b7  b8 b9 ba bb bc bd be bf"),
                QStringLiteral("················")},
               {QStringLiteral("00c0"),
                QStringLiteral("c0 c1 c2 c3 c4 c5 c6 c7  c8 c9 ca cb cc cd ce cf"),
                QStringLiteral("················")},
               {QStringLiteral("00d0"),
                QStringLiteral("d0 d1 d2 d3 d4 d5 d6 d7  d8 d9 da db dc dd de df"),
                QStringLiteral("················")},
               {QStringLiteral("00e0"),
                QStringLiteral("e0 e1 e2 e3 e4 e5 e6 e7  e8 e9 ea eb ec ed ee ef"),
                QStringLiteral("················")},
               {QStringLiteral("00f0"),
                QStringLiteral("f0 f1 f2 f3 f4 f5 f6 f7  f8 f9 fa fb fc fd fe ff"),
                QStringLiteral("················")},
           };
    QTest::newRow("empty payload") << QByteArray() << QList<Row>{};
    QTest::newRow("17 bytes wrap to a second row")
        << QByteArray("abcdefghijklmnopq")
        << QList<Row>{{QStringLiteral("0000"),
                       QStringLiteral("61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70"),
                       QStringLiteral("abcdefghijklmnop")},
                      {QStringLiteral("0010"), QStringLiteral("71"), QStringLiteral("q")}};
}

void TestHexdump::rows()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QList<Row>, expected);
    const QList<Row> actual = hexdump::rows(bytes);
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(actual[i], expected[i]);
}

void TestHexdump::plainTextKeepsColumnsAligned()
{
    // A short last row and a row full of \r\n: the hex and text columns still start at the
    // same place on every line.
    const QString text = hexdump::toPlainText(QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\nabc"));
    const QString first = QStringLiteral("0000  0d 0a 0d 0a 0d 0a 0d 0a  0d 0a 0d 0a 0d 0a 0d 0a  "
                                         "\\r\\n\\r\\n\\r\\n\\r\\n\\r\\n\\r\\n\\r\\n\\r\\n");
    // "61 62 63" is 8 of the 48 hex characters: 40 spaces of padding, then the 2 between.
    const QString second =
        QStringLiteral("0010  61 62 63") + QString(42, QLatin1Char(' ')) + QStringLiteral("abc");
    QCOMPARE(text, first + QLatin1Char('\n') + second);
    const QStringList lines = text.split(QLatin1Char('\n'));
    const int textColumn = 4 + 2 + hexdump::hexWidth() + 2;
    QCOMPARE(lines[0].mid(textColumn, 4), QStringLiteral("\\r\\n"));
    QCOMPARE(lines[1].mid(textColumn), QStringLiteral("abc"));
    QCOMPARE(hexdump::toPlainText({}), QString());
}

void TestHexdump::offsetsGrowPastFourDigits()
{
    // 70,000 bytes: the last row starts at 69,984 = 0x11160, so every offset gets five digits.
    const QList<Row> rows = hexdump::rows(QByteArray(70000, 'x'));
    QCOMPARE(rows.size(), 4375);
    QCOMPARE(rows.first().offset, QStringLiteral("00000"));
    QCOMPARE(rows.last().offset, QStringLiteral("11160"));
    QCOMPARE(hexdump::rows(QByteArray(65536, 'x')).last().offset, QStringLiteral("fff0"));
}

void TestHexdump::theViewFormatsOnlyTheRowsInView()
{
    // A 64 KiB sample is 4,096 rows: the view formats the sixteen or so it shows, at the top
    // and scrolled to the end alike, and never lays out the rest.
    HexView view;
    view.setVisibleRows(16);
    view.setBytes(QByteArray(65536, 'x'));
    view.resize(view.sizeHint());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.rowCount(), qsizetype(4096));
    // The most rows that can be seen in the view at once (a partly shown one included).
    const int inView = view.viewport()->height() / view.fontMetrics().lineSpacing() + 1;
    QVERIFY(inView < 40);
    view.grab();
    QVERIFY2(view.rowsFormattedLastPaint() >= 16 && view.rowsFormattedLastPaint() <= inView,
             qPrintable(QString::number(view.rowsFormattedLastPaint())));
    QCOMPARE(view.firstRowShown(), qsizetype(0));
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
    view.grab();
    QVERIFY(view.firstRowShown() >= 4096 - inView);
    QVERIFY2(view.rowsFormattedLastPaint() >= 1 && view.rowsFormattedLastPaint() <= inView,
             qPrintable(QString::number(view.rowsFormattedLastPaint())));
}

void TestHexdump::theViewCopiesTheWholeDump()
{
    // Ctrl+C copies every row as text, also those out of view; bytes that look like markup
    // are copied as they are.
    const QByteArray bytes = QByteArray("<b>hi</b>\r\n") + QByteArray(100, '\0');
    HexView view;
    view.setBytes(bytes);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QApplication::clipboard()->clear();
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), hexdump::toPlainText(bytes));
    QVERIFY(QApplication::clipboard()->text().startsWith(
        QStringLiteral("0000  3c 62 3e 68 69 3c 2f 62  3e 0d 0a")));
}

QTEST_MAIN(TestHexdump)
#include "tst_hexdump.moc"
