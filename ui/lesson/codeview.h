#pragma once

#include "engine/event.h"
#include "lesson/runner.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace sockbench {

class Session;

// The script as Python, the statement about to run and those still running lit up, and
// beside it the C that the last statement's calls stand for, with their real values.
// The script can be edited by hand and run as it is.
class CodeView : public QWidget {
    Q_OBJECT
public:
    explicit CodeView(Session& session, QWidget* parent = nullptr);

    QPlainTextEdit* script() const { return m_script; }
    QPlainTextEdit* cCode() const { return m_c; }
    QString problem() const;
    void refresh();

Q_SIGNALS:
    // The edited script was loaded (the window resets and starts it).
    void editedScriptLoaded();

private:
    void highlight();
    void showReplayed(); // a recording replays: its statement, its calls in C
    void showC(const lesson::StepOutcome& outcome);
    void toggleEditing();

    Session& m_session;
    QPlainTextEdit* m_script;
    QPlainTextEdit* m_c;
    QPushButton* m_edit;
    QLabel* m_problem;
    std::vector<int> m_stepLine;
    QHash<SocketId, qint64> m_fds;
    bool m_editing = false;
};

} // namespace sockbench
