// codegen::strRepr, bytesRepr and floatRepr write what python3's repr() writes: each case is
// compared with the real python3, run once in the same test.

#include "codegen/pyrepr.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <limits>

using namespace sockbench;

class TestPyRepr : public QObject {
    Q_OBJECT
    QStringList m_python; // python3's repr() of each case, one line each, in order

    static QList<QString> strings()
    {
        return {QString(),
                QStringLiteral("localhost"),
                QStringLiteral("it's"),
                QStringLiteral("say \"hi\""),
                QStringLiteral("both ' and \""),
                QStringLiteral("tab\there\nnew\rline\\"),
                QStringLiteral("\x01\x7f"),
                QStringLiteral("caf\u00e9 \u00a0nbsp \u200b zw"),
                QString::fromUcs4(U"emoji \U0001F600 and \U000E0001 tag")};
    }
    static QList<QByteArray> byteValues()
    {
        return {QByteArray(),
                QByteArrayLiteral("hello"),
                QByteArrayLiteral("it's"),
                QByteArrayLiteral("both ' and \""),
                QByteArray("\x00\x01\xff\t\n\r\\", 7),
                QByteArrayLiteral("GET / HTTP/1.0\r\n\r\n")};
    }
    static QList<double> floats()
    {
        return {0.0,
                1.5,
                0.1,
                2.0,
                1e16,
                1e15,
                123456789012345678.0,
                0.0001,
                0.00001,
                -2.5,
                1e300,
                std::numeric_limits<double>::infinity(),
                1.0 / 3};
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The cases go to python3 as code points and bytes values, never as source text.
        QString program = QStringLiteral("import sys\n");
        for (const QString& s : strings()) {
            QStringList points;
            for (const char32_t u : s.toUcs4())
                points << QString::number(u);
            program += QStringLiteral("print(ascii(repr(''.join(map(chr, [%1])))))\n")
                           .arg(points.join(QLatin1Char(',')));
        }
        for (const QByteArray& b : byteValues()) {
            QStringList values;
            for (const char c : b)
                values << QString::number(static_cast<unsigned char>(c));
            program += QStringLiteral("print(ascii(repr(bytes([%1]))))\n")
                           .arg(values.join(QLatin1Char(',')));
        }
        for (const double d : floats()) {
            char hex[64] = {};
            std::snprintf(hex, sizeof hex, "%a", d);
            program += QStringLiteral("print(ascii(repr(float.fromhex('%1'))))\n")
                           .arg(QString::fromLatin1(hex));
        }
        QProcess python;
        python.start(QStringLiteral("python3"), {QStringLiteral("-c"), program});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        // ascii() of the repr, read back with Python's own escapes undone below.
        for (const QByteArray& line : python.readAllStandardOutput().split('\n'))
            if (!line.isEmpty())
                m_python << unAscii(QString::fromLatin1(line));
        QCOMPARE(m_python.size(), strings().size() + byteValues().size() + floats().size());
    }

    void reprsAreWhatPythonWrites()
    {
        int i = 0;
        for (const QString& s : strings())
            QCOMPARE(codegen::strRepr(s), m_python[i++]);
        for (const QByteArray& b : byteValues())
            QCOMPARE(codegen::bytesRepr(b), m_python[i++]);
        for (const double d : floats())
            QCOMPARE(codegen::floatRepr(d), m_python[i++]);
        QCOMPARE(codegen::floatRepr(std::nan("")), QStringLiteral("nan"));
    }

private:
    // ascii(repr(x)) is a quoted str literal whose non-ASCII is \xNN, \uNNNN or \UNNNNNNNN:
    // strip its quotes and undo exactly those escapes (and \\ and \' / \" that ascii() adds).
    static QString unAscii(QString literal)
    {
        literal = literal.mid(1, literal.size() - 2);
        QString out;
        for (qsizetype i = 0; i < literal.size(); ++i) {
            if (literal[i] != QLatin1Char('\\')) {
                out += literal[i];
                continue;
            }
            const QChar k = literal[++i];
            const int width = k == QLatin1Char('x')   ? 2
                              : k == QLatin1Char('u') ? 4
                              : k == QLatin1Char('U') ? 8
                                                      : 0;
            if (width == 0) {
                // \\ \' \" \t \n \r: ascii() escaped the repr's own characters.
                const QString simple = QStringLiteral("\\'\"tnr");
                const QString real = QStringLiteral("\\'\"\t\n\r");
                out += real[simple.indexOf(k)];
                continue;
            }
            const char32_t point = literal.mid(i + 1, width).toUInt(nullptr, 16);
            out += QString::fromUcs4(&point, 1);
            i += width;
        }
        return out;
    }
};

QTEST_GUILESS_MAIN(TestPyRepr)
#include "tst_pyrepr.moc"
