// The lesson parser, what it refuses: every construct outside the subset, at the line and
// column of its first character, with a sentence that names it; and how a refusal reads.

#include "lessonsupport.h"

using namespace sockbench::lesson;
using namespace sockbench::lesson::test;

namespace {

void refusal(const char* name, const QString& source, int line, int column, const char* word)
{
    QTest::newRow(name) << source << line << column << QString::fromUtf8(word);
}

} // namespace

class TestLessonRefusals : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void refusals_data();
    void refusals();
    void whileIsRefusedInASentence();
    void unclosedBracketOutranksLaterComplaints();
    void deepNestingIsRefused();
    void longChainsAreRefusedAndFreed();
    void parseErrorFormat();
};

void TestLessonRefusals::refusals_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("word");
    // Statements.
    refusal("if", "if x:\n    pass\n", 1, 1, "`if` statements");
    refusal("else", "x = 1\nelse:\n    pass\n", 2, 1, "`else`");
    refusal("while", "x = 1\nwhile True:\n    pass\n", 2, 1, "`while` loops");
    refusal("for", "for i in x:\n    pass\n", 1, 1, "`for` loops");
    refusal("def", "def f():\n    pass\n", 1, 1, "`def`");
    refusal("class", "class C:\n    pass\n", 1, 1, "`class`");
    refusal("try", "try:\n    pass\nexcept OSError:\n    pass\n", 1, 1, "# expect:");
    refusal("return", "return 1\n", 1, 1, "`return`");
    refusal("break", "break\n", 1, 1, "`break`");
    refusal("continue", "continue\n", 1, 1, "`continue`");
    refusal("global", "global x\n", 1, 1, "`global`");
    refusal("nonlocal", "nonlocal x\n", 1, 1, "`nonlocal`");
    refusal("del", "del sock\n", 1, 1, "`del`");
    refusal("raise", "raise OSError()\n", 1, 1, "`raise`");
    refusal("yield statement", "yield 1\n", 1, 1, "`yield`");
    refusal("yield value", "x = yield\n", 1, 5, "`yield`");
    refusal("await", "await f()\n", 1, 1, "`await`");
    refusal("async", "async def f():\n    pass\n", 1, 1, "`async`");
    refusal("lambda", "f = lambda: 1\n", 1, 5, "`lambda`");
    refusal("decorator", "@cache\ndef f():\n    pass\n", 1, 1, "decorators");
    refusal("match", "match x:\n    case 1:\n        pass\n", 1, 1, "`match`");
    refusal("print statement", "print 'hello'\n", 1, 1, "print(...)");
    refusal("keyword start", "in x\n", 1, 1, "`in`");
    refusal("semicolon", "x = 1; y = 2\n", 1, 6, "one statement per line");
    refusal("chained assignment", "a = b = 1\n", 1, 7, "chained assignment");
    refusal("times-equals", "x *= 2\n", 1, 3, "`*=`");
    refusal("floor-equals", "x //= 2\n", 1, 3, "`//=`");
    refusal("attribute target", "sock.timeout = 5\n", 1, 1, "attribute");
    refusal("item target", "x = 1\nbuf[0] = 1\n", 2, 1, "item");
    refusal("call target", "f() = 1\n", 1, 1, "call");
    refusal("list target", "[a, b] = x\n", 1, 1, "tuple");
    refusal("literal target", "1 = x\n", 1, 1, "literal");
    refusal("expression target", "a + b = x\n", 1, 1, "expression");
    refusal("empty tuple target", "() = x\n", 1, 1, "nothing to assign");
    refusal("augmented attribute", "x.y += 1\n", 1, 1, "plain name");
    refusal("annotation", "x: int = 5\n", 1, 2, "annotations");
    refusal("block colon", "f(x):\n    pass\n", 1, 5, "`with ... as name:`");
    refusal("assert tuple", "assert (x, 'msg')\n", 1, 8, "tuple");
    // Imports.
    refusal("import os", "import os\n", 1, 8, "only the socket module");
    refusal("second module", "import socket, os\n", 1, 16, "`os`");
    refusal("dotted module", "import os.path\n", 1, 8, "`os.path`");
    refusal("import as", "import socket as s\n", 1, 15, "renaming");
    refusal("from os", "from os import path\n", 1, 6, "only the socket module");
    refusal("from as", "from socket import socket as s\n", 1, 27, "renaming");
    refusal("relative import", "from . import x\n", 1, 6, "relative");
    refusal("trailing comma", "from socket import a,\n", 1, 21, "parentheses");
    // Indentation and `with`.
    refusal("indented first line", "    x = 1\n", 1, 5, "indented");
    refusal("stray indent", "x = 1\n  y = 2\n", 2, 3, "indented");
    refusal("indent inside body", "with a as b:\n    x = 1\n      y = 2\n", 3, 7, "deeper");
    refusal("dedent mismatch", "with a as b:\n        x = 1\n    y = 2\n", 3, 5,
            "matches no block");
    refusal("tab after spaces", "with a as b:\n    x = 1\nwith c as d:\n\ty = 2\n", 4, 1,
            "tabs mixed with spaces");
    refusal("tab and space", "with a as b:\n \tx = 1\n", 2, 2, "tabs mixed with spaces");
    refusal("body not indented", "with a as b:\nx = 1\n", 2, 1, "indented");
    refusal("body missing", "with a as b:\n", 1, 1, "indented");
    refusal("with without as", "with a:\n    pass\n", 1, 1, "as NAME");
    refusal("two with items", "with a as b, c as d:\n    pass\n", 1, 12, "one item");
    refusal("with tuple target", "with a as (b, c):\n    pass\n", 1, 11, "plain name");
    refusal("with after with", "with a as b: with c as d: pass\n", 1, 14, "own");
    refusal("if after with", "with a as b: if x: pass\n", 1, 14, "`if`");
    // Expressions.
    refusal("conditional", "x = a if b else c\n", 1, 7, "conditional");
    refusal("list comprehension", "x = [i for i in y]\n", 1, 8, "comprehensions");
    refusal("generator argument", "f(i for i in y)\n", 1, 5, "comprehensions");
    refusal("and", "x = a and b\n", 1, 7, "`and`");
    refusal("or", "x = a or b\n", 1, 7, "`or`");
    refusal("not", "assert not x\n", 1, 8, "`not`");
    refusal("power", "x = 2 ** 8\n", 1, 7, "`**`");
    refusal("floor division", "x = 7 // 2\n", 1, 7, "`//`");
    refusal("division", "x = 7 / 2\n", 1, 7, "`/`");
    refusal("remainder", "x = '%d' % 2\n", 1, 10, "`%`");
    refusal("bitwise or", "x = a | b\n", 1, 7, "bitwise");
    refusal("bitwise not", "x = ~a\n", 1, 5, "bitwise");
    refusal("matrix", "x = a @ b\n", 1, 7, "`@`");
    refusal("walrus", "x = (y := 1)\n", 1, 8, "walrus");
    refusal("star argument", "f(*args)\n", 1, 3, "`*`");
    refusal("double-star argument", "f(**kw)\n", 1, 3, "`**`");
    refusal("star target", "a, *b = x\n", 1, 4, "`*`");
    refusal("chained comparison", "assert a < b < c\n", 1, 14, "chained comparisons");
    refusal("dict", "x = {}\n", 1, 5, "dict");
    refusal("set", "x = {1, 2}\n", 1, 5, "set");
    refusal("ellipsis", "x = ...\n", 1, 5, "ellipsis");
    refusal("f-string", "x = f'{y}'\n", 1, 5, "f-strings");
    refusal("rf-string", "x = rf'a'\n", 1, 5, "f-strings");
    refusal("Fr-string", "x = Fr'a'\n", 1, 5, "f-strings");
    refusal("step slice", "x = y[::2]\n", 1, 8, "step");
    refusal("step slice with bounds", "x = y[1:2:3]\n", 1, 10, "step");
    refusal("two indices", "x = y[1, 2]\n", 1, 8, "several values");
    refusal("positional after keyword", "f(a=1, b)\n", 1, 8, "positional argument");
    refusal("repeated keyword", "f(a=1, a=2)\n", 1, 8, "twice");
    refusal("missing value", "x = \n", 1, 5, "the end of the line");
    refusal("keyword attribute", "x = a.class\n", 1, 7, "attribute name");
    refusal("str joined to bytes", "x = 'a' b'b'\n", 1, 9, "str and a bytes");
    // Numbers.
    refusal("complex", "x = 1j\n", 1, 5, "complex");
    refusal("leading zero", "x = 0777\n", 1, 5, "0o17");
    refusal("too large", "x = 9223372036854775808\n", 1, 5, "64 bits");
    refusal("too large hex", "x = 0x1_0000_0000_0000_0000\n", 1, 5, "64 bits");
    refusal("trailing underscore", "x = 1_\n", 1, 6, "underscore");
    refusal("double underscore", "x = 1__0\n", 1, 6, "underscore");
    refusal("empty hex", "x = 0x\n", 1, 5, "hex digits");
    refusal("empty exponent", "x = 1e\n", 1, 5, "exponent");
    refusal("huge float", "x = 1e400\n", 1, 5, "too large");
    refusal("glued letters", "x = 1abc\n", 1, 5, "`a`");
    // Strings and bytes.
    refusal("unclosed string", "x = 'abc\n", 1, 5, "not closed on its line");
    refusal("unclosed triple", "x = '''abc\n\n", 1, 5, "never closed");
    refusal("non-ASCII bytes", "x = b'caf\u00e9'\n", 1, 10, "ASCII");
    refusal("\\u in bytes", "x = b'\\u0041'\n", 1, 7, "for str");
    refusal("short \\x", "x = '\\x4'\n", 1, 6, "exactly 2 hex digits");
    refusal("octal past 377", "x = '\\777'\n", 1, 6, "\\377");
    refusal("unknown escape", "x = '\\d'\n", 1, 6, "not an escape");
    refusal("named escape", "x = '\\N{DASH}'\n", 1, 6, "named");
    refusal("beyond Unicode", "x = '\\U00110000'\n", 1, 6, "U+10FFFF");
    // Brackets and characters.
    refusal("unclosed bracket", "x = f(\n", 1, 6, "never closed");
    refusal("extra closer", "x = f(1))\n", 1, 9, "closes nothing");
    refusal("mismatched closer", "x = [1, 2)\n", 1, 10, "does not match the `[`");
    refusal("backslash at end", "x = 1 + \\\n", 1, 9, "joins the last line");
    refusal("backslash mid-line", "x = 1 \\ 2\n", 1, 7, "must end its line");
    refusal("dollar", "x = $\n", 1, 5, "`$`");
    refusal("no-break space", "x =\u00a01\n", 1, 4, "U+00A0");
    // Comments.
    refusal("actor name", "# --- my server ---\nx = 1\n", 1, 1, "`my server`");
    refusal("half marker", "x = 1\n# --- server\ny = 2\n", 2, 1, "# --- name ---");
    refusal("empty expect", "x = 1\n# expect:\ny = 2\n", 2, 1, "at least one");
    refusal("bogus expect", "x = 1\n# expect: bogus\ny = 2\n", 2, 1, "`bogus`");
    refusal("empty alternative", "x = 1\n# expect: EACCES or\ny = 2\n", 2, 1, "empty alternative");
    refusal("expect at end", "x = 1\n# expect: EPIPE\n", 2, 1, "the file ends");
    refusal("pause then blank", "x = 1\n# pause\n\ny = 2\n", 2, 1, "blank line");
    refusal("expect before marker", "x = 1\n# expect: EPIPE\n# --- client ---\ny = 2\n", 2, 1,
            "section marker");
    refusal("two expects", "x = 1\n# expect: EPIPE\n# expect: EAGAIN\ny = 2\n", 3, 1,
            "one `# expect:` line");
    refusal("trailing expect", "x = f()  # expect: EPIPE\n", 1, 10, "own");
    refusal("trailing marker", "x = 1  # --- client ---\n", 1, 8, "own");
    refusal("pause in body", "with a as b:\n    # pause\n    x = 1\n", 2, 5, "above the `with`");
    refusal("marker in body", "with a as b:\n    # --- client ---\n    x = 1\n", 2, 5,
            "section marker");
    refusal("title twice", "# title: a\n# title: b\nx = 1\n", 2, 1, "twice");
}

void TestLessonRefusals::refusals()
{
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, word);
    REFUSED(error, source);
    const QString where = error.format(QStringLiteral("lesson.py"));
    QVERIFY2(error.message.contains(word), qPrintable(where));
    QCOMPARE(error.pos.line, line);
    QCOMPARE(error.pos.column, column);
}

void TestLessonRefusals::whileIsRefusedInASentence()
{
    REFUSED(error, QStringLiteral("import socket\n\n\n\n\nx = 1\nwhile True:\n    pass\n"));
    QCOMPARE(error.format(QStringLiteral("lesson.py")),
             QStringLiteral("lesson.py:7:1: `while` loops are not part of a lesson: a lesson "
                            "runs straight down, one statement at a time"));
}

void TestLessonRefusals::unclosedBracketOutranksLaterComplaints()
{
    // The parser trips on `y` long after the real mistake: the `(` swallowed the rest.
    REFUSED(error, QStringLiteral("x = 1\ns.send((1, 2)\ny = 3\nwhile x:\n    pass\n"));
    QCOMPARE(error.pos.line, 2);
    QCOMPARE(error.pos.column, 7);
    QVERIFY2(error.message.contains(QStringLiteral("never closed")), qPrintable(error.message));

    // A complaint before the bracket still comes first.
    REFUSED(earlier, QStringLiteral("x = 1 / 2\nf(\n"));
    QCOMPARE(earlier.pos.line, 1);
    QCOMPARE(earlier.pos.column, 7);
}

void TestLessonRefusals::deepNestingIsRefused()
{
    const QString source = QStringLiteral("x = ") + QString(500, u'(') + u'1' + QString(500, u')');
    REFUSED(error, source);
    QVERIFY2(error.message.contains(QStringLiteral("nests too deeply")), qPrintable(error.message));
    QCOMPARE(error.pos.line, 1);
    QCOMPARE(error.pos.column, 105);
}

void TestLessonRefusals::longChainsAreRefusedAndFreed()
{
    // A chain (1 + 1 + ...) builds a tree as deep as it is long, evaluated and freed
    // recursively: a million terms once crashed the window when the script was freed.
    // CPython itself compiles a 1,000-term sum and refuses a 10,000-term one.
    auto chain = [](const QString& term, const QString& link, int terms) {
        QStringList parts(terms, term);
        return QStringLiteral("import socket\nx = ") + parts.join(link) + u'\n';
    };
    {
        PARSED(script, chain(QStringLiteral("1"), QStringLiteral(" + "), 500));
        QCOMPARE(script.steps.size(), std::size_t(2));
    }
    const struct {
        QString term, link;
    } chains[] = {{QStringLiteral("1"), QStringLiteral("+")},
                  {QStringLiteral("2"), QStringLiteral("*")},
                  {QStringLiteral("-1"), QStringLiteral("-")}};
    for (const auto& c : chains) {
        REFUSED(error, chain(c.term, c.link, 1'000'000));
        QVERIFY2(error.message.contains(QStringLiteral("too long or nests too deeply")),
                 qPrintable(error.message));
        QCOMPARE(error.pos.line, 2);
    }
    REFUSED(attributes, QStringLiteral("x = socket") + QStringLiteral(".a").repeated(5000));
    QVERIFY2(attributes.message.contains(QStringLiteral("too long")),
             qPrintable(attributes.message));
    REFUSED(calls, QStringLiteral("x = f") + QStringLiteral("()").repeated(5000));
    QVERIFY2(calls.message.contains(QStringLiteral("too long")), qPrintable(calls.message));
}

void TestLessonRefusals::parseErrorFormat()
{
    const ParseError error{{7, 3}, QStringLiteral("`while` loops are not part of a lesson")};
    QCOMPARE(error.format(QStringLiteral("lessons/first.py")),
             QStringLiteral("lessons/first.py:7:3: `while` loops are not part of a lesson"));
    QCOMPARE(error.format(QString()),
             QStringLiteral("7:3: `while` loops are not part of a lesson"));
}

QTEST_GUILESS_MAIN(TestLessonRefusals)
#include "tst_lessonrefusals.moc"
