#pragma once

#include <QFrame>

class QLabel;

namespace sockbench {

class Session;

// The lesson's voice: its title, and the narration of the statement that comes next -
// or, at a "# pause", the question to think about before stepping on.
class LessonPanel : public QFrame {
    Q_OBJECT
public:
    explicit LessonPanel(Session& session, QWidget* parent = nullptr);

    QString narration() const;
    QString justRan() const; // what the last step did ("Just ran ... → ... (1 socket call)")
    void refresh();
    void showReplayed();     // a recording replays: the statement behind the moment shown
    QString outcome() const; // the run's verdict or why it is stuck; empty while it runs

private:
    Session& m_session;
    QLabel* m_title;
    QLabel* m_position;
    QLabel* m_narration;
    QLabel* m_next;
    QLabel* m_outcome;
    bool m_verdict = false; // m_outcome holds the run's verdict (not a "stuck" message)
};

} // namespace sockbench
