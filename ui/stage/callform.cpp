#include "callform.h"

#include "theme.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cctype>

namespace sockbench {

std::variant<QByteArray, QString> decodePayload(const QString& text, bool hex)
{
    if (hex) {
        QByteArray digits;
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text[i];
            if (c.isSpace() || c == QLatin1Char(':'))
                continue;
            if (!QByteArrayLiteral("0123456789abcdefABCDEF").contains(c.toLatin1()) ||
                c.unicode() > 127)
                return QObject::tr("'%1' at position %2 is not a hex digit (0-9, a-f)")
                    .arg(c)
                    .arg(i + 1);
            digits.append(c.toLatin1());
        }
        if (digits.size() % 2)
            return QObject::tr("hex bytes come in pairs of digits; one digit is left over");
        return QByteArray::fromHex(digits);
    }
    // The text is the inside of a Python bytes literal, decoded here with the escapes
    // Python's bytes literals know (\\ \' \" \n \r \t \a \b \f \v \0-\377 \xHH) and
    // Python's own complaints; quotes the user typed are taken literally. The statement the
    // click writes is then run by python3 itself, which has the last word.
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.unicode() > 127)
            return QObject::tr("bytes can only contain ASCII literal characters (%1 is not): "
                               "write it as \\x escapes, or use hex")
                .arg(c);
        if (c != QLatin1Char('\\')) {
            out += c.toLatin1();
            continue;
        }
        if (i + 1 >= text.size())
            return QObject::tr("the text ends with a lone backslash: write \\\\ for a backslash");
        const char k = text[++i].toLatin1();
        static const QByteArray simple("\\'\"nrtabfv");
        static const QByteArray meant("\\'\"\n\r\t\a\b\f\v");
        if (const auto at = simple.indexOf(k); at >= 0 && k != 0) {
            out += meant[at];
        } else if (k == 'x') {
            const QString digits = text.mid(i + 1, 2);
            bool ok =
                digits.size() == 2 && std::all_of(digits.cbegin(), digits.cend(), [](QChar d) {
                    return d.unicode() < 128 && std::isxdigit(d.unicode());
                });
            const uint value = ok ? digits.toUInt(&ok, 16) : 0;
            if (!ok)
                return QObject::tr("invalid \\x escape at position %1: it needs two hex digits "
                                   "(\\x41 is A)")
                    .arg(i);
            out += char(value);
            i += 2;
        } else if (k >= '0' && k <= '7') {
            uint value = uint(k - '0');
            for (int n = 0; n < 2 && i + 1 < text.size() && text[i + 1] >= QLatin1Char('0') &&
                            text[i + 1] <= QLatin1Char('7');
                 ++n)
                value = value * 8 + uint(text[++i].toLatin1() - '0');
            out += char(value & 0xff);
        } else {
            out += '\\'; // Python keeps an unknown escape as it is
            out += k;
        }
    }
    return out;
}

QString statementProblem(const QString& source)
{
    if (source.trimmed().isEmpty())
        return QObject::tr("the statement is empty");
    if (source.contains(QLatin1Char('\n')))
        return QObject::tr("a statement from a click is one line; this one has several");
    QString open; // the brackets still open, innermost last
    QChar quote;  // the quote of the string we are in, or none
    for (qsizetype i = 0; i < source.size(); ++i) {
        const QChar c = source[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\'))
                ++i; // an escape: the next character is part of the string
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('#'))
            break; // a comment to the end of the line
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
        } else if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{')) {
            open += c;
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
            const QChar want = c == QLatin1Char(')')   ? QLatin1Char('(')
                               : c == QLatin1Char(']') ? QLatin1Char('[')
                                                       : QLatin1Char('{');
            if (open.isEmpty() || open.back() != want)
                return QObject::tr("'%1' at column %2 closes a bracket that is not open")
                    .arg(c)
                    .arg(i + 1);
            open.chop(1);
        }
    }
    if (!quote.isNull())
        return QObject::tr("a string is not closed: it needs its %1 at the end").arg(quote);
    if (!open.isEmpty())
        return QObject::tr("'%1' is never closed").arg(open.back());
    return {};
}

namespace {

QString portClassText(qint64 port)
{
    switch (portClassOf(static_cast<quint16>(port))) {
    case PortClass::WellKnown:
        return port == 0
                   ? QObject::tr("0: the kernel picks a free port")
                   : QObject::tr("well-known port (0–1023): binding needs administrator rights");
    case PortClass::Registered:
        return QObject::tr("registered port (1024–49151)");
    case PortClass::Dynamic:
        return QObject::tr("dynamic port (49152–65535)");
    }
    return {};
}

QString defaultHost(AddressFamily family)
{
    switch (family) {
    case AddressFamily::Inet6:
        return QStringLiteral("::1");
    case AddressFamily::Unix:
        // An abstract name of this window's own: two windows (two students on one machine)
        // never collide, and bind() then connect() with the defaults meet.
        return QStringLiteral("@sockbench-%1-demo").arg(QCoreApplication::applicationPid());
    default:
        return QStringLiteral("127.0.0.1");
    }
}

} // namespace

CallForm::CallForm(CallKind kind, AddressFamily family, SocketType type, QWidget* parent)
    : QFrame(parent, Qt::Popup)
    , m_kind(kind)
    , m_family(family)
    , m_type(type)
    , m_form(new QFormLayout)
    , m_run(new QPushButton(tr("Run"), this))
{
    setObjectName(QStringLiteral("callForm"));
    setContentsMargins(kPanelEdge, kPanelEdge, kPanelEdge, kPanelEdge); // the edge's room
    setAccessibleName(tr("Arguments of %1()").arg(callName(kind)));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(QStringLiteral("<b>%1()</b>").arg(callName(kind)), this);
    layout->addWidget(title);
    layout->addLayout(m_form);

    switch (kind) {
    case CallKind::Bind:
    case CallKind::Connect:
    case CallKind::ConnectEx:
        addHostPort();
        break;
    case CallKind::Listen: {
        auto* backlog = new QSpinBox(this);
        backlog->setRange(0, 4096);
        backlog->setValue(5);
        backlog->setToolTip(tr("How many finished connections may wait for accept()"));
        addProblem(QStringLiteral("backlog"), backlog, tr("backlog"));
        break;
    }
    case CallKind::Send:
    case CallKind::SendAll: {
        auto* variant = new QComboBox(this);
        variant->addItem(tr("sendall(data): every byte"), int(CallKind::SendAll));
        variant->addItem(tr("send(data): what the kernel takes now"), int(CallKind::Send));
        variant->setToolTip(tr("send() may take fewer bytes than given and says how many; "
                               "sendall() repeats until all are sent"));
        addProblem(QStringLiteral("variant"), variant, tr("call"));
        addPayload();
        break;
    }
    case CallKind::SendTo:
        addPayload();
        addHostPort();
        break;
    case CallKind::Recv:
    case CallKind::RecvFrom:
    case CallKind::RecvInto:
    case CallKind::RecvFromInto: {
        auto* size = new QSpinBox(this);
        size->setRange(0, 64 * 1024 * 1024);
        size->setValue(1024);
        size->setToolTip(
            kind == CallKind::Recv || kind == CallKind::RecvFrom
                ? tr("At most this many bytes; recv() returns what has arrived, up to it")
                : tr("The size of the bytearray to read into"));
        addProblem(QStringLiteral("size"), size,
                   kind == CallKind::Recv || kind == CallKind::RecvFrom ? tr("bufsize")
                                                                        : tr("buffer size"));
        break;
    }
    case CallKind::Shutdown: {
        auto* how = new QComboBox(this);
        how->addItem(tr("SHUT_WR (1): done sending"), 1);
        how->addItem(tr("SHUT_RD (0): done receiving"), 0);
        how->addItem(tr("SHUT_RDWR (2): both"), 2);
        addProblem(QStringLiteral("how"), how, tr("how"));
        break;
    }
    case CallKind::SetSockOpt:
    case CallKind::GetSockOpt: {
        auto* option = new QComboBox(this);
        for (SocketOption o :
             {SocketOption::ReuseAddr, SocketOption::ReusePort, SocketOption::Broadcast,
              SocketOption::KeepAlive, SocketOption::RcvBuf, SocketOption::SndBuf,
              SocketOption::Linger, SocketOption::TcpNoDelay, SocketOption::Error,
              SocketOption::Type, SocketOption::AcceptConn})
            option->addItem(optionLevelName(o) + QStringLiteral(", ") + optionName(o), int(o));
        addProblem(QStringLiteral("option"), option, tr("option"));
        if (kind == CallKind::SetSockOpt) {
            auto* value = new QSpinBox(this);
            value->setRange(0, 1 << 30);
            value->setValue(1);
            value->setToolTip(
                tr("1 turns a flag on, 0 off; sizes in bytes; for SO_LINGER: on (1) or off (0)"));
            addProblem(QStringLiteral("value"), value, tr("value"));
            auto* linger = new QSpinBox(this);
            linger->setRange(0, 3600);
            linger->setToolTip(
                tr("SO_LINGER only: seconds close() waits for unsent data (0: reset at once)"));
            addProblem(QStringLiteral("linger"), linger, tr("linger seconds"));
        }
        break;
    }
    case CallKind::SetTimeout:
    case CallKind::SetBlocking: {
        auto* mode = new QComboBox(this);
        mode->addItem(tr("settimeout(seconds)"), 0);
        mode->addItem(tr("settimeout(None): block as long as it takes"), 1);
        mode->addItem(tr("setblocking(False): never wait"), 2);
        mode->addItem(tr("setblocking(True)"), 3);
        addProblem(QStringLiteral("mode"), mode, tr("mode"));
        auto* timeout = new QLineEdit(QStringLiteral("2.0"), this);
        timeout->setToolTip(tr("Seconds a call may wait before it raises socket.timeout"));
        addProblem(QStringLiteral("timeout"), timeout, tr("seconds"));
        break;
    }
    default:
        break;
    }

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    auto* cancel = new QPushButton(tr("Cancel"), this);
    connect(cancel, &QPushButton::clicked, this, [this] {
        Q_EMIT cancelled();
        close();
    });
    m_run->setDefault(true);
    m_run->setToolTip(tr("Make the call for real (it is added to the script)"));
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (!isValid())
            return;
        Q_EMIT submitted(call());
        close();
    });
    buttons->addWidget(cancel);
    buttons->addWidget(m_run);
    layout->addLayout(buttons);

    for (QWidget* field : std::as_const(m_fields)) {
        if (auto* edit = qobject_cast<QLineEdit*>(field))
            connect(edit, &QLineEdit::textChanged, this, &CallForm::validate);
        else if (auto* spin = qobject_cast<QSpinBox*>(field))
            connect(spin, &QSpinBox::valueChanged, this, &CallForm::validate);
        else if (auto* combo = qobject_cast<QComboBox*>(field))
            connect(combo, &QComboBox::currentIndexChanged, this, &CallForm::validate);
    }
    validate();
}

QLabel* CallForm::addProblem(const QString& name, QWidget* field, const QString& label)
{
    field->setAccessibleName(label);
    if (field->toolTip().isEmpty())
        field->setToolTip(label);
    auto* box = new QWidget(this);
    auto* column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(field);
    auto* problem = new QLabel(box);
    problem->setObjectName(QStringLiteral("problem_") + name);
    setTextColor(problem, QColor(0xb9, 0x1c, 0x1c));
    problem->setWordWrap(true);
    // A sentence that comes and goes takes a line that stays: the form does not grow, and
    // Run does not move, while the student types.
    QSizePolicy keep = problem->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    problem->setSizePolicy(keep);
    problem->setMinimumHeight(problem->fontMetrics().lineSpacing());
    problem->hide();
    column->addWidget(problem);
    m_form->addRow(label, box);
    m_fields.insert(name, field);
    m_problems.insert(name, problem);
    return problem;
}

void CallForm::addHostPort()
{
    auto* host = new QLineEdit(defaultHost(m_family), this);
    host->setToolTip(
        m_family == AddressFamily::Unix
            ? tr("A path, or @name for a Linux abstract name that leaves no file behind")
            : tr("An address or a name: '' (every interface), localhost, 127.0.0.1, ::1, "
                 "0x7F000001"));
    addProblem(QStringLiteral("host"), host,
               m_family == AddressFamily::Unix ? tr("path") : tr("host"));
    if (m_family == AddressFamily::Unix)
        return;
    auto* port = new QLineEdit(QStringLiteral("0"), this);
    port->setToolTip(tr("0 to 65535; 0 asks the kernel for a free port"));
    addProblem(QStringLiteral("port"), port, tr("port"));
    m_portClass = new QLabel(this);
    setTextColor(m_portClass, QColor(0x4b, 0x55, 0x63));
    m_portClass->setWordWrap(true); // a longer class never widens the form
    m_form->addRow(QString(), m_portClass);
}

void CallForm::addPayload()
{
    auto* mode = new QComboBox(this);
    mode->addItem(tr("text with escapes (\\r\\n, \\x00)"), 0);
    mode->addItem(tr("hex bytes (48 65 6c 6c 6f)"), 1);
    addProblem(QStringLiteral("payloadMode"), mode, tr("data as"));
    auto* payload = new QLineEdit(QStringLiteral("hello"), this);
    payload->setToolTip(tr("The bytes to send, written like the inside of b'...'"));
    addProblem(QStringLiteral("payload"), payload, tr("data"));
    auto* repeat = new QSpinBox(this);
    repeat->setRange(1, 1000000000);
    repeat->setValue(1);
    repeat->setToolTip(
        tr("Send the data this many times over, like b'x' * 1000000 (for bulk traffic)"));
    addProblem(QStringLiteral("repeat"), repeat, tr("times"));
}

void CallForm::setTargets(const QList<Target>& targets)
{
    auto* host = qobject_cast<QLineEdit*>(field(QStringLiteral("host")));
    auto* port = qobject_cast<QLineEdit*>(field(QStringLiteral("port")));
    if (targets.isEmpty() || !host)
        return;
    auto* picker = new QComboBox(this);
    picker->addItem(tr("an address you type below"));
    for (const Target& t : targets)
        picker->addItem(t.label, QVariantList{t.host, t.port});
    picker->setToolTip(tr("Aim at a socket on the stage: its address is filled in"));
    picker->setAccessibleName(tr("Target socket"));
    m_form->insertRow(0, tr("to"), picker);
    m_fields.insert(QStringLiteral("target"), picker);
    connect(picker, &QComboBox::currentIndexChanged, this, [host, port, picker](int index) {
        if (index <= 0)
            return;
        const QVariantList address = picker->itemData(index).toList();
        host->setText(address.value(0).toString());
        if (port)
            port->setText(QString::number(address.value(1).toUInt()));
    });
    picker->setCurrentIndex(1);
}

void CallForm::paintEvent(QPaintEvent*)
{
    // A pop-up window: its corners outside the rounded edge are white too.
    QPainter(this).fillRect(rect(), Qt::white);
    paintPanel(this, Qt::white, QColor(0x25, 0x63, 0xeb), 6);
}

void CallForm::showEvent(QShowEvent* event)
{
    QFrame::showEvent(event);
    // Wide enough for a sentence about a field on one line, and never wider later.
    if (minimumWidth() != maximumWidth())
        setFixedWidth(std::max(sizeHint().width(), fontMetrics().averageCharWidth() * 60));
}

QWidget* CallForm::field(const QString& name) const
{
    return m_fields.value(name);
}

QString CallForm::problem(const QString& name) const
{
    QLabel* label = m_problems.value(name);
    return label && !label->isHidden() ? label->text() : QString();
}

void CallForm::validate()
{
    auto say = [this](const QString& name, const QString& sentence) {
        if (QLabel* label = m_problems.value(name)) {
            label->setText(sentence);
            label->setVisible(!sentence.isEmpty());
        }
    };
    if (auto* host = qobject_cast<QLineEdit*>(field(QStringLiteral("host")))) {
        QString why;
        const QString text = host->text().trimmed();
        if (m_family == AddressFamily::Unix) {
            if (text.isEmpty())
                why = tr("give a path such as /tmp/demo.sock, or @name");
            else if (text.toUtf8().size() > 107)
                why = tr("an AF_UNIX path can be at most 107 bytes long");
        } else if (text.contains(QLatin1Char(' '))) {
            why = tr("a host has no spaces in it");
        } else if (!text.isEmpty()) {
            Endpoint::parseLiteral(text, 0, m_family, &why);
        }
        say(QStringLiteral("host"), why);
    }
    if (auto* port = qobject_cast<QLineEdit*>(field(QStringLiteral("port")))) {
        bool ok = false;
        const qint64 value = port->text().trimmed().toLongLong(&ok);
        const bool valid = ok && value >= 0 && value <= 65535;
        say(QStringLiteral("port"),
            valid ? QString() : tr("a port is a whole number from 0 to 65535"));
        if (m_portClass)
            m_portClass->setText(valid ? portClassText(value) : QString());
    }
    if (auto* payload = qobject_cast<QLineEdit*>(field(QStringLiteral("payload")))) {
        const auto* mode = qobject_cast<QComboBox*>(field(QStringLiteral("payloadMode")));
        const auto decoded =
            decodePayload(payload->text(), mode && mode->currentData().toInt() == 1);
        say(QStringLiteral("payload"),
            std::holds_alternative<QString>(decoded) ? std::get<QString>(decoded) : QString());
    }
    if (auto* timeout = qobject_cast<QLineEdit*>(field(QStringLiteral("timeout")))) {
        const auto* mode = qobject_cast<QComboBox*>(field(QStringLiteral("mode")));
        const bool needed = mode && mode->currentData().toInt() == 0;
        timeout->setEnabled(needed);
        bool ok = false;
        const double seconds = timeout->text().trimmed().toDouble(&ok);
        say(QStringLiteral("timeout"), !needed || (ok && seconds >= 0)
                                           ? QString()
                                           : tr("seconds: a number such as 0.5, not negative"));
    }
    m_run->setEnabled(isValid());
}

bool CallForm::isValid() const
{
    for (const QLabel* label : m_problems)
        if (!label->text().isEmpty() && !label->isHidden())
            return false;
    return true;
}

Call CallForm::call() const
{
    Call c;
    c.kind = m_kind;
    CallArgs& a = c.args;
    a.family = m_family;
    a.type = m_type;
    if (auto* host = qobject_cast<QLineEdit*>(field(QStringLiteral("host")))) {
        a.host = host->text().trimmed();
        if (m_family == AddressFamily::Unix && a.host.startsWith(QLatin1Char('@')))
            a.host = QLatin1Char('\0') + a.host.mid(1);
    }
    if (auto* port = qobject_cast<QLineEdit*>(field(QStringLiteral("port"))))
        a.port = port->text().trimmed().toLongLong();
    if (auto* variant = qobject_cast<QComboBox*>(field(QStringLiteral("variant"))))
        c.kind = static_cast<CallKind>(variant->currentData().toInt());
    if (auto* payload = qobject_cast<QLineEdit*>(field(QStringLiteral("payload")))) {
        const auto* mode = qobject_cast<QComboBox*>(field(QStringLiteral("payloadMode")));
        const auto decoded =
            decodePayload(payload->text(), mode && mode->currentData().toInt() == 1);
        if (const auto* bytes = std::get_if<QByteArray>(&decoded))
            a.payload = *bytes;
    }
    if (auto* repeat = qobject_cast<QSpinBox*>(field(QStringLiteral("repeat"))))
        a.repeat = repeat->value();
    if (auto* backlog = qobject_cast<QSpinBox*>(field(QStringLiteral("backlog"))))
        a.backlog = backlog->value();
    if (auto* size = qobject_cast<QSpinBox*>(field(QStringLiteral("size")))) {
        if (m_kind == CallKind::RecvInto || m_kind == CallKind::RecvFromInto)
            a.bufferSize = size->value();
        else
            a.size = size->value();
    }
    if (auto* how = qobject_cast<QComboBox*>(field(QStringLiteral("how"))))
        a.how = how->currentData().toInt();
    if (auto* option = qobject_cast<QComboBox*>(field(QStringLiteral("option"))))
        a.option = static_cast<SocketOption>(option->currentData().toInt());
    if (auto* value = qobject_cast<QSpinBox*>(field(QStringLiteral("value"))))
        a.value = value->value();
    if (auto* linger = qobject_cast<QSpinBox*>(field(QStringLiteral("linger"))))
        a.lingerSeconds = linger->value();
    if (auto* mode = qobject_cast<QComboBox*>(field(QStringLiteral("mode")))) {
        const int m = mode->currentData().toInt();
        c.kind = m < 2 ? CallKind::SetTimeout : CallKind::SetBlocking;
        if (m == 0)
            a.timeout = qobject_cast<QLineEdit*>(field(QStringLiteral("timeout")))
                            ->text()
                            .trimmed()
                            .toDouble();
        a.blocking = m == 3;
    }
    return c;
}

void CallForm::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && isValid()) {
        Q_EMIT submitted(call());
        close();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace sockbench
