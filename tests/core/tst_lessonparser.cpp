// The lesson parser, what it accepts: the subset becomes the right AST, with positions and
// spans, and the comments become header, narration, directives and actors. What it refuses
// is in tst_lessonrefusals.cpp.

#include "lessonsupport.h"

#include <limits>

using namespace sockbench::lesson;
using namespace sockbench::lesson::test;

namespace {

QString steps(const Script& script)
{
    QStringList parts;
    for (const Step& step : script.steps)
        parts << dump(step.stmt);
    return parts.join(QStringLiteral(" | "));
}

QString codePoints(std::initializer_list<char32_t> points)
{
    return QString::fromUcs4(points.begin(), qsizetype(points.size()));
}

// Row names print on one line: a source's line ends show as \n.
QByteArray rowName(const char* source)
{
    return QByteArray(source).replace('\n', "\\n");
}

} // namespace

class TestLessonParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void statements_data();
    void statements();
    void expressions_data();
    void expressions();
    void integers_data();
    void integers();
    void floats_data();
    void floats();
    void strEscapes_data();
    void strEscapes();
    void bytesEscapes_data();
    void bytesEscapes();
    void positions();
    void columnsCountCharacters();
    void statementSpan_data();
    void statementSpan();
    void withBlocks();
    void withOnOneLine();
    void withBodyCommentsAreCode();
    void withIndentedByTabs();
    void header();
    void headerEndsAtBlankLine();
    void headerRunsIntoFirstStatement();
    void noHeaderWhenCodeComesFirst();
    void narrationBlocks();
    void blockAboveSectionMarkerIsNotNarration();
    void directives();
    void directiveAtTopBelongsToFirstStatement();
    void actors();
    void emptyLesson();
    void lineEndsAndByteOrderMark();
};

void TestLessonParser::statements_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* source, const char* expected) {
        QTest::addRow("%s", rowName(source).constData())
            << QString::fromUtf8(source) << QString::fromUtf8(expected);
    };
    row("import socket", "(import socket)");
    row("from socket import AF_INET, SOCK_STREAM", "(from socket AF_INET SOCK_STREAM)");
    row("from socket import *", "(from socket *)");
    row("from socket import (\n    AF_INET,\n    SOCK_STREAM,\n)",
        "(from socket AF_INET SOCK_STREAM)");
    row("x = 1", "(= x 1)");
    row("a, b = pair", "(= (a b) pair)");
    row("(a, b) = pair", "(= (a b) pair)");
    row("a, = one", "(= (a) one)");
    row("(a, (b, c)) = x", "(= (a (b c)) x)");
    row("a, (b, c), = x", "(= (a (b c)) x)");
    row("(x) = 1", "(= x 1)");
    row("n += 1", "(+= n 1)");
    row("n -= len(data)", "(-= n (call len data))");
    row("sock.close()", "(call (attr sock close))");
    row("print('hi', end='')", "(call print 'hi' end='')");
    row("socket.socket(family=socket.AF_INET, type=socket.SOCK_DGRAM,)",
        "(call (attr socket socket) family=(attr socket AF_INET) type=(attr socket SOCK_DGRAM))");
    row("assert x", "(assert x _)");
    row("assert data == b'hi', 'the echo differs'", "(assert (== data b'hi') 'the echo differs')");
    row("pass", "pass");
    row("'''A docstring.'''", "'A docstring.'");
    row("données = 1", "(= données 1)");
    row("x = 1\ny = 2\n\nz = 3\n", "(= x 1) | (= y 2) | (= z 3)");
    row("match = 1\ncase = match", "(= match 1) | (= case match)");
    row("print(x)", "(call print x)");
}

void TestLessonParser::statements()
{
    QFETCH(QString, source);
    QFETCH(QString, expected);
    PARSED(script, source);
    QCOMPARE(steps(script), expected);
}

void TestLessonParser::expressions_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char* source, const char* expected) {
        QTest::addRow("%s", rowName(source).constData())
            << QString::fromUtf8(source) << QString::fromUtf8(expected);
    };
    row("socket.AF_INET", "(attr socket AF_INET)");
    row("a.b.c(1)(2)[3]", "(index (call (call (attr (attr a b) c) 1) 2) 3)");
    row("1 + 2 * 3", "(+ 1 (* 2 3))");
    row("(1 + 2) * 3", "(* (+ 1 2) 3)");
    row("1 - 2 - 3", "(- (- 1 2) 3)");
    row("-a * b", "(* (u- a) b)");
    row("- - 1", "(u- (u- 1))");
    row("+1", "(u+ 1)");
    row("b'x' * 1000", "(* b'x' 1000)");
    row("'GET ' + path + '\\r\\n'", "(+ (+ 'GET ' path) '\\x0d\\x0a')");
    row("data[:1024]", "(slice data _ 1024)");
    row("data[1024:]", "(slice data 1024 _)");
    row("data[a:b]", "(slice data a b)");
    row("data[:]", "(slice data _ _)");
    row("data[-1]", "(index data (u- 1))");
    row("s.getsockname()[1]", "(index (call (attr s getsockname)) 1)");
    row("a == b", "(== a b)");
    row("a != b", "(!= a b)");
    row("a < b", "(< a b)");
    row("a <= b", "(<= a b)");
    row("a > b", "(> a b)");
    row("a >= b", "(>= a b)");
    row("a in b", "(in a b)");
    row("a not in b", "(not in a b)");
    row("a is None", "(is a None)");
    row("a is not None", "(is not a None)");
    row("n + 1 == len(d) - 1", "(== (+ n 1) (- (call len d) 1))");
    row("()", "(tuple)");
    row("(1,)", "(tuple 1)");
    row("(1, 'a', b'b')", "(tuple 1 'a' b'b')");
    row("1, 2", "(tuple 1 2)");
    row("[]", "(list)");
    row("[1, 2,]", "(list 1 2)");
    row("[(a, b), [c]]", "(list (tuple a b) (list c))");
    row("None, True, False", "(tuple None True False)");
    row("'a' 'b'", "'ab'");
    row("b'a' b'b'", "b'ab'");
    row("('a'\n 'b')", "'ab'");
    row("f(\n    1,\n    k=2,\n)", "(call f 1 k=2)");
    row("data.decode().encode('ascii')", "(call (attr (call (attr data decode)) encode) 'ascii')");
    row("str(n)", "(call str n)");
}

void TestLessonParser::expressions()
{
    QFETCH(QString, source);
    QFETCH(QString, expected);
    PARSED(script, source);
    QCOMPARE(script.steps.size(), std::size_t(1));
    QCOMPARE(script.steps[0].stmt->kind, Stmt::Kind::Expr);
    QCOMPARE(dump(script.steps[0].stmt->value), expected);
}

void TestLessonParser::integers_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<qint64>("value");
    const auto row = [](const char* source, qint64 value) {
        QTest::newRow(source) << QString::fromUtf8(source) << value;
    };
    row("0", 0);
    row("00", 0);
    row("0_0", 0);
    row("7", 7);
    row("4000", 4000);
    row("1_000_000", 1000000);
    row("0xff", 255);
    row("0XFF", 255);
    row("0x_ff", 255);
    row("0o17", 15);
    row("0O7", 7);
    row("0o_7", 7);
    row("0b1010", 10);
    row("0B1_0", 2);
    row("9223372036854775807", std::numeric_limits<qint64>::max());
    row("0x7fff_ffff_ffff_ffff", std::numeric_limits<qint64>::max());
}

void TestLessonParser::integers()
{
    QFETCH(QString, source);
    QFETCH(qint64, value);
    PARSED(script, source);
    const ExprPtr& expr = script.steps.at(0).stmt->value;
    QCOMPARE(expr->kind, Expr::Kind::Int);
    QCOMPARE(expr->intValue, value);
}

void TestLessonParser::floats_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<double>("value");
    const auto row = [](const char* source, double value) {
        QTest::newRow(source) << QString::fromUtf8(source) << value;
    };
    row("0.5", 0.5);
    row(".5", 0.5);
    row("5.", 5.0);
    row("1e-3", 0.001);
    row("1E3", 1000.0);
    row("1.5e+2", 150.0);
    row("1_0.0_1", 10.01);
    row("1e1_0", 1e10);
    row("0.0", 0.0);
}

void TestLessonParser::floats()
{
    QFETCH(QString, source);
    QFETCH(double, value);
    PARSED(script, source);
    const ExprPtr& expr = script.steps.at(0).stmt->value;
    QCOMPARE(expr->kind, Expr::Kind::Float);
    QCOMPARE(expr->floatValue, value);
}

void TestLessonParser::strEscapes_data()
{
    QTest::addColumn<QString>("literal");
    QTest::addColumn<QString>("value");
    const auto row = [](const char* literal, const QString& value) {
        QTest::addRow("%s", rowName(literal).constData()) << QString::fromUtf8(literal) << value;
    };
    // Values checked against CPython 3.11's own reading of the same literals.
    row(R"('\n')", codePoints({0x0a}));
    row(R"('\r')", codePoints({0x0d}));
    row(R"('\t')", codePoints({0x09}));
    row(R"('\\')", codePoints({0x5c}));
    row(R"('\'')", codePoints({0x27}));
    row(R"("\"")", codePoints({0x22}));
    row(R"('\"')", codePoints({0x22}));
    row(R"('\a')", codePoints({0x07}));
    row(R"('\b')", codePoints({0x08}));
    row(R"('\f')", codePoints({0x0c}));
    row(R"('\v')", codePoints({0x0b}));
    row(R"('\0')", codePoints({0x00}));
    row(R"('\7')", codePoints({0x07}));
    row(R"('\101')", codePoints({0x41}));
    row(R"('\0101')", codePoints({0x08, 0x31})); // three octal digits at most
    row(R"('\377')", codePoints({0xff}));
    row(R"('\x41')", codePoints({0x41}));
    row(R"('\xFf')", codePoints({0xff}));
    row(R"('\u00e9')", codePoints({0xe9}));
    row(R"('\u20AC')", codePoints({0x20ac}));
    row(R"('\U0001F600')", codePoints({0x1f600}));
    row("'a\\\nb'", codePoints({0x61, 0x62}));
    row("'''a\\\nb'''", codePoints({0x61, 0x62}));
    row("'''a\nb'''", codePoints({0x61, 0x0a, 0x62}));
    row(R"("""it's "q" """)", codePoints({0x69, 0x74, 0x27, 0x73, 0x20, 0x22, 0x71, 0x22, 0x20}));
    row(R"('a' "b" '''c''')", codePoints({0x61, 0x62, 0x63}));
    row("u'x'", codePoints({0x78}));
    row("'é'", codePoints({0xe9}));
    row("'😀'", codePoints({0x1f600}));
    row(R"(r'\n')", codePoints({0x5c, 0x6e}));
    row(R"(R'\x41')", codePoints({0x5c, 0x78, 0x34, 0x31}));
    row(R"(r'\'')", codePoints({0x5c, 0x27}));
    row("r'a\\\nb'", codePoints({0x61, 0x5c, 0x0a, 0x62}));
    row("''", QString());
}

void TestLessonParser::strEscapes()
{
    QFETCH(QString, literal);
    QFETCH(QString, value);
    PARSED(script, literal);
    const ExprPtr& expr = script.steps.at(0).stmt->value;
    QCOMPARE(expr->kind, Expr::Kind::Str);
    QCOMPARE(expr->text, value);
}

void TestLessonParser::bytesEscapes_data()
{
    QTest::addColumn<QString>("literal");
    QTest::addColumn<QByteArray>("value");
    const auto row = [](const char* literal, const char* hex) {
        QTest::addRow("%s", rowName(literal).constData())
            << QString::fromUtf8(literal) << QByteArray::fromHex(hex);
    };
    // Values checked against CPython 3.11's own reading of the same literals.
    row(R"(b'\x00\xff')", "00ff");
    row(R"(b'\n\r\t\\\'\"\a\b\f\v')", "0a0d095c272207080c0b");
    row(R"(b'\0\7\101\377')", "000741ff");
    row(R"(b'\18')", "0138");
    row("B'abc'", "616263");
    row(R"(rb'\x00')", "5c783030");
    row(R"(BR'\n')", "5c6e");
    row(R"(Rb'\'')", "5c27");
    row("b'a' b'b'", "6162");
    row("b'''x\ny'''", "780a79");
    row("b'a\\\nb'", "6162");
    row("b''", "");
}

void TestLessonParser::bytesEscapes()
{
    QFETCH(QString, literal);
    QFETCH(QByteArray, value);
    PARSED(script, literal);
    const ExprPtr& expr = script.steps.at(0).stmt->value;
    QCOMPARE(expr->kind, Expr::Kind::Bytes);
    QCOMPARE(expr->bytes, value);
}

void TestLessonParser::positions()
{
    PARSED(script, QStringLiteral("import socket\n"
                                  "sock = socket.socket(family=socket.AF_INET)\n"
                                  "conn, (addr, port) = sock.accept()\n"
                                  "x = (1 + 2)\n"));
    QCOMPARE(script.steps.size(), std::size_t(4));

    const Stmt& assign = *script.steps[1].stmt;
    QCOMPARE(assign.pos.line, 2);
    QCOMPARE(assign.pos.column, 1);
    QCOMPARE(assign.target.pos.column, 1);
    const Expr& call = *assign.value;
    QCOMPARE(call.kind, Expr::Kind::Call);
    QCOMPARE(call.pos.line, 2);
    QCOMPARE(call.pos.column, 8);
    QCOMPARE(call.callee->pos.column, 8);
    QCOMPARE(call.callee->object->pos.column, 8);
    QCOMPARE(call.keywords.size(), std::size_t(1));
    QCOMPARE(call.keywords[0].pos.column, 22);
    QCOMPARE(call.keywords[0].value->pos.column, 29);

    const Target& target = script.steps[2].stmt->target;
    QCOMPARE(target.kind, Target::Kind::Tuple);
    QCOMPARE(target.pos.column, 1);
    QCOMPARE(target.items.size(), std::size_t(2));
    QCOMPARE(target.items[0].pos.column, 1);
    QCOMPARE(target.items[1].kind, Target::Kind::Tuple);
    QCOMPARE(target.items[1].pos.column, 7); // a parenthesised tuple starts at its `(`
    QCOMPARE(target.items[1].items[0].pos.column, 8);
    QCOMPARE(target.items[1].items[1].name, QStringLiteral("port"));
    QCOMPARE(target.items[1].items[1].pos.column, 14);

    // Grouping parentheses leave no trace, as in Python's ast.
    const Expr& sum = *script.steps[3].stmt->value;
    QCOMPARE(sum.kind, Expr::Kind::BinOp);
    QCOMPARE(sum.pos.line, 4);
    QCOMPARE(sum.pos.column, 6);
    QCOMPARE(sum.right->pos.column, 10);
}

void TestLessonParser::columnsCountCharacters()
{
    // A character outside the BMP is one column; so is a tab.
    PARSED(script, QStringLiteral("x = '😀' + y\nf(\ta)\n"));
    QCOMPARE(script.steps[0].stmt->value->right->pos.column, 11);
    QCOMPARE(script.steps[1].stmt->value->items[0]->pos.column, 4);
    REFUSED(error, QStringLiteral("x = '😀' / y\n"));
    QCOMPARE(error.pos.column, 9);
}

void TestLessonParser::statementSpan_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("endLine");
    QTest::addColumn<QString>("text");
    QTest::newRow("one line, trailing comment")
        << QStringLiteral("x = f(1)   # why\n") << 0 << 1 << 1 << QStringLiteral("x = f(1)");
    QTest::newRow("brackets") << QStringLiteral("x = f(1,  # one\n      2)  # two\ny = 3\n") << 0
                              << 1 << 2 << QStringLiteral("x = f(1,\n      2)");
    QTest::newRow("after brackets")
        << QStringLiteral("x = f(1,\n      2)\ny = 3\n") << 1 << 3 << 3 << QStringLiteral("y = 3");
    QTest::newRow("comment line inside brackets")
        << QStringLiteral("x = f(\n    # the port\n    1)\n") << 0 << 1 << 3
        << QStringLiteral("x = f(\n    1)");
    QTest::newRow("backslash") << QStringLiteral("x = 1 + \\\n    2\n") << 0 << 1 << 2
                               << QStringLiteral("x = 1 + \\\n    2");
    QTest::newRow("triple-quoted") << QStringLiteral("x = '''a  \n# b'''  # c\n") << 0 << 1 << 2
                                   << QStringLiteral("x = '''a  \n# b'''");
    QTest::newRow("hash in a string") << QStringLiteral("s = '#no' + \"#\"  # yes\n") << 0 << 1 << 1
                                      << QStringLiteral("s = '#no' + \"#\"");
    QTest::newRow("no final newline")
        << QStringLiteral("x = 1\ny = 2") << 1 << 2 << 2 << QStringLiteral("y = 2");
}

void TestLessonParser::statementSpan()
{
    QFETCH(QString, source);
    QFETCH(int, step);
    QFETCH(int, line);
    QFETCH(int, endLine);
    QFETCH(QString, text);
    PARSED(script, source);
    const Stmt& stmt = *script.steps.at(std::size_t(step)).stmt;
    QCOMPARE(stmt.pos.line, line);
    QCOMPARE(stmt.endLine, endLine);
    QCOMPARE(stmt.source, text);
}

void TestLessonParser::withBlocks()
{
    PARSED(script, QStringLiteral("with socket.socket() as s:  # a listener\n"
                                  "    s.bind(('', 0))\n"
                                  "\n"
                                  "    with s.accept()[0] as c:\n"
                                  "        c.close()\n"
                                  "x = 1\n"));
    QCOMPARE(steps(script), QStringLiteral("(with (call (attr socket socket)) s: "
                                           "(call (attr s bind) (tuple '' 0)); "
                                           "(with (index (call (attr s accept)) 0) c: "
                                           "(call (attr c close)))) | (= x 1)"));
    const Stmt& with = *script.steps[0].stmt;
    QCOMPARE(with.kind, Stmt::Kind::With);
    QCOMPARE(with.source, QStringLiteral("with socket.socket() as s:"));
    QCOMPARE(with.pos.line, 1);
    QCOMPARE(with.endLine, 5); // the whole statement, body included
    QCOMPARE(with.target.name, QStringLiteral("s"));
    QCOMPARE(with.target.pos.column, 25);
    QCOMPARE(with.body.size(), std::size_t(2));
    QCOMPARE(with.body[0]->pos.line, 2);
    QCOMPARE(with.body[0]->pos.column, 5);
    QCOMPARE(with.body[0]->source, QStringLiteral("s.bind(('', 0))"));
    const Stmt& inner = *with.body[1];
    QCOMPARE(inner.source, QStringLiteral("with s.accept()[0] as c:"));
    QCOMPARE(inner.pos.column, 5);
    QCOMPARE(inner.endLine, 5);
    QCOMPARE(inner.body[0]->pos.column, 9);
    QCOMPARE(script.steps[1].stmt->pos.line, 6);
}

void TestLessonParser::withOnOneLine()
{
    PARSED(script, QStringLiteral("with a as b: b.send(b'x')  # note\nc = 1"));
    const Stmt& with = *script.steps.at(0).stmt;
    QCOMPARE(with.source, QStringLiteral("with a as b:"));
    QCOMPARE(with.endLine, 1);
    QCOMPARE(with.body.size(), std::size_t(1));
    QCOMPARE(with.body[0]->pos.column, 14);
    QCOMPARE(with.body[0]->source, QStringLiteral("b.send(b'x')"));
    QCOMPARE(steps(script), QStringLiteral("(with a b: (call (attr b send) b'x')) | (= c 1)"));
}

void TestLessonParser::withBodyCommentsAreCode()
{
    // Comments inside a body are plain Python comments; the block below a body narrates the
    // statement after it.
    PARSED(script, QStringLiteral("with a as b:\n"
                                  "    # inside\n"
                                  "    pass\n"
                                  "# after the body\n"
                                  "x = 1\n"));
    QCOMPARE(script.steps.size(), std::size_t(2));
    QVERIFY(script.steps[0].directives.narration.isEmpty());
    QCOMPARE(script.steps[1].directives.narration, QStringList{QStringLiteral("after the body")});
}

void TestLessonParser::withIndentedByTabs()
{
    PARSED(script, QStringLiteral("with a as b:\n\tx = 1\n\twith x as y:\n\t\tpass\n"));
    QCOMPARE(steps(script), QStringLiteral("(with a b: (= x 1); (with x y: pass))"));
}

void TestLessonParser::header()
{
    PARSED(script, QStringLiteral("#!/usr/bin/env python3\n"
                                  "# -*- coding: utf-8 -*-\n"
                                  "# title: Your first TCP connection\n"
                                  "# level: beginner\n"
                                  "# topics: tcp, bind , listen,accept\n"
                                  "# peer: web = course-web\n"
                                  "# peer: e = echo\n"
                                  "#\n"
                                  "# A server and a client on one machine,\n"
                                  "#   talking over loopback.\n"
                                  "\n"
                                  "import socket\n"));
    QCOMPARE(script.title, QStringLiteral("Your first TCP connection"));
    QCOMPARE(script.level, QStringLiteral("beginner"));
    QCOMPARE(script.topics, (QStringList{QStringLiteral("tcp"), QStringLiteral("bind"),
                                         QStringLiteral("listen"), QStringLiteral("accept")}));
    QCOMPARE(script.extra.size(), 2);
    QCOMPARE(script.extra[0].first, QStringLiteral("peer"));
    QCOMPARE(script.extra[0].second, QStringLiteral("web = course-web"));
    QCOMPARE(script.extra[1].second, QStringLiteral("e = echo"));
    QCOMPARE(script.summary,
             QStringLiteral("A server and a client on one machine, talking over loopback."));
    QCOMPARE(script.fileName, QStringLiteral("lesson.py"));
    QVERIFY(script.steps.at(0).directives.narration.isEmpty());
}

void TestLessonParser::headerEndsAtBlankLine()
{
    PARSED(script, QStringLiteral("\n# title: T\n# Summary.\n\n# Import it.\nimport socket\n"));
    QCOMPARE(script.title, QStringLiteral("T"));
    QCOMPARE(script.summary, QStringLiteral("Summary."));
    QCOMPARE(script.steps.at(0).directives.narration, QStringList{QStringLiteral("Import it.")});
}

void TestLessonParser::headerRunsIntoFirstStatement()
{
    // DESIGN.md's example: the header touches `import socket`, which has no narration.
    PARSED(script,
           QStringLiteral("# title: First\n# A lesson is ordinary Python.\nimport socket\n"));
    QCOMPARE(script.summary, QStringLiteral("A lesson is ordinary Python."));
    QVERIFY(script.steps.at(0).directives.narration.isEmpty());

    // After a lone `#` that ends the summary, a plain line starts the first narration.
    PARSED(second, QStringLiteral("# title: First\n# Summary.\n#\n# Now import.\nimport socket\n"));
    QCOMPARE(second.summary, QStringLiteral("Summary."));
    QCOMPARE(second.steps.at(0).directives.narration, QStringList{QStringLiteral("Now import.")});
}

void TestLessonParser::noHeaderWhenCodeComesFirst()
{
    PARSED(script, QStringLiteral("x = 1\n# title: T\ny = 2\n"));
    QVERIFY(script.title.isEmpty());
    QCOMPARE(script.steps.at(1).directives.narration, QStringList{QStringLiteral("title: T")});
}

void TestLessonParser::narrationBlocks()
{
    PARSED(script, QStringLiteral("x = 1\n"
                                  "# one\n"
                                  "#\n"
                                  "#   two, indented\n"
                                  "#three\n"
                                  "y = 2   # a trailing comment is not narration\n"
                                  "\n"
                                  "# a blank line follows: a plain comment\n"
                                  "\n"
                                  "z = 3\n"));
    QCOMPARE(script.steps.size(), std::size_t(3));
    QVERIFY(script.steps[0].directives.narration.isEmpty());
    QCOMPARE(script.steps[1].directives.narration,
             (QStringList{QStringLiteral("one"), QString(), QStringLiteral("  two, indented"),
                          QStringLiteral("three")}));
    QVERIFY(script.steps[2].directives.narration.isEmpty());
}

void TestLessonParser::blockAboveSectionMarkerIsNotNarration()
{
    PARSED(script, QStringLiteral("x = 1\n# about the client\n# --- client ---\ny = 2\n"));
    QVERIFY(script.steps.at(1).directives.narration.isEmpty());
    QCOMPARE(script.steps.at(1).actor, QStringLiteral("client"));
}

void TestLessonParser::directives()
{
    PARSED(script, QStringLiteral("x = 1\n"
                                  "# Now the bind fails.\n"
                                  "# expect: EADDRINUSE or EACCES, ok\n"
                                  "# pause\n"
                                  "y = 2\n"
                                  "#   Expect:  timeout \n"
                                  "z = 3\n"));
    const Directives& bind = script.steps.at(1).directives;
    QCOMPARE(bind.narration, QStringList{QStringLiteral("Now the bind fails.")});
    QCOMPARE(bind.expect, (QStringList{QStringLiteral("EADDRINUSE"), QStringLiteral("EACCES"),
                                       QStringLiteral("ok")}));
    QVERIFY(bind.pause);
    const Directives& last = script.steps.at(2).directives;
    QCOMPARE(last.expect, QStringList{QStringLiteral("timeout")});
    QVERIFY(!last.pause);
    QVERIFY(last.narration.isEmpty());
    QVERIFY(script.steps.at(0).directives.expect.isEmpty());
}

void TestLessonParser::directiveAtTopBelongsToFirstStatement()
{
    PARSED(script, QStringLiteral("# expect: ECONNREFUSED or interrupted\nc.connect(a)\n"));
    QCOMPARE(script.steps.at(0).directives.expect,
             (QStringList{QStringLiteral("ECONNREFUSED"), QStringLiteral("interrupted")}));
}

void TestLessonParser::actors()
{
    PARSED(script, QStringLiteral("x = 1\n"
                                  "# --- server ---\n"
                                  "a = 1\n"
                                  "#---client---\n"
                                  "b = 2\n"
                                  "#   ---   server   ---\n"
                                  "c = 3\n"
                                  "# --- empty ---\n"
                                  "# ------------\n"
                                  "# --- client_2 ---\n"
                                  "d = 4\n"));
    QCOMPARE(script.actors, (QStringList{QStringLiteral("main"), QStringLiteral("server"),
                                         QStringLiteral("client"), QStringLiteral("client_2")}));
    QStringList actors;
    for (const Step& step : script.steps)
        actors << step.actor;
    QCOMPARE(actors, (QStringList{QStringLiteral("main"), QStringLiteral("server"),
                                  QStringLiteral("client"), QStringLiteral("server"),
                                  QStringLiteral("client_2")}));
}

void TestLessonParser::emptyLesson()
{
    // A fresh free-play experiment is empty, and must load.
    PARSED(empty, QString());
    QVERIFY(empty.steps.empty());
    QVERIFY(empty.actors.isEmpty());
    PARSED(commentOnly, QStringLiteral("# title: Nothing yet\n\n# a note\n"));
    QCOMPARE(commentOnly.title, QStringLiteral("Nothing yet"));
    QVERIFY(commentOnly.steps.empty());
}

void TestLessonParser::lineEndsAndByteOrderMark()
{
    const QString source = QStringLiteral("\uFEFFx = 1\r\ny = (1,\r\n 2)\r\rz = 3");
    PARSED(script, source);
    QCOMPARE(script.source, source);
    QCOMPARE(script.steps.at(0).stmt->pos.column, 1);
    QCOMPARE(script.steps.at(1).stmt->source, QStringLiteral("y = (1,\n 2)"));
    QCOMPARE(script.steps.at(1).stmt->endLine, 3);
    QCOMPARE(script.steps.at(2).stmt->pos.line, 5);
}

QTEST_GUILESS_MAIN(TestLessonParser)
#include "tst_lessonparser.moc"
