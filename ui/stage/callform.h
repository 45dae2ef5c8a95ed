#pragma once

#include "net/call.h"

#include <QFrame>

#include <functional>
#include <variant>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QFormLayout;

namespace sockbench {

// Text with Python escapes (hello\r\n, \x00) or hex digits ("48 65 6c 6c 6f") turned into
// bytes; or a sentence saying what is wrong and where.
std::variant<QByteArray, QString> decodePayload(const QString& text, bool hex);

// A light check of one statement before it goes to python3: one line, brackets balanced,
// strings closed. "" when it looks whole, else one sentence. python3 has the last word (a
// real syntax error comes back from Runner::insertStatement).
QString statementProblem(const QString& source);

// The arguments of one call on one socket, asked for next to the button that stood for
// it. Every field says what is wrong with it before anything is sent; Run stays disabled
// until all of them are fine.
class CallForm : public QFrame {
    Q_OBJECT
public:
    CallForm(CallKind kind, AddressFamily family, SocketType type, QWidget* parent = nullptr);

    // Sockets on the stage this call could be aimed at (connect, sendto): picking one fills
    // in its address. The first is picked at once.
    struct Target {
        QString label;
        QString host;
        quint16 port = 0;
    };
    void setTargets(const QList<Target>& targets);

    // The call as the fields describe it now (valid only when isValid()).
    Call call() const;
    bool isValid() const;
    QPushButton* runButton() const { return m_run; }
    // Fields by name, for tests and for filling in defaults: "host", "port", "payload",
    // "repeat", "size", "backlog", "how", "option", "value", "timeout", "mode", "variant".
    QWidget* field(const QString& name) const;
    QString problem(const QString& name) const; // the sentence next to a field ("" if fine)

Q_SIGNALS:
    void submitted(const sockbench::Call& call);
    void cancelled();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    // The form takes its size once, as it opens: typing never moves Run.
    void showEvent(QShowEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void addHostPort();
    void addPayload();
    QLabel* addProblem(const QString& name, QWidget* field, const QString& label);
    void validate();

    CallKind m_kind;
    AddressFamily m_family;
    SocketType m_type;
    QFormLayout* m_form;
    QHash<QString, QWidget*> m_fields;
    QHash<QString, QLabel*> m_problems;
    QLabel* m_portClass = nullptr;
    QPushButton* m_run;
};

} // namespace sockbench
