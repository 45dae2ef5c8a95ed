// Python fidelity of the lesson runtime: repr() and str() of values, arithmetic, slicing
// and conversions, and errors with Python's exact type and message. Every expected text
// below was printed by python3 3.11 for the same source; the test itself needs no python3.
// Each row runs as a tiny one-actor lesson on a real workbench.

#include "lesson/parser.h"
#include "lesson/runner.h"
#include "testsupport.h"

#include <QSignalSpy>

using namespace sockbench;
using namespace sockbench::lesson;
using namespace sockbench::test;

// Declared ahead of the table: moc stops reading at its raw string literal.
class TestLessonValues : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reprs_data();
    void reprs();
    void strs_data();
    void strs();
    void programs_data();
    void programs();
    void errors_data();
    void errors();
    void repeatedBytesStayLazy();
    void bytearrayIsShared();
};

namespace {

// One row a line: INPUT => EXPECTED. INPUT is an expression, or SETUP | EXPRESSION where
// SETUP's statements are separated by " ;; ". "== name" starts a section.
//   reprs:    repr() of the expression (the value a step reports)
//   strs:     what print() shows for it
//   programs: repr() of the expression after the setup ran
//   errors:   "Type: message" of the exception the statement raises
const char* const kTable = R"rows(
== reprs
b'ab' => b'ab'
b"it's" => b"it's"
b'both \' and "' => b'both \' and "'
b'\x00\x7f\x80\xff' => b'\x00\x7f\x80\xff'
b'\t\n\r\\' => b'\t\n\r\\'
b'' => b''
'ab' => 'ab'
"it's" => "it's"
'both \' and "' => 'both \' and "'
'tab\there' => 'tab\there'
'\x00\x1b\x7f' => '\x00\x1b\x7f'
'caf\xe9' => 'café'
'\x85\xa0\xad' => '\x85\xa0\xad'
'\u20ac \u2028 \u200b \ufeff' => '€ \u2028 \u200b \ufeff'
'\U0001f600' => '😀'
'\U000e0001' => '\U000e0001'
'\\' => '\\'
'' => ''
0.5 => 0.5
1e-05 => 1e-05
1e+16 => 1e+16
123456789.0 => 123456789.0
1.0 => 1.0
0.1 + 0.2 => 0.30000000000000004
1e16 - 1 => 1e+16
-0.0 => -0.0
0.0001 => 0.0001
1e22 => 1e+22
1e100 => 1e+100
5e-324 => 5e-324
2.5e-5 => 2.5e-05
1234567890123456.0 => 1234567890123456.0
12345678901234567.0 => 1.2345678901234568e+16
float('inf') => inf
-float('inf') => -inf
float('nan') => nan
1.5e300 * 1e10 => inf
(1,) => (1,)
() => ()
(1, 'a', b'b') => (1, 'a', b'b')
((1,),) => ((1,),)
[1] => [1]
[] => []
[(1, 2), []] => [(1, 2), []]
socket.AF_INET => <AddressFamily.AF_INET: 2>
socket.AF_INET6 => <AddressFamily.AF_INET6: 10>
socket.AF_UNIX => <AddressFamily.AF_UNIX: 1>
socket.SOCK_STREAM => <SocketKind.SOCK_STREAM: 1>
socket.SOCK_DGRAM => <SocketKind.SOCK_DGRAM: 2>
socket.MSG_PEEK => <MsgFlag.MSG_PEEK: 2>
socket.AI_PASSIVE => <AddressInfo.AI_PASSIVE: 1>
(socket.AF_INET, socket.SOCK_STREAM) => (<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>)
socket.SOL_SOCKET => 1
socket.SO_REUSEADDR => 2
bytearray(3) => bytearray(b'\x00\x00\x00')
bytearray(b'hi') => bytearray(b'hi')
bytearray() => bytearray(b'')
True => True
False => False
None => None
-5 => -5
9223372036854775807 => 9223372036854775807
socket.has_ipv6 => True
socket.INADDR_LOOPBACK => 2130706433
== strs
b'ab' => b'ab'
'ab' => ab
0.5 => 0.5
(1, 'a') => (1, 'a')
[b'x'] => [b'x']
None => None
True => True
socket.AF_INET => 2
socket.SOCK_DGRAM => 2
bytearray(b'x') => bytearray(b'x')
1e+16 => 1e+16
'caf\xe9' => café
5 => 5
-0.0 => -0.0
socket.MSG_PEEK => 2
== programs
x = b'ab' * 3 | x => b'ababab'
x = b'ab' * 3 | len(x) => 6
x = b'ab' * 3 | x[-1] => 98
x = b'ab' * 3 | x[0] => 97
x = b'ab' * 3 | x[1:3] => b'ba'
x = b'ab' * 3 | x[-2:] => b'ab'
x = b'ab' * 3 | x[:-10] => b''
x = b'ab' * 3 | x[10:] => b''
x = b'ab' * 3 | x[-100:2] => b'ab'
x = b'ab' * 3 | x[4:2] => b''
3 * b'ab' => b'ababab'
b'ab' * 0 => b''
b'ab' * -1 => b''
b'ab' * True => b'ab'
'ab' * 2 => 'abab'
(1, 2) * 2 => (1, 2, 1, 2)
[0] * 3 => [0, 0, 0]
bytearray(2) * 2 => bytearray(b'\x00\x00\x00\x00')
b'a' + b'b' => b'ab'
bytearray(b'a') + b'b' => bytearray(b'ab')
b'c' + bytearray(b'ab') => b'cab'
'a' + 'b' => 'ab'
(1,) + (2,) => (1, 2)
1 + True => 2
True + True => 2
1.5 + 1 => 2.5
2 * 0.5 => 1.0
3 - 5 => -2
-(-3) => 3
+True => 1
-True => -1
t = (1, 2, 3) | t[-1] => 3
t = (1, 2, 3) | t[1:2] => (2,)
t = (1, 2, 3) | t[5:1] => ()
t = (1, 2, 3) | t[:] => (1, 2, 3)
s = 'abc' | s[-2:] => 'bc'
s = 'abc' | s[:100] => 'abc'
s = 'abc' | s[1] => 'b'
s = 'a\U0001f600b' | len(s) => 3
s = 'a\U0001f600b' | s[1] => '😀'
s = 'a\U0001f600b' | s[2:] => 'b'
s = 'a\U0001f600b' | s.encode() => b'a\xf0\x9f\x98\x80b'
int(b'42') => 42
int('  -7 ') => -7
int('0x1f', 16) => 31
int('0b101', 0) => 5
int('1_000') => 1000
int('z', 36) => 35
int(-2.7) => -2
int(True) => 1
int() => 0
float(' 2.5 ') => 2.5
float('1e3') => 1000.0
float(b'1.5') => 1.5
float(3) => 3.0
float('-inf') => -inf
str(5) => '5'
str(b'x') => "b'x'"
str(1.5) => '1.5'
str(None) => 'None'
str((1, 'a')) => "(1, 'a')"
str(b'caf\xc3\xa9', 'utf-8') => 'café'
str() => ''
'a'.encode() => b'a'
'caf\xe9'.encode() => b'caf\xc3\xa9'
'caf\xe9'.encode('latin-1') => b'caf\xe9'
'\xe9x'.encode('ascii', 'replace') => b'?x'
'\xe9x'.encode('ascii', 'ignore') => b'x'
b'x'.decode() => 'x'
b'caf\xc3\xa9'.decode('utf-8') => 'café'
b'\xe9'.decode('latin-1') => 'é'
b'\xffa'.decode('utf-8', 'replace') => '�a'
b'\xe2\x82a'.decode('utf-8', 'ignore') => 'a'
bytes(3) => b'\x00\x00\x00'
bytes([65, 66]) => b'AB'
bytes('\xe9', 'utf-8') => b'\xc3\xa9'
bytearray(b'ab').hex() => '6162'
b'\x01\xff'.hex() => '01ff'
hex(255) => '0xff'
hex(-255) => '-0xff'
bool(b'') => False
bool('a') => True
bool() => False
repr('a') => "'a'"
len([1, 2]) => 2
'abc'.find('c') => 2
b'abc'.find(b'z') => -1
b'abc'.find(98) => 1
'a\U0001f600b'.find('b') => 2
' a b '.split() => ['a', 'b']
b' a  b '.split() => [b'a', b'b']
'a,b,,c'.split(',') => ['a', 'b', '', 'c']
'a,b,c'.split(',', 1) => ['a', 'b,c']
b'a b  c'.split(maxsplit=1) => [b'a', b'b  c']
bytearray(b'a,b').split(b',') => [bytearray(b'a'), bytearray(b'b')]
'  x \n'.strip() => 'x'
b'\r\nhi\r\n'.strip(b'\r\n') => b'hi'
'xxaxx'.strip('x') => 'a'
'abc'.replace('b', 'XX') => 'aXXc'
'aaa'.replace('a', 'b', 2) => 'bba'
'abc'.replace('', '-') => '-a-b-c-'
b'abc'.upper() => b'ABC'
bytearray(b'ab').upper() => bytearray(b'AB')
'abc'.startswith(('x', 'a')) => True
'abc'.startswith('b', 1) => True
b'abc'.endswith(b'bc') => True
1 == 1.0 => True
b'a' == bytearray(b'a') => True
(1, 2) == [1, 2] => False
'a' in 'abc' => True
98 in b'abc' => True
None is None => True
(1, 2) < (1, 3) => True
(1, 2) < (1, 2, 0) => True
'\uffff' < '\U0001f600' => True
9007199254740993 > 9007199254740992 => True
float('nan') < 1 => False
b'a' < b'b' => True
socket.AF_INET == 2 => True
socket.AF_INET + 1 => 3
str(socket.AF_INET) => '2'
socket.inet_aton('127.0.0.1') => b'\x7f\x00\x00\x01'
socket.inet_ntoa(b'\x7f\x00\x00\x01') => '127.0.0.1'
socket.htons(1) => 256
socket.ntohl(1) => 16777216
socket.inet_pton(socket.AF_INET6, '::1') => b'\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01'
socket.getdefaulttimeout() => None
s = socket.socket() | s.gettimeout() => None
s = socket.socket() | s.family => <AddressFamily.AF_INET: 2>
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) | s.type => <SocketKind.SOCK_DGRAM: 2>
s = socket.socket() ;; s.settimeout(2) | s.gettimeout() => 2.0
s = socket.socket() ;; s.setblocking(False) | s.getblocking() => False
s = socket.socket() | s.getsockname() => ('0.0.0.0', 0)
s = socket.socket(socket.AF_INET6) | s.getsockname() => ('::', 0, 0, 0)
s = socket.socket() | s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) => 1
s = socket.socket() | s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 4) => b'\x00\x00\x00\x00'
s = socket.socket() ;; s.close() | s.fileno() => -1
socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST) => [(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('127.0.0.1', 80))]
a, (b, c) = 1, (2, 3) | (a, b, c) => (1, 2, 3)
x = 1 ;; x += 2 | x => 3
x = b'a' ;; x += b'b' | x => b'ab'
== errors
s = socket.socket() | s.sendall('text') => TypeError: a bytes-like object is required, not 'str'
s = socket.socket() | s.send(bytearray(1) + 'a') => TypeError: can't concat str to bytearray
print(undefined_name) => NameError: name 'undefined_name' is not defined
x = 1 | x.nosuch => AttributeError: 'int' object has no attribute 'nosuch'
s = socket.socket() | s.nosuch() => AttributeError: 'socket' object has no attribute 'nosuch'
socket.nosuch => AttributeError: module 'socket' has no attribute 'nosuch'
b'x'.nosuch => AttributeError: 'bytes' object has no attribute 'nosuch'
a, b = (1, 2, 3) => ValueError: too many values to unpack (expected 2)
a, b, c = (1, 2) => ValueError: not enough values to unpack (expected 3, got 2)
a, b = 5 => TypeError: cannot unpack non-iterable int object
s = socket.socket() | s.bind(('127.0.0.1', 70000)) => OverflowError: bind(): port must be 0-65535.
s = socket.socket() | s.connect(('127.0.0.1', -1)) => OverflowError: connect(): port must be 0-65535.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM) | s.sendto(b'x', ('127.0.0.1', 70000)) => OverflowError: sendto(): port must be 0-65535.
(1, 2)[5] => IndexError: tuple index out of range
b'ab'[2] => IndexError: index out of range
'ab'[-3] => IndexError: string index out of range
[][0] => IndexError: list index out of range
bytearray(b'a')[2] => IndexError: bytearray index out of range
'a'['x'] => TypeError: string indices must be integers, not 'str'
b'a'['x'] => TypeError: byte indices must be integers or slices, not str
(1,)[1.0] => TypeError: tuple indices must be integers or slices, not float
[1][None] => TypeError: list indices must be integers or slices, not NoneType
'ab'[1:'x'] => TypeError: slice indices must be integers or None or have an __index__ method
5[0] => TypeError: 'int' object is not subscriptable
len(5) => TypeError: object of type 'int' has no len()
len() => TypeError: len() takes exactly one argument (0 given)
len(1, 2) => TypeError: len() takes exactly one argument (2 given)
repr() => TypeError: repr() takes exactly one argument (0 given)
'a' + b'b' => TypeError: can only concatenate str (not "bytes") to str
b'a' + 'b' => TypeError: can't concat str to bytes
1 + 'a' => TypeError: unsupported operand type(s) for +: 'int' and 'str'
'a' + 1 => TypeError: can only concatenate str (not "int") to str
[1] + (1,) => TypeError: can only concatenate list (not "tuple") to list
'a' - 'b' => TypeError: unsupported operand type(s) for -: 'str' and 'str'
'a' * 'b' => TypeError: can't multiply sequence by non-int of type 'str'
b'a' * 1.5 => TypeError: can't multiply sequence by non-int of type 'float'
None + 1 => TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'
-'a' => TypeError: bad operand type for unary -: 'str'
'a' < 1 => TypeError: '<' not supported between instances of 'str' and 'int'
None < None => TypeError: '<' not supported between instances of 'NoneType' and 'NoneType'
1 in 5 => TypeError: argument of type 'int' is not iterable
'a' in b'abc' => TypeError: a bytes-like object is required, not 'str'
b'a' in 'abc' => TypeError: 'in <string>' requires string as left operand, not bytes
300 in b'abc' => ValueError: byte must be in range(0, 256)
int('x1') => ValueError: invalid literal for int() with base 10: 'x1'
int(b'4x') => ValueError: invalid literal for int() with base 10: b'4x'
int('') => ValueError: invalid literal for int() with base 10: ''
int('1__0') => ValueError: invalid literal for int() with base 10: '1__0'
int('010', 0) => ValueError: invalid literal for int() with base 0: '010'
int('4', 1) => ValueError: int() base must be >= 2 and <= 36, or 0
int(1.5, 10) => TypeError: int() can't convert non-string with explicit base
int(None) => TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'
int(float('inf')) => OverflowError: cannot convert float infinity to integer
int(float('nan')) => ValueError: cannot convert float NaN to integer
float('x') => ValueError: could not convert string to float: 'x'
float(None) => TypeError: float() argument must be a string or a real number, not 'NoneType'
float('1e') => ValueError: could not convert string to float: '1e'
b'\xff'.decode() => UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte
b'a\xc3'.decode() => UnicodeDecodeError: 'utf-8' codec can't decode byte 0xc3 in position 1: unexpected end of data
b'\xe2\x82A'.decode() => UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte
b'\xed\xa0\x80'.decode() => UnicodeDecodeError: 'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte
b'\x80abc'.decode('ascii') => UnicodeDecodeError: 'ascii' codec can't decode byte 0x80 in position 0: ordinal not in range(128)
'ab\xe9'.encode('ascii') => UnicodeEncodeError: 'ascii' codec can't encode character '\xe9' in position 2: ordinal not in range(128)
'\u20ac'.encode('latin-1') => UnicodeEncodeError: 'latin-1' codec can't encode character '\u20ac' in position 0: ordinal not in range(256)
'a\U0001f600'.encode('ascii') => UnicodeEncodeError: 'ascii' codec can't encode character '\U0001f600' in position 1: ordinal not in range(128)
'a'.encode('nope') => LookupError: unknown encoding: nope
'a'.encode(5) => TypeError: encode() argument 'encoding' must be str, not int
'\xe9'.encode('ascii', 'bogus') => LookupError: unknown error handler name 'bogus'
bytes('a') => TypeError: string argument without an encoding
bytes(-1) => ValueError: negative count
bytes([256]) => ValueError: bytes must be in range(0, 256)
bytes(1.0) => TypeError: cannot convert 'float' object to bytes
bytes('a', 5) => TypeError: bytes() argument 'encoding' must be str, not int
'a'.split('') => ValueError: empty separator
b'a'.split(b'') => ValueError: empty separator
'a'.replace('a') => TypeError: replace expected at least 2 arguments, got 1
'a'.upper(1) => TypeError: str.upper() takes no arguments (1 given)
'abc'.startswith(1) => TypeError: startswith first arg must be str or a tuple of str, not int
b'abc'.find('a') => TypeError: argument should be integer or bytes-like object, not 'str'
'a'.strip(1) => TypeError: strip arg must be None or str
print(1, sep=1) => TypeError: sep must be None or a string, not int
print(1, x=1) => TypeError: 'x' is an invalid keyword argument for print()
hex(1.0) => TypeError: 'float' object cannot be interpreted as an integer
bool(1, 2) => TypeError: bool expected at most 1 argument, got 2
s = socket.socket() | s.bind('127.0.0.1') => TypeError: bind(): AF_INET address must be tuple, not str
s = socket.socket() | s.bind(('127.0.0.1',)) => TypeError: AF_INET address must be a pair (host, port)
s = socket.socket() | s.bind((1, 0)) => TypeError: str, bytes or bytearray expected, not int
s = socket.socket() | s.connect(('127.0.0.1', '80')) => TypeError: 'str' object cannot be interpreted as an integer
s = socket.socket() | s.send() => TypeError: send() takes at least 1 argument (0 given)
s = socket.socket() | s.recv(1, 2, 3) => TypeError: recv() takes at most 2 arguments (3 given)
s = socket.socket() | s.recv(bufsize=1) => TypeError: socket.recv() takes no keyword arguments
s = socket.socket() | s.bind(address=('', 0)) => TypeError: socket.bind() takes no keyword arguments
s = socket.socket() | s.accept(1) => TypeError: socket.accept() takes 1 positional argument but 2 were given
s = socket.socket() | s.close(1) => TypeError: socket.close() takes 1 positional argument but 2 were given
s = socket.socket() | s.getsockname(1) => TypeError: socket.getsockname() takes no arguments (1 given)
s = socket.socket() | s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) => TypeError: setsockopt() takes exactly 3 arguments (2 given)
s = socket.socket() | s.settimeout() => TypeError: socket.settimeout() takes exactly one argument (0 given)
s = socket.socket() | s.settimeout(-1) => ValueError: Timeout value out of range
s = socket.socket() | s.settimeout('a') => TypeError: 'str' object cannot be interpreted as an integer
s = socket.socket() | s.recv_into(b'x') => TypeError: recv_into() argument 1 must be read-write bytes-like object, not bytes
s = socket.socket() | s.recv_into(bytearray(2), 5) => ValueError: buffer too small for requested bytes
s = socket.socket() | s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, -1) => OSError: getsockopt buflen out of range
socket.socket(x=1) => TypeError: socket.__init__() got an unexpected keyword argument 'x'
socket.getaddrinfo() => TypeError: getaddrinfo() missing 2 required positional arguments: 'host' and 'port'
socket.getaddrinfo('a', 1, x=1) => TypeError: getaddrinfo() got an unexpected keyword argument 'x'
socket.gethostname(1) => TypeError: _socket.gethostname() takes no arguments (1 given)
socket.htons(70000) => OverflowError: htons: Python int too large to convert to C 16-bit unsigned integer
socket.htons(-1) => OverflowError: htons: can't convert negative Python int to C 16-bit unsigned integer
socket.htonl(4294967296) => OverflowError: int larger than 32 bits
socket.inet_aton('x') => OSError: illegal IP address string passed to inet_aton
socket.inet_ntoa(b'abc') => OSError: packed IP wrong length for inet_ntoa
socket.inet_pton(socket.AF_INET) => TypeError: inet_pton() takes exactly 2 arguments (1 given)
socket.inet_ntop(socket.AF_INET, b'abc') => ValueError: invalid length of packed IP address string
assert 1 == 2, 'one is not two' => AssertionError: one is not two
)rows";

struct Row {
    QStringList setup;
    QString input;
    QString expected;
};

QList<Row> section(const QString& name)
{
    QList<Row> rows;
    QString current;
    for (const QString& line : QString::fromUtf8(kTable).split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("== "))) {
            current = line.mid(3);
            continue;
        }
        if (current != name || line.isEmpty())
            continue;
        const auto arrow = line.indexOf(QLatin1String(" => "));
        Row row;
        row.expected = line.mid(arrow + 4);
        QString input = line.left(arrow);
        if (const auto bar = input.indexOf(QLatin1String(" | ")); bar >= 0) {
            row.setup = input.left(bar).split(QStringLiteral(" ;; "));
            input = input.mid(bar + 3);
        }
        row.input = input;
        rows << row;
    }
    return rows;
}

void addRows(const QString& name)
{
    QTest::addColumn<QStringList>("setup");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    const QList<Row> rows = section(name);
    QVERIFY2(rows.size() > 10, qPrintable(name));
    for (const Row& row : rows) {
        const QString tag = (row.setup + QStringList{row.input}).join(QStringLiteral("; "));
        QTest::newRow(tag.toUtf8().constData()) << row.setup << row.input << row.expected;
    }
}

// Runs "import socket", the setup, then statement, as one actor, to the end.
struct Lesson {
    Workbench workbench;
    Runner runner{workbench};
    QStringList printed;
    bool passed = false;
    int lastLine = 0;

    bool run(const QStringList& setup, const QString& statement)
    {
        const QStringList lines =
            QStringList{QStringLiteral("import socket")} + setup + QStringList{statement};
        lastLine = int(lines.size());
        const auto parsed =
            parse(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'), QStringLiteral("row.py"));
        if (const auto* error = std::get_if<ParseError>(&parsed)) {
            qWarning("%s", qPrintable(error->format(QStringLiteral("row.py"))));
            return false;
        }
        QObject::connect(&runner, &Runner::printed, &runner,
                         [this](const QString&, const QString& text) { printed << text; });
        QSignalSpy finished(&runner, &Runner::finished);
        runner.load(std::get<Script>(parsed));
        runner.setStopAtPauses(false);
        runner.play();
        if (!finished.count() && !finished.wait(10000))
            return false;
        passed = finished.first().at(0).toBool();
        return true;
    }

    const StepOutcome& last() const { return runner.outcomes().last(); }

    // Every step before the last one ran without an error.
    QString setupProblem() const
    {
        for (qsizetype i = 0; i + 1 < runner.outcomes().size(); ++i)
            if (runner.outcomes()[i].kind != StepOutcome::Kind::Ok)
                return runner.outcomes()[i].source + QStringLiteral(": ") +
                       runner.outcomes()[i].reason;
        return {};
    }
};

#define RUN_LESSON(lesson, setup, statement)                                                       \
    QVERIFY((lesson).run((setup), (statement)));                                                   \
    QVERIFY2((lesson).setupProblem().isEmpty(), qPrintable((lesson).setupProblem()))

} // namespace

void TestLessonValues::reprs_data()
{
    addRows(QStringLiteral("reprs"));
}

void TestLessonValues::strs_data()
{
    addRows(QStringLiteral("strs"));
}

void TestLessonValues::programs_data()
{
    addRows(QStringLiteral("programs"));
}

void TestLessonValues::errors_data()
{
    addRows(QStringLiteral("errors"));
}

void TestLessonValues::reprs()
{
    QFETCH(QStringList, setup);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Lesson lesson;
    RUN_LESSON(lesson, setup, QStringLiteral("value = ") + input);
    QVERIFY2(lesson.last().kind == StepOutcome::Kind::Ok, qPrintable(lesson.last().reason));
    QCOMPARE(lesson.last().value, expected);
    QCOMPARE(repr(lesson.runner.names().value(QStringLiteral("value"))), expected);
}

void TestLessonValues::strs()
{
    QFETCH(QStringList, setup);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Lesson lesson;
    RUN_LESSON(lesson, setup, QStringLiteral("print(%1)").arg(input));
    QVERIFY2(lesson.passed, qPrintable(lesson.last().reason));
    QCOMPARE(lesson.printed, QStringList{expected});
}

void TestLessonValues::programs()
{
    QFETCH(QStringList, setup);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Lesson lesson;
    RUN_LESSON(lesson, setup, QStringLiteral("value = ") + input);
    QVERIFY2(lesson.last().kind == StepOutcome::Kind::Ok, qPrintable(lesson.last().reason));
    QCOMPARE(lesson.last().value, expected);
    QVERIFY(lesson.passed);
}

void TestLessonValues::errors()
{
    QFETCH(QStringList, setup);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Lesson lesson;
    RUN_LESSON(lesson, setup, input);
    const StepOutcome& o = lesson.last();
    QCOMPARE(o.kind, StepOutcome::Kind::Failed);
    QCOMPARE(o.error.format(), expected);
    QCOMPARE(o.reason, QStringLiteral("unexpected ") + expected);
    QCOMPARE(o.error.pos.line, lesson.lastLine);
    QVERIFY(!lesson.passed);
}

void TestLessonValues::repeatedBytesStayLazy()
{
    Lesson lesson;
    RUN_LESSON(lesson,
               (QStringList{QStringLiteral("y = b'x' * 100000000"), QStringLiteral("n = len(y)"),
                            QStringLiteral("first = y[5]"), QStringLiteral("tail = y[99999998:]"),
                            QStringLiteral("z = y * 2")}),
               QStringLiteral("last = y[-1]"));
    const Namespace& names = lesson.runner.names();
    // A pattern and a count, never 100 MB.
    QCOMPARE(names.value(QStringLiteral("y")).bytes, QByteArray("x"));
    QCOMPARE(names.value(QStringLiteral("y")).repeat, 100000000);
    QCOMPARE(names.value(QStringLiteral("y")).byteLength(), 100000000);
    QCOMPARE(names.value(QStringLiteral("n")).integer, 100000000);
    QCOMPARE(names.value(QStringLiteral("first")).integer, 120);
    QCOMPARE(names.value(QStringLiteral("last")).integer, 120);
    QCOMPARE(repr(names.value(QStringLiteral("tail"))), QStringLiteral("b'xx'"));
    QCOMPARE(names.value(QStringLiteral("z")).repeat, 200000000);
    QCOMPARE(lesson.runner.outcomes().at(1).value, QStringLiteral("b'x' * 100000000"));
    QVERIFY(lesson.passed);

    // Small repetitions are built at once.
    Lesson small;
    RUN_LESSON(small, QStringList(), QStringLiteral("w = b'ab' * 1000"));
    QCOMPARE(small.runner.names().value(QStringLiteral("w")).repeat, 1);
    QCOMPARE(small.runner.names().value(QStringLiteral("w")).bytes.size(), 2000);
}

void TestLessonValues::bytearrayIsShared()
{
    // bytearray is mutable and shared by every name bound to it, as in Python.
    Lesson lesson;
    RUN_LESSON(lesson,
               (QStringList{QStringLiteral("a = bytearray(b'ab')"), QStringLiteral("b = a"),
                            QStringLiteral("c = a + b'c'")}),
               QStringLiteral("value = (a, b, c)"));
    QCOMPARE(lesson.last().value,
             QStringLiteral("(bytearray(b'ab'), bytearray(b'ab'), bytearray(b'abc'))"));
    const Namespace& names = lesson.runner.names();
    QCOMPARE(names.value(QStringLiteral("a")).array, names.value(QStringLiteral("b")).array);
    QVERIFY(names.value(QStringLiteral("a")).array != names.value(QStringLiteral("c")).array);
}

QTEST_GUILESS_MAIN(TestLessonValues)
#include "tst_lessonvalues.moc"
