#pragma once

#include "program/runner.h"

#include <QPlainTextEdit>

#include <vector>

namespace sockbench {

class Session;

// The transcript, as `sockbench run` prints it, and everything the lesson print()s.
class Console : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit Console(Session& session, QWidget* parent = nullptr);
    // The lines of statement outcomes only (what `sockbench run` would print for them).
    QStringList transcript() const { return m_transcript; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void showStep(const program::StepRecord& step);
    void showSteps();
    void showBlocked(const program::StepRecord& step); // it waits (or waited) in a call
    void showPrinted(const QString& actor, const QString& text);
    void line(const QString& text, const QString& color = {});
    Session& m_session;
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
