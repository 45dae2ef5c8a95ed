#pragma once

#include "engine/event.h"
#include "program/runner.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QTabBar;
class QPlainTextEdit;
class QPushButton;

namespace sockbench {

class ScriptEdit;
class Session;

// The program as Python (a tab per program when several run side by side), the line each
// thread is at and the line about to run lit up, each thread's state under it, and
// beside it the C that the last statement's calls stand for, with their real values.
// The script can be edited by hand and run as it is.
class CodeView : public QWidget {
    Q_OBJECT
public:
    explicit CodeView(Session& session, QWidget* parent = nullptr);

    QPlainTextEdit* script() const;
    QPlainTextEdit* cCode() const { return m_c; }
    QLabel* cTitle() const { return m_cTitle; }
    QString problem() const;
    void refresh();

Q_SIGNALS:
    // The edited script was loaded (the window resets and starts it).
    void editedScriptLoaded();

private:
    void showLine(int line); // scrolls the script to the line, with what follows it
    void highlight();
    void showReplayed(); // a recording replays: its statement, its calls in C
    void showC(const program::StepRecord& step);
    void showLatestC(); // the C of the newest step, the one "Just ran" speaks of
    int shownProgram() const;
    void toggleEditing();
    // The C of a line in the C pane, scrolled to its end: the call and its result.
    void showC(const QString& text);

    Session& m_session;
    QTabBar* m_programs;
    ScriptEdit* m_script;
    QPlainTextEdit* m_c;
    // "C — the calls of line 52": the Python line stays named when the pane, too short
    // for all of a line's calls, shows their end (the heading in it scrolled away).
    QLabel* m_cTitle = nullptr;
    void setCLine(int line);
    QPushButton* m_edit;
    QLabel* m_problem;
    QHash<SocketId, qint64> m_fds;
    bool m_editing = false;
};

} // namespace sockbench
