#pragma once

#include "program/runner.h"

#include <QPlainTextEdit>

#include <vector>

namespace sockbench {

class Session;

// What the program printed, as a terminal would show it (Python Tutor's output box), with
// what python3 would say of an error; and, when asked, every statement's outcome as
// `sockbench run` prints it. The statements are left out by default: between them a print()
// scrolled out of view long before the narration pointed at it.
class Console : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit Console(Session& session, QWidget* parent = nullptr);
    // The lines of statement outcomes (what `sockbench run` would print for them), shown
    // or not.
    QStringList transcript() const { return m_transcript; }
    bool everyStatement() const { return m_everyStatement; }
    void setEveryStatement(bool shown);

Q_SIGNALS:
    void everyStatementChanged(bool shown);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void showStep(const program::StepRecord& step);
    void showSteps();
    void showBlocked(const program::StepRecord& step); // it waits (or waited) in a call
    void showPrinted(const QString& actor, const QString& text);
    void showReplay();
    void retell(); // everything again, after the choice of what to show changed
    void line(const QString& text, const QString& color = {}, const QString& who = {});
    Session& m_session;
    bool m_everyStatement = false;
    QStringList m_transcript;
    // What the live run told, in the order told: a step waited in its call (finished ==
    // false) or ended. A step back shows the same lines in the same order, whichever way
    // the threads happened to race.
    struct Told {
        int index = -1;
        bool finished = false;
    };
    std::vector<Told> m_told;
};

} // namespace sockbench
